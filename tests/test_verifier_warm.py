"""The dependency parser loads in the warm-up, not in the first answer: in every mode while the reader's role and
premise checks are on (the default), and with them off only in a mode whose answers an LLM writes, never for
the extractive one (a fresh process each, so nothing loaded by other tests counts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import CORPUS, ROOT

SCRIPT = """
import json, sys
from assistant import Assistant, load_settings
from assistant import nlp
checks = sys.argv[3] == "on"
bot = Assistant(load_settings(env={}, data_dir=sys.argv[1], reader_roles=checks, reader_presupposition=checks))
bot.ingest(sys.argv[2], progress=False)
out = {}
bot.warm("extractive")
out["after_extractive_warm"] = sorted(nlp._pipelines)
answer = bot.ask("How many NVIDIA chips has SenseTime bought?", mode="extractive")
out["extractive_answered"] = not answer.abstained
out["after_extractive"] = sorted(nlp._pipelines)
bot.warm("openai")
out["after_openai_warm"] = sorted(nlp._pipelines)
first = id(nlp._pipelines.get("full"))
bot.warm("openai")
bot.ask("How many NVIDIA chips has SenseTime bought?", mode="extractive")
out["same_parser"] = id(nlp._pipelines.get("full")) == first
print(json.dumps(out))
"""


def _run(tmp_path, checks: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data"), str(CORPUS), checks], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_without_the_reader_checks_the_parser_loads_in_the_warm_up_of_an_llm_mode_only(tmp_path):
    out = _run(tmp_path, "off")
    assert out["extractive_answered"]
    assert "full" not in out["after_extractive"]  # extractive answers never pay for the parser
    assert "full" in out["after_openai_warm"]
    assert out["same_parser"]  # warming again loads nothing again


def test_with_the_reader_checks_the_extractive_warm_up_loads_the_parser(tmp_path):
    out = _run(tmp_path, "on")
    assert "full" in out["after_extractive_warm"]  # the first question does not wait for it
    assert out["extractive_answered"]
    assert out["same_parser"]
