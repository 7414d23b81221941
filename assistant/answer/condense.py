"""Turn a follow-up question into a standalone one, only when it depends on the history.

A question that stands alone is asked as written, whatever came before: combining it with
the previous question would search for both and answer the old one (asked "What did
Zorblax Motors say about its hyperdrive sedan?" after two battery questions, the search
found battery sentences instead of refusing). :func:`depends_on_history` decides; a
follow-up depends on the history when it

* opens with "and …", "what about …", "how about …" (it re-asks the previous question),
* is an ellipsis: two words at most with no subject of its own ("When?", "Why not?"), or a
  fragment opening with a preposition ("In 2023?", "For Ford?"),
* or points back with a pronoun or a bare "the company"-type phrase while naming no subject
  of its own (no capitalised name, no "which retailer …" phrase that its pronouns can
  point to). "What did Zorblax Motors say about its sedan?"
  names Zorblax Motors, so its "its" is its own; "this week" points to time, not history.

With a chat model the rewrite of a dependent follow-up is the model's (prompt
``prompts/condense.md``); a rewrite that is not a question (SmolLM2 once answered 'The
answer to the question "…" should be:') is replaced by the offline one. Offline, the
rewrite is a readable question, not the two questions run together:

1. "And what about X?" / "What about X?" / "How about X?" re-asks the previous question
   about X: when X is a name, the previous question's first proper name is replaced by X;
   otherwise (or when it has none) X is added to it ("…, and what about X?").
2. A fragment ("In 2023?", "and for Ford?") narrows the previous question: "Where is BYD
   building its first European car plant in 2023?".
3. A question word alone ("When?") re-asks the previous question with it.
4. A pronoun, a bare noun ("the plant") or a "that" is bound to what the previous answer
   was about (:mod:`.anaphora`): "When will BYD's first European car plant in Szeged
   open?".
5. Anything else gets the previous question appended as context.

"The previous question" is always the previous *standalone* question (the one the
reply says it searched for, when the history carries it): earlier turns are resolved in
order first, so a chain of follow-ups never nests raw follow-ups. Its short answer is
the reply's ``short_answer``, or the reply's lead ("Toyota — …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.answer.anaphora import Antecedent, bind, new_names
from assistant.answer.spans import COMMON_CAPS, names
from assistant.llm import ChatModel
from assistant.prompts import PromptSet

_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$", re.IGNORECASE)
_AND = re.compile(r"^\s*(?:and|also|but)\b[,\s]*(.+)$", re.IGNORECASE)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|theirs|he|she|him|his|her|hers|there|then|this|those"
    r"|these|such|the same|which ones?|both|either|the (?:company|firm|automaker|carmaker|maker"
    r"|group|plant|factory|country|government|deal|report|article|one|ones|former|latter))\b",
    re.IGNORECASE,
)
# Words after which "this/that/these/those" point to time or are part of the question
# itself, not to the conversation ("this week", "so that", "the report that …").
_NOT_BACK = re.compile(
    r"\b(?:this|that|these|those)\s+(?:week|month|year|quarter|day|morning|time|season|decade)s?\b"
    r"|\b(?:is|are|was|were)\s+there\b|\bthere\s+(?:is|are|was|were|be|been)\b",
    re.IGNORECASE,
)
# "that" points back after a verb of being/doing, a preposition or a question word, or at
# the end ("When was that?", "Who said that?"); elsewhere it usually joins the question's
# own clauses ("said that it will", "the plant that opened").
_THAT_BACK = re.compile(
    r"\b(?:is|was|are|were|did|does|do|about|of|on|for|with|after|before|since|like|why|how"
    r"|when|where|what)\s+that\b|\bthat\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# "Which retailer …", "what flavor …", "whose plant …": the question names the kind of
# thing it is about, so its pronouns point inside it.
_OWN_SUBJECT = re.compile(
    r"\b(?:which|what|whose)\s+(?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can"
    r"|could|should|may|might|the|a|an|its|their|this|that|these|those|about|else|if|of|one"
    r"|ones|it|they|he|she|to|happened|happens|happen)\b)[a-z][\w-]*",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b([A-Z][A-Za-z0-9&.-]*(?:\s+[A-Z][A-Za-z0-9&.-]*)*)")
_TITLES = frozenset("CEO CFO CTO COO President Chairman Chairwoman Founder".split())
_QUESTION_WORD = frozenset(
    "what which who whom whose when where why how is are was were do does did has have had "
    "can could will would should may might and also but".split()
)
ELLIPSIS_WORDS = 2  # a follow-up this short with no subject of its own is an ellipsis
_FRAGMENT = re.compile(
    r"^\s*(?:in|on|at|for|from|since|by|during|with|without|after|before|until|of|versus|vs)\b",
    re.IGNORECASE,
)
# A pronoun after a preposition ("in it", "around them") points outside the question even
# when it names the kind of thing it asks for: a "which …" phrase is its subject, not that.
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|at|around|near|from|into|inside|outside|across|throughout|of|with|against|about"
    r"|over|for|on|to)\s+(?:it|them)\b",
    re.I,
)
# A clause of its own: "In which country did …?" opens with a preposition but is no fragment.
_CLAUSE = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|has|have"
    r"|had|can|could|will|would|should)\b",
    re.IGNORECASE,
)
# A pronoun as the question's subject, right after its question word and auxiliary
# (:func:`leads_with_pronoun`), and the "it" that stands for nothing.
_SUBJECT_PRONOUN = re.compile(
    r"^\W*(?:and\s+)?(?:(?:when|where|why|who|how(?:\s+(?:much|long|far|often|big|many"
    r"(?:\s+[a-z]+)?))?|(?:what|which|whose)(?:\s+[a-z][\w-]*){0,3}?)\s+)?(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could"
    r"|should|may|might)\s+(?:it|its|they|their|he|his|she|her)\b",
    re.IGNORECASE,
)
_EXPLETIVE = re.compile(
    r"\bit\s+(?:be\s+)?(?:true|possible|likely|the case|known|clear|worth|time|legal|safe"
    r"|necessary|been)\b|\bit\s+(?:cost|costs|take|takes|took|mean|matter)\b[^?]*?\bto\s+[a-z]",
    re.IGNORECASE,
)
# Words a question may open with that are not names: imperatives.
_OPENERS = frozenset("tell give show explain describe list compare summarise summarize".split())

DATE, SOURCE, LINK = "date", "source", "link"
_REPORTED = r"(?:reported|published|written|posted|released|printed|dated|out)"
_IT = r"(?:that|this|it|the (?:article|story|report|piece|news|source|item))"
_ABOUT_DOC: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, re.IGNORECASE))
    for kind, p in (
        (DATE, rf"^\W*(?:and\s+)?when\s+(?:was|were|is|did)\s+{_IT}\s+(?:first\s+)?{_REPORTED}"),
        (DATE, rf"\b(?:what|which)\s+(?:date|day)\s+(?:was|is)\s+{_IT}\b"),
        (DATE, rf"\bhow\s+(?:old|recent)\s+is\s+{_IT}\b"),
        (DATE, r"^\W*(?:and\s+)?when\s+did\s+(?:they|you|the \w+)\s+(?:report|publish)\b"),
        (LINK, r"\b(?:link|url|web\s*address|web\s*page)\b"),
        (LINK, rf"\bwhere\s+(?:can|could)\s+i\s+(?:read|find|see)\s+{_IT}\b"),
        (SOURCE, rf"^\W*(?:and\s+)?who\s+(?:reported|published|wrote|ran|broke)\s+{_IT}\b"),
        (SOURCE, r"\b(?:which|what)\s+(?:news\s+)?(?:outlet|source|publication|publisher|"
         r"newspaper|paper|site|website|media|agency|magazine)\b"),
        (SOURCE, rf"^\W*(?:and\s+)?where\s+(?:was|is)\s+{_IT}\s+{_REPORTED}"),
        (SOURCE, r"\bwho\s+(?:is|was)\s+the\s+(?:source|publisher)\b"),
    )
)  # fmt: skip


# A chat message: role and content; an assistant message may also carry what its answer
# cited (see :mod:`.followup`): citations, short_answer, standalone_question, refused.
Message = dict[str, Any]
SHORT_WORDS = 3  # a reply this short is its own short answer ("Toyota [1]")
_MARKER = re.compile(r"\[\d+\]")
_WH = frozenset("what which who whom whose when where why how".split())
# The question word (or phrase) a previous question opens with: "Where", "How many people".
_WH_LEAD = re.compile(
    r"^\s*(?:when|where|why|who|whom|how(?:\s+(?:much|many|long|far|often))?)\b", re.I
)


def last_user_questions(history: Sequence[Message]) -> list[str]:
    """The user's earlier questions, oldest first."""
    return [m["content"] for m in history if m.get("role") == "user" and m.get("content")]


