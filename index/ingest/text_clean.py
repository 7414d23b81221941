"""Decoding of text bytes, date normalisation and the one text cleanup every loader applies.

``clean_text`` defines the canonical text of a document: chunks are exact slices of its
result, so no other code may post-process document text differently.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import date, datetime

# Lines dropped wherever they stand alone (compared case-insensitively after strip).
BOILERPLATE_LINES = frozenset(
    line.casefold()
    for line in (
        "Advertisement",
        "Advertisment",
        "Skip Advertisement",
        "Story continues below advertisement",
        "Article continues below advertisement",
        "Article continues below",
        "Continue reading below",
        "Sponsored",
        "Sponsored content",
        "Skip to content",
        "Skip to main content",
        "Read more",
        "Read More:",
        "Share this article",
        "Share this story",
        "Click to share",
    )
)

_BINARY_SNIFF = 8192
_CONTROL_SHARE = 0.10
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_DROPPED_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")
# Lone surrogates (from JSON "\\ud800" escapes or undecodable file names) cannot be encoded
# as UTF-8: the tokenizer, Chroma and SQLite would all fail on them.
_SURROGATES = re.compile("[\ud800-\udfff]")
_MANY_BLANKS = re.compile(r"\n{3,}")
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DATE_FORMATS = ("%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


class NotTextError(ValueError):
    """The bytes look like binary data rather than text."""


def decode_bytes(data: bytes, *, check_binary: bool = True) -> str:
    """Decode text bytes: a UTF-8/16/32 BOM wins, then UTF-8, then cp1252, then latin-1.

    Raises ``NotTextError`` when ``check_binary`` and the start looks like binary data.
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            break
    else:
        if check_binary and data.startswith(_BINARY_MAGIC):
            raise NotTextError("looks like a binary file, not text")
        text = _decode_without_bom(data)
    if check_binary and _looks_binary(text[:_BINARY_SNIFF]):
        raise NotTextError("looks like a binary file, not text")
    return text


def _decode_without_bom(data: bytes) -> str:
    head = data[:_BINARY_SNIFF]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):  # BOM-less UTF-16 (mostly ASCII)?
        odd_nuls, even_nuls = head[1::2].count(0), head[0::2].count(0)
        codec = (
            "utf-16-le"
            if odd_nuls > 4 * even_nuls
            else "utf-16-be"
            if even_nuls > 4 * odd_nuls
            else ""
        )
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_binary(sample: str) -> bool:
    if not sample:
        return False
    if "\x00" in sample:
        return True
    controls = sum(
        1
        for ch in sample
        if (ch < " " or "\x7f" <= ch <= "\x9f" or ch == "\ufffd") and ch not in _ALLOWED_CONTROLS
    )
    return controls / len(sample) > _CONTROL_SHARE


def clean_text(text: str) -> str:
    """The canonical form of a document's text.

    Lone surrogates become U+FFFD; NFC-normalised; newlines are ``\\n``; control characters
    dropped; trailing whitespace stripped on every line; stand-alone boilerplate lines
    (``BOILERPLATE_LINES``) dropped; at most one blank line in a row; no leading or trailing
    blank space. Idempotent.
    """
    text = unicodedata.normalize("NFC", encodable(text))
    text = _LINE_BREAKS.sub("\n", text)
    text = _DROPPED_CHARS.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [line for line in lines if line.strip().casefold() not in BOILERPLATE_LINES]
    return _MANY_BLANKS.sub("\n\n", "\n".join(kept)).strip()


def encodable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def clean_field(value: str) -> str:
    """A metadata value (title, source, URL, id) on one line: encodable, NFC, control
    characters dropped, runs of whitespace made one space."""
    value = unicodedata.normalize("NFC", encodable(value))
    return " ".join(_DROPPED_CHARS.sub("", value).split())


def normalise_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` string for a date, datetime or common date string, else None."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO_PREFIX.match(value)
    if match:
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None
