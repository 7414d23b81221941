"""``evchat eval``: the harness and its report on a tiny synthetic set, and floor checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.eval.harness import collection_name, run_eval
from assistant.eval.metrics import EXTRA_KEYS, REPORT_KEYS, QuestionResult
from assistant.eval.report import EvalReport, build_report, check_floor, write_report
from assistant.settings import Settings

# Made-up companies and facts, written for this test.
DOCS = [
    {
        "doc_id": "d-harbin",
        "title": "Voltara opens a cell plant",
        "source": "Test Wire",
        "published_at": "2024-03-04",
        "doc_kind": "quiz_evidence_snippet",
        "text": "Voltara opened a lithium iron phosphate cell plant in Debrecen, Hungary, on "
        "Monday. The factory will make 12,000 tonnes of cathode material a year and employ "
        "1,400 people.",
    },
    {
        "doc_id": "d-tariff",
        "title": "Ontario tariff on imported EVs",
        "source": "Test Wire",
        "published_at": "2024-04-10",
        "doc_kind": "quiz_evidence_snippet",
        "text": "The province of Ontario proposed a tariff of 18 percent on electric cars "
        "imported from outside North America. Dealers warned that prices would rise.",
    },
    {
        "doc_id": "d-rebate",
        "title": "Nordlys Motors cuts the price of its crossover",
        "source": "Test Wire",
        "published_at": "2024-05-02",
        "doc_kind": "web_search_result",
        "text": "Nordlys Motors cut the price of its Fjord crossover by $2,500 after sales "
        "slowed in the spring. The company also extended its free charging offer to "
        "three years.",
    },
    {
        "doc_id": "d-charging",
        "title": "Kestrel EV shares its chargers",
        "source": "Test Wire",
        "published_at": "2024-06-20",
        "doc_kind": "web_search_result",
        "text": "Kestrel EV will open its fast-charging network of 900 stations to drivers "
        "of other brands from September. An adapter will be sold for forty dollars.",
    },
    {
        "doc_id": "d-recycle",
        "title": "Sunfield Auto recycles lithium",
        "source": "Test Wire",
        "published_at": "2024-07-15",
        "doc_kind": "web_search_result",
        "text": "A recycling partner of Sunfield Auto in Morocco recovers 92 percent of the "
        "lithium from scrap battery cells, the company said in its sustainability report.",
    },
]

QUESTIONS = [
    {
        "qid": "q1",
        "question": "In which country did Voltara open a lithium iron phosphate cell plant?",
        "answer": "Hungary",
        "choices": ["Poland", "Hungary", "Spain", "Norway"],
        "gold_doc_ids": ["d-harbin"],
        "gold_evidence": [
            "Voltara opened a lithium iron phosphate cell plant in Debrecen, Hungary"
        ],
        "question_type": "single_hop_news_fact",
        "answerable": True,
        "as_of_date": "2024-03-08",
    },
    {
        "qid": "q2",
        "question": "What tariff did Ontario propose on electric cars imported from outside "
        "North America?",
        "answer": "18%",
        "gold_doc_ids": ["d-tariff"],
        "gold_evidence": [],
        "question_type": "single_hop_news_fact",
        "answerable": True,
        "as_of_date": "2024-04-12",
    },
    {
        "qid": "q3",
        "question": "By how much did Nordlys Motors cut the price of its Fjord crossover?",
        "answer": "2500",
        "gold_doc_ids": ["d-rebate"],
        "gold_evidence": [],
        "question_type": "temporal_query",
        "answerable": True,
        "as_of_date": None,
    },
    {
        "qid": "q4",
        "question": "Who is the chief financial officer of Quillmarsh Aerodynamics?",
        "answer": None,
        "gold_doc_ids": [],
        "gold_evidence": [],
        "question_type": "unanswerable_constructed",
        "answerable": False,
        "as_of_date": "2024-08-01",
        "reference_answer_outside_corpus": "Ingrid Paulsen",
    },
]


def _write_set(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("documents.jsonl", DOCS), ("questions.jsonl", QUESTIONS)):
        with (folder / name).open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in rows)
    return folder


@pytest.fixture(scope="module")
def eval_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("eval")
    _write_set(root / "set")
    return root


@pytest.fixture(scope="module")
def report(eval_root: Path) -> EvalReport:
    settings = Settings(home=eval_root / "home", collection="evchat")
    return run_eval(eval_root / "set", settings, k=10, show_progress=False)


def test_open_questions_are_the_report_and_options_the_second_column(
    report: EvalReport, eval_root: Path
) -> None:
    assert report.with_options is not None
    q1 = report.with_options.details()["per_question"][0]
    assert q1["answer"].startswith("Hungary — "), q1
    assert q1["correct"] and q1["choice_correct"]
    assert report.details()["per_question_with_options"][0] == q1
    # questions without choices are asked once: both columns share their rows
    assert report.questions[1] is report.with_options.questions[1]
    assert report.questions[0] is not report.with_options.questions[0]
    assert report.with_options.questions[0].hit_rank == report.questions[0].hit_rank
    plain = run_eval(
        eval_root / "set",
        Settings(home=eval_root / "home", collection="evchat"),
        k=10,
        show_progress=False,
        options=False,
        limit=1,
    )
    assert plain.with_options is None and "with_options" not in plain.to_dict()
    assert plain.config["options"] is False


def test_report_keys_are_exactly_the_specified_ones(report: EvalReport) -> None:
    printed = report.to_dict()  # what --json prints
    assert set(printed) == {*REPORT_KEYS, "by_type", "with_options"}
    assert set(printed["with_options"]) == {*REPORT_KEYS, "by_type"}
    d = report.summary()
    assert set(d) == {*REPORT_KEYS, *EXTRA_KEYS, "by_type", "by_doc_kind", "with_options"}
    assert set(d["with_options"]) == {*REPORT_KEYS, *EXTRA_KEYS, "by_type", "by_doc_kind"}
    assert set(d["by_type"]) == {
        "single_hop_news_fact",
        "temporal_query",
        "unanswerable_constructed",
    }
    assert set(d["by_doc_kind"]) == {"quiz_evidence_snippet", "web_search_result"}
    assert d["n_questions"] == 4
    assert "per_question" not in d
    assert [row["qid"] for row in report.details()["per_question"]] == ["q1", "q2", "q3", "q4"]


def test_retrieval_citations_and_refusal_on_the_synthetic_set(report: EvalReport) -> None:
    d = report.summary()
    assert d["hits_at_5"] == 1.0
    assert d["hits_at_10"] == 1.0
    assert d["quotes_verbatim"] == 1.0
    assert d["refusal_recall"] == 1.0  # the made-up company is in no document
    assert d["outside_answer_rate"] == 0.0
    assert d["by_type"]["unanswerable_constructed"]["hits_at_5"] is None  # no gold: no ranking
    assert d["retrieve_ms_p95"] is not None and d["retrieve_ms_p95"] >= 0.0
    assert 0.0 <= d["answer_accuracy"] <= 1.0


def test_write_report_files(report: EvalReport, tmp_path: Path) -> None:
    paths = write_report(report, tmp_path / "out")
    assert [p.name for p in paths] == ["eval.json", "eval.md", "eval.png"]
    saved = json.loads(paths[0].read_text(encoding="utf-8"))
    assert saved["hits_at_5"] == report.summary()["hits_at_5"] and len(saved["per_question"]) == 4
    assert "| hits_at_5 |" in paths[1].read_text(encoding="utf-8")
    assert paths[2].read_bytes()[:4] == b"\x89PNG"


def test_check_floor_flags_metrics_below_the_floor(report: EvalReport, tmp_path: Path) -> None:
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"hits_at_5": 0.5, "quotes_verbatim": 1.0}), encoding="utf-8")
    assert check_floor(report, floor) == []
    floor.write_text(
        json.dumps(
            {
                "hits_at_5": 1.01,
                "answer_ms_p95": 0.0,
                "by_type": {"temporal_query": {"hits_at_1": 2}},
            }
        ),
        encoding="utf-8",
    )
    failures = check_floor(report, floor)
    assert len(failures) == 3, failures
    floor.write_text(json.dumps({"with_options": {"hits_at_5": 1.01}}), encoding="utf-8")
    assert [f.split()[0] for f in check_floor(report, floor)] == ["with_options.hits_at_5"]
    assert any(f.startswith("hits_at_5") for f in failures)
    assert any("ceiling" in f for f in failures)
    assert any(f.startswith("by_type.temporal_query.hits_at_1") for f in failures)


def test_check_floor_treats_error_rates_as_ceilings(report: EvalReport, tmp_path: Path) -> None:
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"_comment": "x", "false_refusal_rate": -0.1}), encoding="utf-8")
    assert [f.split()[0] for f in check_floor(report, floor)] == ["false_refusal_rate"]
    floor.write_text(
        json.dumps({"false_refusal_rate": 1.0, "outside_answer_rate": 0.0}), encoding="utf-8"
    )
    assert check_floor(report, floor) == []


def test_check_floor_always_fails_a_quote_that_is_not_verbatim(tmp_path: Path) -> None:
    bad = QuestionResult("x", "single_hop_news_fact", True, has_gold=True, hit_rank=1)
    bad.citations, bad.verbatim_citations = 2, 1
    floor = tmp_path / "floor.json"
    floor.write_text("{}", encoding="utf-8")
    assert any("quotes_verbatim" in f for f in check_floor(build_report([bad]), floor))


def test_collection_name_is_stable_and_valid(tmp_path: Path) -> None:
    name = collection_name(tmp_path)
    assert name == collection_name(tmp_path / "." / "")
    assert name.startswith("eval-") and len(name) == 13
