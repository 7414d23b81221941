"""evchat's public API: ask questions of indexed EV-industry documents, with citations.

>>> from assistant import Assistant, Settings

Everything the web app, the CLI and Python users need is importable from here.
"""

from assistant.answer.markers import replace_markers, strip_markers
from assistant.answer.retrieve import Filters, parse_iso_date
from assistant.assistant import Assistant, CollectionInfo, DocumentInfo, Stats
from assistant.background import (
    FeedScheduler,
    SyncStatus,
    WatchStatus,
    WatchThread,
    warm_up_in_background,
)
from assistant.conversations import (
    Conversation,
    ConversationInfo,
    Conversations,
    Feedback,
    FeedbackExport,
    Turn,
    export_feedback,
    history_messages,
)
from assistant.conversations.export import to_dict as conversation_to_dict
from assistant.conversations.export import to_markdown as conversation_to_markdown
from assistant.credentials import parse_credentials
from assistant.errors import (
    BadInputError,
    DocumentFileError,
    EvchatError,
    HistoryUnavailableError,
    LLMError,
    LLMStreamCutError,
    ModelMismatchError,
    StoreUnavailableError,
)
from assistant.feeds import FeedFailure, FeedInfo, Feeds, FeedSyncReport
from assistant.incidents import log_to_stream, log_unexpected, log_user_error
from assistant.settings import Settings
from assistant.types import Answer, AnswerSentence, Citation, Passage
from index.embed.minilm import MiniLMEmbedder
from index.ingest.source import SUPPORTED_EXTENSIONS
from index.sources.watch import WatchBatch
from index.types import FailedFile, IndexReport

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Answer",
    "AnswerSentence",
    "Assistant",
    "BadInputError",
    "Citation",
    "CollectionInfo",
    "Conversation",
    "ConversationInfo",
    "Conversations",
    "DocumentFileError",
    "DocumentInfo",
    "EvchatError",
    "FailedFile",
    "FeedFailure",
    "FeedInfo",
    "FeedScheduler",
    "FeedSyncReport",
    "Feedback",
    "FeedbackExport",
    "Feeds",
    "Filters",
    "HistoryUnavailableError",
    "IndexReport",
    "LLMError",
    "LLMStreamCutError",
    "MiniLMEmbedder",
    "ModelMismatchError",
    "Passage",
    "Settings",
    "Stats",
    "StoreUnavailableError",
    "SyncStatus",
    "Turn",
    "WatchBatch",
    "WatchStatus",
    "WatchThread",
    "conversation_to_dict",
    "conversation_to_markdown",
    "export_feedback",
    "history_messages",
    "log_to_stream",
    "log_unexpected",
    "log_user_error",
    "parse_credentials",
    "parse_iso_date",
    "replace_markers",
    "strip_markers",
    "warm_up_in_background",
]
