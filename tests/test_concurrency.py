"""Concurrent use: 8 threads ask 25 questions each through one shared Assistant while another
thread ingests new (synthetic) articles into the same index, on each vector store backend.

No errors, no citation of a chunk the catalog does not hold, and every answer about an article
the ingest leaves alone is the one a single thread gets.
"""

import random
import shutil
import threading
import time

import numpy as np

from .conftest import CORPUS, write_synthetic_articles

THREADS, PER_THREAD = 8, 25
SEED_QUESTIONS = [
    "How many NVIDIA chips has SenseTime bought?",
    "Who revealed how many NVIDIA chips SenseTime has acquired?",
    "When does SenseTime aim to turn profitable?",
    "How large is the gap in AI computational power between Asia and the United States?",
    "What is the capital of France?",
]


def _key(answer):
    """What must not differ between two answers to the same question."""
    return answer.text, answer.abstained, [(c.n, c.article_id, c.start, c.end, c.quote) for c in answer.citations]


def test_concurrent_questions_while_ingesting(make_bot, store_backend, tmp_path, record_property):
    base = tmp_path / "base"
    shutil.copytree(CORPUS, base)
    facts = write_synthetic_articles(base, PER_THREAD - len(SEED_QUESTIONS), seed=80, prefix="stable")
    questions = SEED_QUESTIONS + [f["question"] for f in facts.values()]
    assert len(questions) == PER_THREAD
    bot = make_bot(**store_backend)
    bot.ingest(base)
    single = {q: _key(bot.ask(q)) for q in questions}  # one thread, before the ingest
    assert sum(f["answer"] in single[f["question"]][0] for f in facts.values()) >= len(facts) - 1

    incoming = [tmp_path / f"incoming-{i}" for i in range(3)]
    new_ids: set[str] = set()
    for i, folder in enumerate(incoming):
        new_ids |= set(write_synthetic_articles(folder, 10, seed=90 + i, prefix=f"new{i}"))

    start = threading.Barrier(THREADS + 2, timeout=120)  # the askers, the ingester and this thread
    errors: list[str] = []
    results: list[tuple[str, tuple, float, float]] = []  # (question, answer key, start, seconds)
    dangling: list[str] = []
    ingest_window: list[float] = []
    lock = threading.Lock()

    def asker(k: int):
        order = random.Random(k).sample(questions, len(questions))
        start.wait()
        for q in order:
            t0 = time.perf_counter()
            try:
                answer = bot.ask(q)
            except Exception as exc:  # noqa: BLE001 - any error fails the test below
                with lock:
                    errors.append(f"{q!r}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - t0
            cited = [c.chunk_id for c in answer.citations]
            missing = set(cited) - set(bot.index.catalog.chunks(cited))
            with lock:
                results.append((q, _key(answer), t0, took))
                dangling.extend(missing)

    def ingester():
        start.wait()
        ingest_window.append(time.perf_counter())
        try:
            for folder in incoming:
                report = bot.ingest(folder)
                assert not report.failed and len(report.new) == 10
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"ingest: {type(exc).__name__}: {exc}")
        ingest_window.append(time.perf_counter())

    threads = [threading.Thread(target=asker, args=(k,)) for k in range(THREADS)]
    threads.append(threading.Thread(target=ingester))
    began = time.perf_counter()
    for t in threads:
        t.start()
    start.wait()
    for t in threads:
        t.join(600)
    wall = time.perf_counter() - began

    assert not errors, errors[:5]
    assert len(results) == THREADS * PER_THREAD
    assert not dangling, f"citations of chunks the catalog does not hold: {dangling[:5]}"
    during = sum(ingest_window[0] <= t0 <= ingest_window[1] for _, _, t0, _ in results)
    assert during >= THREADS, "the ingest did not overlap the questions; the test proves nothing"

    # Answers equal the single-threaded ones: before the ingest, or after it (the new articles change
    # BM25's statistics a little, and a question may run on either side of a commit).
    moved = {q for q, key, _, _ in results if key != single[q]}
    after = {q: _key(bot.ask(q)) for q in moved}
    differing = [(q, key) for q, key, _, _ in results if key not in (single[q], after.get(q))]
    assert not differing, differing[:3]
    changed_by_ingest = sum(single[q] != after[q] for q in moved)

    # The index is whole afterwards.
    catalog = bot.index.catalog.chunk_ids()
    assert bot.index.store.ids() == catalog == set(bot.index.bm25().ids)
    assert new_ids <= {a["id"] for a in bot.articles()}

    latencies = np.array([took for *_, took in results]) * 1000
    summary = (f"{len(store_backend) and 'server' or 'embedded'}: {len(results)} questions in {THREADS} threads "
               f"({during} during the ingest of {len(new_ids)} articles), {len(errors)} errors, "
               f"{len(dangling)} dangling citations, wall {wall:.1f} s, latency p50 {np.percentile(latencies, 50):.0f} "
               f"ms, p95 {np.percentile(latencies, 95):.0f} ms, max {latencies.max():.0f} ms; "
               f"{changed_by_ingest} of {len(questions)} answers differ before/after the ingest")
    record_property("concurrency", summary)
    print(summary)


def test_a_second_writer_on_the_same_data_folder_waits_for_the_first(make_bot, tmp_path, monkeypatch):
    """Two processes (here: two Assistants, each with its own file handle) never ingest one folder at once."""
    import assistant.index as index_module
    from assistant.errors import AssistantError

    folder = tmp_path / "articles"
    write_synthetic_articles(folder, 2, seed=95)
    first, second = make_bot(), make_bot()
    monkeypatch.setattr(index_module, "_LOCK_WAIT", 0.5)
    with first.index.writing():
        started = time.perf_counter()
        try:
            second.ingest(folder)
            raise AssertionError("the second ingest did not wait")
        except AssistantError as exc:
            assert "another ingest" in str(exc) and "running on" in str(exc)
        assert time.perf_counter() - started >= 0.5
        assert second.index.catalog.counts() == (0, 0)
    assert len(second.ingest(folder).new) == 2  # free again once the first is done