def is_fragment(question: str) -> bool:
    """A fragment that narrows the previous question ("In 2023?", "For Ford?"): it opens
    with a preposition and has no question word or auxiliary of its own."""
    return bool(_FRAGMENT.match(question)) and not _CLAUSE.search(question)


def names_own_subject(question: str, kinds: bool = True) -> bool:
    """A capitalised name (the first word too, unless a question word, a common word or
    an imperative: "Coca-Cola is making …") or (``kinds``) a "which retailer …" phrase. A
    number is no subject: "it" in "Why did it recall 700,000 SUVs?" points back."""
    body = question.strip().split(maxsplit=1)
    rest = body[1] if len(body) > 1 else ""
    first = body[0].strip(",.;:?!") if body else ""
    first_is_name = (
        first[:1].isupper()
        and first.lower() not in _QUESTION_WORD | _OPENERS
        and first not in COMMON_CAPS
    )
    found = [n.text for n in names(rest)]  # months, weekdays, "SUVs" are not names
    found = [n for n in found if n.split()[0].lower() not in _QUESTION_WORD and n not in _TITLES]
    own_kind = kinds and _OWN_SUBJECT.search(question)
    return bool(first_is_name or found or own_kind)


def document_question(question: str) -> str | None:
    """:data:`DATE`, :data:`SOURCE` or :data:`LINK` when ``question`` asks about the
    cited document itself and names no subject of its own; else None."""
    for kind, pattern in _ABOUT_DOC:
        if pattern.search(question) and not names_own_subject(question, kinds=False):
            return kind
    return None


