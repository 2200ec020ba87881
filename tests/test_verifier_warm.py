"""The verifier's dependency parser loads in the warm-up of a mode whose answers an LLM writes, and never for the
extractive mode (a fresh process each, so nothing loaded by other tests counts)."""

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
bot = Assistant(load_settings(env={}, data_dir=sys.argv[1]))
bot.ingest(sys.argv[2], progress=False)
out = {}
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


def test_the_parser_loads_in_the_warm_up_of_an_llm_mode_only(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data"), str(CORPUS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["extractive_answered"]
    assert "full" not in out["after_extractive"]  # extractive answers never pay for the parser
    assert "full" in out["after_openai_warm"]
    assert out["same_parser"]  # warming again loads nothing again
