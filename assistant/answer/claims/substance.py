"""Does a sentence state anything? A model's line that only restates the question
('The answer to the question "Where is BYD building its plant?" should be:') or talks about
the answer without giving it ('Here is what the passages say.') carries no claim: it must
not be shown as a supported answer, however close it is to a passage.
"""

from __future__ import annotations

from .lexicon import ANSWER_TALK
from .text import content_stems, stem

_TALK = frozenset(stem(w) for w in ANSWER_TALK)


def states_nothing(claim: str, question: str, yes_no: bool = False) -> bool:
    """True when ``claim`` adds no content word to ``question`` beyond talk about answers.

    Every content word of the claim (stemmed; function words aside) is one of the
    question's own or a word about answering ("answer", "question", "passage", "based").
    A claim ending in ':' or '?' introduces or asks, so it asserts nothing either.
    For a yes/no question a declarative restatement *is* an answer ("BYD opened the
    plant.") and so is a bare "Yes"/"No", as is a sentence confirming a statement typed as
    the question: only the introducing and asking forms count there.
    """
    text = claim.strip().rstrip("\"'”’)] ")
    if text.endswith((":", "?")):
        return True
    if yes_no or not question.rstrip().endswith("?"):
        # A statement asked as a question ("BYD opened a plant in Szeged") is confirmed,
        # not restated, by a sentence that says it.
        return False
    new = content_stems(claim) - content_stems(question) - _TALK
    return not new
