"""Per-case scores and their totals: answer accuracy, citations, abstention, retrieval, latency.

Works on :class:`Attempt`, what any pipeline (an assistant mode or the LlamaIndex baseline)
produced for one question, so every pipeline is scored by the same code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .datasets import Case
from .scoring import answer_matches, contains_alias, match_groups, quote_holds

HEADLINE = ("accuracy", "citation_precision", "citation_recall", "abstention_precision", "abstention_recall",
            "hit_at_1", "hit_at_5", "mrr")


@dataclass
class Passage:
    """A cited quote or a retrieved chunk: its text and the article it comes from."""

    text: str
    article_id: str


@dataclass
class Attempt:
    """What a pipeline answered to one question."""

    text: str
    abstained: bool
    citations: list[Passage] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)  # best first
    unsupported: int = 0  # answer sentences the verifier found unsupported and left in the text shown
    removed: int = 0  # answer sentences the verifier found unsupported and removed before they were shown
    timings: dict[str, float] = field(default_factory=dict)  # stage -> ms
    answered_by: str = ""
    note: str = ""
    error: str = ""  # an AssistantError for this question: scored as a wrong answer
    short_answer: str = ""  # the direct answer said first (names, dates, numbers), "" when none was given
    confidence: float | None = None  # the pipeline's probability that it answered (None: it gives none)


@dataclass
class CaseResult:
    id: str
    question: str
    kind: str
    must_abstain: bool
    expected: list[list[str]]
    answer: str
    abstained: bool
    correct: bool  # answerable: every group matched and no abstention; must_abstain: abstained
    matched: list[str | None]
    citations: list[dict[str, Any]]  # {"quote", "article_id", "supports"}
    citation_precision: float | None  # None: no citations to judge
    citation_recall: float | None  # None: must-abstain case
    rank: int | None  # of the first relevant retrieved chunk, 1-based
    unsupported: int
    timings: dict[str, float]
    answered_by: str = ""
    note: str = ""
    error: str = ""
    counterfactual: bool = False  # RGB: the answer states the planted wrong answer
    short_answer: str = ""
    short_correct: bool | None = None  # the short answer alone matches every group (None: must-abstain)
    confidence: float | None = None
    removed: int = 0  # sentences the verifier removed (not a failure: the user never saw them)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def relevant(case: Case, passage: Passage) -> bool:
    """A chunk holds the fact: it contains an evidence span, or it is one of the positive passages."""
    if case.positive_ids:
        return passage.article_id in case.positive_ids
    if case.article and passage.article_id != case.article:
        return False
    return any(quote_holds(passage.text, e) for e in case.evidence)


def supports(case: Case, quote: Passage) -> bool:
    """A citation backs the fact: its quote holds an evidence span (facts) or it comes from a
    positive passage or states the accepted answer (RGB, which has no evidence spans)."""
    if case.evidence:
        return any(quote_holds(quote.text, e) for e in case.evidence)
    return quote.article_id in case.positive_ids or answer_matches(quote.text, case.answers)


def _citation_recall(case: Case, citations: list[Passage]) -> float:
    if case.evidence:
        return sum(any(quote_holds(c.text, e) for c in citations) for e in case.evidence) / len(case.evidence)
    return float(any(supports(case, c) for c in citations))


def score_case(case: Case, attempt: Attempt) -> CaseResult:
    answered = not attempt.abstained and not attempt.error
    matched = match_groups(attempt.text, case.answers) if answered else [None] * len(case.answers)
    verdicts = [supports(case, c) for c in attempt.citations] if not case.must_abstain else []
    rank = next((i for i, p in enumerate(attempt.retrieved, start=1) if relevant(case, p)), None)
    if case.must_abstain:
        correct = attempt.abstained and not attempt.error
        recall = None
    else:
        correct = answered and bool(matched) and all(m is not None for m in matched)
        recall = _citation_recall(case, attempt.citations) if answered else 0.0
    failures = []
    if attempt.error:
        failures.append(f"error: {attempt.error}")
    elif case.must_abstain and not attempt.abstained:
        failures.append("answered a question the articles cannot answer")
    elif not case.must_abstain and attempt.abstained:
        failures.append("abstained on an answerable question")
    elif not correct:
        failures.append("accepted answer not in the answer")
    if answered and not case.must_abstain:
        if verdicts and not all(verdicts):
            failures.append(f"{verdicts.count(False)} of {len(verdicts)} citations do not support the fact")
        if recall is not None and recall < 1:
            failures.append("the fact-bearing sentence is not cited")
    if attempt.unsupported:
        failures.append(f"{attempt.unsupported} unsupported sentence(s) left in")
    return CaseResult(
        id=case.id, question=case.question, kind=case.kind, must_abstain=case.must_abstain,
        expected=case.answers, answer=attempt.text, abstained=attempt.abstained, correct=correct,
        matched=matched,
        citations=[{"quote": c.text, "article_id": c.article_id, "supports": v}
                   for c, v in zip(attempt.citations, verdicts or [None] * len(attempt.citations), strict=True)],
        citation_precision=(sum(verdicts) / len(verdicts)) if verdicts else None,
        citation_recall=recall, rank=rank, unsupported=attempt.unsupported, removed=attempt.removed,
        timings=dict(attempt.timings), answered_by=attempt.answered_by, note=attempt.note, error=attempt.error,
        counterfactual=bool(case.counterfactual_answer and answered
                            and contains_alias(attempt.text, case.counterfactual_answer)),
        short_answer=attempt.short_answer,
        short_correct=None if case.must_abstain else (answered and answer_matches(attempt.short_answer, case.answers)),
        confidence=attempt.confidence,
        failures=failures,
    )


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: a value that was actually measured."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(results: list[CaseResult]) -> dict[str, dict[str, float | None]]:
    """stage -> {"p50", "p95"} in ms; one-time model loading is left out."""
    stages: dict[str, list[float]] = {}
    for r in results:
        for stage, ms in r.timings.items():
            if stage != "load_ms":
                stages.setdefault(stage, []).append(ms)
    return {s: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for s, v in stages.items()}


def reliability(results: list[CaseResult], bins: int = 10) -> list[dict[str, Any]]:
    """Per band of stated confidence: how many questions, and the share answered right (a must-abstain
    question counts as right when it was declined). Calibrated: the share follows the confidence."""
    rows = []
    scored = [r for r in results if r.confidence is not None]
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [r for r in scored if lo <= r.confidence < hi or (b == bins - 1 and r.confidence >= 1)]
        if inside:
            rows.append({"from": lo, "to": hi, "n": len(inside),
                         "mean_confidence": sum(r.confidence for r in inside) / len(inside),
                         "answered_right": sum((not r.must_abstain) and r.correct for r in inside) / len(inside)})
    return rows


def summarise(results: list[CaseResult], retrieval_only: bool = False) -> dict[str, Any]:
    """The headline figures; a figure with nothing to measure (no abstentions...) is None."""
    answerable = [r for r in results if not r.must_abstain]
    abstain = [r for r in results if r.must_abstain]
    abstained = [r for r in results if r.abstained]
    verdicts = [c["supports"] for r in answerable if not r.abstained for c in r.citations]
    ranks = [r.rank for r in answerable]
    out: dict[str, Any] = {
        "cases": len(results), "answerable": len(answerable), "must_abstain": len(abstain),
        "accuracy": _ratio(sum(r.correct for r in answerable), len(answerable)),
        "short_answer_exact": _ratio(sum(bool(r.short_correct) for r in answerable), len(answerable)),
        "citation_precision": _ratio(sum(verdicts), len(verdicts)),
        "citation_recall": _ratio(sum(r.citation_recall or 0 for r in answerable), len(answerable)),
        "abstention_precision": _ratio(sum(r.must_abstain for r in abstained), len(abstained)),
        "abstention_recall": _ratio(sum(r.abstained for r in abstain), len(abstain)),
        "hit_at_1": _ratio(sum(k == 1 for k in ranks if k), len(ranks)),
        "hit_at_5": _ratio(sum(k <= 5 for k in ranks if k), len(ranks)),
        "mrr": _ratio(sum(1 / k for k in ranks if k), len(ranks)),
        "unsupported_sentences": sum(r.unsupported for r in results),  # left in the text shown
        "removed_sentences": sum(r.removed for r in results),  # taken out before the user saw them
        "passed": _ratio(sum(r.passed for r in results), len(results)),
        "counterfactual_answers": sum(r.counterfactual for r in results),
        "errors": sum(bool(r.error) for r in results),
        "latency_ms": latency(results),
    }
    out["reliability"] = reliability(results)
    if retrieval_only:
        for name in HEADLINE + ("passed", "unsupported_sentences", "removed_sentences", "counterfactual_answers"):
            if not name.startswith(("hit_", "mrr")):
                out[name] = None
    return out
