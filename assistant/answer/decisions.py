"""The learned decisions: logistic models whose weights ``benchmarks/fit_decisions.py`` fits.

One data file, ``decisions.json`` beside this module, holds every model: its feature
names, the standardisation and coefficients the fit found, its decision threshold, and
the fit's figures (on the part of each set it was fitted on and on the part it never
saw). Nothing in it is set by hand; re-run the script to refit::

    python -m benchmarks.fit_decisions

The models, in the order the pipeline uses them:

* ``preselect``: which candidate sentences are worth the embedding model's time (the
  sentence features without the embedding similarity);
* ``sentence``: the probability that a sentence states the answer;
* ``answerable``: the probability that the retrieved documents answer the question; the
  answer is a refusal below the model's threshold;
* ``verdict``, ``span`` and ``show``: the yes/no verdict, the short answer and whether it
  is shown (:mod:`.yesno`, :mod:`.short_answer`);
* ``choice``: which option of a multiple-choice question is the answer, if any
  (:mod:`.choices`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

FILE = "decisions.json"


@dataclass(frozen=True)
class LogisticModel:
    """A fitted logistic model over named features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The linear score of each row of ``x`` (columns in :attr:`features` order)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def prob(self, x: np.ndarray) -> np.ndarray:
        """The probability of each row of ``x``."""
        return 1.0 / (1.0 + np.exp(-self.logits(x)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LogisticModel:
        """A model from its JSON form (see :meth:`to_dict`)."""
        return cls(
            features=tuple(d["features"]),
            mean=np.asarray(d["mean"], dtype=np.float64),
            scale=np.asarray(d["scale"], dtype=np.float64),
            coef=np.asarray(d["coef"], dtype=np.float64),
            intercept=float(d["intercept"]),
            threshold=float(d.get("threshold", 0.5)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: features, mean, scale, coef, intercept, threshold."""
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 6),
        }


@cache
def load_decisions() -> dict[str, Any]:
    """The whole data file (models and the fit's figures)."""
    text = resources.files("assistant.answer").joinpath(FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def model(name: str) -> LogisticModel:
    """The fitted model ``name`` (one of those listed in the module docstring)."""
    return LogisticModel.from_dict(load_decisions()["models"][name])
