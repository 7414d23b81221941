"""A follow-up's pronoun or bare noun, bound to what the previous answer was about.

"When will it open?" after "Where is BYD building its first European car plant?"
(answered "Szeged") becomes "When will BYD's first European car plant in Szeged open?":
a readable question that retrieval can search for, not the two questions run together.

These are simple linguistic rules, not learned decisions (there is no data of follow-ups
to fit them on); each says what it stands for:

* **What "it" means.** When the previous question asked for a name that is not a person
  nor where something is ("Which automaker …?" → "Nissan", "Which country …?" →
  "Germany"; without a short answer, the first name the answer's first quote adds to the
  question), the answer is what the conversation is now about: "it", "its", "they", "the
  company" name the answer. When it asked for a person, "he", "she", "his", "her" do.
  Otherwise (a place, a date, a number, a quote) the conversation is about what the
  previous question asked about: its last noun phrase opened by a determiner or
  possessive ("its first European car plant"), with "its" and "their" replaced by the
  previous question's first name ("BYD's …") and a "where" answer added ("… in
  Szeged"); without such a phrase, its first name ("CATL").
* **"they"** after a "how many …" question names what it counted ("Kestrel Freight's
  electric trucks").
* **A bare noun** ("the plant", "that deal") names the previous question's noun phrase
  ending in the same noun when it has one, else the bound entity's ("Nissan's deal"); a
  noun for an organisation ("the company") names the entity itself.
* **"that"** pointing at the previous answer as a whole ("When did that happen?") gets
  what the answer stated in brackets: the previous question with its asked-for name put
  in ("Toyota joined Ionna as its eighth investor"), else its noun phrase as for "it",
  else the previous question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.claims.analysis import analyse
from assistant.answer.question import NAME, analyse_question
from assistant.answer.spans import Span, names, reads_as_person

_PERSONAL = {"he", "him", "his", "she", "her", "hers"}
_THING = {"it", "its", "they", "them", "their", "theirs"}
_POSSESSIVE = {"its", "their", "theirs", "his", "her", "hers"}
# Nouns that name the entity itself ("the company" is Nissan), and others that name a
# thing of it ("the plant" is Nissan's plant).
_ORG_NOUNS = frozenset(
    "company firm automaker carmaker maker group brand startup manufacturer".split()
)
NOUNS = (
    "company|firm|automaker|carmaker|maker|group|brand|startup|manufacturer|plant|factory"
    "|facility|site|deal|agreement|project|model|car|vehicle|battery|batteries|program"
    "|programme|plan|investment|merger|acquisition|recall|tariff|tariffs|law|rule|policy"
    "|report|study|country|government|city|state|partnership|venture|joint venture|product"
    "|truck|trucks|vehicles|cars|plants|factories|deals|executive|chief|boss|ceo"
)
_BARE_NOUN = re.compile(rf"\b(?:the|that|this|those|these)\s+({NOUNS})\b", re.IGNORECASE)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers)\b(?:(?<=s|r)\s+([a-z][\w-]*))?",
    re.I,
)
_PLURAL = {"they", "them", "their", "theirs"}
# "How many electric trucks did Kestrel Freight order?": the thing counted.
_COUNTED = re.compile(
    r"^\s*how many\s+((?:(?!(?:did|does|do|will|would|are|were|is|was|has|have|had)\b)"
    r"[\w-]+\s+){0,3}?(?:[\w-]+))\s+(?:did|does|do|will|would|are|were|is|was|has|have|had)\b",
    re.I,
)
_THAT = re.compile(
    r"\b(?:that|this)\b(?!\s+(?:week|month|year|quarter|day|time|morning|season|decade))",
    re.I,
)
_DETERMINERS = {"the", "its", "their", "his", "her", "a", "an", "this", "that", "these"}
_WORD = re.compile(r"[\w’'&.-]+")
# "Which automaker joined …", "Who leads …": a question for a name whose verb follows it
# (a past or third-person form that is not an auxiliary: "Which company is …" is not).
_VERB = r"(?=(?!(?:is|was|has|does|says|its)\b)[a-z]{2,}(?:ed|s)\b)"
_AUX = r"(?:is|are|was|were|has|have|had|do|does|did|will|would|can|could|should|may)\b"
_AUX_WORD = re.compile(_AUX, re.I)
_WH_NAME = re.compile(
    rf"^\s*(?:(?:which|what)\s+(?:(?!{_AUX})[\w-]+\s+){{0,3}}?|who\s+){_VERB}", re.I
)
_WHERE = re.compile(r"\s*where\b", re.IGNORECASE)
# Words a question opens with that are no name though capitalised ("Tell me about Ford").
_OPENING_WORDS = frozenset(
    "tell give show explain describe list compare summarise summarize find is are was were "
    "do does did has have had can could will would should may might".split()
)
_POSSESSIVE_END = re.compile(r"['’]s$")
_NP_WORDS = 6  # a noun phrase reaches back at most this many words to its determiner


@dataclass(frozen=True)
class Antecedent:
    """What the previous turn was about: its standalone question and short answer."""

    question: str
    short_answer: str | None = None
    named: tuple[str, ...] = ()  # names the answer's first quote adds to the question

    @property
    def answered(self) -> str | None:
        """What the answer gave for what the question asked: its short answer, else the
        first name its first quote adds (an answer without a short one still names it)."""
        return self.short_answer or (self.named[0] if self.named else None)

    @property
    def first_name(self) -> str | None:
        """The previous question's first proper name ("BYD"), if any; its opening word
        counts only when it is no question word, auxiliary or imperative ("Tell me about
        Ford." is about Ford)."""
        body = self.question.strip()
        first = body.split(maxsplit=1)
        if first and first[0].lower().strip(",.;:?!") in _OPENING_WORDS:
            body = first[1] if len(first) > 1 else ""
        found = names(body)
        return found[0].text if found else None

    def entity(self, personal: bool) -> str | None:
        """What "it" (or, ``personal``, "he/she") names; see the module docstring."""
        qa = analyse_question(self.question)
        located = qa.place and bool(_WHERE.match(self.question))  # where the thing is
        if self.answered and qa.kind == NAME and not located and qa.person == personal:
            return self.answered
        if personal:
            return None
        return self.noun_phrase() or self.first_name

    def noun_phrase(self, noun: str | None = None) -> str | None:
        """The last noun phrase of the previous question opened by a determiner (ending
        in ``noun`` when given), possessives resolved and a place answer added."""
        words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(self.question)]
        for i in range(len(words) - 1, 0, -1):
            w = words[i][0].lower()
            if noun is not None and w.rstrip("s") != noun.lower().rstrip("s"):
                continue
            start = _determiner_before(words, i)
            if start is None or (noun is None and i != len(words) - 1):
                continue
            if noun is None and start > 0 and _AUX_WORD.fullmatch(words[start - 1][0]):
                continue  # "… does the X line make?": the subject, its verb after it
            end = words[i][2]
            # "… plant in Szeged" keeps its place: it tells this plant from the others.
            if i + 2 < len(words) and words[i + 1][0] == "in" and words[i + 2][0][:1].isupper():
                end = words[i + 2][2]
            return self._resolved(self.question[words[start][1] : end])
        return None

    def _resolved(self, phrase: str) -> str:
        first = phrase.split()[0].lower()
        owner = self.first_name
        if first in _POSSESSIVE and owner:
            phrase = f"{owner}'s " + phrase.split(maxsplit=1)[1]
        elif first in ("a", "an", "this", "that", "these"):
            phrase = "the " + phrase.split(maxsplit=1)[1]
        if _WHERE.match(self.question) and self.answered and self.answered not in phrase:
            phrase += f" in {self.answered}"
        return phrase

    def counted(self) -> str | None:
        """What a "how many …" question counted, as the first name's ("Kestrel Freight's
        electric trucks"): what "they" means after it."""
        m = _COUNTED.match(self.question)
        if not m:
            return None
        owner = self.first_name
        return f"{owner}'s {m.group(1)}" if owner else f"the {m.group(1)}"

    def statement(self) -> str | None:
        """The previous question as the answer's statement, when it asked for a name:
        "Which automaker joined Ionna …?" + "Toyota" → "Toyota joined Ionna …"."""
        m = _WH_NAME.match(self.question)
        if not m or not self.answered:
            return None
        rest = self.question[m.end() :].strip().rstrip("?").strip()
        return f"{self.answered} {rest}" if rest else None


