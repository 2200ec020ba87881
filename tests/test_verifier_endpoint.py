"""The verifier through the product's own path: `Assistant.ask(..., mode="openai")` and `assistant ask --mode
openai` against CapableLLMStandIn, an OpenAI-compatible endpoint started here on 127.0.0.1.

The stand-in takes the place of a capable hosted LLM (none can run here): it reads the numbered passages of
the prompt it is sent and replays labelled sentences of eval/verifier/claims.jsonl, each cited with the
number of the passage that holds its source sentence, streamed in small pieces, in one piece, or as a
whole (non-streamed) JSON answer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eval.verifier_set import CLAIMS

from .conftest import ROOT

LABELLED = {r["id"]: r for r in map(json.loads, CLAIMS.read_text(encoding="utf-8").splitlines())}

# question -> (source phrase of the seed article the sentences rest on, labelled sentences replayed)
ANSWERS = {
    "How many NVIDIA chips has SenseTime bought?":
        ("40,000 NVIDIA chips", ["f-syn-01", "m-num-01", "m-role-07", "m-neg-01"]),
    "Is Xu Bing optimistic about the gap in computing power?":
        ("optimistic that this gap", ["f-syn-04", "m-trend-01", "m-cmp-02"]),
    "What does Xu expect of the gap between China and the US?":
        ("gradual reduction in the disparity", ["f-pro-04", "m-trend-02"]),
    "Where are most of the top AI talents based?":
        ("majority of top talents", ["f-syn-05", "m-move-02"]),
    "What is the Chinese government doing about AI computational power?":
        ("stepping up its support", ["f-syn-07", "m-trend-05"]),
}


class CapableLLMStandIn:
    """A stand-in for a capable OpenAI-compatible LLM: answers /v1/chat/completions with the labelled
    sentences for the question, each followed by [n] of the prompt passage holding the source phrase."""

    def __init__(self, answers: dict[str, tuple[str, list[str]]], piece_size: int = 7):
        self.answers, self.piece_size, self.requests = answers, piece_size, 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests += 1
                text = stand_in.reply(body["messages"][-1]["content"])
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    size = stand_in.piece_size or len(text)
                    for i in range(0, len(text), size):
                        self._event({"choices": [{"index": 0, "delta": {"content": text[i:i + size]}}]})
                    self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                    self.wfile.write(b"data: [DONE]\n\n")
                else:
                    self._json({"id": "stand-in", "object": "chat.completion", "created": 0, "model": "stand-in",
                                "choices": [{"index": 0, "finish_reason": "stop",
                                             "message": {"role": "assistant", "content": text}}]})

            def _event(self, chunk: dict):
                chunk = {"id": "stand-in", "object": "chat.completion.chunk", "created": 0, "model": "stand-in",
                         **chunk}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

            def _json(self, obj: dict):
                data = json.dumps(obj).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply(self, prompt: str) -> str:
        question = prompt.rsplit("Question:", 1)[-1].strip()
        phrase, ids = self.answers[question]
        blocks = re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S)
        n = next((k for k, text in blocks if phrase in text.replace("’", "'")), None)
        assert n is not None, f"the prompt holds no passage with {phrase!r}"
        return " ".join(f"{LABELLED[i]['claim']} [{n}]" for i in ids)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module", params=[7, 0], ids=["small-pieces", "one-piece"])
def stand_in(request):
    server = CapableLLMStandIn(ANSWERS, piece_size=request.param)
    yield server
    server.close()


@pytest.fixture(scope="module")
def openai_bot(seed_bot, stand_in, embedder):
    from assistant import Assistant

    bot = Assistant(seed_bot.settings.replace(llm_base_url=stand_in.url, llm_model="stand-in", llm_api_key="sk-test"),
                    embedder=embedder)
    yield bot


def seed_text() -> str:
    return (ROOT / "corpus" / "sensetime-40000-nvidia-chips.txt").read_text(encoding="utf-8")


def _claims(ids, supported: bool) -> list[str]:
    return [LABELLED[i]["claim"] for i in ids if (LABELLED[i]["label"] == "supported") == supported]


@pytest.mark.parametrize("question", list(ANSWERS))
def test_faithful_sentences_are_shown_and_misstatements_removed_with_a_reason(openai_bot, question):
    answer = openai_bot.ask(question, mode="openai")
    ids = ANSWERS[question][1]
    assert answer.mode == "openai" and not answer.note, answer.note
    shown = re.sub(r"\s*\[\d+\]", "", answer.text)
    for claim in _claims(ids, True):
        assert claim.rstrip(".") in shown
    by_text = {c.text: c for c in answer.verification}
    for claim in _claims(ids, False):
        assert claim.rstrip(".") not in shown
        check = by_text[claim]
        assert not check.supported and check.rule and check.reason
    assert all(c.citations for c in answer.verification if c.supported)
    assert answer.citations and all(c.quote in seed_text() for c in answer.citations)


def test_reasons_say_which_rule_removed_the_sentence(openai_bot):
    answer = openai_bot.ask("Is Xu Bing optimistic about the gap in computing power?", mode="openai")
    reasons = {c.text: (c.rule, c.reason) for c in answer.verification if not c.supported}
    rule, reason = reasons[LABELLED["m-trend-01"]["claim"]]
    assert rule == "direction" and "optimistic" in reason and "pessimistic" in reason
    rule, reason = reasons[LABELLED["m-cmp-02"]["claim"]]
    assert rule == "comparison" and "reverse" in reason


def test_streamed_sentences_are_the_ones_in_the_final_answer(openai_bot):
    question = "How many NVIDIA chips has SenseTime bought?"
    items = list(openai_bot.ask_stream(question, mode="openai"))
    final, pieces = items[-1], [i for i in items[:-1] if isinstance(i, str)]
    assert "".join(pieces).split() == final.text.split()
    assert LABELLED["m-role-07"]["claim"].rstrip(".") not in final.text
    assert LABELLED["f-syn-01"]["claim"].rstrip(".") in final.text


def test_cli_ask_openai_prints_the_verified_answer_and_the_record(seed_bot, stand_in):
    question = "Where are most of the top AI talents based?"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(seed_bot.settings.data_dir), "ASSISTANT_LLM_BASE_URL": stand_in.url,
           "ASSISTANT_LLM_MODEL": "stand-in", "ASSISTANT_LLM_API_KEY": "sk-test", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", question, "--mode", "openai", "--json"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert LABELLED["f-syn-05"]["claim"].rstrip(".") in out["answer"]
    assert LABELLED["m-move-02"]["claim"].rstrip(".") not in out["answer"]
    removed = [v for v in out["verification"] if not v["supported"]]
    assert [v["text"] for v in removed] == [LABELLED["m-move-02"]["claim"]]
    assert removed[0]["rule"] == "role" and "United States" in removed[0]["reason"]
