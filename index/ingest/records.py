"""Loading record files: JSON Lines (``.jsonl``, one object per line) and JSON (``.json``,
one object or a list of them), each record becoming its own ``LoadedDocument`` with its own
``doc_id``. A bad record (invalid JSON, no ``"text"``, duplicate ``doc_id``) is yielded as a
``FailedFile`` naming its line or position, so the other records still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from index.ingest.source import LoadError, SourceFile, decode_file, short_first_line
from index.ingest.text_clean import clean_field, clean_text, decode_bytes, normalise_date
from index.types import FailedFile, LoadedDocument

_RECORD_FIELDS = frozenset({"doc_id", "title", "source", "published_at", "date", "url", "text"})


def load_jsonl(source: SourceFile) -> Iterator[LoadedDocument | FailedFile]:
    """Load a JSON Lines file: a document per valid record, a ``FailedFile`` per bad line."""
    data = source.path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 with BOM: decode as a whole
        text = decode_bytes(data, check_binary=False)
        lines = [line.encode("utf-8") for line in text.split("\n")]
    elif b"\x00" in data[:8192]:
        raise LoadError("the file looks like a binary file, not text")
    else:
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    seen: dict[str, str] = {}
    records = 0
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = decode_bytes(raw, check_binary=False)
        if not line.strip():
            continue
        records += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"line {number}: not valid JSON ({error.msg} at column {error.colno})"
            yield FailedFile(f"{source.doc_id}:{number}", reason)
            continue
        yield _record(source, record, number, f"line {number}", seen)
    if not records:
        raise LoadError("the file is empty")


def load_json(source: SourceFile) -> Iterator[LoadedDocument | FailedFile]:
    """Load a JSON file holding one record object or a list of them."""
    try:
        data = json.loads(decode_file(source))
    except json.JSONDecodeError as error:
        raise LoadError(
            f"the file is not valid JSON ({error.msg} on line {error.lineno})"
        ) from None
    records = data if isinstance(data, list) else [data]
    if isinstance(data, dict) and "text" not in data:
        raise LoadError('the JSON holds no document: expected an object with "text" or a list')
    if not records:
        raise LoadError("the JSON list holds no records")
    seen: dict[str, str] = {}
    for number, record in enumerate(records, 1):
        yield _record(source, record, number, f"record {number}", seen)


def _record(
    source: SourceFile, record: object, number: int, where: str, seen: dict[str, str]
) -> LoadedDocument | FailedFile:
    failed_path = f"{source.doc_id}:{number}"
    if not isinstance(record, dict):
        return FailedFile(failed_path, f"{where}: not a JSON object")
    raw_text = record.get("text")
    if not isinstance(raw_text, str):
        return FailedFile(failed_path, f'{where}: the record has no "text" string')
    text = clean_text(raw_text)
    if not text:
        return FailedFile(failed_path, f"{where}: the record's text is empty")
    raw_id = record.get("doc_id")
    doc_id = clean_field(str(raw_id)) if isinstance(raw_id, str | int) else ""
    doc_id = doc_id or f"{source.doc_id}#{number}"
    if doc_id in seen:
        return FailedFile(
            failed_path, f"{where}: duplicate doc_id {doc_id!r} (first at {seen[doc_id]})"
        )
    seen[doc_id] = where

    def field(name: str) -> str | None:
        value = record.get(name)
        return (clean_field(value) or None) if isinstance(value, str) else None

    published = normalise_date(record.get("published_at") or record.get("date"))
    return LoadedDocument(
        doc_id=doc_id,
        text=text,
        title=field("title") or short_first_line(text) or doc_id,
        source=field("source") or source.doc_id,
        published_at=published,
        date_from="record" if published else None,
        url=field("url"),
        extra={
            clean_field(k): clean_field(v)
            for k, v in record.items()
            if k not in _RECORD_FIELDS and isinstance(v, str)
        },
    )
