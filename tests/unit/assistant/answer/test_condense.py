"""Follow-up questions: the offline rewrite into a standalone question, and ask(history=...)."""

from __future__ import annotations

from assistant import Assistant
from assistant.answer.condense import heuristic_standalone

CATL = "What energy density does CATL claim for its Naxtra sodium-ion car battery?"
IONNA = "Which automaker joined Ionna as its eighth investor?"
IONNA_DOC = "2024-07-10-charging-nacs-ionna-afir.md"


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def bot(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


def test_what_about_replaces_the_subject_of_the_previous_question() -> None:
    out = heuristic_standalone("and what about BYD?", [user(CATL), bot("175 Wh/kg [1]")])
    assert "BYD" in out
    assert "CATL" not in out
    assert "energy density" in out and "sodium-ion" in out


def test_what_about_uses_the_latest_user_question() -> None:
    history = [user(IONNA), bot("Toyota [1]"), user(CATL), bot("175 Wh/kg [1]")]
    out = heuristic_standalone("How about BYD?", history)
    assert "BYD" in out and "energy density" in out
    assert "Ionna" not in out


def test_that_follow_up_carries_what_the_previous_answer_stated() -> None:
    out = heuristic_standalone("When was that?", [user(IONNA), bot("Toyota [1]")])
    assert out == "When was that (Toyota joined Ionna as its eighth investor)?"


def test_standalone_question_is_left_alone() -> None:
    question = "Where has BYD run an electric bus factory in Hungary since 2017?"
    assert heuristic_standalone(question, [user(IONNA), bot("Toyota [1]")]) == question


def test_no_history_means_no_rewrite() -> None:
    assert heuristic_standalone("  When was that? ", []) == "When was that?"


def test_assistant_answers_a_follow_up_from_history(sample_assistant: Assistant) -> None:
    history = [user(IONNA), bot("Toyota became the eighth investor in Ionna. [1]")]
    answer = sample_assistant.ask("When did that happen?", history=history)
    assert answer.standalone_question != "When did that happen?"
    assert "Ionna" in answer.standalone_question
    assert answer.passages[0].doc_id == IONNA_DOC
    assert not answer.refused
    assert answer.citations[0].doc_id == IONNA_DOC


def test_history_as_pairs_is_accepted(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("When did that happen?", history=[(IONNA, "Toyota [1]")])
    assert "Ionna" in answer.standalone_question
    assert answer.passages[0].doc_id == IONNA_DOC


def test_without_history_the_follow_up_finds_nothing_specific(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask("When did that happen?")
    assert answer.standalone_question == "When did that happen?"
    assert answer.refused or answer.citations[0].doc_id != IONNA_DOC


BATTERY_TURNS = [
    user("Which battery chemistry is Ford using at its Marshall plant?"),
    bot("LFP [1]"),
    user("and what about solid-state batteries?"),
    bot("Toyota plans solid-state batteries [1]"),
]
ZORBLAX = "What did Zorblax Motors say about its hyperdrive sedan?"


def test_question_naming_its_own_subject_is_asked_as_written() -> None:
    assert heuristic_standalone(ZORBLAX, BATTERY_TURNS) == ZORBLAX


def test_pronoun_pointing_inside_the_question_is_not_a_follow_up() -> None:
    question = "Which automaker announced it will cut around 14,000 jobs?"
    assert heuristic_standalone(question, BATTERY_TURNS) == question


def test_fragment_follow_up_narrows_the_previous_question() -> None:
    out = heuristic_standalone("In 2023?", [user(IONNA), bot("Toyota [1]")])
    assert out == "Which automaker joined Ionna as its eighth investor in 2023?"


def test_this_week_points_to_time_not_to_the_conversation() -> None:
    question = "Which automaker recalled cars this week?"
    assert heuristic_standalone(question, [user(IONNA), bot("Toyota [1]")]) == question


def test_chain_of_follow_ups_carries_the_resolved_question_not_the_raw_follow_up() -> None:
    out = heuristic_standalone("When did that happen?", BATTERY_TURNS)
    assert out == (
        "When did that happen (Which battery chemistry is Ford using at its Marshall plant, "
        "and what about solid-state batteries)?"
    )


def test_what_about_a_topic_adds_it_instead_of_replacing_a_name() -> None:
    out = heuristic_standalone("What about solid-state batteries?", BATTERY_TURNS[:2])
    assert "Ford" in out and "Marshall" in out and "solid-state batteries" in out


def test_unknown_subject_after_battery_questions_is_refused(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(ZORBLAX, history=BATTERY_TURNS)
    assert answer.standalone_question == ZORBLAX
    assert answer.refused
