"""Crash safety: a real `assistant ingest` process is killed (SIGKILL) at random moments while it
writes, the folder changes a little, and the ingest runs again; after a final complete run the
catalog, Chroma and BM25 agree chunk for chunk, with no duplicate and no article missing.

Also the data folder's format version: an index of another format is refused with a way forward.
$ASSISTANT_TEST_KILLS sets how many kills (default 8; the issue's figure is 20),
$ASSISTANT_TEST_KILL_SEED replays one sequence of kill times.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import embedding_input
from assistant.errors import IndexVersionError

from .conftest import ROOT, write_synthetic_articles

KILLS = int(os.environ.get("ASSISTANT_TEST_KILLS", "8"))
SEED = int(os.environ.get("ASSISTANT_TEST_KILL_SEED", str(random.SystemRandom().randrange(10**6))))
WORK_STARTED = "embedding model loaded"  # logged (with -v) when the first batch is about to be embedded
KILL_WINDOW = 2.5  # seconds after WORK_STARTED in which a timed kill lands, uniformly


def _ingest_process(data_dir: Path, folder: Path) -> subprocess.Popen:
    # No outside config, except where the session keeps the prepared embedding model.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") or k == "ASSISTANT_MODELS_DIR"}
    # Small batches: a commit every 8 chunks, so that kills land between many different writes.
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1", ASSISTANT_INGEST_BATCH_CHUNKS="8")
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "-v", "--data-dir", str(data_dir), "ingest", str(folder), "--prune"],
        cwd=data_dir.parent, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


class _Watch:
    """Reads a child's stderr in the background and notes when its write phase begins."""

    def __init__(self, proc: subprocess.Popen):
        self.started = threading.Event()
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(proc.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)
            if WORK_STARTED in line:
                self.started.set()
        self.started.set()  # ended without work: nothing left to kill

    def tail(self) -> str:
        self._thread.join(5)
        return "".join(self.lines[-15:])


