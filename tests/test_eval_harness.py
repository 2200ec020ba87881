"""The eval harness end to end: bundled facts in extractive mode, the committed baseline gate, the
RGB adapter on a 5-question slice, and the LlamaIndex baseline against a stand-in LLM server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.errors import LLMUnavailable
from assistant.types import Answer
from eval.datasets import Case, Dataset, load_dataset
from eval.gate import check, load_baseline
from eval.harness import run_baseline, run_eval, run_mode
from eval.metrics import HEADLINE
from eval.report import write_report

ROOT = Path(__file__).resolve().parent.parent
RGB = ROOT.parent / "shared" / "datasets" / "rgb-en-fact"


@pytest.fixture(scope="module")
def facts_report(seed_bot, tmp_path_factory):
    run = run_eval(load_dataset(), assistant=seed_bot, modes=["extractive"], progress=False)
    out = tmp_path_factory.mktemp("eval-out")
    paths = write_report(run, out)
    return json.loads(paths["json"].read_text()), paths


def test_the_report_files_are_written(facts_report):
    report, paths = facts_report
    assert {"json", "md", "png"} <= set(paths)
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = paths["md"].read_text()
    assert md.startswith("# Evaluation: facts.jsonl (49 questions)")
    assert "| accuracy |" in md and "## Failures: extractive" in md


def test_headline_figures_are_fractions_consistent_with_the_cases(facts_report):
    report, _ = facts_report
    cases = [c for c in report["cases"] if c["mode"] == "extractive"]
    assert len(cases) == report["dataset"]["cases"] == 49
    for name in HEADLINE:
        assert 0.0 <= report[name] <= 1.0, name
        assert report[name] == report["modes"]["extractive"][name]
    answerable = [c for c in cases if not c["must_abstain"]]
    abstain = [c for c in cases if c["must_abstain"]]
    assert report["accuracy"] == pytest.approx(sum(c["correct"] for c in answerable) / len(answerable))
    assert report["abstention_recall"] == pytest.approx(sum(c["abstained"] for c in abstain) / len(abstain))
    abstained = [c for c in cases if c["abstained"]]
    assert report["abstention_precision"] == pytest.approx(sum(c["must_abstain"] for c in abstained) / len(abstained))
    assert report["hit_at_5"] == pytest.approx(sum(bool(c["rank"]) and c["rank"] <= 5 for c in answerable)
                                               / len(answerable))
    verdicts = [v["supports"] for c in answerable if not c["abstained"] for v in c["citations"]]
    assert report["citation_precision"] == pytest.approx(sum(verdicts) / len(verdicts))
    assert all(c["passed"] == (not c["failures"]) for c in cases)
    assert set(report["latency_ms"]) >= {"embed_ms", "answer_ms", "total_ms"}


def test_the_committed_baseline_holds(facts_report):
    """The CI regression gate: accuracy, citation precision and abstention recall on the bundled
    facts in extractive mode may not fall below eval/baseline.json."""
    report, _ = facts_report
    regressions, warnings = check(report, load_baseline(ROOT / "eval" / "baseline.json"))
    assert not warnings, warnings
    assert not regressions, "; ".join(map(str, regressions))


def test_a_report_worse_than_the_baseline_fails_the_check(facts_report):
    report, _ = facts_report
    worse = json.loads(json.dumps(report))
    worse["modes"]["extractive"]["citation_precision"] -= 0.01
    regressions, _ = check(worse, load_baseline(ROOT / "eval" / "baseline.json"))
    assert [r.metric for r in regressions] == ["citation_precision"]


# --- modes that are not there -------------------------------------------------------------------

class StubBot:
    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.calls = 0

    def ask(self, question, mode=None):
        self.calls += 1
        return self.behaviour(self.calls, question, mode)


TWO = Dataset(name="two", kind="facts", path=Path("two"), corpus=Path("."), fingerprint="",
              cases=[Case(id="a", question="q1", answers=[["x"]]), Case(id="b", question="q2", answers=[["x"]])])


def _answer(mode, text="x"):
    return Answer(question="q", text=text, citations=[], abstained=False, mode=mode)


def test_a_mode_that_raises_an_assistant_error_is_skipped_with_the_reason():
    def down(n, q, mode):
        raise LLMUnavailable("no endpoint configured: set llm_base_url")

    run = run_mode(StubBot(down), TWO, "openai", progress=False)
    assert (run.status, run.reason, run.results) == ("skipped", "no endpoint configured: set llm_base_url", [])


def test_a_mode_answered_by_another_mode_is_skipped():
    run = run_mode(StubBot(lambda n, q, m: _answer("extractive")), TWO, "local", progress=False)
    assert run.status == "skipped" and "no local mode" in run.reason


def test_a_later_error_is_a_failed_case_not_a_skipped_mode():
    def flaky(n, q, mode):
        if n == 2:
            raise LLMUnavailable("timed out")
        return _answer(mode)

    run = run_mode(StubBot(flaky), TWO, "openai", progress=False)
    assert run.status == "ran" and run.headline["errors"] == 1 and run.headline["accuracy"] == 0.5


# --- RGB ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rgb_slice(tmp_path_factory):
    """The first 5 dev questions, over their positive passages and 30 others, in a temporary folder
    (RGB's licence keeps it out of the repo)."""
    if not (RGB / "dev.jsonl").is_file():
        pytest.skip(f"the RGB data is not at {RGB}")
    dev = [json.loads(line) for line in (RGB / "dev.jsonl").read_text().splitlines()[:5]]
    wanted = {p for q in dev for p in q["positive_ids"]}
    passages = [json.loads(line) for line in (RGB / "passages.jsonl").read_text().splitlines()]
    keep = [p for p in passages if p["id"] in wanted] + [p for p in passages if p["id"] not in wanted][:30]
    folder = tmp_path_factory.mktemp("rgb-slice")
    (folder / "dev.jsonl").write_text("".join(json.dumps(q) + "\n" for q in dev))
    (folder / "passages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in keep))
    return folder


def test_the_rgb_adapter_on_a_five_question_slice(rgb_slice, make_bot):
    data = load_dataset(rgb_slice)
    assert data.kind == "rgb" and len(data.cases) == 5
    assert data.cases[0].answers == [["Tampa, Florida"]] and data.cases[0].positive_ids
    run = run_eval(data, assistant=make_bot(), modes=["extractive"], progress=False)
    mode = run.run("extractive")
    assert mode.status == "ran" and len(mode.results) == 5
    # Passages are ingested with their own ids, so retrieval is scored against positive_ids.
    assert mode.headline["hit_at_5"] > 0
    assert all(c["article_id"].startswith("p") for r in mode.results for c in r.citations)
    assert mode.headline["abstention_recall"] is None  # RGB has no must-abstain questions


# --- the LlamaIndex baseline against a stand-in OpenAI-compatible server ------------------------

class FakeLLM(BaseHTTPRequestHandler):
    prompts: list[str] = []

    def _send(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._send({"object": "list", "data": [{"id": "fake", "object": "model", "created": 0, "owned_by": "t"}]})

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        said = "It was in Tampa, Florida [1]."
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        if "messages" in body:
            FakeLLM.prompts.append(json.dumps(body["messages"]))
            choice = {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": said}}
            self._send({"id": "c", "object": "chat.completion", "created": 0, "model": "fake",
                        "choices": [choice], "usage": usage})
        else:
            FakeLLM.prompts.append(body["prompt"] + f" stop={body.get('stop')}")
            choice = {"index": 0, "finish_reason": "stop", "text": said, "logprobs": None}
            self._send({"id": "c", "object": "text_completion", "created": 0, "model": "fake",
                        "choices": [choice], "usage": usage})

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("chat", [True, False], ids=["chat", "completions"])
def test_the_llamaindex_baseline_answers_and_cites_through_the_endpoint(rgb_slice, make_bot, fake_llm, tmp_path,
                                                                       chat):
    pytest.importorskip("llama_index.vector_stores.chroma")
    pytest.importorskip("llama_index.llms.openai_like")
    FakeLLM.prompts.clear()
    bot = make_bot(llm_base_url=fake_llm, llm_model="fake")
    run = run_baseline(bot, load_dataset(rgb_slice, limit=1), tmp_path / "li", progress=False, chat=chat)
    assert run.status == "ran", run.reason
    first = run.results[0]  # "Super Bowl 2021 location": the stand-in always says Tampa, Florida
    assert first.correct and len(first.citations) == 1 and first.citations[0]["supports"] is not None
    assert run.headline["hit_at_5"] is not None and "answer_ms" in run.headline["latency_ms"]
    assert "Source 1:" in FakeLLM.prompts[0]
    assert chat or "stop=['\\n\\n']" in FakeLLM.prompts[0]


def test_without_an_endpoint_the_baseline_measures_retrieval_only(rgb_slice, make_bot, tmp_path):
    pytest.importorskip("llama_index.vector_stores.chroma")
    run = run_baseline(make_bot(), load_dataset(rgb_slice, limit=2), tmp_path / "li", progress=False)
    assert run.status == "retrieval only" and "no LLM endpoint" in run.reason
    assert run.headline["accuracy"] is None and run.headline["hit_at_5"] is not None
