"""Runs a dataset through every requested answer mode (and the LlamaIndex baseline) and scores it.

Works on an :class:`~assistant.Assistant` it is given (tests share one), or builds one on a
temporary data folder. It only calls the public API: ``ingest`` and ``ask(question, mode=...)``.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant import Answer, Assistant
from assistant.config import describe
from assistant.errors import AssistantError

from .datasets import Dataset
from .metrics import Attempt, CaseResult, Passage, score_case, summarise

log = logging.getLogger(__name__)

ASSISTANT_MODES = ("extractive", "local", "openai")
BASELINE = "llamaindex"
ALL_MODES = ASSISTANT_MODES + (BASELINE,)


@dataclass
class ModeRun:
    mode: str
    status: str  # "ran", "retrieval only" (baseline without an LLM) or "skipped"
    reason: str = ""
    results: list[CaseResult] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class EvalRun:
    dataset: Dataset
    runs: list[ModeRun]
    settings: dict[str, Any]
    started: str
    seconds: float = 0.0
    ingest_seconds: float = 0.0
    commit: str = ""  # `git describe` of the code measured, "-dirty" with uncommitted changes

    def run(self, mode: str) -> ModeRun | None:
        return next((r for r in self.runs if r.mode == mode), None)


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).parent)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def attempt_from_answer(answer: Answer, wall_ms: float) -> Attempt:
    timings = {**answer.timings, "wall_ms": wall_ms - answer.timings.get("load_ms", 0.0)}
    return Attempt(
        text=answer.text, abstained=answer.abstained,
        citations=[Passage(c.quote, c.article_id) for c in answer.citations],
        retrieved=[Passage(h.chunk.text, h.chunk.article_id) for h in answer.hits],
        unsupported=left_in(answer), removed=removed(answer),
        timings=timings, answered_by=answer.mode, note=answer.note,
        short_answer=answer.short_answer, confidence=answer.confidence,
    )


def _shown(check, text: str) -> bool:
    return " ".join(check.text.split()).rstrip(".") in " ".join(text.split())


def left_in(answer: Answer) -> int:
    """Sentences the verifier found unsupported that the user still sees in ``answer.text``."""
    return sum(not v.supported and v.rule != "abstention" and _shown(v, answer.text) for v in answer.verification)


def removed(answer: Answer) -> int:
    """Sentences the verifier found unsupported and took out before the user saw anything."""
    return sum(not v.supported and v.rule != "abstention" and not _shown(v, answer.text) for v in answer.verification)


def _ask(bot: Assistant, question: str, mode: str) -> tuple[Answer, float]:
    t = time.perf_counter()
    answer = bot.ask(question, mode=mode)
    return answer, (time.perf_counter() - t) * 1000


def run_mode(bot: Assistant, data: Dataset, mode: str, progress: bool | None = None) -> ModeRun:
    """Every case in one assistant mode. A mode whose first question raises an AssistantError (or
    is answered by another mode without a note saying why) is skipped with the reason."""
    start = time.perf_counter()
    results: list[CaseResult] = []
    bar = tqdm(data.cases, desc=f"{data.name} / {mode}", unit="q", disable=None if progress is None else not progress)
    for i, case in enumerate(bar):
        try:
            answer, wall = _ask(bot, case.question, mode)
        except AssistantError as e:
            if i == 0:
                bar.close()
                log.info("mode %s skipped: %s", mode, e)
                return ModeRun(mode, "skipped", reason=str(e))
            results.append(score_case(case, Attempt(text="", abstained=False, error=str(e))))
            continue
        if i == 0 and answer.mode != mode and not answer.note:
            bar.close()
            reason = f"ask(mode={mode!r}) answered in {answer.mode!r} mode: this assistant has no {mode} mode"
            return ModeRun(mode, "skipped", reason=reason)
        results.append(score_case(case, attempt_from_answer(answer, wall)))
    return ModeRun(mode, "ran", results=results, headline=summarise(results), seconds=time.perf_counter() - start)


def run_baseline(bot: Assistant, data: Dataset, workdir: Path, progress: bool | None = None,
                 chat: bool = True) -> ModeRun:
    start = time.perf_counter()
    try:
        from .baseline_llamaindex import LlamaIndexBaseline
    except ImportError as e:
        return ModeRun(BASELINE, "skipped", reason=f"LlamaIndex integrations are not installed ({e.name})")
    baseline = LlamaIndexBaseline(bot.settings, workdir, chat=chat)
    try:
        baseline.build(data.corpus)
    except AssistantError as e:
        return ModeRun(BASELINE, "skipped", reason=str(e))
    bar = tqdm(data.cases, desc=f"{data.name} / {BASELINE}", unit="q",
               disable=None if progress is None else not progress)
    results = [score_case(case, baseline.attempt(case.question)) for case in bar]
    status = "ran" if baseline.llm_reason is None else "retrieval only"
    return ModeRun(BASELINE, status, reason=baseline.llm_reason or "", results=results,
                   headline=summarise(results, retrieval_only=baseline.llm_reason is not None),
                   seconds=time.perf_counter() - start)


def run_eval(data: Dataset, assistant: Assistant | None = None, modes: tuple[str, ...] | list[str] = ALL_MODES,
             progress: bool | None = None, config: str | Path | None = None,
             data_dir: str | Path | None = None, baseline_chat: bool = True) -> EvalRun:
    """Ingest the dataset's articles, then ask every case in each mode.

    ``assistant``: an Assistant to use (its index should hold nothing but this dataset's articles);
    otherwise one is built from ``config`` on ``data_dir`` (default: a temporary folder).
    """
    unknown = [m for m in modes if m not in ALL_MODES]
    if unknown:
        from assistant.errors import BadInputError

        raise BadInputError(f"unknown mode(s) {', '.join(unknown)}: choose from {', '.join(ALL_MODES)}")
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="eval-", ignore_cleanup_errors=True)))
        bot = assistant or Assistant.from_config(config, data_dir=Path(data_dir) if data_dir else work / "data")
        t = time.perf_counter()
        report = bot.ingest(data.corpus, progress=progress)
        ingest_seconds = time.perf_counter() - t
        for problem in report.failed:
            log.warning("not ingested: %s", problem)
        log.info("ingest of %s: %s", data.corpus, report.summary())
        runs = []
        for mode in modes:
            if mode == BASELINE:
                runs.append(run_baseline(bot, data, work / BASELINE, progress, chat=baseline_chat))
            else:
                runs.append(run_mode(bot, data, mode, progress))
        return EvalRun(dataset=data, runs=runs, settings=describe(bot.settings), started=started,
                       seconds=time.perf_counter() - t0, ingest_seconds=ingest_seconds, commit=git_commit())