def _catalog_state(data_dir: Path) -> tuple[int, int]:
    """(generation, articles) read straight from SQLite; also checks the file's integrity."""
    db = sqlite3.connect(data_dir / "catalog.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not db.execute("PRAGMA foreign_key_check").fetchall()
        # put_article replaces an article and its chunks in one transaction: never one without the other
        assert not db.execute("SELECT a.id FROM articles a LEFT JOIN chunks c ON c.article_id = a.id "
                              "WHERE c.id IS NULL").fetchall()
        generation = int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
        return generation, db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        db.close()


def _wait_for_generation(data_dir: Path, generation: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the catalog reaches ``generation`` (one commit each) or the process ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            db = sqlite3.connect(f"file:{data_dir / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=5)
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            finally:
                db.close()
            if row and int(row[0]) >= generation:
                return
        except sqlite3.OperationalError:  # not created yet
            pass
        time.sleep(0.02)


def _mutate(folder: Path, rng: random.Random, round_no: int) -> None:
    """Keep work for the next run: three new articles, three edited, one deleted."""
    write_synthetic_articles(folder, 3, seed=1000 + round_no, prefix=f"round{round_no:02d}")
    files = sorted(folder.glob("*.md"))
    *edited, deleted = rng.sample(files, 4)
    for path in edited:
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\nA synthetic correction was appended in round {round_no}; the plant will also host "
                    f"{rng.randint(10, 999)} apprentices.\n")
    deleted.unlink()


def test_ingest_survives_sigkill_at_random_moments(tmp_path, embedder, record_property):
    from assistant import load_settings
    from assistant.index import Index
    from assistant.ingest import ingest
    from assistant.loading import load_path

    rng = random.Random(SEED)
    folder, data_dir = tmp_path / "articles", tmp_path / "data"
    write_synthetic_articles(folder, 48, seed=SEED, paragraphs=(2, 6))
    kills, completed, mid_write, rounds = 0, 0, 0, 0
    started = time.perf_counter()
    while kills < KILLS:
        rounds += 1
        assert rounds <= 3 * KILLS + 5, f"only {kills} kills in {rounds} runs (seed {SEED})"
        before = _catalog_state(data_dir)[0] if (data_dir / "catalog.sqlite3").exists() else -1
        proc = _ingest_process(data_dir, folder)
        watch = _Watch(proc)
        assert watch.started.wait(180), f"ingest never started work (seed {SEED}):\n{watch.tail()}"
        if rng.random() < 0.5:  # at a random time into the work
            time.sleep(rng.uniform(0, KILL_WINDOW))
        else:  # just after a random commit, when the writes that follow it are under way
            _wait_for_generation(data_dir, before + rng.randint(1, 2), proc)
            time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            kills += 1
            after, _ = _catalog_state(data_dir)
            mid_write += after > before  # at least one batch committed before the kill
        else:
            assert proc.wait() == 0, f"ingest failed (seed {SEED}):\n{watch.tail()}"
            completed += 1
            _catalog_state(data_dir)
        _mutate(folder, rng, rounds)

    # A final, uninterrupted run.
    proc = _ingest_process(data_dir, folder)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, f"final ingest failed (seed {SEED}):\n{err[-3000:]}"
    elapsed = time.perf_counter() - started

    # The checks, in this process, now that no ingest runs. Another ingest finds nothing to do.
    articles, problems = load_path(folder)
    assert not problems
    index = Index(load_settings(env={}, data_dir=data_dir), embedder=embedder)
    again = ingest(index, folder, prune=True)
    assert (again.chunks_embedded, again.repaired, again.new, again.updated, again.removed) == (0, 0, [], [], [])
    catalog = index.catalog
    catalog_ids = catalog.chunk_ids()
    stored = index.store.id_list()
    bm25 = index.bm25()
    checks = 0
    assert len(stored) == len(set(stored)), "duplicate ids in Chroma"
    assert set(stored) == catalog_ids, "Chroma and the catalog disagree"
    assert len(bm25.ids) == len(set(bm25.ids)) and set(bm25.ids) == catalog_ids, "BM25 and the catalog disagree"
    assert index.store.count() == len(catalog_ids)
    assert {a["id"] for a in catalog.articles()} == {a.id for a in articles}, "articles missing or left over"
    checks += 5
    # Per article: the stored chunks are exactly a fresh chunking of the file, everywhere.
    metadata = index.store.get(sorted(catalog_ids))
    per_article_in_chroma = Counter(meta["article_id"] for meta, _ in metadata.values())
    fingerprints = catalog.fingerprints()
    for article in articles:
        expected = index.chunker.chunk(article)
        have = catalog.all_chunks([article.id])
        assert [c.id for c in have] == [c.id for c in expected], article.id
        assert per_article_in_chroma[article.id] == len(expected) == len(have), article.id
        assert fingerprints[article.id][0] == article.fingerprint, article.id
        text = catalog.article_text(article.id)
        assert all(text[c.start : c.end] == c.text for c in have), article.id
        checks += 5
    # Vectors are the embeddings of their chunks (a sample), and the BM25 index on disk is current.
    sample = random.Random(SEED).sample(sorted(catalog_ids), 12)
    chunks = catalog.chunks(sample)
    vectors = embedder.embed([embedding_input(chunks[cid]) for cid in sample])
    for cid, vector in zip(sample, vectors, strict=True):
        assert float(np.dot(metadata[cid][1], vector)) > 0.999, cid
        checks += 1
    from assistant.lexical import BM25Index

    saved = BM25Index.load(index.bm25_dir)
    assert saved is not None and (saved.catalog_id, saved.generation) == (catalog.identity, catalog.generation)
    assert set(saved.ids) == catalog_ids
    checks += 2

    summary = (f"seed {SEED}: {kills} SIGKILLs survived ({mid_write} after at least one commit), {completed} "
               f"runs finished before their kill, {rounds + 1} runs in {elapsed:.0f} s; {len(articles)} articles, "
               f"{len(catalog_ids)} chunks; {checks} consistency checks passed")
    record_property("crash_safety", summary)
    print(summary)


class HashEmbedder:
    """A stand-in embedder (a vector from each text's hash) for the write-boundary kills, where the
    point is where the process dies, not what the vectors mean; it spares each run torch's import."""

    identity = "test:sha256-384"

    def warm(self) -> None:
        pass

    def embed(self, texts: list[str]) -> np.ndarray:
        import hashlib

        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
            out[i] = np.random.default_rng(seed).standard_normal(384)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


# Runs `assistant ingest` in a process that SIGKILLs itself right after the n-th write of one kind.
_DRIVER = """
import os, signal, sys
from contextlib import contextmanager
sys.path.insert(0, {root!r})
from tests.test_crash_safety import HashEmbedder
import assistant.index
from assistant.catalog import Catalog
from assistant.store import VectorStore

assistant.index.make_embedder = lambda settings: HashEmbedder()
target, n, calls = sys.argv[1], int(sys.argv[2]), [0]

def hit():
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)

if target in ("upsert", "delete"):  # vectors written or removed, catalog not yet told
    real = getattr(VectorStore, target)
    def wrapped(self, *args, **kwargs):
        real(self, *args, **kwargs)
        hit()
    setattr(VectorStore, target, wrapped)
elif target == "commit":  # a catalog transaction committed, what follows it not done
    real_transaction = Catalog.transaction
    @contextmanager
    def transaction(self):
        with real_transaction(self) as db:
            yield db
        hit()
    Catalog.transaction = transaction
elif target == "bm25-swap":  # the new BM25 folder swapped in, the old one not yet removed
    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if os.path.basename(str(dst)) == "bm25":
            hit()
    os.replace = replace
from assistant.cli import main
sys.exit(main(sys.argv[3:]))
"""
_BOUNDARIES = [("upsert", 1), ("commit", 1), ("upsert", 1), ("delete", 1), ("commit", 2), ("bm25-swap", 1),
               ("upsert", 1), ("commit", 1), ("delete", 1), ("bm25-swap", 1), ("none", 0)]


def test_ingest_survives_sigkill_at_each_write_boundary(tmp_path, record_property):
    from assistant import load_settings
    from assistant.index import Index
    from assistant.loading import load_path

    rng = random.Random(SEED)
    folder, data_dir = tmp_path / "articles", tmp_path / "data"
    write_synthetic_articles(folder, 48, seed=SEED + 1, paragraphs=(2, 6))
    data_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    killed: list[str] = []
    for round_no, (target, n) in enumerate(_BOUNDARIES):
        run = subprocess.run(
            [sys.executable, "-c", _DRIVER.format(root=str(ROOT)), target, str(n),
             "--data-dir", str(data_dir), "ingest", str(folder), "--prune"],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180,
        )
        assert run.returncode in (0, -signal.SIGKILL), run.stderr[-3000:]
        if run.returncode:
            killed.append(f"{target}#{n}")
        _catalog_state(data_dir)
        if target != "none":
            _mutate(folder, rng, 100 + round_no)
    assert run.returncode == 0  # the last run completes
    assert len(killed) >= len(_BOUNDARIES) - 2, f"too few write boundaries reached: {killed}"

    articles, _ = load_path(folder)
    index = Index(load_settings(env={}, data_dir=data_dir), embedder=HashEmbedder())
    catalog_ids = index.catalog.chunk_ids()
    stored = index.store.id_list()
    assert len(stored) == len(set(stored)) and set(stored) == catalog_ids
    assert set(index.bm25().ids) == catalog_ids
    assert {a["id"] for a in index.catalog.articles()} == {a.id for a in articles}
    for article in articles:
        assert [c.id for c in index.catalog.all_chunks([article.id])] == [c.id for c in index.chunker.chunk(article)]
    from assistant.lexical import BM25Index

    saved = BM25Index.load(index.bm25_dir)
    assert saved is not None and saved.generation == index.catalog.generation  # saves work again after a kill
    record_property("write_boundary_kills", ", ".join(killed))
    print(f"killed at write boundaries: {', '.join(killed)}; {len(articles)} articles, {len(catalog_ids)} chunks")


# --- the data folder's format version ----------------------------------------------------------


def test_index_of_another_format_is_refused_with_the_way_forward(make_bot, tmp_path, monkeypatch, capsys):
    from assistant.catalog import FORMAT_VERSION

    bot = make_bot()
    bot.ingest(ROOT / "corpus")
    data_dir = bot.settings.data_dir
    for version, word in ((FORMAT_VERSION + 1, "newer"), (0, "older")):
        bot.index.catalog.set_meta("format_version", str(version))
        with pytest.raises(IndexVersionError, match=rf"format {version} by an? {word} .*--rebuild"):
            make_bot(data_dir=data_dir)
    # The CLI says the same and exits with 2, changing nothing.
    from assistant.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", str(data_dir), "status"]) == 2
    assert "assistant ingest PATH --rebuild" in capsys.readouterr().err
    assert bot.index.catalog.counts()[1] > 0


def test_cli_ingest_rebuild_moves_an_incompatible_index_forward(make_bot, tmp_path, monkeypatch):
    from assistant.catalog import FORMAT_VERSION
    from assistant.cli import main

    bot = make_bot()
    bot.ingest(ROOT / "corpus")
    bot.index.catalog.set_meta("format_version", "0")
    monkeypatch.chdir(tmp_path)
    code = main(["--data-dir", str(bot.settings.data_dir), "ingest", str(ROOT / "corpus"), "--rebuild"])
    assert code == 0
    assert bot.index.catalog.get_meta("format_version") == str(FORMAT_VERSION)


def test_rebuild_moves_an_old_format_index_to_this_one(make_bot, embedder, tmp_path):
    from assistant.catalog import FORMAT_VERSION
    from assistant.index import Index

    bot = make_bot()
    bot.ingest(ROOT / "corpus")
    old_generation = bot.index.catalog.generation
    old_identity = bot.index.catalog.identity
    bot.index.catalog.set_meta("format_version", "0")
    bot.index.catalog.close()
    # What `assistant ingest PATH --rebuild` does: open the folder allowing a reset, then ingest everything.
    from assistant.ingest import ingest

    index = Index(bot.settings, embedder=embedder, reset_incompatible=True)
    assert index.catalog.get_meta("format_version") == str(FORMAT_VERSION)
    assert index.catalog.counts() == (0, 0)
    assert index.catalog.generation > old_generation and index.catalog.identity != old_identity
    report = ingest(index, ROOT / "corpus", rebuild=True)
    assert report.new and report.repaired > 0  # the old format's vectors were orphans, and went
    ids = index.catalog.chunk_ids()
    assert index.store.ids() == ids == set(index.bm25().ids)


def test_unreadable_catalog_is_refused_then_rebuilt(make_bot, embedder):
    from assistant.index import Index

    bot = make_bot()
    bot.ingest(ROOT / "corpus")
    path = bot.index.catalog.path
    bot.index.catalog.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"this is not an SQLite database, it is a synthetic damaged file\n" * 100)
    with pytest.raises(IndexVersionError, match="cannot be read.*--rebuild"):
        make_bot(data_dir=bot.settings.data_dir)
    index = Index(bot.settings, embedder=embedder, reset_incompatible=True)
    from assistant.ingest import ingest

    ingest(index, ROOT / "corpus", rebuild=True)
    assert index.store.ids() == index.catalog.chunk_ids() == set(index.bm25().ids)


def test_stale_bm25_from_an_earlier_catalog_is_not_trusted(make_bot, tmp_path):
    """A catalog deleted and made again counts generations from 0: its BM25 index must not be the old one."""
    first = tmp_path / "first"
    write_synthetic_articles(first, 2, seed=71, prefix="first")
    bot = make_bot()
    bot.ingest(first)
    bot.index.catalog.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(bot.index.catalog.path) + suffix).unlink(missing_ok=True)
    second = tmp_path / "second"
    write_synthetic_articles(second, 2, seed=72, prefix="second")
    again = make_bot(data_dir=bot.settings.data_dir)
    again.ingest(second)
    assert set(again.index.bm25().ids) == again.index.catalog.chunk_ids() == again.index.store.ids()


def test_bm25_save_recovers_from_a_save_killed_half_way(make_bot, tmp_path):
    """A kill between BM25Index.save's two renames leaves `bm25.old` behind; later saves must still work."""
    bot = make_bot()
    bot.ingest(ROOT / "corpus")
    old = bot.index.bm25_dir.with_name("bm25.old")
    old.mkdir()
    (old / "meta.json").write_text("{}")
    stale_tmp = bot.index.bm25_dir.with_name(".bm25-left-by-a-kill")
    stale_tmp.mkdir()
    os.utime(stale_tmp, (time.time() - 7200, time.time() - 7200))
    saved = bot.index.rebuild_bm25()
    from assistant.lexical import BM25Index

    loaded = BM25Index.load(bot.index.bm25_dir)
    assert loaded is not None and loaded.generation == saved.generation and loaded.ids == saved.ids
    assert not old.exists() and not stale_tmp.exists()
