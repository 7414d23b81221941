"""How benchmarks/followups.py makes its pronoun follow-ups, on invented questions."""

from __future__ import annotations

import re

import pytest

from benchmarks.followups import pronoun_question, pronoun_slot, subject_question


def q(qid: str, question: str, answer: str) -> dict[str, str]:
    return {"qid": qid, "question": question, "answer": answer}


@pytest.mark.parametrize(
    ("question", "name", "ok"),
    [
        ("Why did Ford recall 700,000 SUVs this week?", "Ford", True),
        ("Which blaze is the largest wildfire in California this year?", "California", True),
        ("A storm is slamming California, causing floods. Where?", "California", True),
        ("How much did Ford pay for Maxwell?", "Ford", True),  # a name after it may stay
        ("What was the largest heist in US history?", "US", False),  # a modifier
        ("Which Tesla rival did GM overtake in China?", "China", False),  # names before it
        ("Which long-running British soap ended?", "British", False),
        ("What did the Ford spokesman say?", "Ford", False),  # after an article
        ("Residents in Washington, DC, heard a boom. Why?", "Washington", False),  # one place
    ],
)
def test_it_stands_only_where_a_reader_would_put_it(question: str, name: str, ok: bool) -> None:
    m = re.compile(rf"\b{re.escape(name)}(['’]s)?").search(question)
    assert m is not None
    assert pronoun_slot(question, m) is ok


def test_the_answer_entity_follow_up_is_another_question_naming_it() -> None:
    first = q("1", "Which automaker is recalling SUVs this week?", "Ford")
    pool = [first, q("2", "Why did Ford recall 700,000 SUVs?", "wiring"),
            q("3", "Who leads Ford?", "Jim Farley")]  # fmt: skip
    found = pronoun_question(first, pool)
    assert found is not None and found["qid"] == "2"
    assert found["pronoun_question"] == "Why did it recall 700,000 SUVs?"


def test_no_follow_up_is_made_for_a_person_or_an_unknown_name() -> None:
    pool = [q("2", "Why did Jim Farley resign?", "health")]
    assert pronoun_question(q("1", "Which executive is leaving?", "Jim Farley"), pool) is None
    pool = [q("2", "Why did Zorblax recall cars?", "brakes")]
    assert pronoun_question(q("1", "Which automaker is recalling cars?", "Zorblax"), pool) is None


def test_the_subject_follow_up_makes_the_question_s_own_name_it() -> None:
    asked = q("1", "Which new product did Tesla debut at an event this week?", "Cybercab")
    assert subject_question(asked) == (
        "Tesla",
        "Which new product did it debut at an event this week?",
    )
    answer = q("2", "Which automaker did Tesla overtake?", "Ford")
    assert subject_question(answer) is not None
    assert subject_question(q("3", "Which company overtook Tesla?", "Tesla")) is None