def new_names(text: str, question: str) -> tuple[str, ...]:
    """The names of ``text`` that ``question`` does not state, in order, as the claims'
    analysis reads them (:mod:`.claims.entities`: "New Zealand" whole, no sentence-initial
    common word such as "Search" or "Due", no adjective such as "Japanese"). Names that
    read as a person's are left out when the question asks for a thing or a place
    ("according to Lisa Brankin" is not the automaker asked for), and for a place the
    places the lexicon knows come first ("Two California cities" gives "California")."""
    qa = analyse_question(question)
    asked = analyse(question)
    stated = {n.text.lower() for n in names(question)} | {m.key for m in asked.mentions}
    found = []
    for m in analyse(text).mentions:
        surface = _POSSESSIVE_END.sub("", m.surface)
        if m.uncertain or m.adjectival or m.key in stated or surface.lower() in stated:
            continue
        start = text.find(surface)
        span = Span(start, start + len(surface), surface, NAME)
        thing = qa.kind == NAME and not qa.person
        if thing and start >= 0 and reads_as_person(span, text, text):
            continue
        found.append((surface, m.group is not None))
    if qa.place:
        found.sort(key=lambda f: not f[1])  # stable: known places first, in order
    return tuple(dict.fromkeys(surface for surface, _known in found))


