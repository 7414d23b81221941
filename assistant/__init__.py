"""evchat's public API: ask questions of indexed EV-industry documents, with citations.

>>> from assistant import Assistant, Settings
"""

from assistant.errors import (
    BadInputError,
    EvchatError,
    LLMError,
    LLMStreamCutError,
    ModelMismatchError,
    StoreUnavailableError,
)
from assistant.retrieve import Filters
from assistant.service import Assistant, DocumentInfo, Stats
from assistant.types import Answer, AnswerSentence, Citation, Passage
from index.settings import Settings
from index.types import FailedFile, IndexReport

__all__ = [
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
]
