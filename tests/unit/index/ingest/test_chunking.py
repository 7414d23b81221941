"""Chunking: verbatim slices, within the model's 256 tokens, overlapping, stable ids, pages."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from index.embed.minilm import MAX_TOKENS, count_tokens, tokenizer_file
from index.ingest.chunking import chunk_document, chunk_id
from index.ingest.loaders import content_hash, discover, load
from index.types import Chunk, LoadedDocument, PageSpan
from tests.fixtures.corpus import make_text

LONG_TITLE = (
    "Electrification of heavy-duty trucking: megawatt charging corridors, battery swapping "
    "stations, hydrogen fuel cells and the economics of long-haul freight in Europe " * 4
)


@pytest.fixture(scope="module")
def full_tokenizer() -> Tokenizer:
    """The model tokenizer with truncation and padding off, so long texts count in full."""
    tok = Tokenizer.from_file(str(tokenizer_file()))
    tok.no_truncation()
    tok.no_padding()
    return tok


def doc_of(
    text: str, title: str = "A note", date: str | None = "2024-05-01", **kw
) -> LoadedDocument:
    return LoadedDocument(
        doc_id="notes/a.md", text=text, title=title, source="test", published_at=date, **kw
    )


def chunks_of(doc: LoadedDocument, chunk_tokens: int = 200, overlap: int = 30) -> list[Chunk]:
    return chunk_document(doc, content_hash(doc.text), chunk_tokens, overlap)


def model_tokens(tok: Tokenizer, text: str) -> int:
    """Tokens the model sees for ``text``, [CLS] and [SEP] included, nothing truncated."""
    return len(tok.encode(text, add_special_tokens=True).ids)


def test_every_chunk_text_is_the_document_slice_start_to_end(small_corpus: Path) -> None:
    sources, failed = discover([small_corpus])
    assert not failed and len(sources) == 5
    docs = [d for s in sources for d in load(s, 10_000_000)]
    repeated = doc_of("Prices fell again. " * 200 + "\n\nThe end. Prices fell again.")
    for doc in [*docs, repeated]:
        chunks = chunks_of(doc)
        assert len(chunks) >= 2, doc.doc_id
        for c in chunks:
            assert c.text == doc.text[c.start : c.end]
            assert c.text.strip() == c.text and c.text
            assert c.embed_text.endswith(c.text)
        assert [c.index for c in chunks] == list(range(len(chunks)))
        starts = [c.start for c in chunks]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        assert chunks[0].start == 0 or not doc.text[: chunks[0].start].strip()
        assert not doc.text[chunks[-1].end :].strip()  # nothing at the end is lost


def test_chunks_cover_the_whole_document_text() -> None:
    text = make_text(7, paragraphs=6, sentences=6)
    chunks = chunks_of(doc_of(text))
    covered = [False] * len(text)
    for c in chunks:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize("chunk_tokens", [200, 250])
def test_no_embedded_text_exceeds_256_tokens_for_a_long_single_line_and_a_long_title(
    full_tokenizer: Tokenizer, chunk_tokens: int
) -> None:
    single_line = " ".join(make_text(11, paragraphs=8, sentences=8).split())
    assert "\n" not in single_line and count_tokens(single_line) > 4 * MAX_TOKENS
    no_spaces = "lithium-iron-phosphate/" * 400  # no separators the splitter prefers
    for doc in (
        doc_of(single_line),
        doc_of(single_line, title=LONG_TITLE),
        doc_of(no_spaces, title=LONG_TITLE, date="2025-12-31"),
    ):
        chunks = chunks_of(doc, chunk_tokens=chunk_tokens)
        assert len(chunks) >= 4
        worst = max(model_tokens(full_tokenizer, c.embed_text) for c in chunks)
        assert worst <= MAX_TOKENS, f"{worst} tokens with chunk_tokens={chunk_tokens}"
        for c in chunks:
            assert count_tokens(c.embed_text) + 2 <= MAX_TOKENS
            assert c.text == doc.text[c.start : c.end]


def test_count_tokens_does_not_truncate_long_texts(full_tokenizer: Tokenizer) -> None:
    text = "battery " * 600
    assert count_tokens(text) == model_tokens(full_tokenizer, text) - 2 == 600


def test_long_titles_are_cut_but_title_and_date_prefix_every_chunk() -> None:
    doc = doc_of(make_text(5, paragraphs=4, sentences=6), title=LONG_TITLE, date="2024-10-29")
    chunks = chunks_of(doc)
    prefix = chunks[0].embed_text[: -len(chunks[0].text)]
    assert prefix.startswith("Electrification of heavy-duty trucking")
    assert prefix.endswith(" (2024-10-29)\n")
    assert count_tokens(prefix) <= 50 < count_tokens(LONG_TITLE)
    assert all(c.embed_text == prefix + c.text for c in chunks)


def test_consecutive_chunks_overlap() -> None:
    text = " ".join(make_text(21, paragraphs=1, sentences=60).split())
    chunks = chunks_of(doc_of(text), chunk_tokens=120, overlap=30)
    assert len(chunks) >= 4
    for prev, nxt in pairwise(chunks):
        assert nxt.start < prev.end, (prev.index, nxt.index)
        shared = text[nxt.start : prev.end]
        assert 0 < count_tokens(shared) <= 30 + 25  # about the overlap, never a whole chunk


def test_no_overlap_when_overlap_is_zero() -> None:
    text = " ".join(make_text(21, paragraphs=1, sentences=60).split())
    chunks = chunks_of(doc_of(text), chunk_tokens=120, overlap=0)
    assert all(nxt.start >= prev.end for prev, nxt in pairwise(chunks))


def test_chunk_ids_are_deterministic_and_change_when_content_changes() -> None:
    text = make_text(3, paragraphs=5, sentences=5)
    first = chunks_of(doc_of(text))
    again = chunks_of(doc_of(text))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)

    edited = chunks_of(doc_of(text.replace("percent", "per cent", 1)))
    assert not {c.chunk_id for c in first} & {c.chunk_id for c in edited}

    other_doc = chunk_document(
        LoadedDocument("notes/b.md", text, "A note", "test", "2024-05-01"), content_hash(text)
    )
    assert not {c.chunk_id for c in first} & {c.chunk_id for c in other_doc}
    assert chunk_id("d", "h", 0) == chunk_id("d", "h", 0) != chunk_id("d", "h", 1)


def test_page_numbers_come_through_for_a_paged_document() -> None:
    pages = [make_text(100 + p, paragraphs=3, sentences=5) for p in range(3)]
    text = "\n\n".join(pages)
    spans, offset = [], 0
    for number, page in enumerate(pages, 1):
        spans.append(PageSpan(page=number, start=offset, end=offset + len(page)))
        offset += len(page) + 2
    doc = doc_of(text, pages=tuple(spans))
    chunks = chunks_of(doc)
    assert {c.page for c in chunks} == {1, 2, 3}
    for c in chunks:
        span = next(s for s in spans if s.start <= c.start < s.end)
        assert c.page == span.page
    assert all(c.page is None for c in chunks_of(doc_of(text)))
