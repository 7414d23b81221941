"""The short answer: the thing a question asks for, first, taken verbatim from a sentence.

"Which automaker announced it will cut around 14,000 jobs?" wants a name, not a sentence
about the topic. When a question asks for a name, a number or a date
(:attr:`assistant.answer.question.QuestionAnalysis.kind`), the candidates are the spans
of that kind in the best evidence sentences that the question does not already state.
Each gets the features of :data:`SPAN_FEATURES` (its sentence's probability of stating
the answer and its rank, whether the headline names it, whether it opens its sentence,
whether it reads as a person's name when a person is or is not asked for, how many other
documents name it, how crowded its sentence is...), and the learned ``span`` model
(:mod:`.decisions`, fitted by ``benchmarks/fit_decisions.py``) gives each the
probability that it is the answer. An acronym ("GM") counts as the spelled-out name it
abbreviates ("General Motors") when that is a candidate too.

The best candidate opens the answer when the learned ``show`` model, from its
probability, its lead over the next candidate and how many there are
(:data:`SHOW_FEATURES`), says it is right often enough (its fitted threshold), followed by
the sentence it was taken from, cited: ``Tesla — Tesla will lay off … [1]``; other quoted
sentences must name it too. Below the threshold the answer is the quotes alone: a wrong
name in bold is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.decisions import model
from assistant.answer.evidence import ScoredSentence
from assistant.answer.extractive import QuoteDraft
from assistant.answer.features import new_spans
from assistant.answer.question import DATE, NAME, NUMBER, QuestionAnalysis, analyse_question
from assistant.answer.sentences import words
from assistant.answer.spans import Span, found, key, reads_as_person, titled
from assistant.types import Passage

TOP = 6  # evidence sentences searched for candidates
SUBJECT_CHARS = 25  # a candidate this close to its sentence's start is its subject
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ese|ish|ean|an|i|ic)$")
_CURRENCY = re.compile(r"[$€£¥]|\b(?:euros?|dollars?|yuan|pounds|yen|won|rupees)\b", re.I)

SPAN_FEATURES = (
    "sentence_p",  # the sentence model's probability for the candidate's sentence
    "sentence_rank",  # 1 / (1 + its place among the evidence)
    "passage_rank",  # 1 / (1 + its passage's retrieval rank)
    "in_title",  # the passage's headline names it
    "opens_sentence",  # within the first few characters: the subject, usually
    "words",  # words in the span / 4
    "full_or_titled",  # two words or more, or after a title ("CEO Elon Musk")
    "reads_as_person",
    "person_asked",
    "person_for_person",  # full or titled name when a person is asked for
    "person_for_thing",  # reads as a person's when a company, place or thing is asked for
    "demonym_for_thing",  # "Norwegian", "German" when a name is asked for
    "acronym",
    "numbers_shared",  # share of the question's numbers its sentence states
    "crowd",  # other candidates of the kind in the same sentence / 4
    "votes",  # other documents among the top sentences naming it / 4
    "near_question_words",  # a question word within 40 characters of it
    "kind_name",
    "kind_number",
    "kind_date",
    "money_for_money",  # a currency in a number when cost or price is asked
    "after_of_for_counted",  # a count extended to the thing counted ("300 trucks")
    "rivals",  # 1 / the number of distinct candidates: a lone candidate is likelier right
)


SHOW_FEATURES = (
    "best_p",  # the span model's probability for the best candidate
    "lead",  # ... minus the second best's (0 for a lone candidate: its whole probability)
    "log_candidates",  # how many candidates there are
)


@dataclass(frozen=True)
class SpanCandidate:
    """A candidate short answer, its evidence sentence and its :data:`SPAN_FEATURES`."""

    span: Span
    sentence: ScoredSentence
    features: tuple[float, ...]
    key: str


@dataclass(frozen=True)
class ShortAnswer:
    """The asked-for span and the evidence sentence it was taken from."""

    text: str
    sentence: ScoredSentence
    score: float


def span_candidates(
    qa: QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    sources: Sequence[str] = (),
) -> list[SpanCandidate]:
    """Every candidate of the asked kind in the top evidence sentences, with its features
    (acronyms and surnames folded into the names they stand for: "SBF" and "Bankman-Fried"
    are "Sam Bankman-Fried" when it is a candidate too). A question naming ``sources``
    takes its candidates from their sentences when it can."""
    own = [s for s in scored if passages[s.passage].source in sources]
    scored = own or scored
    if qa.kind is None or not scored:
        return []
    found_in: list[tuple[ScoredSentence, int, Span, list[Span]]] = []
    for rank, s in enumerate(scored[:TOP]):
        passage = passages[s.passage]
        spans = new_spans(qa, s.text, qa.kind, passage.published_at)
        spans = [sp for sp in spans if _plausible(sp, s, passage)]
        for sp in spans:
            found_in.append((s, rank, _counted(qa.text, s.text, sp), spans))
    texts = {key(sp.text): sp.text for _s, _r, sp, _a in found_in}
    full_of = {**_surnames(texts), **_acronyms(texts)}
    keys = [full_of.get(key(sp.text), key(sp.text)) for _s, _r, sp, _a in found_in]
    docs: dict[str, set[str]] = {}  # the documents naming each entity, in any of its forms
    for (s, _r, _sp, _a), k in zip(found_in, keys, strict=True):
        docs.setdefault(k, set()).add(passages[s.passage].doc_id)
    rivals = 1.0 / max(len(set(keys)), 1)
    out = []
    for (s, rank, sp, spans), k in zip(found_in, keys, strict=True):
        feats = (*_features(qa, s, rank, sp, spans, len(docs[k]) - 1, passages), rivals)
        out.append(SpanCandidate(sp, s, feats, k))
    return out


def _features(
    qa: QuestionAnalysis,
    s: ScoredSentence,
    rank: int,
    sp: Span,
    spans: Sequence[Span],
    votes: int,
    passages: Sequence[Passage],
) -> tuple[float, ...]:
    passage = passages[s.passage]
    name = sp.kind == NAME
    person = name and reads_as_person(sp, s.text, passage.text)
    full = name and (len(sp.text.split()) >= 2 or titled(s.text, sp.start))
    shared = sum(found(n, s.text) for n in qa.numbers) / len(qa.numbers) if qa.numbers else 0.0
    near = s.text[max(0, sp.start - 40) : sp.end + 40].lower()
    return (
        s.p,
        1.0 / (1 + rank),
        1.0 / (1 + s.passage),
        float(f" {key(sp.text)} " in f" {key(passage.title)} "),
        float(sp.start <= SUBJECT_CHARS),
        len(sp.text.split()) / 4.0,
        float(full),
        float(person),
        float(qa.person),
        float(qa.person and full),
        float(not qa.person and person),
        float(name and not qa.person and bool(_DEMONYM.match(sp.text))),
        float(name and sp.text.isupper() and 2 <= len(sp.text) <= 5),
        shared,
        max(0, len(spans) - 1) / 4.0,
        votes / 4.0,
        float(any(t in near for t in _question_words(qa))),
        float(qa.kind == NAME),
        float(qa.kind == NUMBER),
        float(qa.kind == DATE),
        float(qa.money and bool(_CURRENCY.search(sp.text))),
        float(sp.kind == NUMBER and " " in sp.text.strip() and not sp.text[-1].isdigit()),
    )


def _question_words(qa: QuestionAnalysis) -> list[str]:
    return [w.lower() for w in words(qa.text) if len(w) > 3 and w.lower() not in _QUESTION_STOP]


_QUESTION_STOP = frozenset("which what when where whose that this with from have been".split())


def find_short_answer(
    question: str | QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    sources: Sequence[str] = (),
) -> ShortAnswer | None:
    """The most probable candidate (see the module docstring), or None when none
    reaches the ``span`` model's threshold."""
    ranked = ranked_candidates(question, scored, passages, sources)
    if not ranked:
        return None
    show = model("show")
    p = float(show.prob(np.asarray(show_features(entity_probabilities(ranked))))[0])
    if p < show.threshold:
        return None
    best = displayed(ranked)
    return ShortAnswer(best.span.text, best.sentence, p)


