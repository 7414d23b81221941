"""Turn a follow-up question into a standalone one.

With a chat model the rewrite is the model's (prompt ``prompts/condense.md``). Offline,
a documented heuristic does it:

1. A question that names its own subject (it has a capitalised name or a number beyond
   the first word and no leading "and"/"what about") is already standalone.
2. "And what about X?" / "What about X?" / "How about X?" re-asks the previous question
   about X: the previous question's first proper name is replaced by X (or X is appended
   when it has none).
3. Otherwise (pronoun follow-ups like "When was that?") the previous standalone question
   is appended as context, which is what retrieval needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.llm import ChatModel
from assistant.prompts import PromptSet

_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$", re.IGNORECASE)
_AND = re.compile(r"^\s*and\s+(.+)$", re.IGNORECASE)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|that|this|those|these|he|she|his|her|there|then)\b", re.I
)
_NAME = re.compile(r"\b([A-Z][A-Za-z0-9&.-]*(?:\s+[A-Z][A-Za-z0-9&.-]*)*)")

Message = dict[str, str]


def last_user_questions(history: Sequence[Message]) -> list[str]:
    """The user's earlier questions, oldest first."""
    return [m["content"] for m in history if m.get("role") == "user" and m.get("content")]


def heuristic_standalone(question: str, history: Sequence[Message]) -> str:
    """The offline rewrite described in the module docstring."""
    previous = last_user_questions(history)
    if not previous:
        return question.strip()
    prev = previous[-1].strip()
    m = _WHAT_ABOUT.match(question)
    if m:
        subject = m.group(1)
        names = [n for n in _NAME.findall(prev) if prev.find(n) > 0] or _NAME.findall(prev)[1:]
        if names:
            return prev.replace(names[0], subject, 1)
        return f"{prev.rstrip('?')} {subject}?"
    and_m = _AND.match(question)
    body = and_m.group(1) if and_m else question
    if not and_m and not _PRONOUN.search(question) and len(question.split()) > 4:
        return question.strip()
    return f"{body.strip()} ({prev})"


def model_standalone(
    question: str, history: Sequence[Message], model: ChatModel, prompts: PromptSet
) -> str:
    """The chat model's rewrite of ``question`` given ``history``."""
    if not last_user_questions(history):
        return question.strip()
    lines = [f"{m['role']}: {m['content']}" for m in history[-6:] if m.get("content")]
    prompt = prompts.render("condense", history="\n".join(lines), question=question)
    text = model.complete([{"role": "user", "content": prompt}]).strip().strip('"')
    return text.splitlines()[0].strip() if text else question.strip()
