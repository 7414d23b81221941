"""Hybrid retrieval: as-of dates, filters, the per-document cap, recency and BM25."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant import Assistant, Filters
from tests.fixtures.indexed import tiny_assistant

BYD_Q4 = "How many battery-electric cars did BYD sell in Q4 2023?"
BYD_Q4_DOC = "2024-01-02-byd-overtakes-tesla-q4.md"


def test_as_of_excludes_documents_published_later(sample_assistant: Assistant) -> None:
    retriever = sample_assistant.retriever()
    unrestricted = retriever.retrieve(BYD_Q4, k=8)
    assert BYD_Q4_DOC in {p.doc_id for p in unrestricted}
    passages = retriever.retrieve(BYD_Q4, k=8, as_of="2024-01-01")
    assert passages
    assert all(p.published_at and p.published_at <= "2024-01-01" for p in passages), [
        (p.doc_id, p.published_at) for p in passages
    ]
    answer = sample_assistant.ask(BYD_Q4, as_of="2024-01-01")
    assert all(c.doc_id != BYD_Q4_DOC for c in answer.citations)
    assert all(p.doc_id != BYD_Q4_DOC for p in answer.passages)


def test_filter_by_source_keeps_only_that_source(sample_assistant: Assistant) -> None:
    question = "What duties did the EU put on Chinese electric cars?"
    retriever = sample_assistant.retriever()
    assert {p.source for p in retriever.retrieve(question, k=8)} != {"EV Industry Wire"}
    passages = retriever.retrieve(question, k=8, filters=Filters(sources=("EV Industry Wire",)))
    assert passages
    assert {p.source for p in passages} == {"EV Industry Wire"}


def test_filter_by_doc_ids_keeps_only_those_documents(sample_assistant: Assistant) -> None:
    wanted = ("2023-12-22-byd-hungary-plant.md", "2024-11-22-northvolt-chapter-11.md")
    passages = sample_assistant.retriever().retrieve(
        "Which battery makers build plants in Europe?", k=8, filters=Filters(doc_ids=wanted)
    )
    assert passages
    assert {p.doc_id for p in passages} <= set(wanted)


def test_filter_by_date_range_is_inclusive_and_exclusive_outside(
    sample_assistant: Assistant,
) -> None:
    question = "What happened to lithium and battery prices?"
    filters = Filters(date_from="2024-07-10", date_to="2024-10-10")
    passages = sample_assistant.retriever().retrieve(question, k=10, filters=filters)
    assert passages
    dates = {p.published_at for p in passages}
    assert all(d and "2024-07-10" <= d <= "2024-10-10" for d in dates), dates
    # Both ends are inclusive: the lithium article of 2024-10-10 is the best match.
    assert "2024-10-10" in dates


def test_filters_apply_through_ask(sample_assistant: Assistant) -> None:
    doc = "2024-07-10-charging-nacs-ionna-afir.md"
    answer = sample_assistant.ask(
        "Where has BYD run an electric bus factory in Hungary since 2017?",
        filters=Filters(doc_ids=(doc,)),
    )
    assert {p.doc_id for p in answer.passages} == {doc}
    assert all(c.doc_id == doc for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "What was the average battery pack price in the 2024 survey?",
        "What rates did the EU set on Chinese electric cars?",
        "How did lithium prices change?",
    ],
)
def test_no_more_than_max_chunks_per_doc(sample_assistant: Assistant, question: str) -> None:
    cap = sample_assistant.settings.retrieval.max_chunks_per_doc
    passages = sample_assistant.retriever().retrieve(question, k=12)
    assert len(passages) == 12
    per_doc = Counter(p.doc_id for p in passages)
    assert max(per_doc.values()) <= cap, per_doc


def test_cap_of_one_gives_distinct_documents(sample_assistant: Assistant) -> None:
    settings = sample_assistant.settings.replace(max_chunks_per_doc=1)
    bot = Assistant(settings)
    passages = bot.retriever().retrieve(
        "What was the average battery pack price in the 2024 survey?", k=6
    )
    doc_ids = [p.doc_id for p in passages]
    assert len(doc_ids) == 6
    assert len(set(doc_ids)) == len(doc_ids), doc_ids


# --- a tiny corpus for recency and exact-token retrieval --------------------------------

RAPID = (
    "Voltara opened a new fast-charging hub with twelve 350 kW chargers beside the "
    "motorway near Leipzig. Drivers can pay by card at every charger."
)
SODIUM = (
    "Nordlys Motors started building a sodium-ion battery line at its factory in Trondheim. "
    "The cells are meant for small city cars."
)
PART_DOCS = {
    f"supplier-{i}.md": (
        f"Supplier note {i}",
        "2024-03-01",
        f"The supplier {name} will deliver inverter part {code} to Kestrel EV from March. "
        "The inverter uses silicon carbide switches to cut losses in the drive unit.",
    )
    for i, (name, code) in enumerate(
        [
            ("Arlen Components", "HV4471Q"),
            ("Brixworth Power", "HV5812K"),
            ("Castell Electric", "HV6093M"),
            ("Dunmore Systems", "HV7354T"),
            ("Elgin Semiconductors", "HV8615Z"),
        ]
    )
}


@pytest.fixture(scope="module")
def tiny_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    # Two pairs of identical articles. In the charging pair the "b" file is newer, in the
    # sodium pair the "a" file is: ties of identical text cannot decide either pair alone.
    docs = {
        "a-charging.md": ("Charging hub opens", "2023-01-15", RAPID),
        "b-charging.md": ("Charging hub opens", "2024-06-01", RAPID),
        "a-sodium.md": ("Sodium-ion line", "2024-06-01", SODIUM),
        "b-sodium.md": ("Sodium-ion line", "2023-01-15", SODIUM),
        **PART_DOCS,
    }
    return tiny_assistant(tmp_path_factory.mktemp("tiny_retrieve"), docs)


@pytest.mark.parametrize(
    ("question", "newer"),
    [
        ("What is the latest on Voltara's fast-charging hub near Leipzig?", "b-charging.md"),
        ("What is the latest on the sodium-ion battery line in Trondheim?", "a-sodium.md"),
    ],
)
def test_recency_question_ranks_newer_of_equal_documents_first(
    tiny_bot: Assistant, question: str, newer: str
) -> None:
    passages = tiny_bot.retriever().retrieve(question, k=4)
    assert passages[0].doc_id == newer, [(p.doc_id, p.published_at) for p in passages]
    twin = next(p for p in passages if p.doc_id != newer and p.text == passages[0].text)
    assert passages[0].score > twin.score


def test_recency_is_measured_from_as_of(tiny_bot: Assistant) -> None:
    # As of 2023-06-01 the 2024 twin does not exist yet; the older one is the latest.
    passages = tiny_bot.retriever().retrieve(
        "What is the latest on Voltara's fast-charging hub near Leipzig?", k=4, as_of="2023-06-01"
    )
    assert passages
    assert passages[0].doc_id == "a-charging.md"
    assert "b-charging.md" not in {p.doc_id for p in passages}


@pytest.mark.parametrize(
    ("code", "doc"), [("HV4471Q", "supplier-0.md"), ("HV7354T", "supplier-3.md")]
)
def test_bm25_finds_an_exact_part_number(tiny_bot: Assistant, code: str, doc: str) -> None:
    question = f"Who delivers inverter part {code}?"
    # Hybrid retrieval puts the only document with the part number first ...
    assert tiny_bot.retriever().retrieve(question, k=3)[0].doc_id == doc
    # ... and so does BM25 on its own (dense weight 0), the part the dense model can miss.
    lexical = Assistant(tiny_bot.settings.replace(dense_weight=0.0))
    assert lexical.retriever().retrieve(question, k=3)[0].doc_id == doc
    answer = tiny_bot.ask(question)
    assert not answer.refused
    assert answer.citations[0].doc_id == doc
    assert code in answer.citations[0].quote
