"""Whether a passage sentence says what an answer sentence says, in other words: the features the fitted
decision reads (word overlap, meaning, each content word's nearest word in the unit) and the decision,
a logistic regression whose weights ``python -m eval.fit_verifier`` writes to ``verifier_weights.json``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .claims import place_word, without_hedges
from .lexical import stopwords, tokenize

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).with_name("verifier_weights.json")
FEATURES = ("lexical", "semantic", "words_mean", "words_min", "uncovered", "facts_share", "added_phrase")
NEAR_WORD = 0.5  # a claim word whose nearest unit word is less similar than this counts as not stated
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def surface_words(text: str) -> dict[str, str]:
    """Content words as written, by stem: what is looked up word by word (not the hedges of numbers)."""
    out: dict[str, str] = {}
    for w in _WORD.findall(without_hedges(text).replace("’", "'")):
        low = place_word(w.lower().strip("'-"))
        if len(low) < 2 or low in stopwords():
            continue
        stems = tokenize(low)
        if stems:
            out.setdefault(stems[0], low)
    return out


def word_coverage(claim_words: dict[str, str], unit_words: dict[str, str], embedder) -> tuple[float, float, float]:
    """(mean, min, share below NEAR_WORD) over the claim's content words of how closely the unit states each:
    1 when the unit has the word, else the cosine to its nearest unit word ("purchased" is near "acquired")."""
    if not claim_words:
        return 1.0, 1.0, 0.0
    scores = {s: 1.0 for s in claim_words if s in unit_words}
    todo = [w for s, w in claim_words.items() if s not in scores]
    if todo and unit_words:
        mine = embedder.embed(todo)
        theirs = embedder.embed(list(unit_words.values()))
        best = (mine @ theirs.T).max(axis=1)
        for w, b in zip(todo, best, strict=True):
            scores[w] = float(max(b, 0.0))
    values = [scores.get(s, scores.get(w, 0.0)) for s, w in claim_words.items()]
    return float(np.mean(values)), float(np.min(values)), float(np.mean([v < NEAR_WORD for v in values]))


@dataclass(frozen=True)
class Decision:
    """p(supported) = sigmoid(w . (x - mean) / std + b), fitted on the labelled dev split."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float

    def probability(self, values: dict[str, float]) -> float:
        x = np.array([values[f] for f in self.features], dtype=float)
        z = float(((x - self.mean) / self.std) @ self.weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))

    def to_json(self, **extra) -> str:
        body = {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "std": self.std.round(6).tolist(), "weights": self.weights.round(6).tolist(),
                "bias": round(self.bias, 6), **extra}
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_dict(cls, d: dict) -> Decision:
        return cls(tuple(d["features"]), np.array(d["mean"], float), np.array(d["std"], float),
                   np.array(d["weights"], float), float(d["bias"]))


@lru_cache(maxsize=4)
def load_decision(path: str = str(WEIGHTS)) -> Decision | None:
    """The committed decision, or None (the verifier then falls back to its fixed overlap gates)."""
    try:
        return Decision.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except FileNotFoundError:
        log.warning("no fitted verifier weights at %s: using the fixed word-overlap gates", path)
        return None


def fit_logistic(x: np.ndarray, y: np.ndarray, features: tuple[str, ...], l2: float = 0.1,
                 steps: int = 3000, rate: float = 0.5) -> Decision:
    """Plain gradient descent on the L2-regularised log loss (no new dependency)."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / std
    w, b = np.zeros(z.shape[1]), 0.0
    pos = max(float(y.mean()), 1e-6)
    sample = np.where(y == 1, 0.5 / pos, 0.5 / max(1 - pos, 1e-6))  # both labels weigh the same
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * sample
        w -= rate * (z.T @ g / len(y) + l2 * w)
        b -= rate * float(g.mean())
    return Decision(features, mean, std, w, b)
