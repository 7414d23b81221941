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
  of its own (no capitalised name or number beyond its first word, no "which company …"
  phrase that its pronouns can point to). "What did Zorblax Motors say about its sedan?"
  names Zorblax Motors, so its "its" is its own; "this week" points to time, not history.

With a chat model the rewrite of a dependent follow-up is the model's (prompt
``prompts/condense.md``). Offline, the rewrite is:

1. "And what about X?" / "What about X?" / "How about X?" re-asks the previous question
   about X: when X is a name, the previous question's first proper name is replaced by X;
   otherwise (or when it has none) the previous question is appended to X as context.
2. Otherwise ("When was that?", "and in 2023?") the previous question is appended as
   context, which is what retrieval needs.

"The previous question" is always the previous *standalone* question: earlier turns are
resolved in order first, so a chain of follow-ups never nests raw follow-ups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
_OWN_SUBJECT = re.compile(
    r"\b(?:which|what|whose)\s+(?:(?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can"
    r"|could|the|a|an|its|their|this|that)\b)[\w-]+\s+){0,3}?(?:company|companies|automaker|automakers|"
    r"carmaker|carmakers|maker|makers|firm|firms|brand|brands|country|countries|nation|state|"
    r"city|group|giant|manufacturer|startup|bank|person|executive|product|model|industry|"
    r"technology|article|report|source)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b([A-Z][A-Za-z0-9&.-]*(?:\s+[A-Z][A-Za-z0-9&.-]*)*)")
_NUMBER = re.compile(r"\d")
_QUESTION_WORD = frozenset(
    "what which who whom whose when where why how is are was were do does did has have had "
    "can could will would should may might and also but".split()
)
ELLIPSIS_WORDS = 2  # a follow-up this short with no subject of its own is an ellipsis
_FRAGMENT = re.compile(
    r"^\s*(?:in|on|at|for|from|since|by|during|with|without|after|before|until|of|versus|vs)\b",
    re.IGNORECASE,
)

Message = dict[str, str]


def last_user_questions(history: Sequence[Message]) -> list[str]:
    """The user's earlier questions, oldest first."""
    return [m["content"] for m in history if m.get("role") == "user" and m.get("content")]


def _names_own_subject(question: str) -> bool:
    """A capitalised name or a number after the first word, or a "which company …" phrase."""
    body = question.strip().split(maxsplit=1)
    rest = body[1] if len(body) > 1 else ""
    names = [n for n in _NAME.findall(rest) if n.split()[0].lower() not in _QUESTION_WORD]
    return bool(names or _NUMBER.search(rest) or _OWN_SUBJECT.search(question))


def depends_on_history(question: str) -> bool:
    """True when ``question`` cannot be understood without the conversation before it."""
    q = question.strip()
    if _WHAT_ABOUT.match(q) or _AND.match(q) or _FRAGMENT.match(q):
        return True
    own = _names_own_subject(q)
    if len(q.rstrip("?!. ").split()) <= ELLIPSIS_WORDS and not own:
        return True
    plain = _NOT_BACK.sub(" ", q)
    points_back = bool(_PRONOUN.search(plain) or _THAT_BACK.search(plain))
    return points_back and not own


def heuristic_standalone(question: str, history: Sequence[Message]) -> str:
    """The offline rewrite described in the module docstring."""
    previous = standalone_history(last_user_questions(history))
    question = question.strip()
    if not previous or not depends_on_history(question):
        return question
    return _combine(question, previous[-1])


def standalone_history(questions: Sequence[str]) -> list[str]:
    """Each earlier question as it was searched: follow-ups resolved in order."""
    out: list[str] = []
    for q in questions:
        q = q.strip()
        out.append(_combine(q, out[-1]) if out and depends_on_history(q) else q)
    return out


def _combine(question: str, prev: str) -> str:
    m = _WHAT_ABOUT.match(question)
    if m:
        subject = m.group(1)
        names = [n for n in _NAME.findall(prev) if prev.find(n) > 0] or _NAME.findall(prev)[1:]
        if names and subject[:1].isupper():  # a name for a name; a topic is added instead
            return prev.replace(names[0], subject, 1)
        return f"{subject} ({prev})"
    and_m = _AND.match(question)
    body = and_m.group(1) if and_m else question
    return f"{body.strip()} ({prev})"


def model_standalone(
    question: str, history: Sequence[Message], model: ChatModel, prompts: PromptSet
) -> str:
    """The chat model's rewrite of ``question`` given ``history`` (only when it depends on it)."""
    if not last_user_questions(history) or not depends_on_history(question):
        return question.strip()
    lines = [f"{m['role']}: {m['content']}" for m in history[-6:] if m.get("content")]
    prompt = prompts.render("condense", history="\n".join(lines), question=question)
    text = model.complete([{"role": "user", "content": prompt}]).strip().strip('"')
    return text.splitlines()[0].strip() if text else question.strip()
