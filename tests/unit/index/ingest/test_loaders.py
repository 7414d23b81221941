"""Tests of the loading step on real files written to a temporary folder."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from index.errors import BadInputError
from index.ingest.loaders import (
    SUPPORTED_EXTENSIONS,
    LoadError,
    LoadLimits,
    SourceFile,
    content_hash,
    discover,
    load,
)
from index.ingest.text_clean import clean_text
from index.types import FailedFile, LoadedDocument
from tests.fixtures.hostile import (
    write_big_html,
    write_docx_bomb,
    write_pdf_bomb,
    write_surrogate_jsonl,
)

MB = 1024 * 1024


def source_for(path: Path) -> SourceFile:
    files, failed = discover([path])
    assert failed == [], failed
    assert len(files) == 1
    return files[0]


def load_all(path: Path, max_bytes: int = 60 * MB) -> tuple[list[LoadedDocument], list[FailedFile]]:
    results = list(load(source_for(path), max_bytes))
    docs = [r for r in results if isinstance(r, LoadedDocument)]
    failed = [r for r in results if isinstance(r, FailedFile)]
    return docs, failed


def load_one(path: Path) -> LoadedDocument:
    docs, failed = load_all(path)
    assert failed == []
    assert len(docs) == 1
    return docs[0]


def load_error(path: Path, max_bytes: int = 60 * MB) -> str:
    with pytest.raises(LoadError) as info:
        load_all(path, max_bytes)
    return str(info.value)


def make_pdf(pages: list[str | None], title: str | None = None) -> bytes:
    """A valid PDF with one BT/ET Helvetica text object per page; None draws a line instead."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    for page in pages:
        if page is None:
            content = b"0 0 m 100 100 l S"
        else:
            content = b"BT /F1 12 Tf 72 720 Td (" + page.encode("latin-1") + b") Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Contents %d 0 R /Resources %s >>" % (len(objects), font)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = b""
    if title:
        objects.append(b"<< /Title (%s) /CreationDate (D:20240320120000Z) >>" % title.encode())
        info = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- discovery ----------------------------------------------------------------------


def test_supported_extensions_listed() -> None:
    assert {".txt", ".md", ".html", ".pdf", ".docx", ".jsonl", ".json"} <= SUPPORTED_EXTENSIONS


def test_doc_ids_are_relative_to_root(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a.txt").write_text("Alpha text.")
    (root / "b" / "deep" / "c.md").write_text("Gamma text.")
    single = tmp_path / "single.txt"
    single.write_text("Single text.")
    files, failed = discover([root, single])
    assert failed == []
    assert [f.doc_id for f in files] == ["a.txt", "b/deep/c.md", "single.txt"]
    assert all(f.path.is_absolute() and f.size > 0 for f in files)
    assert all(f.path.is_relative_to(root.resolve()) for f in files[:2])
    assert load_one(root / "b" / "deep" / "c.md").doc_id == "c.md"  # named alone: its name


def test_hidden_and_unsupported_files_in_folders_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("hidden folder")
    (tmp_path / ".hidden.txt").write_text("hidden file")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG....")
    (tmp_path / "kept.TXT").write_text("kept")
    files, failed = discover([tmp_path])
    assert [f.doc_id for f in files] == ["kept.TXT"]
    assert failed == []


def test_unsupported_file_named_explicitly_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "photo.xyz"
    path.write_bytes(b"data")
    files, failed = discover([path])
    assert files == []
    assert failed[0].path == str(path)
    assert failed[0].error.startswith("unsupported file type .xyz; supported: ")
    assert ".pdf" in failed[0].error


def test_missing_path_reported(tmp_path: Path) -> None:
    files, failed = discover([tmp_path / "nope.txt", str(tmp_path / "no-folder")])
    assert files == []
    assert [f.error for f in failed] == ["no such file or folder"] * 2
    assert failed[0].path == str(tmp_path / "nope.txt")


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "doc.txt").write_text("Looped text.")
    (root / "sub" / "back").symlink_to(root)  # loop to an ancestor
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself
    files, failed = discover([root])
    assert [f.doc_id for f in files] == ["sub/doc.txt"]
    assert [Path(f.path).name for f in failed] == ["self.txt"]
    loop_arg = tmp_path / "loop.txt"
    loop_arg.symlink_to(loop_arg)
    files, failed = discover([loop_arg])
    assert files == [] and failed[0].path == str(loop_arg)


def test_same_file_reached_twice_is_listed_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "doc.txt").write_text("Once.")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    files, failed = discover([tmp_path])
    assert [f.doc_id for f in files] == ["real/doc.txt"] or [f.doc_id for f in files] == [
        "alias/doc.txt"
    ]
    assert failed == []


