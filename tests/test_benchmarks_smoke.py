"""The benchmark suite runs end to end on a tiny input (`python -m benchmarks --quick`).

Timings are never asserted here: the machine is shared and they vary from run to run.
Only the shape of the results, and the facts that do not depend on timing, are checked.
"""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports_every_section(tmp_path, capsys):
    from benchmarks.__main__ import main

    out = tmp_path / "results.json"
    assert main(["--quick", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))

    ingest = results["ingest"]
    assert ingest["input"]["chunks"] > 0
    for name in ("ceiling-local", "ours-local", "ours-onnx", "ours-onnx-int8"):
        assert ingest["summary"]["chunks_per_s_median"][name] > 0
    # The ONNX fp32 export computes the same vectors as sentence-transformers.
    assert ingest["agreement"]["onnx"]["max_abs_diff"] <= 1e-4
    assert ingest["agreement"]["onnx-int8"]["cosine_min"] > 0.9
    for backend in ("local", "onnx", "onnx-int8"):
        assert set(ingest["quality"][backend]) == {"facts", "rgb_dev"}

    assert results["tune"]["relative_throughput"]
    for size in results["scale"]["sizes"].values():
        assert size["latency"]["n"] > 0 and size["disk_mb"] > 0
        assert size["small_ingest"]["chunks_embedded"] == 1
        # The second small ingest is the steady state: BM25 updated, not rebuilt; Chroma's ids not listed.
        second = size["small_ingest"]["second"]
        assert "update_bm25_s" in second and "rebuild_bm25_s" not in second and "ids_s" not in second
    e2e = results["e2e"]
    assert e2e["ask_warm"]["local"]["n"] > 0
    assert set(e2e["cold_start"]["first_answer_s"]) == {"local", "onnx", "onnx-int8"}
    assert e2e["ask_warm"]["pruned_answers_equal_full"] is True
    assert "torch" not in e2e["help"]["heavy_modules_after_import_assistant"]
    assert e2e["verification"]

    table = capsys.readouterr().out
    assert "benchmark" in table and "1. ours fp32 / raw fp32 encode (ceiling)" in table


@pytest.mark.slow
def test_onnx_embedders_match_sentence_transformers_and_mix_only_where_vectors_agree(tmp_path, embedder):
    """The ONNX backends the benchmark compares: fp32 equals sentence-transformers, so an index built
    with one is searched with the other; int8 differs, and an index refuses to mix it with fp32."""
    import numpy as np

    from assistant import Assistant, load_settings
    from assistant.embeddings import make_embedder
    from assistant.errors import ConfigError

    texts = ["SenseTime has acquired more than 40,000 NVIDIA chips.", "Who revealed it?", "x " * 400]
    settings = {b: load_settings(env={}, data_dir=tmp_path / b, embed_backend=b)
                for b in ("local", "onnx", "onnx-int8")}
    local = make_embedder(settings["local"])
    fp32, int8 = make_embedder(settings["onnx"]), make_embedder(settings["onnx-int8"])
    reference = local.embed(texts)
    assert np.abs(fp32.embed(texts) - reference).max() <= 1e-4
    assert ((int8.embed(texts) * reference).sum(axis=1) > 0.9).all()
    assert len({local.identity, fp32.identity, int8.identity}) == 3
    assert int8.model_path.parent == tmp_path / "onnx-int8" / "models" and int8.model_path.is_file()
    assert fp32.embed([]).shape[0] == 0

    from tests.conftest import CORPUS

    Assistant(settings["onnx-int8"], embedder=int8).ingest(CORPUS, progress=False)
    with pytest.raises(ConfigError, match="embedded with onnx-int8"):
        Assistant(settings["onnx-int8"].replace(embed_backend="onnx"), embedder=fp32).ingest(CORPUS, progress=False)

    Assistant(settings["local"], embedder=local).ingest(CORPUS, progress=False)
    switched = Assistant(settings["local"].replace(embed_backend="onnx"), embedder=fp32)
    report = switched.ingest(CORPUS, progress=False)
    assert report.chunks_embedded == 0 and report.unchanged
    answer = switched.ask("How many NVIDIA chips has SenseTime acquired?")
    assert not answer.abstained and "40,000" in answer.text
