"""The answer pipeline: its stages are modules named after them, run in the written order."""

from __future__ import annotations

import importlib

from assistant import Assistant
from assistant.answer import pipeline


def test_every_stage_is_a_module_of_its_name() -> None:
    assert pipeline.STAGES == ("condense", "retrieve", "evidence", "draft", "verify", "compose")
    drafts = ("extractive", "choices", "generated")
    for stage in pipeline.STAGES:
        for name in drafts if stage == "draft" else (stage,):
            assert importlib.import_module(f"assistant.answer.{name}").__doc__


def test_an_answer_passes_every_stage_and_reports_their_times(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask("Which automaker became the eighth investor in Ionna?")
    assert list(answer.timings_ms) == ["condense", "retrieve", "verify", "answer"]
    assert not answer.refused and answer.citations
    assert answer.citations[0].quote in answer.text


def test_the_evidence_gate_refuses_an_unrelated_question(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("What did Zorblax Motors say about its hyperdrive sedan?")
    assert answer.refused and not answer.citations and answer.passages