def test_same_doc_id_from_two_roots_is_reported(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(f"Text {name}.")
    files, failed = discover([tmp_path / "one", tmp_path / "two"])
    assert [f.path for f in files] == [tmp_path / "one" / "a.txt"]
    assert failed[0].path == str(tmp_path / "two" / "a.txt")
    assert "same document id 'a.txt'" in failed[0].error


def test_unreadable_file_reported(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Secret text.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user (root) who can read a chmod-000 file")
        files, failed = discover([path])
        assert files == []
        assert failed == [FailedFile(str(path), "cannot read the file (permission denied)")]
        source = SourceFile(path=path, doc_id="secret.txt", size=12)
        with pytest.raises(LoadError, match="permission denied"):
            list(load(source, MB))
    finally:
        path.chmod(0o644)


# --- whole-file failures ------------------------------------------------------------


def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert load_error(tmp_path / "empty.txt") == "the file is empty"


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "blank.md").write_text("\n   \n\t\nAdvertisement\n")
    assert load_error(tmp_path / "blank.md") == "the file is empty"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * (2 * MB))
    reason = load_error(tmp_path / "big.txt", max_bytes=MB)
    assert reason == "the file is 2.0 MB, over the 1 MB limit (EVCHAT_MAX_FILE_MB)"


def test_load_error_is_a_bad_input_error() -> None:
    assert issubclass(LoadError, BadInputError)


