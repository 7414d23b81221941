"""The short answer: the thing a question asks for, first, taken verbatim from a sentence.

"Which automaker announced it will cut around 14,000 jobs?" wants a name, not a sentence
about the topic. When a question asks for a name, a number or a date
(:func:`assistant.answer.spans.asked_kind`), the candidates are the spans of that kind in
the best-supported evidence sentences that the question does not already state. Each is
ranked by its sentence's support for the question plus its fit:

* a name that the passage's headline also names (the article is about it),
* a name near the start of its sentence (its subject, usually the one that acted),
* a full name (two words or more), or one after a title ("CEO Elon Musk"), when a person
  is asked for; when a company, place or product is, much less for a name that reads as a
  person's (:func:`reads_as_person`: after a title, before "said" or "warned", or the
  surname of such a name elsewhere in the passage: "Brankin warned" after "Lisa Brankin,
  said"),
* a sentence that also states the numbers the question states ("112,000 vehicles"),
* a passage ranked high by retrieval (dense, BM25 and recency together),
* a little for every other document among the top sentences naming it too,

and less when its sentence lists many candidates of the kind ("GM, Ford, Toyota and
Volkswagen"), which vouches for none of them. An acronym among the candidates ("GM")
counts as the spelled-out name it abbreviates ("General Motors") when that is one too.
The winner opens the answer, followed by the sentence it was taken from, cited:
``Tesla — Tesla will lay off … [1]``; other quoted sentences must name it too.

:func:`holds_answer` is the other half of the near-miss refusal
(:mod:`assistant.answer.near_miss`): whether a sentence holds any span of the asked kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.evidence import ScoredSentence
from assistant.answer.extractive import QuoteDraft
from assistant.answer.spans import (
    NAME,
    NUMBER,
    Span,
    asked_kind,
    asks_person,
    find_spans,
    found,
    key,
    specifics,
)
from assistant.types import Passage

# A full name set off by a comma before a verb of saying: "Lisa Brankin, said" or
# "Kevin Kelly, a spokesman, told" (a company is rarely written so).
_SAID_AFTER = re.compile(
    r"^\s*,\s*(?:[^,]{0,60},\s*)?(?:said|says|told|warned|wrote|added|argued|noted|explained"
    r"|insisted|claimed|stated)\b"
)
_TITLED = re.compile(
    r"\b(?:President|CEO|chief executive|founder|spokes(?:man|woman|person)|Sen\.|Rep\.|Mr\.?"
    r"|Ms\.?|Mrs\.?|Dr\.?|minister|Minister|Secretary|Chancellor|chairman|chairwoman|analyst"
    r"|professor|said|says|told)\s*$"
)
NUMBER_FIT = 0.1  # the sentence states the numbers the question states (share of them)
RANK_FIT = 0.05  # x 1 / (1 + the passage's retrieval rank), which weighs BM25 and recency
# (dev set, open questions: 0 → accuracy 0.74, citation precision 0.84; 0.05 → 0.74, 0.87;
# 0.1 → 0.70, 0.87)
TOP = 6  # evidence sentences searched for candidates
WINDOW = 0.2  # ... within this much support of the best one
TITLE_FIT = 0.08  # the passage's headline names the candidate
SUBJECT_FIT = 0.05  # the candidate opens its sentence (within the first few words)
SUBJECT_CHARS = 25
PERSON_FIT = 0.05  # a full name when a person is asked for
NOT_PERSON_FIT = 0.15  # a person's name when a company, place or product is asked for
# (dev set, open questions: 0.05 → accuracy 0.78; 0.1, 0.15 and 0.25 → 0.80; precision 0.91)
VOTE = 0.02  # each other document among the top sentences naming the candidate
LIST_PENALTY = 0.03  # per candidate of the kind beyond two in the same sentence


@dataclass(frozen=True)
class ShortAnswer:
    """The asked-for span and the evidence sentence it was taken from."""

    text: str
    sentence: ScoredSentence
    score: float


def in_question(span: Span, question: str) -> bool:
    """The question already states this span (a name: any of its longer words)."""
    q = f" {key(question)} "
    k = key(span.text)
    if f" {k} " in q:
        return True
    if span.kind == NAME:
        return any(len(w) > 3 and f" {w} " in q for w in k.split())
    return False


def new_spans(question: str, sentence: str, kind: str) -> list[Span]:
    """The spans of ``kind`` in ``sentence`` that ``question`` does not state."""
    return [s for s in find_spans(sentence, kind) if not in_question(s, question)]


def holds_answer(question: str, sentence: str) -> bool:
    """True when ``sentence`` holds a span of the kind ``question`` asks for (or the
    question asks for no particular kind)."""
    kind = asked_kind(question)
    return kind is None or bool(new_spans(question, sentence, kind))


def find_short_answer(
    question: str,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    sources: Sequence[str] = (),
) -> ShortAnswer | None:
    """The best-ranked candidate of the asked kind (see the module docstring), or None.
    A question naming ``sources`` takes its answer from their sentences when it can."""
    kind = asked_kind(question)
    own = [s for s in scored if passages[s.passage].source in sources]
    scored = own or scored
    if kind is None or not scored:
        return None
    top = [s for s in scored[:TOP] if s.score >= scored[0].score - WINDOW]
    numbers = [sp for sp in specifics(question) if sp.kind == NUMBER]
    best: dict[str, tuple[float, ScoredSentence, Span]] = {}
    docs: dict[str, set[str]] = {}
    for s in top:
        passage = passages[s.passage]
        spans = [sp for sp in new_spans(question, s.text, kind) if _plausible(sp, s, passage)]
        title = f" {key(passage.title)} "
        shared = sum(found(n, s.text) for n in numbers) / len(numbers) if numbers else 0.0
        crowd = LIST_PENALTY * max(0, len(spans) - 2)
        for sp in (_counted(question, s.text, x) for x in spans):
            k = key(sp.text)
            total = s.score + _fit(question, sp, s.text, title, passage.text)
            total += NUMBER_FIT * shared - crowd
            total += RANK_FIT / (1 + s.passage)
            docs.setdefault(k, set()).add(passage.doc_id)
            if k not in best or total > best[k][0]:
                best[k] = (total, s, sp)
    if not best:
        return None
    _fold_acronyms(best, docs)

    def ranked(k: str) -> float:
        return best[k][0] + VOTE * (len(docs[k]) - 1)

    winner = max(best, key=ranked)
    _total, sentence, span = best[winner]
    return ShortAnswer(span.text, sentence, ranked(winner))


def _fold_acronyms(
    best: dict[str, tuple[float, ScoredSentence, Span]], docs: dict[str, set[str]]
) -> None:
    """An acronym candidate ("GM") joins the spelled-out candidate it abbreviates
    ("General Motors"): one entity, named in full, from the full name's own sentence."""
    for k, (total, _s, span) in list(best.items()):
        if not (span.kind == NAME and span.text.isupper() and 2 <= len(span.text) <= 5):
            continue
        full = next((f for f in best if f != k and _initials(best[f][2].text) == span.text), None)
        if full is None:
            continue
        if total > best[full][0]:
            best[full] = (total, best[full][1], best[full][2])
        docs[full] |= docs.pop(k)
        del best[k]


