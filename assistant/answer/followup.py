"""Follow-ups resolved against what the previous answer cited.

An analyst's second question is usually about the answer they just read. Every answer
keeps what it cited (the :class:`~assistant.types.Citation` list, its short answer and the
question it searched for), and a conversation's history carries it: an assistant message
may hold ``citations`` (as :meth:`Answer.to_dict` gives them), ``short_answer``,
``standalone_question`` and ``refused`` beside its ``content``. A follow-up is then one of

* **a question about the cited document** itself ("When was that reported?", "Who
  reported it?", "Which outlet?", "Is there a link?"): answered from that document's
  record (date, source, URL), cited with the quote the previous answer gave
  (:func:`.condense.document_question`, :func:`document_answer`);
* **a follow-up** (a pronoun, a bare noun, an ellipsis: :func:`.condense.depends_on_history`):
  bound to what the previous answer was about (:mod:`.anaphora`); retrieval puts the
  passages of the cited documents first, then the rest (:func:`prefer_cited`);
* **a new question**: asked as written, the history changes nothing.

A history without citations (plain text, ``(question, answer)`` pairs) still works: the
cited documents are found again by searching for the previous answer's text, whose
sentences are quotes (:func:`cited_by_search`).

The patterns that recognise a question about the document
(:func:`.condense.document_question`) are simple linguistic rules (report verbs, outlet
nouns, "link"), not fitted decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.answer.condense import (
    DATE,
    LINK,
    SOURCE,
    Message,
    depends_on_history,
    document_question,
    standalone_history,
    turns_of,
)
from assistant.answer.markers import strip_markers
from assistant.answer.retrieve import Filters, Retriever
from assistant.answer.sentences import sentence_spans
from assistant.answer.verify import VerifiedAnswer, make_citation
from assistant.types import AnswerSentence, Passage


@dataclass(frozen=True)
class CitedDocument:
    """One document a previous answer cited, as its citation described it."""

    doc_id: str
    chunk_id: str = ""
    quote: str = ""
    title: str = ""
    source: str = ""
    published_at: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class PreviousAnswer:
    """What the previous answer of the conversation cited (documents in citation order,
    one entry per document)."""

    text: str
    cited: tuple[CitedDocument, ...]
    refused: bool = False

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The cited documents' ids, first cited first."""
        return tuple(d.doc_id for d in self.cited)


def previous_answer(history: Sequence[Message]) -> PreviousAnswer | None:
    """The last answer of ``history`` and what it cited (None: no answer yet)."""
    turns = turns_of(history)
    reply = turns[-1][1] if turns else None
    if reply is None:
        return None
    refused = bool(reply.get("refused"))
    seen: dict[str, CitedDocument] = {}
    for c in reply.get("citations") or ():
        doc = _cited(c)
        if doc is not None and doc.doc_id not in seen:
            seen[doc.doc_id] = doc
    return PreviousAnswer(str(reply.get("content") or ""), tuple(seen.values()), refused)


def _cited(c: Any) -> CitedDocument | None:
    if not isinstance(c, dict) or not c.get("doc_id"):
        return None
    text = {k: str(c[k]) for k in ("chunk_id", "quote", "title", "source") if c.get(k)}
    dated = {k: str(c[k]) for k in ("published_at", "url") if c.get(k)}
    return CitedDocument(doc_id=str(c["doc_id"]), **text, **dated)


def cited_by_search(
    previous: PreviousAnswer, search: Callable[[str], list[Passage]]
) -> PreviousAnswer:
    """``previous`` with its cited documents found again by searching for its text (a
    history without citations); unchanged when it has them or is a refusal."""
    text = strip_markers(previous.text).strip()
    if previous.cited or previous.refused or not text:
        return previous
    hits = search(text)
    if not hits:
        return previous
    best = hits[0]
    doc = CitedDocument(best.doc_id, best.chunk_id, "", best.title, best.source,
                        best.published_at, best.url)  # fmt: skip
    return PreviousAnswer(previous.text, (doc,), previous.refused)


def prefer_cited(cited: list[Passage], rest: list[Passage], k: int) -> list[Passage]:
    """The passages of the cited documents first, then the others, ``k`` in all."""
    seen = {p.chunk_id for p in cited}
    return (cited + [p for p in rest if p.chunk_id not in seen])[:k]


def readable_date(value: str | None) -> str | None:
    """ "2024-03-20" → "20 March 2024" (the stored date as it is when not a full date)."""
    import datetime as dt

    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