def test_single_5mb_line_loads(tmp_path: Path) -> None:
    line = "battery " * (5 * MB // 8)
    (tmp_path / "long.txt").write_text(line)
    doc = load_one(tmp_path / "long.txt")
    assert len(doc.text) == len(line.rstrip())
    assert doc.title == "long"  # the first line is too long for a title


def test_binary_named_txt_is_refused(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 40)
    assert "looks like a binary file, not text" in load_error(tmp_path / "image.txt")


# --- text ---------------------------------------------------------------------------


def test_utf16_bom_and_latin1_text_decoded(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes("Übergang zur Elektromobilität\nmehr".encode("utf-16"))
    (tmp_path / "latin.txt").write_bytes("Café électrique à Paris".encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes("“Quoted” – dash".encode("cp1252"))
    (tmp_path / "bom8.txt").write_bytes("\ufeffUTF-8 with BOM".encode())
    assert load_one(tmp_path / "u16.txt").text == "Übergang zur Elektromobilität\nmehr"
    assert load_one(tmp_path / "latin.txt").text == "Café électrique à Paris"
    assert load_one(tmp_path / "cp1252.txt").text == "“Quoted” – dash"
    assert load_one(tmp_path / "bom8.txt").text == "UTF-8 with BOM"


def test_txt_title_is_short_first_line_else_stem(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("\n\nBattery plant opens\n\nBody text.")
    (tmp_path / "long-title.txt").write_text("word " * 40 + "\nBody text.")
    assert load_one(tmp_path / "short.txt").title == "Battery plant opens"
    assert load_one(tmp_path / "long-title.txt").title == "long-title"


def test_txt_date_header_becomes_published_at(tmp_path: Path) -> None:
    (tmp_path / "seedlike.txt").write_text(" date 2024-03-20 Makers plan a comeback.\n\nMore.")
    (tmp_path / "own-line.txt").write_text("date 2023-01-05\nHeadline\n\nBody.")
    seedlike = load_one(tmp_path / "seedlike.txt")
    assert (seedlike.published_at, seedlike.text) == (
        "2024-03-20",
        "Makers plan a comeback.\n\nMore.",
    )
    own_line = load_one(tmp_path / "own-line.txt")
    assert (own_line.published_at, own_line.title) == ("2023-01-05", "Headline")
    assert own_line.text == "Headline\n\nBody."


def test_date_prefix_of_file_name_is_a_fallback_date(tmp_path: Path) -> None:
    (tmp_path / "2022-07-01-news.txt").write_text("Some news.")
    assert load_one(tmp_path / "2022-07-01-news.txt").published_at == "2022-07-01"


def test_advertisement_lines_dropped(tmp_path: Path) -> None:
    text = (
        "First para.\n\nAdvertisment\n\n  ADVERTISEMENT  \nSkip to content\nRead more\nSecond para."
    )
    (tmp_path / "ads.txt").write_text(text)
    assert load_one(tmp_path / "ads.txt").text == "First para.\n\nSecond para."


def test_newlines_whitespace_and_blank_lines_normalised(tmp_path: Path) -> None:
    (tmp_path / "messy.txt").write_bytes(b"One  \r\nTwo\t\r\rThree\n\n\n\n\nFour   \n\n")
    doc = load_one(tmp_path / "messy.txt")
    assert doc.text == "One\nTwo\n\nThree\n\nFour"
    assert clean_text(doc.text) == doc.text  # canonical: cleaning again changes nothing


def test_content_hash_is_sha256_of_utf8() -> None:
    assert content_hash("é") == hashlib.sha256("é".encode()).hexdigest()
    assert content_hash("a") != content_hash("b")


# --- markdown and HTML --------------------------------------------------------------


def test_markdown_front_matter_gives_title_date_source(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "---\ntitle: Solid-state batteries\ndate: 2024-02-29\nsource: Example Wire\n"
        "url: https://example.com/ssb\nauthor: A. Writer\n---\n# Heading\n\nBody **bold**.\n"
    )
    doc = load_one(tmp_path / "note.md")
    assert (doc.title, doc.published_at, doc.source) == (
        "Solid-state batteries",
        "2024-02-29",
        "Example Wire",
    )
    assert doc.url == "https://example.com/ssb"
    assert doc.text == "Heading\n\nBody bold."  # stored as plain text
    assert doc.extra == {"author": "A. Writer"}
    assert doc.date_from == "front matter"


def test_markdown_without_front_matter_uses_heading_and_path(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text("Intro line\n\n## Charging networks\n\nText.")
    doc = load_one(tmp_path / "plain.md")
    assert (doc.title, doc.source, doc.published_at) == ("Charging networks", "plain.md", None)
    assert doc.text.startswith("Intro line")


def test_html_main_text_title_and_date_extracted(tmp_path: Path) -> None:
    body = (
        "<p>Electric vehicle sales rose sharply in April across Europe, according to industry "
        "data released on Thursday by the manufacturers association.</p><p>Advertisement</p>"
        "<p>Battery prices fell again, making the cars more affordable for many buyers in the "
        "region and beyond, analysts said in a note to clients.</p>"
    )
    (tmp_path / "page.html").write_text(
        "<html><head><title>EV sales surge | Example News</title>"
        '<meta property="og:title" content="EV sales surge">'
        '<meta property="og:site_name" content="Example News">'
        '<meta name="date" content="2024-05-02">'
        '<link rel="canonical" href="https://example.com/ev-sales"></head>'
        "<body><nav><a href='/'>Home</a></nav><article><h1>EV sales surge</h1>"
        f"{body}</article><footer>Copyright Example</footer><script>track()</script></body></html>"
    )
    doc = load_one(tmp_path / "page.html")
    assert doc.title == "EV sales surge"
    assert doc.published_at == "2024-05-02"
    assert doc.source == "Example News"
    assert doc.url == "https://example.com/ev-sales"
    assert "Electric vehicle sales rose sharply" in doc.text
    assert "Battery prices fell again" in doc.text
    assert "Advertisement" not in doc.text and "track()" not in doc.text


def test_short_html_page_still_loads(tmp_path: Path) -> None:
    (tmp_path / "tiny.htm").write_text("<html><head><title>Tiny</title></head><body><p>EV.</p>")
    doc = load_one(tmp_path / "tiny.htm")
    assert (doc.text, doc.title) == ("EV.", "Tiny")


def test_script_only_html_is_refused(tmp_path: Path) -> None:
    (tmp_path / "app.html").write_text(
        "<html><head><script>var a = '<p>x</p>';</script><style>p {}</style></head>"
        "<body><script>render()</script></body></html>"
    )
    assert "no readable text found" in load_error(tmp_path / "app.html")


def test_deeply_nested_html_does_not_crash(tmp_path: Path) -> None:
    depth = 100_000
    (tmp_path / "deep.html").write_text(
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + "<p>Deep text about <b>charging</b> &amp; batteries.</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    doc = load_one(tmp_path / "deep.html")
    assert doc.text == "Deep text about charging & batteries."
    assert doc.title == "Deep"


# --- PDF ----------------------------------------------------------------------------


def test_pdf_pages_are_numbered_with_offsets(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(make_pdf(["Page one text", None, "Page three text"]))
    doc = load_one(tmp_path / "report.pdf")
    assert doc.text == "Page one text\n\nPage three text"
    assert [(s.page, doc.text[s.start : s.end]) for s in doc.pages] == [
        (1, "Page one text"),
        (3, "Page three text"),
    ]
    assert doc.page_at(doc.text.index("three")) == 3
    assert doc.title == "report"


def test_pdf_title_and_date_from_metadata(tmp_path: Path) -> None:
    (tmp_path / "meta.pdf").write_bytes(make_pdf(["Body"], title="Annual EV Report"))
    doc = load_one(tmp_path / "meta.pdf")
    assert (doc.title, doc.published_at) == ("Annual EV Report", "2024-03-20")


def test_encrypted_pdf_is_reported(tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(encrypt_pdf(make_pdf(["Secret"]), "password"))
    assert load_error(tmp_path / "locked.pdf") == "the PDF is encrypted"


def test_pdf_with_empty_user_password_is_opened(tmp_path: Path) -> None:
    (tmp_path / "owner.pdf").write_bytes(encrypt_pdf(make_pdf(["Readable text"]), ""))
    assert load_one(tmp_path / "owner.pdf").text == "Readable text"


def test_truncated_pdf_is_reported(tmp_path: Path) -> None:
    data = make_pdf(["Page one text", "Page two text"])
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    assert load_error(tmp_path / "cut.pdf") == "the PDF is damaged or truncated"


def test_pdf_without_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf([None, None]))
    assert "no text layer" in load_error(tmp_path / "scan.pdf")


# --- DOCX ---------------------------------------------------------------------------


def test_docx_paragraphs_loaded(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Fleet electrification plan", level=1)
    document.add_paragraph("First paragraph about depots.")
    document.add_paragraph("Second paragraph about chargers.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Site"
    table.rows[0].cells[1].text = "Chargers"
    document.save(str(tmp_path / "plan.docx"))
    doc = load_one(tmp_path / "plan.docx")
    assert doc.text == (
        "Fleet electrification plan\n\nFirst paragraph about depots.\n\n"
        "Second paragraph about chargers.\n\nSite | Chargers"
    )
    assert doc.title == "Fleet electrification plan"
    assert doc.published_at is None  # python-docx's template date is not the document's


def test_docx_core_properties_give_title_and_date(tmp_path: Path) -> None:
    from datetime import datetime

    import docx

    document = docx.Document()
    document.add_paragraph("Body.")
    document.core_properties.title = "Board memo"
    document.core_properties.created = datetime(2023, 11, 2, 9, 0)
    document.save(str(tmp_path / "memo.docx"))
    doc = load_one(tmp_path / "memo.docx")
    assert (doc.title, doc.published_at) == ("Board memo", "2023-11-02")


def test_damaged_docx_is_reported(tmp_path: Path) -> None:
    (tmp_path / "old.docx").write_text("not a zip file at all")
    assert "damaged" in load_error(tmp_path / "old.docx")


# --- JSONL / JSON -------------------------------------------------------------------


def record(doc_id: str, text: str = "Some text.", **fields: object) -> dict[str, object]:
    return {"doc_id": doc_id, "title": f"T {doc_id}", "source": "Wire", "text": text, **fields}


def test_jsonl_bad_lines_reported_by_number_good_lines_loaded(tmp_path: Path) -> None:
    lines = [
        json.dumps(record("a")),
        "{not json",
        "",
        json.dumps(record("b")),
        json.dumps(record("c", text="   ")),
        json.dumps(["a", "list"]),
        json.dumps({"doc_id": "d"}),
        json.dumps(record("a")),
    ]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n")
    docs, failed = load_all(tmp_path / "docs.jsonl")
    assert [d.doc_id for d in docs] == ["a", "b"]
    assert [f.path for f in failed] == [f"docs.jsonl:{n}" for n in (2, 5, 6, 7, 8)]
    assert [f.error.split(":")[0] for f in failed] == [f"line {n}" for n in (2, 5, 6, 7, 8)]
    assert "not valid JSON" in failed[0].error
    assert "text is empty" in failed[1].error
    assert "duplicate doc_id 'a'" in failed[4].error


def test_jsonl_records_keep_metadata_and_extra_fields(tmp_path: Path) -> None:
    rows = [
        record("x1", published_at="2020-01-10T08:00:00Z", url="https://e.com/1", dataset="rt"),
        {"text": "No id.\nSecond line.", "published_at": "March 5, 2021", "truncated": False},
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    docs, failed = load_all(tmp_path / "r.jsonl")
    assert failed == []
    first, second = docs
    assert (first.title, first.source, first.published_at) == ("T x1", "Wire", "2020-01-10")
    assert (first.url, first.extra) == ("https://e.com/1", {"dataset": "rt"})
    assert (second.doc_id, second.title, second.source) == ("r.jsonl#2", "No id.", "r.jsonl")
    assert (second.published_at, second.extra) == ("2021-03-05", {})


def test_json_list_and_single_record_loaded(tmp_path: Path) -> None:
    (tmp_path / "many.json").write_text(json.dumps([record("m1"), record("m2"), 5]))
    (tmp_path / "one.json").write_text(json.dumps(record("solo")))
    docs, failed = load_all(tmp_path / "many.json")
    assert [d.doc_id for d in docs] == ["m1", "m2"]
    assert failed == [FailedFile("many.json:3", "record 3: not a JSON object")]
    assert [d.doc_id for d in load_all(tmp_path / "one.json")[0]] == ["solo"]


def test_invalid_json_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('[{"doc_id": "a",\n "text": ')
    assert load_error(tmp_path / "broken.json").startswith("the file is not valid JSON")


# --- hostile input: unencodable text, bombs, budgets checked before parsing ----------


def test_lone_surrogates_in_records_become_replacement_characters(tmp_path: Path) -> None:
    docs, failed = load_all(write_surrogate_jsonl(tmp_path / "lone.jsonl"))
    assert failed == [] and len(docs) == 2
    doc = docs[0]
    assert (doc.doc_id, doc.title, doc.source) == (
        "lone-\ufffd-surrogate",
        "Sodium cells \ufffd arrive",
        "Wire \ufffd",
    )
    assert doc.extra == {"lang": "en\ufffd"}
    assert "sodium \ufffd battery" in doc.text
    for value in (doc.doc_id, doc.title, doc.source, doc.text, *doc.extra.values()):
        value.encode("utf-8")  # would raise on a lone surrogate


def test_a_file_name_that_is_not_utf8_gets_a_storable_id(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9-report.md")  # Python keeps the bad byte as a surrogate
    (tmp_path / name).write_text("# Café report\n\nCharging in Lyon.\n", encoding="utf-8")
    files, failed = discover([tmp_path])
    assert failed == [] and files[0].doc_id == "caf\ufffd-report.md"
    files[0].origin.encode("utf-8")
    doc = load_one(tmp_path / name)
    assert doc.doc_id == "caf\ufffd-report.md" and doc.text.endswith("Charging in Lyon.")


def test_clean_text_replaces_surrogates_and_stays_idempotent() -> None:
    text = clean_text("Cafe\u0301 \ud800 price")
    assert text == "Café \ufffd price" and clean_text(text) == text


def test_a_docx_that_unzips_beyond_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "bomb.docx", 8 * MB)
    assert bomb.stat().st_size < MB  # small on disk: the size limit on files does not see it
    with pytest.raises(LoadError) as info:
        list(load(source_for(bomb), LoadLimits(max_unpacked_bytes=2 * MB)))
    assert str(info.value).startswith("the Word file expands to 8.")
    assert "the limit is 2.0 MB (EVCHAT_MAX_UNPACKED_MB)" in str(info.value)


def test_a_docx_whose_directory_lies_about_its_sizes_is_damaged(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "liar.docx", 4 * MB)
    data = bytearray(bomb.read_bytes())
    # Shrink the declared size of document.xml in the central directory to 1 KB.
    import zipfile

    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("word/document.xml")
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[entry + 24 : entry + 28] = (1024).to_bytes(4, "little")
    data[entry + 20 : entry + 24] = min(info.compress_size, 2**32 - 1).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    with pytest.raises(LoadError) as raised:
        list(load(source_for(bomb), 60 * MB))
    assert str(raised.value) == "the Word file is damaged or is not a .docx file"


def test_a_pdf_stream_beyond_the_limit_is_reported_as_such(tmp_path: Path) -> None:
    bomb = write_pdf_bomb(tmp_path / "bomb.pdf", 8 * MB)
    with pytest.raises(LoadError) as info:
        list(load(source_for(bomb), LoadLimits(max_unpacked_bytes=2 * MB)))
    reason = str(info.value)
    assert reason.startswith("the PDF's content expands beyond the 2.0 MB limit")
    assert "pypdf: Limit reached while decompressing" in reason
    assert "scanned" not in reason
    doc = load_one(write_pdf_bomb(tmp_path / "fine.pdf", MB // 2))
    assert doc.text == "Inflated page"


def test_an_html_page_over_its_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    page = write_big_html(tmp_path / "huge.html", 3 * MB)
    with pytest.raises(LoadError) as info:
        list(load(source_for(page), LoadLimits(max_html_bytes=2 * MB)))
    assert str(info.value) == (
        "the HTML page is 3.0 MB, over the 2 MB limit for HTML (EVCHAT_MAX_HTML_MB)"
    )