def displayed(ranked: Sequence[tuple[SpanCandidate, float]]) -> SpanCandidate:
    """The best candidate as shown: its spelled-out mention, from that mention's own
    sentence, when the best is an acronym or a surname ("SBF", "Bankman-Fried")."""
    best = ranked[0][0]
    full = [c for c, _p in ranked if c.key == best.key and key(c.span.text) == best.key]
    return full[0] if full and key(best.span.text) != best.key else best


def entity_probabilities(ranked: Sequence[tuple[SpanCandidate, float]]) -> list[float]:
    """The best probability of each distinct entity (candidates of one key are one thing
    named several times), best first, from candidates ranked best first."""
    best: dict[str, float] = {}
    for c, p in ranked:
        best.setdefault(c.key, p)
    return list(best.values())


def show_features(probabilities: Sequence[float]) -> list[float]:
    """The :data:`SHOW_FEATURES` of distinct entities whose probabilities are given, best
    first (:func:`entity_probabilities`): the lead is over the next *other* entity."""
    best = probabilities[0]
    second = probabilities[1] if len(probabilities) > 1 else 0.0
    return [best, best - second, float(np.log1p(len(probabilities)))]


def ranked_candidates(
    question: str | QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    sources: Sequence[str] = (),
) -> list[tuple[SpanCandidate, float]]:
    """Every candidate with the ``span`` model's probability that it is the answer, most
    probable first."""
    qa = question if isinstance(question, QuestionAnalysis) else analyse_question(question)
    cands = span_candidates(qa, scored, passages, sources)
    if not cands:
        return []
    p = model("span").prob(np.asarray([c.features for c in cands]))
    order = np.argsort(-p, kind="stable")
    return [(cands[i], float(p[i])) for i in order]


def _acronyms(texts: dict[str, str]) -> dict[str, str]:
    """Acronym key → the key of the spelled-out name it abbreviates, when both occur."""
    out = {}
    for k, text in texts.items():
        if text.isupper() and 2 <= len(text) <= 5:
            full = next((f for f, t in texts.items() if f != k and _initials(t) == text), None)
            if full is not None:
                out[k] = full
    return out


def _surnames(texts: dict[str, str]) -> dict[str, str]:
    """One-word name key → the key of the one longer name that ends with it ("bankman-fried"
    → "sam bankman-fried", "kane" → "harry kane"), when both occur."""
    out = {}
    for k in texts:
        if " " in k:
            continue
        longer = [f for f in texts if " " in f and f.rsplit(" ", 1)[1] == k]
        if len(longer) == 1:
            out[k] = longer[0]
    return out


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