def _initials(name: str) -> str:
    words = name.split()
    return "".join(w[0] for w in words if w[0].isupper()) if len(words) >= 2 else ""


_HOW_MANY = re.compile(
    r"\bhow many\s+(?:[\w-]+\s+){0,2}?([a-z][\w-]*?)s?\b(?=\s+(?:did|do|does|"
    r"will|would|were|was|are|is|has|have|had|can|could)\b)",
    re.IGNORECASE,
)


def _counted(question: str, sentence: str, span: Span) -> Span:
    """A bare count extended to the thing counted when the question names it: "How many
    trucks …?" → "300 electric trucks" rather than "300"."""
    m = _HOW_MANY.search(question)
    if span.kind != NUMBER or m is None:
        return span
    noun = re.match(
        rf"(?:\s+[\w-]+){{0,2}}?\s+{re.escape(m.group(1))}s?\b", sentence[span.end :], re.I
    )
    if noun is None:
        return span
    end = span.end + noun.end()
    return Span(span.start, end, sentence[span.start : end], NUMBER)


def _plausible(span: Span, sentence: ScoredSentence, passage: Passage) -> bool:
    """Not a capitalised ordinary word opening the sentence ("Pushing back …", "Around
    4% …", "Tariffs are …") nor a dateline ("WASHINGTON –"): a single word at the start
    is no name when the passage also writes it in lower case, or it reads as a gerund or
    an adverb."""
    if span.kind != NAME or " " in span.text:
        return True
    if span.start > 0:
        return True
    rest = sentence.text[span.end : span.end + 3]
    if span.text.isupper():
        return len(span.text) <= 5 and not rest.strip().startswith(("–", "—", "-"))
    word = span.text.lower()
    if word.endswith(("ing", "ly")):
        return False
    return not re.search(rf"\b{re.escape(word)}\b", passage.text)


def short_answer_draft(
    question: str,
    draft: QuoteDraft,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    max_sentences: int,
    sources: Sequence[str] = (),
) -> QuoteDraft:
    """``draft`` opened by the short answer and the sentence it was taken from (the
    draft's other sentences follow); ``draft`` itself when there is none."""
    found = find_short_answer(question, scored, passages, sources)
    if found is None:
        return draft
    first = found.sentence
    # The other quotes must name the short answer too: a sentence that does not is not
    # evidence for it.
    rest = [
        s
        for s in draft.sentences
        if not (s.passage == first.passage and s.start < first.end and first.start < s.end)
        and f" {key(found.text)} " in f" {key(s.text)} "
    ]
    return QuoteDraft([first, *rest][:max_sentences], lead=f"{found.text} — ", short=found.text)


def _fit(question: str, span: Span, sentence: str, title: str, passage: str) -> float:
    if span.kind != NAME:
        return 0.0
    fit = TITLE_FIT if f" {key(span.text)} " in title else 0.0
    if span.start <= SUBJECT_CHARS:
        fit += SUBJECT_FIT
    if asks_person(question):
        full_or_titled = len(span.text.split()) >= 2 or _titled(sentence, span.start)
        fit += PERSON_FIT if full_or_titled else 0.0
    elif reads_as_person(span, sentence, passage):
        fit -= NOT_PERSON_FIT  # "Lisa Brankin" is not the car company asked for
    return fit


def reads_as_person(span: Span, sentence: str, passage: str) -> bool:
    """The name reads as a person's: after a title ("CEO Elon Musk"), a full name before
    ", said" ("Lisa Brankin, said"), or one word that ends a full name read so elsewhere
    in the passage ("Musk" after "CEO Elon Musk"; "Brankin warned" after "Lisa Brankin,
    said"). A company speaks too, so "Ford said" alone is not a person's."""
    if _titled(sentence, span.start):
        return True
    if " " in span.text:
        return bool(_SAID_AFTER.match(sentence[span.end :]))
    for m in re.finditer(rf"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+{re.escape(span.text)}\b", passage):
        if _titled(passage, m.start()) or _SAID_AFTER.match(passage[m.end() :]):
            return True
    return False


def _titled(text: str, start: int) -> bool:
    """A title or a verb of saying just before ``start`` ("CEO Elon Musk", "said Musk")."""
    return bool(_TITLED.search(text[max(0, start - 30) : start]))