def depends_on_history(question: str) -> bool:
    """True when ``question`` cannot be understood without the conversation before it."""
    q = question.strip()
    if _WHAT_ABOUT.match(q) or _AND.match(q) or is_fragment(q):
        return True
    own = names_own_subject(q)
    if len(q.rstrip("?!. ").split()) <= ELLIPSIS_WORDS and not own:
        return True
    plain = _NOT_BACK.sub(" ", q)
    if _AFTER_PREPOSITION.search(plain) and not names_own_subject(q, kinds=False):
        return True  # "the largest wildfire in it": not the question's own "which blaze"
    points_back = bool(_PRONOUN.search(plain) or _THAT_BACK.search(plain))
    return (points_back and not own) or leads_with_pronoun(q)


def leads_with_pronoun(question: str) -> bool:
    """A question whose subject is a personal pronoun ("When will it open in Hungary?",
    "How much did it pay for Maxwell?", "What is its range in Europe?", "Which product
    did it debut?") points back, whatever it names after it: nothing before the pronoun
    can stand for it (a "which product" phrase is what it asks for). Not the "it"
    that stands for nothing ("Is it true that …", "How long has it been since …", "How
    much will it cost to build …")."""
    return bool(_SUBJECT_PRONOUN.match(question)) and not _EXPLETIVE.search(question)


def heuristic_standalone(question: str, history: Sequence[Message]) -> str:
    """The offline rewrite described in the module docstring."""
    previous = standalone_history(history)
    question = question.strip()
    if not previous or not depends_on_history(question):
        return question
    return rewrite(question, previous[-1])


def turns_of(history: Sequence[Message]) -> list[tuple[str, Message | None]]:
    """Each user question of ``history`` with the assistant's reply to it (None: none)."""
    out: list[tuple[str, Message | None]] = []
    for m in history:
        if m.get("role") == "user" and m.get("content"):
            out.append((str(m["content"]), None))
        elif m.get("role") == "assistant" and out and out[-1][1] is None:
            out[-1] = (out[-1][0], m)
    return out


