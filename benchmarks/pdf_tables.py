"""Table questions on PDF reports: retrieval hits@5 and answer accuracy, and load speed.

Indexes the generated reports of ``tests/fixtures/pdf_reports`` together with ``samples/``
(distractors) into a fresh ``EVCHAT_HOME`` and asks each ``QUESTIONS`` item with the
extractive answerer (no model needed):

* ``hits@5``: a top-5 passage of the right report holds the cell's value;
* ``row hits@5``: ... holds it on one line with its row label (the row survived);
* ``accuracy``: the answer is not refused and a citation of the right report quotes the
  cell's value;
* ``quoted with headers``: ... and that quote names the row and the column too.

Also times ``load()`` over a folder of ``--copies`` copies of the reports (PDF-heavy).
Run it on another checkout (``PYTHONPATH=that/checkout``) for a before/after row.

    .venv/bin/python -m benchmarks.pdf_tables [--copies 20] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from assistant import Assistant, Settings
from index.ingest.loaders import SourceFile, load
from tests.fixtures.pdf_reports.reports import QUESTIONS, REPORTS, TableQuestion

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "pdf_reports"


def _score(assistant: Assistant, q: TableQuestion) -> dict[str, bool]:
    passages = [p for p in assistant.search(q.question, k=5) if p.doc_id.endswith(q.file)]
    answer = assistant.ask(q.question, answerer="extractive")
    quotes = [c.quote for c in answer.citations if c.doc_id.endswith(q.file)]
    with_cell = [quote for quote in quotes if q.cell in quote]
    return {
        "hits@5": any(q.cell in p.text for p in passages),
        "row hits@5": any(
            q.cell in line and q.row in line for p in passages for line in p.text.split("\n")
        ),
        "accuracy": not answer.refused and bool(with_cell),
        "quoted with headers": not answer.refused
        and any(q.row in quote and q.column in quote for quote in with_cell),
    }


def questions(home: Path) -> dict[str, object]:
    """Index reports + samples into ``home`` and score every table question."""
    corpus = home / "corpus"
    corpus.mkdir(parents=True)
    for report in REPORTS:
        shutil.copy(FIXTURES / report.file, corpus / report.file)
    shutil.copytree(REPO / "samples", corpus / "samples")
    assistant = Assistant(Settings(home=str(home / "store")))
    report = assistant.index([corpus])
    rows = {q.question: _score(assistant, q) for q in QUESTIONS}
    totals = {
        metric: round(sum(r[metric] for r in rows.values()) / len(rows), 3)
        for metric in next(iter(rows.values()))
    }
    return {"indexed": report.documents, "failed": len(report.failed), **totals, "rows": rows}


def load_speed(home: Path, copies: int) -> dict[str, float]:
    """Seconds to load ``copies`` copies of every report (parse, layout, clean)."""
    folder = home / "pdfs"
    folder.mkdir()
    files = []
    for n in range(copies):
        for report in REPORTS:
            target = folder / f"{n:03d}-{report.file}"
            shutil.copy(FIXTURES / report.file, target)
            files.append(target)
    start = time.perf_counter()
    pages = 0
    for path in files:
        for doc in load(SourceFile(path, path.name, path.stat().st_size), 60 * 2**20):
            pages += len(getattr(doc, "pages", ()))
    seconds = time.perf_counter() - start
    return {
        "files": len(files),
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1),
    }


def main() -> None:
    """Print (and with ``--out`` write) the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "questions": questions(Path(tmp) / "q"),
            "load": load_speed(Path(tmp), args.copies),
        }
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
