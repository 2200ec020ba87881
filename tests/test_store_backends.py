"""The store, ingest and retrieval contract, run against every vector store backend: the embedded
Chroma store in the data folder and a real Chroma server (the session's, or the one .ci/run started).

Then what only a server can do to you: go away, come back, hang, lose its data, ask for a token.
"""

import http.client
import os
import shutil
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import numpy as np
import pytest

from assistant.chunking import embedding_input
from assistant.errors import StoreUnavailable

from .conftest import CORPUS, SEED_ID, ChromaServer, free_port, write_synthetic_articles

SEED_QUESTION = "How many NVIDIA chips has SenseTime bought?"


@pytest.fixture
def articles(tmp_path):
    """The seed article and three synthetic ones."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    facts = write_synthetic_articles(folder, 3, seed=6)
    return folder, facts


@pytest.fixture
def bot(make_bot, store_backend):
    return make_bot(**store_backend)


def consistent(bot) -> set[str]:
    """Catalog, vector store and BM25 name exactly the same chunks, each once."""
    catalog = bot.index.catalog.chunk_ids()
    stored = bot.index.store.id_list()
    assert len(stored) == len(set(stored)), "duplicate ids in the vector store"
    assert set(stored) == catalog
    bm25 = bot.index.bm25().ids
    assert len(bm25) == len(set(bm25)) and set(bm25) == catalog
    return catalog


# --- the contract, for each backend -------------------------------------------------------------


def test_the_configured_backend_is_used(bot, store_backend, articles):
    bot.ingest(articles[0])
    store = bot.index.store
    if store_backend:
        assert store.location == store_backend["chroma_url"]
        assert store.collection_name == store_backend["chroma_collection"]
        assert not (bot.index.data_dir / "chroma").exists()
    else:
        assert store.location == str(bot.index.data_dir / "chroma")
    assert store.count() == bot.index.catalog.counts()[1] > 0


def test_ingest_then_reingest_embeds_nothing(bot, articles):
    folder, facts = articles
    first = bot.ingest(folder)
    assert sorted(first.new) == sorted([SEED_ID, *facts]) and not first.failed
    ids = consistent(bot)
    assert first.chunks_embedded == len(ids)
    again = bot.ingest(folder)
    assert again.chunks_embedded == 0 and again.repaired == 0
    assert sorted(again.unchanged) == sorted(first.new) and not again.new and not again.updated
    assert consistent(bot) == ids


def test_changed_article_re_embeds_only_what_changed(bot, articles):
    folder, facts = articles
    bot.ingest(folder)
    before = consistent(bot)
    seed_before = {c.id for c in bot.index.catalog.all_chunks([SEED_ID])}
    path = folder / SEED_ID
    added = "\n\nIn a synthetic paragraph added by the test, SenseTime also bought 77,777 cooling fans.\n"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + added, encoding="utf-8")
    report = bot.ingest(folder)
    assert report.updated == [SEED_ID] and sorted(report.unchanged) == sorted(facts)
    assert 0 < report.chunks_embedded < len(seed_before)  # only the last chunk changed
    after = consistent(bot)
    assert after - before and before - after
    assert before - seed_before <= after  # the other articles' chunks are untouched
    assert "77,777" in bot.ask("How many cooling fans did SenseTime buy?").text


def test_prune_removes_vectors_of_deleted_files(bot, articles):
    folder, facts = articles
    bot.ingest(folder)
    gone = sorted(facts)[0]
    gone_chunks = {c.id for c in bot.index.catalog.all_chunks([gone])}
    (folder / f"{gone}.md").unlink()
    assert bot.ingest(folder).removed == []  # not asked to prune
    assert bot.ingest(folder, prune=True).removed == [gone]
    assert not consistent(bot) & gone_chunks
    assert gone not in {a["id"] for a in bot.articles()}


def test_repair_restores_missing_vectors_and_drops_orphans(bot, articles, embedder):
    from assistant.types import Chunk

    folder, _ = articles
    bot.ingest(folder)
    ids = sorted(bot.index.catalog.chunk_ids())
    ghost = Chunk(id="orphan-from-a-crash", article_id="ghost", text="ghost", start=0, end=5)
    bot.index.store.upsert([ghost], np.full((1, 384), 1 / np.sqrt(384), dtype=np.float32))
    bot.index.store.delete(ids[:2])
    report = bot.ingest(folder)
    assert report.repaired == 3 and report.chunks_embedded == 0
    consistent(bot)
    restored = bot.index.store.get(ids[:2])
    chunks = bot.index.catalog.chunks(ids[:2])
    for cid in ids[:2]:
        meta, vector = restored[cid]
        assert meta["article_id"] == chunks[cid].article_id
        expected = embedder.embed([embedding_input(chunks[cid])])[0]
        assert float(vector @ expected) > 0.999


def test_hybrid_retrieval_answers_and_filters(bot, articles):
    folder, facts = articles
    bot.ingest(folder)
    answer = bot.ask(SEED_QUESTION)
    assert "40,000" in answer.text and not answer.abstained
    assert answer.citations and answer.citations[0].article_id == SEED_ID
    top = answer.hits[0]
    assert top.vector_rank is not None and top.bm25_rank is not None  # both retrievers found it
    aid, fact = next(iter(facts.items()))
    synthetic = bot.ask(fact["question"])
    assert fact["answer"] in synthetic.text and synthetic.citations[0].article_id == aid
    # Filters go to Chroma as a where clause; nothing from another source comes back.
    filtered = bot.ask(SEED_QUESTION, source="Synthetic Wire")
    assert filtered.hits and all(h.chunk.source == "Synthetic Wire" for h in filtered.hits)
    dated = bot.ask(fact["question"], date_from="2024-01-01", date_to="2024-12-31")
    assert dated.hits and all(h.chunk.article_id != SEED_ID for h in dated.hits)  # the seed has no date


# --- a server that goes away, comes back, hangs or wants a token ----------------------------------


@pytest.fixture
def own_server(tmp_path):
    """A Chroma server of this test's own, which it may stop, restart or freeze."""
    server = ChromaServer(tmp_path / "server-db").start()
    yield server
    if server.proc is not None:
        os.kill(server.proc.pid, signal.SIGCONT)
    server.stop()


