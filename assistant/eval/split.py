"""The fitting part and the check part of a question set, by a hash of each question's id.

The learned decisions (``benchmarks/fit_decisions.py``) are fitted on the ``fit`` part of
a set and measured on its ``check`` part, which the fit never sees; ``evchat eval --part``
measures either. The split is stable: a question's part depends on its ``qid`` alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal

Part = Literal["fit", "check"]
CHECK_SHARE = 0.3  # of each set, kept out of the fit


def part_of(qid: str) -> Part:
    """The part question ``qid`` belongs to."""
    h = int.from_bytes(hashlib.sha256(qid.encode("utf-8")).digest()[:4], "big")
    return "check" if h / 2**32 < CHECK_SHARE else "fit"


def select(questions: Iterable[dict[str, Any]], part: Part | None) -> list[dict[str, Any]]:
    """The questions of ``part`` (all of them when ``part`` is None)."""
    return [q for q in questions if part is None or part_of(str(q["qid"])) == part]
