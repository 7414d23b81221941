"""The claim check on sentences a real chat model wrote (SmolLM2-135M on llama.cpp).

The model is asked, through the real server, to write three kinds of sentence about one
passage: a copy of a passage sentence, a sentence placing the fact somewhere the passage does
not, and the question turned into a statement. Several wordings of each request are sent
(temperature 0); a plain string oracle, independent of the checker, decides which replies
really are of their kind, and every such reply must get the checker's verdict for it:
restated passage kept, absent fact flagged, restated question not an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assistant import Passage, Settings
from assistant.answer.support import SupportScorer
from assistant.answer.verify import VerifiedAnswer, verify_generated
from assistant.llm import OpenAIChatModel
from index.embed.factory import make_embedder
from tests.fixtures.llm import MODEL_ALIAS

pytestmark = pytest.mark.llm

PLANT = "Toyota will build a new battery plant in North Carolina."
OPENING = "The new battery plant will open in North Carolina next year."
PASSAGE_TEXT = f"{PLANT} {OPENING} It will employ 1,750 people."
QUESTION = "Where will Toyota build its new battery plant?"
ABSENT = "Texas"

# Wordings SmolLM2-135M follows at temperature 0 (tried on this server; BYD came back as
# "ByDID", so the passage uses common words).
COPY_PROMPTS = [
    f"Repeat this sentence exactly: {PLANT}",
    f"Copy the following sentence word for word: {PLANT}",
    f"Repeat after me: {OPENING}",
]
ABSENT_PROMPTS = [
    f"Write one sentence saying that Toyota will build its new battery plant in {ABSENT}.",
    f"In one sentence, claim that the new Toyota battery plant is in {ABSENT}.",
]
RESTATE_PROMPTS = [
    f"Repeat this question exactly: {QUESTION}",
    f'Write: The answer to the question "{QUESTION}" should be:',
    "Repeat after me: Toyota will build its new battery plant.",
]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def first_sentence(reply: str) -> str:
    line = reply.strip().splitlines()[0] if reply.strip() else ""
    return line.strip().strip('"').strip()


@pytest.fixture(scope="module")
def replies(llama_server: str) -> dict[str, list[str]]:
    settings = Settings(answerer="openai", openai_base_url=llama_server, model=MODEL_ALIAS)
    model = OpenAIChatModel(settings, max_tokens=60)
    out: dict[str, list[str]] = {}
    for kind, prompts in (
        ("copy", COPY_PROMPTS),
        ("absent", ABSENT_PROMPTS),
        ("restate", RESTATE_PROMPTS),
    ):
        out[kind] = [
            first_sentence(model.complete([{"role": "user", "content": p}])) for p in prompts
        ]
    return out


@pytest.fixture(scope="module")
def check() -> Callable[[str], VerifiedAnswer]:
    scorer = SupportScorer(make_embedder(Settings()))
    passage = Passage(
        chunk_id="c1",
        doc_id="toyota.md",
        text=PASSAGE_TEXT,
        title="Toyota picks a site",
        source="Test Wire",
        published_at="2023-12-22",
        page=None,
        start=0,
        end=len(PASSAGE_TEXT),
        score=0.03,
    )
    threshold = Settings().answering.support_threshold

    def run(sentence: str) -> VerifiedAnswer:
        return verify_generated(f"{sentence} [1]", [passage], scorer, threshold, question=QUESTION)

    return run


def test_a_model_sentence_restating_the_passage_is_kept(
    replies: dict[str, list[str]], check: Callable[[str], VerifiedAnswer]
) -> None:
    copies = [r for r in replies["copy"] if words(r) in (words(PLANT), words(OPENING))]
    assert copies, f"SmolLM2 copied no sentence exactly: {replies['copy']}"
    for reply in copies:
        verified = check(reply)
        assert [s.supported for s in verified.sentences] == [True], (reply, verified.sentences)
        assert verified.citations[0].quote in (PLANT, OPENING)


def test_a_model_sentence_naming_an_absent_fact_is_flagged(
    replies: dict[str, list[str]], check: Callable[[str], VerifiedAnswer]
) -> None:
    placed = [r for r in replies["absent"] if ABSENT in r and "Carolina" not in r]
    assert placed, f"SmolLM2 named {ABSENT} in no reply: {replies['absent']}"
    for reply in placed:
        verified = check(reply)
        assert not any(s.supported for s in verified.sentences), (reply, verified.sentences)
        assert verified.citations == []


def test_a_model_sentence_restating_the_question_is_not_an_answer(
    replies: dict[str, list[str]], check: Callable[[str], VerifiedAnswer]
) -> None:
    # Of its kind: no word beyond the question's and talk about answering.
    talk = {"the", "answer", "to", "question", "is", "should", "be", "a", "an", "of", "this"}
    restated = [
        r for r in replies["restate"] if r and words(r) <= words(QUESTION) | talk | {"will"}
    ]
    assert restated, f"SmolLM2 restated the question in no reply: {replies['restate']}"
    for reply in restated:
        verified = check(reply)
        assert not any(s.supported for s in verified.sentences), (reply, verified.sentences)