_ASKED = {
    DATE: "When was “{title}” published?",
    SOURCE: "Who published “{title}”?",
    LINK: "Where can I read “{title}”?",
}


def about_document(
    retriever: Retriever, kind: str, doc: CitedDocument
) -> tuple[VerifiedAnswer, Passage, str] | None:
    """The answer to a question of ``kind`` about the cited document ``doc``, the passage
    it cites and the question it stands for ("When was “…” published?"); None when the
    document is no longer indexed."""
    only = Filters(doc_ids=(doc.doc_id,))
    found = retriever.retrieve(doc.quote or doc.title or doc.doc_id, k=1, filters=only)
    if not found:
        return None
    passage = found[0]
    asked = _ASKED[kind].format(title=passage.title or doc.title or doc.doc_id)
    return document_answer(kind, doc, passage), passage, asked


def document_answer(kind: str, doc: CitedDocument, passage: Passage) -> VerifiedAnswer:
    """The answer to a question about the cited document: its date, source or link from
    the document's record, cited with the quote the previous answer gave from it (or the
    passage's first sentence when that quote is no longer in it)."""
    start = passage.text.find(doc.quote) if doc.quote else -1
    if start >= 0:
        end = start + len(doc.quote)
    else:
        start, end = (sentence_spans(passage.text) or [(0, len(passage.text))])[0]
    citation = make_citation(1, passage, start, end, 1.0)
    short, sentence = _metadata_sentence(kind, passage)
    text = f"{short} — {sentence}" if short else sentence
    answer_sentence = AnswerSentence(text, (1,), True)
    return VerifiedAnswer(f"{text} [1]", [answer_sentence], [citation], None, short)


def _metadata_sentence(kind: str, p: Passage) -> tuple[str | None, str]:
    title = f"“{p.title}”" if p.title else "The article the answer cited"
    source = p.source or "an unnamed source"
    date = readable_date(p.published_at)
    when = f" on {date}" if date else ""
    if kind == DATE:
        if not date:
            return None, f"{title} ({source}) has no publication date in the index."
        return date, f"{title} was published by {source}{when}."
    if kind == LINK:
        if not p.url:
            return None, f"{title} ({source}{when}) has no link in the index."
        return p.url, f"{title} ({source}{when}) is at {p.url}."
    if not p.source:
        return None, f"{title}{when} has no source in the index."
    return p.source, f"{title} was published by {p.source}{when}."


class FollowUps:
    """The follow-up steps of the answer pipeline over one retriever."""

    def __init__(self, retriever: Retriever, k: int) -> None:
        self.retriever = retriever
        self.k = k  # passages per answer when the request does not say

    def previous(
        self, question: str, history: Sequence[Message], as_of: str | None
    ) -> PreviousAnswer | None:
        """What the previous answer cited, when ``question`` follows up on it (None for a
        new question); a history without citations has them found again by its text."""
        if not history or not (depends_on_history(question) or document_question(question)):
            return None
        previous = previous_answer(history)
        if previous is None:
            return None
        asked = standalone_history(history)[-1].question

        def search(text: str) -> list[Passage]:  # the question it answered, and its quotes
            return self.retriever.retrieve(f"{asked} {text}", k=1, as_of=as_of)

        return cited_by_search(previous, search)

    def about_document(
        self, question: str, previous: PreviousAnswer | None
    ) -> tuple[VerifiedAnswer, Passage, str] | None:
        """The answer to a question about the document the previous answer cited ("Who
        reported it?"), its passage and the question it stands for; None otherwise."""
        kind = document_question(question) if previous and previous.cited else None
        if previous is None or kind is None:
            return None
        return about_document(self.retriever, kind, previous.cited[0])

    def retrieve(
        self,
        standalone: str,
        previous: PreviousAnswer | None,
        k: int | None,
        as_of: str | None,
        filters: Filters | None,
    ) -> list[Passage]:
        """The passages for ``standalone``; after an answer it follows up on, the cited
        documents' own best passages first, then the rest."""
        rest = self.retriever.retrieve(standalone, k=k, as_of=as_of, filters=filters)
        if previous is None or not previous.doc_ids:
            return rest
        base = filters or Filters()
        wanted = [d for d in previous.doc_ids if not base.doc_ids or d in base.doc_ids]
        if not wanted:
            return rest
        only = replace(base, doc_ids=tuple(wanted))
        cited = self.retriever.retrieve(standalone, k=k, as_of=as_of, filters=only)
        return prefer_cited(cited, rest, k or self.k)
