"""evchat's evaluation harness: ``evchat eval`` on a labelled question set.

:mod:`.harness` indexes the set and asks every question, :mod:`.metrics` scores one answer
at a time, :mod:`.report` aggregates, writes Markdown/JSON/chart and checks a floor file.
"""

from assistant.eval.harness import run_eval
from assistant.eval.report import EvalReport, check_floor, write_report

__all__ = ["EvalReport", "check_floor", "run_eval", "write_report"]
