"""The installed `assistant` command, run as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT, SEED_ID

CITATION_KEYS = {"n", "article_id", "title", "url", "date", "quote", "start", "end"}


def run(*args, data_dir, stdin=None, check=True):
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=300,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli") / "data"
    out = run("ingest", str(CORPUS), data_dir=d).stdout
    assert "1 new, 0 updated, 0 unchanged, 0 removed, 0 failed" in out
    return d


def test_ask_json_has_the_documented_fields(data_dir):
    out = run("ask", "How many NVIDIA chips has SenseTime bought?", "--json", data_dir=data_dir).stdout
    data = json.loads(out)
    for key in ("question", "answer", "abstained", "mode", "citations", "timings", "verification"):
        assert key in data
    assert data["abstained"] is False and data["mode"] == "extractive"
    assert "40,000" in data["answer"]
    assert CITATION_KEYS <= set(data["citations"][0])
    assert data["citations"][0]["article_id"] == SEED_ID


def test_ask_batch_prints_one_json_object_per_line(data_dir, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("How many NVIDIA chips has SenseTime bought?\n\nWhat is the capital of France?\n")
    lines = run("ask", "--batch", str(questions), "--json", data_dir=data_dir).stdout.splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["abstained"] for a in answers] == [False, True]


def test_plain_ask_shows_the_source_and_quote(data_dir):
    out = run("ask", "Who revealed how many NVIDIA chips SenseTime has acquired?", data_dir=data_dir).stdout
    assert "[1] SenseTime Has Purchased Over 40,000 NVIDIA Chips" in out
    assert "Xu Bing" in out and "characters " in out and "extractive" in out


def test_status_and_reingest(data_dir):
    status = json.loads(run("status", "--json", data_dir=data_dir).stdout)
    assert status["articles"] == 1 and status["chunks"] >= 1
    assert status["settings"]["data_dir"] == str(data_dir)
    assert "0 new, 0 updated, 1 unchanged" in run("ingest", str(CORPUS), data_dir=data_dir).stdout


def test_chat_reads_questions_until_eof(data_dir):
    out = run("chat", data_dir=data_dir, stdin="How many NVIDIA chips has SenseTime bought?\n").stdout
    assert "40,000" in out


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path):
    proc = run("ask", "anything", data_dir=tmp_path / "empty", check=False)
    assert proc.returncode == 2
    assert "assistant ingest" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("ingest", str(tmp_path / "missing"), data_dir=tmp_path / "empty", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_help_is_fast_and_lists_commands():
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for command in ("ingest", "ask", "chat", "status"):
        assert command in proc.stdout


def test_global_options_work_after_the_command_too(data_dir, tmp_path):
    out = run("ask", "How many NVIDIA chips has SenseTime bought?", "--json", "--data-dir", str(data_dir),
              data_dir=tmp_path / "not-this-one").stdout
    assert "40,000" in json.loads(out)["answer"]
    status = json.loads(run("--data-dir", str(tmp_path / "x"), "status", "--json", "--data-dir", str(data_dir),
                            data_dir=tmp_path / "y").stdout)
    assert status["data_dir"] == str(data_dir)  # the one after the command wins


def test_ask_on_a_terminal_prints_the_answer_and_then_lists_the_sources(data_dir):
    import pty
    import select

    env = dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1")
    leader, follower = pty.openpty()
    question = "How many NVIDIA chips has SenseTime bought?"
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", question],
                            cwd=ROOT, env=env, stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(follower)
    out = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    text = out.decode("utf-8", "replace")
    assert proc.returncode == 0, proc.stderr.read()
    # How many reads the words arrive in depends on the load (an extractive answer is written in microseconds).
    source = text.find("[1] SenseTime Has Purchased Over 40,000 NVIDIA Chips")
    assert source > 0 and "40,000 NVIDIA chips" in text[:source]


def test_eval_is_not_dispatched_by_the_product():
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "eval"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "python -m eval" in proc.stderr
    import assistant.cli
    import assistant.errors

    source = Path(assistant.cli.__file__).read_text(encoding="utf-8")
    assert "from eval" not in source and "import eval" not in source
    assert "error_exit" in dir(assistant.errors)


def test_format_answer_puts_a_short_answer_first():
    from assistant.cli import BOLD, format_answer
    from assistant.types import Answer

    answer = Answer("How many?", "More than 40,000 [1].", [], False, "extractive")
    plain = format_answer(answer)
    answer.short_answer = "40,000"  # a field another branch adds to Answer; shown when present
    assert format_answer(answer).splitlines()[0] == "40,000"
    assert format_answer(answer, bold=True).startswith(f"{BOLD}40,000")
    assert format_answer(answer).splitlines()[1:] == plain.splitlines()  # the rest as before
