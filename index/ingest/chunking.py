"""Token-sized, sentence-aware chunks that are verbatim slices of the document text.

LangChain's ``RecursiveCharacterTextSplitter`` does the splitting (paragraphs, then lines,
then sentences, then words), measured in the embedding model's own tokens so no chunk is
silently truncated at the model's 256-token limit. Each chunk keeps its character offsets
into the document text; the title and date are prepended only to the text that is embedded.
A table (``LoadedDocument.tables``) is split apart from the prose around it, at its lines,
and each of its chunks embeds its caption after the title, so that a chunk of rows far
below the caption is still found by what the table is about.
"""

from __future__ import annotations

import hashlib
from functools import cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.embed.minilm import MAX_TOKENS, count_tokens, load_tokenizer
from index.types import Chunk, LoadedDocument

CHUNKER_VERSION = "tok-v2"  # v2: tables are chunked apart from prose, under their caption
TITLE_PREFIX_TOKENS = 40  # the title/date context gets at most this many tokens

_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@cache
def _splitter(chunk_tokens: int, overlap_tokens: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_tokens,
        chunk_overlap=min(overlap_tokens, chunk_tokens // 2),
        length_function=count_tokens,
        separators=_SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )


def chunker_version(chunk_tokens: int, overlap_tokens: int) -> str:
    """The chunker's identity: code version and size settings (a change re-chunks)."""
    return f"{CHUNKER_VERSION}/{chunk_tokens}/{overlap_tokens}"


def chunk_id(doc_id: str, content_hash: str, index: int, version: str = CHUNKER_VERSION) -> str:
    """Deterministic id: the same content chunked the same way always gets the same ids."""
    key = f"{doc_id}\x00{content_hash}\x00{version}\x00{index}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def context_prefix(doc: LoadedDocument) -> str:
    """Title and date, cut to a few tokens, that precede every chunk's embedded text."""
    title = " ".join(doc.title.split())
    ids = load_tokenizer().encode(title, add_special_tokens=False)
    if len(ids.ids) > TITLE_PREFIX_TOKENS:
        title = title[: ids.offsets[TITLE_PREFIX_TOKENS - 1][1]]
    date = f" ({doc.published_at})" if doc.published_at else ""
    return f"{title}{date}\n"


def chunk_document(
    doc: LoadedDocument, content_hash: str, chunk_tokens: int = 200, overlap_tokens: int = 30
) -> list[Chunk]:
    """Split ``doc`` into chunks whose ``text`` equals ``doc.text[start:end]``."""
    # Leave room for the title/date prefix and the [CLS]/[SEP] tokens inside the 256 limit.
    prefix = context_prefix(doc)
    size = min(chunk_tokens, MAX_TOKENS - count_tokens(prefix) - 2)
    version = chunker_version(chunk_tokens, overlap_tokens)
    chunks: list[Chunk] = []
    for start, end, caption in _segments(doc):
        context = prefix + (f"{caption}\n" if caption else "")
        room = min(size, MAX_TOKENS - count_tokens(context) - 2) if caption else size
        segment = doc.text[start:end]
        cursor = 0
        for piece in _splitter(max(room, 32), overlap_tokens).split_text(segment):
            at = _locate(segment, piece, cursor)
            # Overlapping chunks start before the previous end; search from just past the
            # previous start so that repeated sentences map to the right occurrence.
            cursor = at + 1
            i = len(chunks)
            embedded = context + piece if caption and not piece.startswith(caption) else None
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.doc_id, content_hash, i, version),
                    doc_id=doc.doc_id,
                    index=i,
                    text=piece,
                    start=start + at,
                    end=start + at + len(piece),
                    page=doc.page_at(start + at),
                    embed_text=embedded or prefix + piece,
                )
            )
    return chunks


def _segments(doc: LoadedDocument) -> list[tuple[int, int, str]]:
    """The document cut into prose and table stretches: (start, end, table caption or "")."""
    cuts: list[tuple[int, int, str]] = []
    at = 0
    for table in sorted(doc.tables, key=lambda t: t.start):
        if table.start < at:
            continue
        if doc.text[at : table.start].strip():
            cuts.append((at, table.start, ""))
        cuts.append((table.start, table.end, table.caption))
        at = table.end
    if doc.text[at:].strip() or not cuts:
        cuts.append((at, len(doc.text), ""))
    return cuts


def _locate(text: str, piece: str, cursor: int) -> int:
    start = text.find(piece, cursor)
    if start < 0:
        start = text.find(piece)
    if start < 0:  # the splitter only strips whitespace, so this cannot happen
        raise ValueError("chunk text is not a slice of the document text")
    return start
