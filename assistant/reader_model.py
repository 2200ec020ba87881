"""The reader's scoring model: a logistic regression over the unit features, fitted on labelled
questions by ``python -m eval.fit_reader`` and kept in ``assistant/reader_weights.json``.

Nothing here is set by hand: the weights, the feature scaling and the abstention cut all come
from the fit, which records how it was made (data, folds, held-out figures) beside them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ConfigError
from .reader_features import FEATURES, SEMANTIC

BUNDLED = Path(__file__).with_name("reader_weights.json")


@dataclass(frozen=True)
class Linear:
    """A fitted logistic regression: log-odds = standardised features . weights + bias."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> dict:
        return {"weights": self.weights.tolist(), "bias": self.bias, "mean": self.mean.tolist(),
                "scale": self.scale.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> Linear:
        return cls(np.array(data["weights"]), float(data["bias"]), np.array(data["mean"]), np.array(data["scale"]))


@dataclass(frozen=True)
class ReaderModel:
    """Two fitted steps. ``ranker`` orders the units of one question (fitted with each question's answering
    and other units weighted equally, so a question with many answering units does not dominate); ``gate``
    reads the best unit (its rank score and features; the fit weighs a few features, not the score) and
    gives the probability that it answers, which is the answer's confidence. Below ``threshold`` the answer
    abstains. Another unit joins the answer when its ranker probability is at least ``second_ratio`` times
    the best one's."""

    ranker: Linear
    gate: Linear
    threshold: float
    second_ratio: float
    meta: dict = field(default_factory=dict, compare=False)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return self.ranker.logits(x)

    def confidence(self, best_z: float, best_x: np.ndarray) -> float:
        return float(sigmoid(self.gate.logits(np.concatenate([[best_z], best_x]))))

    @property
    def semantic_weight(self) -> float:
        """Ranker log-odds per unit of similarity: positive in any sensible fit, which lets the reader bound
        a unit's score before embedding it."""
        return float(self.ranker.weights[SEMANTIC] / self.ranker.scale[SEMANTIC])

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "ranker": self.ranker.to_json(), "gate": self.gate.to_json(),
                "threshold": self.threshold, "second_ratio": self.second_ratio, "meta": self.meta}


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


@lru_cache(maxsize=8)
def load_model(path: str = "") -> ReaderModel:
    file = Path(path) if path else BUNDLED
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"reader weights {file} do not exist: set reader_weights to a file written by "
                          "`python -m eval.fit_reader`, or leave it empty for the bundled one") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"reader weights {file} are not valid JSON: {exc}") from None
    if data.get("features") != list(FEATURES):
        raise ConfigError(f"reader weights {file} were fitted for other features: re-run `python -m eval.fit_reader`")
    try:
        return ReaderModel(Linear.from_json(data["ranker"]), Linear.from_json(data["gate"]), float(data["threshold"]),
                           float(data["second_ratio"]), data.get("meta", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"reader weights {file} are incomplete ({exc}): re-run `python -m eval.fit_reader`") from None


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50,
        weight: np.ndarray | None = None) -> Linear:
    """L2-regularised logistic regression by Newton's method on standardised features; ``weight`` per row."""
    weight = np.ones(len(y)) if weight is None else weight
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(xs.shape[1])
    reg = np.full(xs.shape[1], l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = sigmoid(xs @ w)
        grad = xs.T @ (weight * (p - y)) + reg * w
        hess = (xs * (weight * p * (1 - p))[:, None]).T @ xs + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return Linear(w[:-1], float(w[-1]), mean, scale)