def test_unreachable_server_is_a_clear_error(make_bot):
    bot = make_bot(chroma_url=f"http://127.0.0.1:{free_port()}", chroma_retries=1)
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable, match=r"cannot reach the Chroma server .* is it running\?.*chroma run"):
        bot.ingest(CORPUS)
    assert time.perf_counter() - start < 10
    assert bot.index.catalog.counts() == (0, 0)  # nothing half-written


def test_restarted_server_is_retried_and_an_outage_mid_ingest_is_repaired(make_bot, own_server, tmp_path,
                                                                         monkeypatch):
    folder = tmp_path / "articles"
    facts = write_synthetic_articles(folder, 4, seed=61)
    # small batches, so that the server can die between two of them
    bot = make_bot(chroma_url=own_server.url, chroma_collection="outage-test", ingest_batch_chunks=4)
    bot.ingest(folder)
    aid, fact = next(iter(facts.items()))

    # Restarted on the same storage: the kept-alive connection is dead, a retry on a new one works.
    own_server.stop()
    own_server.start()
    assert fact["answer"] in bot.ask(fact["question"]).text

    # Down: a clear error, quickly.
    own_server.stop()
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable, match=f"Chroma server at {own_server.url} failed.*Is it running"):
        bot.ask(fact["question"])
    assert time.perf_counter() - start < 10

    # Dies in the middle of an ingest: whatever was written, the next run completes it.
    own_server.start()
    more = write_synthetic_articles(folder, 8, seed=62, prefix="more")
    upsert, calls = bot.index.store.upsert, []

    def upsert_then_die(chunks, vectors):
        upsert(chunks, vectors)
        calls.append(len(chunks))
        if len(calls) == 2:
            own_server.stop()

    monkeypatch.setattr(bot.index.store, "upsert", upsert_then_die)
    with pytest.raises(StoreUnavailable):
        bot.ingest(folder)
    monkeypatch.undo()
    committed = {a["id"] for a in bot.articles()}
    assert set(facts) < committed < set(facts) | set(more)  # stopped part-way
    own_server.start()
    report = bot.ingest(folder)
    assert set(report.new) == set(more) - committed
    consistent(bot)
    assert {a["id"] for a in bot.articles()} == set(facts) | set(more)


