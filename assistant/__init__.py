"""evchat's public API: ask questions of indexed EV-industry documents, with citations.

>>> from assistant import Assistant, Settings

Everything the web app, the CLI and Python users need is importable from here.
"""

from assistant.answer.markers import replace_markers, strip_markers
from assistant.answer.retrieve import Filters, parse_iso_date
from assistant.assistant import Assistant, DocumentInfo, Stats
from assistant.errors import (
    BadInputError,
    EvchatError,
    LLMError,
    LLMStreamCutError,
    ModelMismatchError,
    StoreUnavailableError,
)
from assistant.incidents import log_unexpected
from assistant.settings import Settings
from assistant.types import Answer, AnswerSentence, Citation, Passage
from index.ingest.source import SUPPORTED_EXTENSIONS
from index.types import FailedFile, IndexReport

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Answer",
    "AnswerSentence",
    "Assistant",
    "BadInputError",
    "Citation",
    "DocumentInfo",
    "EvchatError",
    "FailedFile",
    "Filters",
    "IndexReport",
    "LLMError",
    "LLMStreamCutError",
    "ModelMismatchError",
    "Passage",
    "Settings",
    "Stats",
    "StoreUnavailableError",
    "log_unexpected",
    "parse_iso_date",
    "replace_markers",
    "strip_markers",
]