def _determiner_before(words: list[tuple[str, int, int]], i: int) -> int | None:
    for j in range(i - 1, max(i - _NP_WORDS, -1), -1):
        w = words[j][0]
        if w.lower() in _DETERMINERS or w.endswith(("'s", "’s")):
            return j
    return None


def bind(question: str, antecedent: Antecedent) -> str | None:
    """``question`` with its pronoun, bare noun or "that" replaced by what it points to;
    None when nothing in it can be bound."""
    out = _bind_nouns(question, antecedent)
    out = _bind_pronouns(out, antecedent)
    if out == question:
        out = _bind_that(question, antecedent)
    return None if out == question else _capitalised(out)


def _bind_nouns(question: str, ante: Antecedent) -> str:
    def repl(m: re.Match[str]) -> str:
        noun = m.group(1)
        phrase = ante.noun_phrase(noun)
        if phrase:
            return phrase
        entity = ante.entity(personal=False)
        if not entity:
            return m.group(0)
        return entity if noun.lower() in _ORG_NOUNS else f"{entity}'s {noun}"

    return _BARE_NOUN.sub(repl, question, count=1)


def _bind_pronouns(question: str, ante: Antecedent) -> str:
    def repl(m: re.Match[str]) -> str:
        word = m.group(1).lower()
        entity = (word in _PLURAL and ante.counted()) or ante.entity(word in _PERSONAL)
        if not entity:
            return m.group(0)
        if word not in _POSSESSIVE:
            return entity
        owned = m.group(2)
        if owned and " " in entity and not entity[:1].isupper():  # "the production of …"
            return f"the {owned} of {entity}"
        if owned and " in " in entity:
            return f"the {owned} of {entity}"
        return f"{entity}'s" + (f" {owned}" if owned else "")

    return _PRONOUN.sub(repl, question)


def _bind_that(question: str, ante: Antecedent) -> str:
    if not _THAT.search(question):
        return question
    what = ante.statement() or ante.noun_phrase() or ante.question.strip().rstrip("?!. ")
    body = question.strip().rstrip("?!. ")
    return f"{body} ({what})?"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