def test_server_that_lost_its_data_is_refilled_by_the_next_ingest(make_bot, own_server, tmp_path):
    folder = tmp_path / "articles"
    facts = write_synthetic_articles(folder, 3, seed=63)
    bot = make_bot(chroma_url=own_server.url, chroma_collection="reset-test")
    bot.ingest(folder)
    chunks = bot.index.catalog.counts()[1]
    own_server.stop()
    shutil.rmtree(own_server.path)
    own_server.start()  # same address, empty storage
    fact = next(iter(facts.values()))
    with pytest.raises(StoreUnavailable, match="gone from the Chroma server.*assistant ingest"):
        bot.ask(fact["question"])
    report = bot.ingest(folder)  # the same process: the store reopened the collection
    assert report.repaired == chunks and report.chunks_embedded == 0
    consistent(bot)
    assert fact["answer"] in bot.ask(fact["question"]).text


def test_hung_server_times_out(make_bot, own_server, tmp_path):
    folder = tmp_path / "articles"
    facts = write_synthetic_articles(folder, 2, seed=64)
    bot = make_bot(chroma_url=own_server.url, chroma_collection="hang-test", chroma_timeout=1, chroma_retries=1)
    bot.ingest(folder)
    fact = next(iter(facts.values()))
    os.kill(own_server.proc.pid, signal.SIGSTOP)
    try:
        start = time.perf_counter()
        with pytest.raises(StoreUnavailable, match="ReadTimeout"):
            bot.ask(fact["question"])
        assert time.perf_counter() - start < 8
    finally:
        os.kill(own_server.proc.pid, signal.SIGCONT)
    assert fact["answer"] in bot.ask(fact["question"]).text


class _TokenProxy(ThreadingHTTPServer):
    """Forwards to a Chroma server only requests that carry the expected header (Chroma's own server
    in this version has no auth, so a proxy plays the part of an authenticating gateway)."""

    daemon_threads = True

    def __init__(self, upstream: str, header: str, value: str):
        self.upstream = urlparse(upstream)
        self.header, self.value = header, value
        self.seen: list[tuple[str, bool]] = []  # (path, authorised)
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        proxy: _TokenProxy = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ok = self.headers.get(proxy.header) == proxy.value
        proxy.seen.append((self.path, ok))
        if not ok:
            status, headers, payload = 401, [("Content-Type", "application/json")], b'{"error": "unauthorised"}'
        else:
            conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
            skip = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}
            conn.request(self.command, self.path, body=body,
                         headers={k: v for k, v in self.headers.items() if k.lower() not in skip})
            resp = conn.getresponse()
            status, payload = resp.status, resp.read()
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in skip]
            conn.close()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("header,sent", [("", "Bearer s3cret"), ("X-Chroma-Token", "s3cret")])
def test_token_is_sent_and_a_refusal_is_explained(make_bot, chroma_url, tmp_path, header, sent):
    proxy = _TokenProxy(chroma_url, header or "Authorization", sent)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        folder = tmp_path / "articles"
        facts = write_synthetic_articles(folder, 2, seed=65)
        common = {"chroma_url": proxy.url, "chroma_collection": f"token-test-{len(header)}",
                  "chroma_auth_header": header, "chroma_retries": 0}
        with pytest.raises(StoreUnavailable, match=r"refused the request \(HTTP 401\): set chroma_token"):
            make_bot(data_dir=tmp_path / "d1", **common).ingest(folder)
        with pytest.raises(StoreUnavailable, match=r"HTTP 401\): check chroma_token and chroma_auth_header"):
            make_bot(data_dir=tmp_path / "d2", chroma_token="wrong", **common).ingest(folder)
        proxy.seen.clear()
        bot = make_bot(data_dir=tmp_path / "d3", chroma_token="s3cret", **common)
        bot.ingest(folder)
        fact = next(iter(facts.values()))
        assert fact["answer"] in bot.ask(fact["question"]).text
        assert proxy.seen and all(ok for _, ok in proxy.seen)  # every request carried the token
        bot.index.store.drop()
    finally:
        proxy.shutdown()
        proxy.server_close()