def standalone_history(history: Sequence[Message]) -> list[Antecedent]:
    """Each earlier turn as it was searched (the reply's ``standalone_question`` when it
    carries one, else the follow-up resolved in order) with its short answer."""
    out: list[Antecedent] = []
    for q, reply in turns_of(history):
        q = q.strip()
        if out and document_question(q):  # "Who reported it?" left the subject as it was
            out.append(out[-1])
            continue
        searched = str((reply or {}).get("standalone_question") or "").strip()
        if not searched:
            searched = rewrite(q, out[-1]) if out and depends_on_history(q) else q
        out.append(Antecedent(searched, short_answer_of(reply), answer_names(reply, searched)))
    return out


def answer_names(reply: Message | None, question: str) -> tuple[str, ...]:
    """The names the reply's first quote (else its text) adds to ``question``."""
    if not reply or reply.get("refused"):
        return ()
    citations = reply.get("citations") or []
    first = citations[0].get("quote") if citations and isinstance(citations[0], dict) else None
    text = str(first or _MARKER.sub("", str(reply.get("content") or "")))
    return new_names(text, question)


def short_answer_of(reply: Message | None) -> str | None:
    """The reply's short answer: its ``short_answer`` field when it carries its answer's
    record, else the lead before " — " or the whole reply when it is a few words
    ("Toyota [1]")."""
    if not reply or reply.get("refused"):
        return None
    if reply.get("short_answer") or "citations" in reply:  # an answer's own record
        return str(reply.get("short_answer") or "").strip() or None
    text = _MARKER.sub("", str(reply.get("content") or "")).strip().rstrip(".")
    lead = text.split(" — ", 1)[0].strip() if " — " in text else text
    return lead if lead and len(lead.split()) <= SHORT_WORDS else None


def rewrite(question: str, previous: Antecedent) -> str:
    """``question`` as a standalone question, given the previous turn it depends on."""
    prev = previous.question
    m = _WHAT_ABOUT.match(question)
    if m:
        subject = m.group(1)
        named = [n for n in _NAME.findall(prev) if prev.find(n) > 0] or _NAME.findall(prev)[1:]
        if named and subject[:1].isupper():  # a name for a name; a topic is added instead
            return prev.replace(named[0], subject, 1)
        return f"{prev.rstrip('?!. ')}, and what about {subject}?"
    and_m = _AND.match(question)
    body = (and_m.group(1) if and_m else question).strip()
    if is_fragment(body):  # "In 2023?" asks the previous question again, narrowed
        return f"{prev.rstrip('?!. ')} {body[:1].lower()}{body[1:].rstrip('?!. ')}?"
    ellipsis = _wh_ellipsis(body, prev)
    if ellipsis:
        return ellipsis
    return bind(body, previous) or f"{body} ({prev})"


def _wh_ellipsis(body: str, prev: str) -> str | None:
    """ "When?" after "Where is BYD building …?" → "When is BYD building …?"."""
    words = body.rstrip("?!. ").split()
    lead = _WH_LEAD.match(prev)
    if not words or len(words) > ELLIPSIS_WORDS or words[0].lower() not in _WH or not lead:
        return None
    asked = " ".join(words)
    return f"{asked[:1].upper()}{asked[1:]} {prev[lead.end() :].strip()}"


def model_standalone(
    question: str, history: Sequence[Message], model: ChatModel, prompts: PromptSet
) -> str:
    """The chat model's rewrite of ``question`` given ``history`` (only when it depends on
    it); a rewrite that is not a question is replaced by :func:`heuristic_standalone`'s."""
    if not last_user_questions(history) or not depends_on_history(question):
        return question.strip()
    lines = [f"{m['role']}: {m['content']}" for m in history[-6:] if m.get("content")]
    prompt = prompts.render("condense", history="\n".join(lines), question=question)
    text = model.complete([{"role": "user", "content": prompt}]).strip().strip('"')
    first = text.splitlines()[0].strip() if text else ""
    return first if is_question(first) else heuristic_standalone(question, history)


def is_question(text: str) -> bool:
    """A rewrite that reads as one question: a question word among its first three words,
    it ends with "?", and does not quote another question (SmolLM2 once returned 'The answer
    to the question "Where is …?" should be:')."""
    words = [w.lower().strip(",") for w in text.split()[:3]]
    return (
        any(w in _QUESTION_WORD for w in words)
        and text.rstrip().endswith("?")
        and not re.search(r"[\"“”]", text)
    )
