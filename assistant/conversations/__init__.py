"""Conversations that persist: the history store, the ``Conversation`` object, exports.

:mod:`.store` keeps turns in SQLite under ``EVCHAT_HOME``; :mod:`.conversation` is the
Python API (``bot.conversations()``); :mod:`.export` writes a conversation as Markdown or
JSON; :mod:`.feedback` turns the users' verdicts into an evaluation set.
"""

from assistant.conversations.conversation import Conversation, Conversations, history_messages
from assistant.conversations.export import to_dict, to_markdown
from assistant.conversations.feedback import FeedbackExport, export_feedback
from assistant.conversations.records import ConversationInfo, Feedback, Turn
from assistant.conversations.store import ConversationStore

__all__ = [
    "Conversation",
    "ConversationInfo",
    "ConversationStore",
    "Conversations",
    "Feedback",
    "FeedbackExport",
    "Turn",
    "export_feedback",
    "history_messages",
    "to_dict",
    "to_markdown",
]
