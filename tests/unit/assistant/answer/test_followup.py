"""Follow-ups stay on what was just cited; a new question starts clean (issue 25)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant import Assistant
from assistant.answer.condense import (
    DATE,
    LINK,
    SOURCE,
    document_question,
    heuristic_standalone,
    is_question,
)
from assistant.answer.followup import previous_answer, readable_date
from assistant.errors import BadInputError
from assistant.inputs import check_history

BYD = "Where is BYD building its first European car plant?"
BYD_DOC = "2023-12-22-byd-hungary-plant.md"
BYD_QUOTE = (
    "BYD will build its first European passenger-car factory near Szeged, a university "
    "city in southern Hungary close to the borders with Serbia and Romania."
)
CATL = "What did CATL announce about battery costs?"
IONNA = "Which automaker joined Ionna as its eighth investor?"
IONNA_DOC = "2024-07-10-charging-nacs-ionna-afir.md"


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def reply(text: str, **record: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": text, **record}


BYD_TURN = [
    user(BYD),
    reply(
        f"{BYD_QUOTE} [1]",
        citations=[{"doc_id": BYD_DOC, "quote": BYD_QUOTE}],
        short_answer=None,
        standalone_question=BYD,
    ),
]


# --- which follow-up is which ---------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was that reported?", DATE),
        ("And when was it published?", DATE),
        ("Who reported it?", SOURCE),
        ("Which outlet?", SOURCE),
        ("Where was that reported?", SOURCE),
        ("Is there a link?", LINK),
    ],
)
def test_questions_about_the_cited_document_are_recognised(question: str, kind: str) -> None:
    assert document_question(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        "Which outlet reported the Tesla recall?",  # names its own subject
        "When was it?",  # the event's date, not the article's
        "Which company reported record sales?",
        "When will it open?",
    ],
)
def test_other_questions_are_not_about_the_cited_document(question: str) -> None:
    assert document_question(question) is None


# --- the readable standalone question ---------------------------------------------------


def test_it_is_bound_to_what_the_where_question_asked_about_with_its_answer() -> None:
    out = heuristic_standalone("When will it open?", BYD_TURN)
    assert out == "When will BYD's first European car plant in Szeged open?"


def test_a_bare_noun_is_bound_to_the_noun_phrase_it_repeats() -> None:
    out = heuristic_standalone("How much will the plant cost?", BYD_TURN)
    assert out == "How much will BYD's first European car plant in Szeged cost?"


def test_it_is_bound_to_the_name_a_which_company_question_got() -> None:
    history = [user(IONNA), reply("Toyota — Toyota said … [1]", short_answer="Toyota",
                                  citations=[{"doc_id": IONNA_DOC}])]  # fmt: skip
    assert heuristic_standalone("Where is it based?", history) == "Where is Toyota based?"
    assert heuristic_standalone("Who leads the company?", history) == "Who leads Toyota?"
    assert heuristic_standalone("Who is its CEO?", history) == "Who is Toyota's CEO?"


def test_that_gets_what_the_answer_stated() -> None:
    out = heuristic_standalone("When did that happen?", [user(IONNA), reply("Toyota [1]")])
    assert out == "When did that happen (Toyota joined Ionna as its eighth investor)?"


def test_a_question_word_alone_re_asks_the_previous_question() -> None:
    assert heuristic_standalone("When?", BYD_TURN) == (
        "When is BYD building its first European car plant?"
    )


def test_a_document_question_leaves_the_subject_to_the_next_follow_up() -> None:
    history = [*BYD_TURN, user("Who reported it?"), reply("evchat sample — … [1]")]
    out = heuristic_standalone("When will it open?", history)
    assert out == "When will BYD's first European car plant in Szeged open?"


def test_a_new_question_is_asked_as_written() -> None:
    question = "Which automaker recalled the most cars in 2024?"
    assert heuristic_standalone(question, BYD_TURN) == question


# --- the model's rewrite is checked -----------------------------------------------------


def test_the_smollm_non_question_is_not_a_question() -> None:
    smollm = f'The answer to the question "{BYD}" should be:'
    assert not is_question(smollm)
    assert not is_question("Szeged, Hungary.")
    assert is_question("When will BYD's plant in Szeged open?")
    assert is_question("In which year did Toyota join Ionna?")


# --- the history carries what was cited -------------------------------------------------


def test_history_keeps_what_an_answer_cited() -> None:
    [_, checked] = check_history(BYD_TURN)
    assert checked["citations"] == [{"doc_id": BYD_DOC, "quote": BYD_QUOTE}]
    assert checked["standalone_question"] == BYD
    assert previous_answer(check_history(BYD_TURN)).doc_ids == (BYD_DOC,)  # type: ignore[union-attr]


@pytest.mark.parametrize("citations", ["doc-1", [{"quote": "no id"}], [3]])
def test_malformed_citations_in_the_history_are_refused(citations: Any) -> None:
    with pytest.raises(BadInputError, match="citation"):
        check_history([user(BYD), reply("…", citations=citations)])


def test_readable_date() -> None:
    assert readable_date("2024-03-20") == "20 March 2024"
    assert readable_date("2024-03-20T10:00:00+00:00") == "20 March 2024"
    assert readable_date(None) is None


# --- through the assistant --------------------------------------------------------------


def test_date_and_source_follow_ups_answer_from_the_cited_document(
    sample_assistant: Assistant,
) -> None:
    chat = sample_assistant.conversations("followups-date").new()
    first = chat.ask(CATL)
    doc = first.citations[0]
    when = chat.ask("When was that reported?")
    assert [c.doc_id for c in when.citations] == [doc.doc_id]
    assert when.short_answer == readable_date(doc.published_at)
    assert readable_date(doc.published_at) in when.text  # type: ignore[operator]
    assert doc.title in when.standalone_question
    assert when.citations[0].quote in when.passages[0].text
    who = chat.ask("Who reported it?")
    assert [c.doc_id for c in who.citations] == [doc.doc_id]
    assert who.short_answer == doc.source


def test_a_pronoun_follow_up_prefers_the_cited_document(sample_assistant: Assistant) -> None:
    chat = sample_assistant.conversations("followups-pronoun").new()
    chat.ask(BYD)
    follow = chat.ask("When will it open?")
    assert follow.standalone_question.startswith("When will BYD's first European car plant")
    assert "(" not in follow.standalone_question
    assert follow.passages[0].doc_id == BYD_DOC


def test_when_will_it_open_is_answered_about_the_bound_plant(sample_assistant: Assistant) -> None:
    """The README's example: the Szeged article says production begins "within about three
    years"; its "Update (July 2024)" line about the Rayong plant in Thailand is about
    another plant, and was the answer before (issue 25)."""
    chat = sample_assistant.conversations("followups-open").new()
    chat.ask(BYD)
    follow = chat.ask("When will it open?")
    assert follow.standalone_question == "When will BYD's first European car plant in Szeged open?"
    assert not follow.refused
    assert follow.short_answer == "within about three years"
    assert [c.doc_id for c in follow.citations] == [BYD_DOC]
    assert "within about three years" in follow.citations[0].quote
    assert "Rayong" not in follow.text and "July 2024" not in follow.text


def test_a_new_question_in_a_conversation_is_answered_as_alone(
    sample_assistant: Assistant,
) -> None:
    chat = sample_assistant.conversations("followups-new").new()
    chat.ask(BYD)
    chat.ask("When was that reported?")
    question = "Which automaker joined Ionna as its eighth investor?"
    inside, alone = chat.ask(question), sample_assistant.ask(question)
    assert inside.text == alone.text
    assert [c.doc_id for c in inside.citations] == [c.doc_id for c in alone.citations]


def test_a_history_without_citations_finds_the_cited_document_by_its_text(
    sample_assistant: Assistant,
) -> None:
    first = sample_assistant.ask(BYD)
    history = [(BYD, first.text)]  # plain pairs, as an API client may send them
    when = sample_assistant.ask("When was that reported?", history=history)
    assert when.citations[0].doc_id == first.citations[0].doc_id
    assert when.short_answer == readable_date(first.citations[0].published_at)


@pytest.mark.parametrize(
    "question",
    [
        "In which country did the first electric bus factory of BYD open?",
        "After Reuters reported the recall, was there a second one?",
        "Which large retailer announced it will stop selling e-bikes?",
        "Zephyr Cells is opening a plant. What is it called?",
        "A battery plant near Lyon is to close despite a campaign to save it?",
    ],
)
def test_standalone_questions_with_a_preposition_or_their_own_subject_are_new(
    question: str,
) -> None:
    assert heuristic_standalone(question, BYD_TURN) == question


@pytest.mark.parametrize("question", ["In 2023?", "For Ford?", "Tell me more about it."])
def test_fragments_and_imperatives_still_follow_up(question: str) -> None:
    assert heuristic_standalone(question, BYD_TURN) != question


def test_a_pronoun_after_of_or_with_points_past_the_question_s_which_phrase() -> None:
    state = [user("Which country had an earthquake?"), reply("China [1]")]
    out = heuristic_standalone("A quake struck which remote region of it?", state)
    assert out == "A quake struck which remote region of China?"


def test_a_pronoun_after_a_preposition_or_beside_a_number_still_points_back() -> None:
    state = [user("Which state has the most wildfires?"), reply("California [1]")]
    out = heuristic_standalone("Which blaze is now the largest wildfire in it?", state)
    assert out == "Which blaze is now the largest wildfire in California?"
    maker = [user("Which automaker is recalling SUVs?"), reply("Ford [1]")]
    out = heuristic_standalone("Why did it recall nearly 700,000 SUVs this week?", maker)
    assert out == "Why did Ford recall nearly 700,000 SUVs this week?"


PLANT = "BYD's first European car plant in Szeged"


@pytest.mark.parametrize(
    ("question", "bound"),
    [
        ("When will it open in Hungary?", f"When will {PLANT} open in Hungary?"),
        ("How much will it cost in euros?", f"How much will {PLANT} cost in euros?"),
    ],
)
def test_a_pronoun_subject_points_back_whatever_the_question_names_after_it(
    question: str, bound: str
) -> None:
    assert heuristic_standalone(question, BYD_TURN) == bound


@pytest.mark.parametrize(
    "question",
    [
        "Is it true that Tesla cut prices in China?",
        "How long has it been since Tesla opened its Shanghai plant?",
        "How much will it cost to build a Tesla plant in Mexico?",
        "Tesla said it would cut prices in China?",
    ],
)
def test_an_it_that_stands_for_nothing_or_for_the_question_s_own_name_is_new(
    question: str,
) -> None:
    assert heuristic_standalone(question, BYD_TURN) == question


def test_a_which_phrase_before_a_subject_pronoun_is_what_it_asks_for() -> None:
    maker = [user("Tell me about Tesla."), reply("Tesla makes electric cars. [1]")]
    out = heuristic_standalone("Which new product did it debut at an event this week?", maker)
    assert out == "Which new product did Tesla debut at an event this week?"
    own = heuristic_standalone(
        "Which large retailer announced it will stop selling e-bikes?", maker
    )
    assert own == "Which large retailer announced it will stop selling e-bikes?"


def test_an_imperative_opener_is_no_name() -> None:
    about = [user("Tell me about Ford."), reply("Ford is recalling SUVs. [1]")]
    out = heuristic_standalone("Why did it recall nearly 700,000 SUVs this week?", about)
    assert out == "Why did Ford recall nearly 700,000 SUVs this week?"


@pytest.mark.parametrize(
    ("quote", "question", "named"),
    [
        ("Search crews in Australia found carp.", "Which country has carp?", "Australia"),
        ("New Zealand unveiled a slogan.", "Which country has a slogan?", "New Zealand"),
        ("Two California cities were hit by storms.", "Which state had storms?", "California"),
        ("Japanese buyers chose Xiaomi.", "Which brand won buyers?", "Xiaomi"),
    ],
)
def test_without_a_short_answer_it_is_the_first_name_the_claims_analysis_reads(
    quote: str, question: str, named: str
) -> None:
    history = [user(question), reply(f"{quote} [1]", citations=[{"doc_id": "d", "quote": quote}])]
    assert heuristic_standalone("Why did it make the news?", history) == (
        f"Why did {named} make the news?"
    )
