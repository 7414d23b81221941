"""Multiple-choice questions: the answer names the option the evidence supports, cited to
the sentence that names it, and refuses when the documents name none of the options."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Answer, Assistant
from assistant.answer.choices import OptionMatcher, clean_choices
from tests.fixtures.corpus import SUBSIDY_ARTICLE
from tests.fixtures.indexed import tiny_assistant

DOCS = {
    "subsidies.md": SUBSIDY_ARTICLE,
    "recall.md": (
        "Carmaker recalls SUVs",
        "2024-03-02",
        "Ford is recalling 400,000 Escape SUVs because a cracked fuel injector can leak "
        "and cause an under-hood fire. Dealers will replace the injectors for free.",
    ),
    "plant.md": (
        "Battery plant opens",
        "2024-03-03",
        "CATL opened its first European battery cell factory in Arnstadt, in the state of "
        "Thuringia, with an initial capacity of eight gigawatt-hours a year.",
    ),
}


@pytest.fixture(scope="module")
def quiz_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return tiny_assistant(tmp_path_factory.mktemp("choices"), DOCS)


def _ask_one_article(
    root: Path, article: tuple[str, str, str], question: str, choices: list[str]
) -> Answer:
    """Index one (title, date, body) article under ``root`` and ask with ``choices``."""
    return tiny_assistant(root, {"article.md": article}).ask(question, choices=choices)


def test_an_adjective_names_its_country_but_robotaxi_does_not_name_robot() -> None:
    m = OptionMatcher("Which country pays the subsidy?", ["Germany", "Japan", "Robot"])
    assert m.coverage("The German government pays it.") == [1.0, 0.0, 0.0]
    assert m.coverage("A robotaxi fleet launched.") == [0.0, 0.0, 0.0]
    assert m.coverage("The Japanese maker sells robots.") == [0.0, 1.0, 1.0]


def test_words_the_question_uses_do_not_count_as_naming_an_option() -> None:
    m = OptionMatcher(
        "Why did Ford recall its SUVs?", ["Ford brakes squeak", "Ford fuel injector fire"]
    )
    # "Ford" is in every sentence about the recall; only the option's own words decide.
    assert m.coverage("Ford recalled SUVs because a fuel injector can cause a fire.") == [
        0.0,
        1.0,
    ]


def test_clean_choices_drops_blanks_and_duplicates() -> None:
    assert clean_choices([" Tesla ", "", "tesla", "BYD  Auto"]) == ["Tesla", "BYD Auto"]
    assert clean_choices(None) == []


def test_the_option_the_evidence_names_is_the_answer_with_a_verbatim_citation(
    quiz_bot: Assistant,
) -> None:
    answer = quiz_bot.ask(
        "Which country is doubling its subsidies for electric cars?",
        choices=["Canada", "Germany", "Sweden", "Japan"],
    )
    assert not answer.refused, answer.text
    assert answer.text.startswith("Germany — ")
    assert len(answer.citations) == 1
    cite = answer.citations[0]
    assert cite.doc_id == "subsidies.md"
    assert "German government" in cite.quote
    assert answer.text.endswith("[1]")


def test_a_multi_word_option_is_matched_by_its_own_words(quiz_bot: Assistant) -> None:
    answer = quiz_bot.ask(
        "Why is Ford recalling Escape SUVs?",
        choices=[
            "Airbags may deploy unexpectedly",
            "Fuel injector may cause a fire",
            "Brakes are squeaky",
        ],
    )
    assert answer.text.startswith("Fuel injector may cause a fire — "), answer.text
    assert answer.citations[0].doc_id == "recall.md"


def test_options_the_documents_never_name_are_refused(quiz_bot: Assistant) -> None:
    # The evidence is on topic (a European battery plant) but names none of the places.
    answer = quiz_bot.ask(
        "In which country did CATL open its first European battery cell factory?",
        choices=["Hungary", "Spain", "Poland", "France"],
    )
    assert answer.refused, answer.text
    assert answer.citations == []


def test_without_options_the_same_question_quotes_the_evidence(quiz_bot: Assistant) -> None:
    answer = quiz_bot.ask("Which country is doubling its subsidies for electric cars?")
    assert not answer.refused
    assert not answer.text.startswith("Germany")
    assert "German government" in answer.text


def test_options_reach_the_model_prompt(tmp_path: Path) -> None:
    from assistant.prompts import PromptSet
    from assistant.settings import Settings

    prompts = PromptSet(Settings(home=tmp_path).answering.prompts_dir)
    rendered = prompts.render("options", question="Which maker?", options="BYD; Tesla")
    assert rendered.startswith("Which maker?")
    assert "BYD; Tesla" in rendered


def test_an_option_only_paraphrased_is_found_by_meaning_when_it_clearly_stands_out(
    tmp_path: Path,
) -> None:
    answer = _ask_one_article(
        tmp_path,
        (
            "Tariffs and grocery bills",
            "2024-03-04",
            "Fresh produce such as tomatoes, avocados and berries could see price hikes "
            "if the new tariffs on Mexican imports are enacted.",
        ),
        "Which products are expected to get more expensive if the tariffs are enacted?",
        ["Fruits and vegetables", "Toys and games", "Computer chips", "Jet fuel"],
    )
    # The passage never names the option: the answer says it was matched by meaning.
    assert answer.text.startswith("Fruits and vegetables (closest in meaning) — "), answer.text
    assert answer.warning and "do not name 'Fruits and vegetables'" in answer.warning
    assert answer.citations[0].doc_id == "article.md"


def test_an_option_named_only_by_the_headline_counts_for_its_sentences(tmp_path: Path) -> None:
    answer = _ask_one_article(
        tmp_path,
        (
            "Tesla earnings slump",
            "2024-04-24",
            "The embattled company reported an ugly financial performance for the first "
            "quarter, with profit down by almost half from a year earlier.",
        ),
        "Which automaker reported a plunge in quarterly profit?",
        ["Honda", "Porsche", "Toyota", "Tesla"],
    )
    assert answer.text.startswith("Tesla — The embattled company"), answer.text


def test_the_support_scorer_embeds_each_sentence_once(quiz_bot: Assistant) -> None:
    from assistant.answer.support import SupportScorer

    calls: list[int] = []

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def embed_array(self, texts: list[str]) -> object:
            calls.append(len(texts))
            return self.inner.embed_array(texts)  # type: ignore[attr-defined]

        def embed_one(self, text: str) -> object:
            return self.inner.embed_one(text)  # type: ignore[attr-defined]

    scorer = SupportScorer(Counting(quiz_bot.embedder))  # type: ignore[arg-type]
    first = scorer.score("subsidy", ["One sentence.", "Another sentence."])
    again = scorer.score("bonus", ["Another sentence.", "A third sentence."])
    assert calls == [2, 1]
    assert first.shape == again.shape == (2,)


def test_cli_takes_options_with_repeated_choice_flags(
    sample_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    monkeypatch.setenv("EVCHAT_HOME", str(sample_assistant.settings.store.home))
    monkeypatch.setenv("EVCHAT_ANSWERER", "extractive")
    code = main(
        [
            "ask",
            "Which country's share of electric new cars reached about nine in ten in 2024?",
            "--choice",
            "Sweden",
            "--choice",
            "Norway",
            "--choice",
            "Denmark",
            "--json",
        ]
    )
    assert code == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["answer"].startswith("Norway — ")
    assert out["citations"][0]["doc_id"] == "2025-01-02-norway-ev-share-2024.md"
