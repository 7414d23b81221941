"""Conversations as the Python API offers them: ``bot.conversations()`` and ``Conversation``.

>>> chats = bot.conversations()                      # doctest: +SKIP
>>> chat = chats.new()                               # doctest: +SKIP
>>> chat.ask("Where is BYD building its first European car plant?")   # doctest: +SKIP
>>> chat.ask("When will it open?")                   # the history is carried  # doctest: +SKIP
>>> chats.list()[0].title                            # doctest: +SKIP
'Where is BYD building its first European car plant?'

Each answered question is saved as one turn. When the history file cannot be written,
the answer is still returned; :attr:`Conversation.save_error` holds the one-line reason
and the conversation goes on in memory.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from assistant.answer.retrieve import Filters
from assistant.conversations.records import ConversationInfo, Feedback, Turn, Verdict
from assistant.conversations.store import ConversationStore, title_for
from assistant.errors import BadInputError, HistoryUnavailableError
from assistant.types import Answer, final_answer

if TYPE_CHECKING:
    from assistant.assistant import Assistant


def history_messages(turns: Sequence[Turn]) -> list[dict[str, Any]]:
    """The chat history of ``turns`` as the answer pipeline takes it (user, assistant, …);
    each assistant message carries what its answer cited, so that a follow-up is resolved
    against it (:mod:`assistant.answer.followup`)."""
    messages: list[dict[str, Any]] = []
    for t in turns:
        messages.append({"role": "user", "content": t.question})
        messages.append(reply_message(t.answer))
    return messages


def reply_message(answer: Answer) -> dict[str, Any]:
    """An answer as an assistant message of a history: its text and what it cited."""
    return {
        "role": "assistant",
        "content": answer.text,
        "citations": [c.to_dict() | {"url": c.url} for c in answer.citations],
        "short_answer": answer.short_answer,
        "standalone_question": answer.standalone_question,
        "refused": answer.refused,
    }


class Conversation:
    """A conversation whose :meth:`ask` carries its history and saves every turn."""

    def __init__(
        self,
        bot: Assistant,
        store: ConversationStore,
        user: str,
        info: ConversationInfo,
        turns: Sequence[Turn] = (),
    ) -> None:
        self.bot = bot
        self.store = store
        self.user = user
        self.info = info
        self.turns: list[Turn] = list(turns)
        self.save_error: str | None = None

    @property
    def id(self) -> str:
        """The conversation's id."""
        return self.info.id

    @property
    def title(self) -> str:
        """Its title: the first question unless renamed."""
        return self.info.title or (title_for(self.turns[0].question) if self.turns else "")

    @property
    def collection(self) -> str:
        """The collection its questions go to."""
        return self.info.collection

    def history(self) -> list[dict[str, Any]]:
        """The turns so far as chat messages."""
        return history_messages(self.turns)

    def ask(
        self,
        question: str,
        as_of: str | None = None,
        filters: Filters | None = None,
        k: int | None = None,
        answerer: str | None = None,
        choices: Sequence[str] | None = None,
    ) -> Answer:
        """Answer ``question`` in the context of the turns so far, and save the turn."""
        return final_answer(self.stream(question, as_of, filters, k, answerer, choices))

    def stream(
        self,
        question: str,
        as_of: str | None = None,
        filters: Filters | None = None,
        k: int | None = None,
        answerer: str | None = None,
        choices: Sequence[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Like :meth:`Assistant.stream`, with this conversation's history; the turn is
        saved when the final :class:`Answer` arrives."""
        bot = self.bot.for_collection(self.collection)
        options = [c for c in choices or () if str(c).strip()]
        for item in bot.stream(question, self.history(), as_of, filters, k, answerer, options):
            if isinstance(item, Answer):
                self.record(question.strip(), item, as_of, options)
            yield item

    def record(
        self, question: str, answer: Answer, as_of: str | None = None, options: Sequence[str] = ()
    ) -> Turn:
        """Add an answered question to the conversation (saved when the history allows)."""
        try:
            turn = self.store.add_turn(self.user, self.info, question, answer, as_of, options)
            self.save_error = None
        except HistoryUnavailableError as exc:
            self.save_error = str(exc)
            turn = Turn(-len(self.turns) - 1, len(self.turns) + 1, question, answer,
                        self.collection, time.time(), as_of, tuple(options))  # fmt: skip
        if not self.info.title:
            self.info = _with(self.info, title=title_for(question))
        self.turns.append(turn)
        return turn

    def feedback(
        self,
        turn: int | Turn | None = None,
        verdict: Verdict | None = None,
        wrong_citations: Sequence[int] = (),
        right_answer: str | None = None,
    ) -> Feedback:
        """Record the user's verdict on a turn (the 1-based number of the answer in this
        conversation as shown; default: the last).

        ``verdict`` "up" on a refusal confirms that the documents don't say.
        """
        target = self._turn(turn)
        if target.id < 0:
            raise HistoryUnavailableError(
                f"This answer was not saved ({self.save_error or 'no history'}), so feedback "
                "on it cannot be stored."
            )
        if verdict not in (None, "up", "down"):
            raise BadInputError("The verdict must be 'up' or 'down'.")
        known = {c.n for c in target.answer.citations}
        unknown = sorted(set(wrong_citations) - known)
        if unknown:
            raise BadInputError(f"The answer has no citation {unknown[0]}.")
        right = (right_answer or "").strip() or None
        given = Feedback(verdict, tuple(sorted(set(wrong_citations))), right)
        saved = self.store.set_feedback(self.user, target.id, given)
        self.turns[self.turns.index(target)] = _with(target, feedback=saved)
        return saved

    def _turn(self, turn: int | Turn | None) -> Turn:
        if not self.turns:
            raise BadInputError("The conversation has no answer yet.")
        if isinstance(turn, Turn):
            turn = turn.position
        position = len(self.turns) if turn is None else int(turn)
        if not 1 <= position <= len(self.turns):
            raise BadInputError(f"The conversation has no answer {position}.")
        return self.turns[position - 1]

    def rename(self, title: str) -> None:
        """Give the conversation a new title."""
        self.store.rename(self.user, self.id, title)
        self.info = _with(self.info, title=title_for(title))

    def to_markdown(self) -> str:
        """The conversation as Markdown, every answer with its numbered sources."""
        from assistant.conversations.export import to_markdown

        return to_markdown(self.info, self.turns)

    def to_dict(self) -> dict[str, Any]:
        """The conversation as JSON-ready data."""
        from assistant.conversations.export import to_dict

        return to_dict(self.info, self.turns)


class Conversations:
    """One user's conversations (``bot.conversations(user)``; no user: the anonymous one)."""

    def __init__(self, bot: Assistant, user: str | None = None) -> None:
        self.bot = bot
        self.user = user or ""
        self.store: ConversationStore = bot.history_store

    def new(self, title: str | None = None, collection: str | None = None) -> Conversation:
        """A new conversation in ``collection`` (default: the assistant's); it is saved
        with its first answered question."""
        now = time.time()
        info = ConversationInfo(
            id=uuid.uuid4().hex[:12], title=title_for(title or ""), user=self.user,
            collection=collection or self.bot.collection_name, created_at=now, updated_at=now,
        )  # fmt: skip
        return Conversation(self.bot, self.store, self.user, info)

    def open(self, conversation_id: str) -> Conversation:
        """A saved conversation (a unique prefix of its id is enough), ready to continue."""
        info, turns = self.store.get(self.user, conversation_id)
        return Conversation(self.bot, self.store, self.user, info, turns)

    def list(
        self, collection: str | None = None, limit: int | None = None
    ) -> list[ConversationInfo]:
        """The user's conversations, newest first (of one collection, or all; at most
        ``limit``)."""
        return self.store.conversations(self.user, collection, limit)

    def rename(self, conversation_id: str, title: str) -> None:
        """Rename a conversation."""
        self.store.rename(self.user, conversation_id, title)

    def delete(self, conversation_id: str) -> None:
        """Delete a conversation and its turns."""
        self.store.delete(self.user, conversation_id)


def _with(obj: Any, **changes: Any) -> Any:
    return dataclasses.replace(obj, **changes)
