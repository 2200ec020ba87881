"""The Python API: ``Assistant.from_config().ingest(path)`` and ``.ask(question)``.

The CLI, the UI and the eval suite all go through this class; it owns the index and
the models, loaded once and shared by every question (and every thread).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import nlp, prompts
from .config import Settings, describe, load_settings
from .conversation import Conversation, rewrite_followup
from .embeddings import Embedder
from .errors import BadInputError, ConfigError, LLMUnavailable, NoIndexError
from .evidence import CachedEmbedder
from .index import Index
from .ingest import ingest
from .llm import MODE_LABELS, LLMClient, answer_with_llm, resolve_mode, words
from .llm_server import local_url, stop_started
from .presupposition import presupposition
from .question import Question, read_question
from .reader import Reading, compose, contradicts, decide, found_values, score_units
from .reader_model import ReaderModel, load_model
from .retrieval import Filters, Retriever
from .sentences import split_sentences
from .types import Answer, Hit, IngestReport
from .verification import Verifier

if TYPE_CHECKING:
    from .webingest import WebSources

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


def parse_as_of(value: str | dt.date | None) -> dt.date:
    """ "Today" for a question: the given date (YYYY-MM-DD), else the real one."""
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInputError(f"as_of {value!r} is not a date of the form YYYY-MM-DD") from None


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise BadInputError("the question must be text")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise BadInputError("the question is empty: type a question about the articles")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInputError(
            f"the question is {len(text):,} characters long; ask in at most {MAX_QUESTION_CHARS:,} characters"
        )
    return text


class Assistant:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, *, reset_incompatible: bool = False):
        self.settings = settings
        self.index = Index(settings, embedder=embedder, reset_incompatible=reset_incompatible)
        self.retriever = Retriever(self.index)
        self._warm = False
        self._parser_warm = False  # the dependency parser (for the verifier, and the reader's role and premise checks)
        self._verifier: Verifier | None = None
        self._llm_clients: dict[str, LLMClient] = {}

    @classmethod
    def from_config(cls, config_file: str | Path | None = None, *, reset_incompatible: bool = False,
                    **overrides: Any) -> Assistant:
        """Settings from defaults, ``config_file`` (or $ASSISTANT_CONFIG), the environment, then ``overrides``."""
        return cls(load_settings(config_file, **overrides), reset_incompatible=reset_incompatible)

    # --- ingest -------------------------------------------------------------------------

    def ingest(self, path: str | Path, prune: bool = False, rebuild: bool = False,
               progress: bool | None = None) -> IngestReport:
        from .webingest import is_url  # imported on use: httpx and feedparser are not needed to answer

        if is_url(path):  # an article's web page (issue 14)
            return self.web.ingest_url(path)
        return ingest(self.index, path, prune=prune, rebuild=rebuild, progress=progress)

    @functools.cached_property
    def web(self) -> WebSources:
        """Article URLs and feeds: ``.ingest_url(url)``, ``.add_feed(url)``, ``.feeds()``, ``.refresh()``."""
        from .webingest import WebSources

        return WebSources(self.index)

    def remove_article(self, article_id: str) -> None:
        """Drop one article: its catalog rows in one transaction, then its vectors."""
        catalog = self.index.catalog
        with self.index.writing():
            if article_id not in catalog.fingerprints():
                raise BadInputError(f"no article with id {article_id!r} is ingested")
            chunk_ids = [c.id for c in catalog.all_chunks([article_id])]
            self.index.unmark_store_in_step()
            with catalog.transaction() as db:
                catalog.delete_article(db, article_id)
            # A crash here leaves orphan vectors, which the next ingest's repair removes.
            self.index.store.delete(chunk_ids)
            self.index.mark_store_in_step(catalog.counts()[1])

    # --- ask ----------------------------------------------------------------------------

    def warm(self, mode: str | None = None) -> float:
        """Load the models now (also the verifier's parser when ``mode``, default the configured one, has an
        LLM write the answer); returns the seconds it took."""
        start = time.perf_counter()
        if not self._warm:
            self.index.embedder.warm()
            self.index.store.count()
            # First calls pay for lazy imports and tables; pay them here, not in the first answer.
            self.index.bm25().search("warm up", 1)
            split_sentences("Warm up. Twice.")
            nlp.warm()
            self.reader_model  # noqa: B018 - loads and checks the fitted weights now
            self.index.embedder.embed(["warm up"])
            self._warm = True
        if self._needs_parser(mode) and not self._parser_warm:
            nlp.warm("full")
            self._parser_warm = True
        return time.perf_counter() - start

    def _needs_parser(self, mode: str | None) -> bool:
        """The reader's role and premise checks parse in every mode; without them only LLM text is parsed."""
        return self.settings.reader_roles or self.settings.reader_presupposition or self._verifies_llm_text(mode)

    def _verifies_llm_text(self, mode: str | None) -> bool:
        try:
            return resolve_mode(self.settings, mode) != "extractive"
        except ConfigError:  # ask() reports a bad mode in its own words
            return False

    def ask(self, question: str, *, mode: str | None = None, history: list[tuple[str, str]] | None = None,
            top_k: int | None = None, source: str | None = None, date_from: str | None = None,
            date_to: str | None = None, as_of: str | dt.date | None = None) -> Answer:
        """The answer to ``question``; ``history`` holds earlier (question, answer) turns of a conversation;
        ``as_of`` is "today" for questions about the latest news (default: the real today)."""
        answer = None
        for item in self.ask_stream(question, mode=mode, history=history, top_k=top_k, source=source,
                                    date_from=date_from, date_to=date_to, as_of=as_of):
            if isinstance(item, Answer):
                answer = item
        return answer

    def ask_stream(self, question: str, *, mode: str | None = None, history: list[tuple[str, str]] | None = None,
                   top_k: int | None = None, source: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, as_of: str | dt.date | None = None) -> Iterator[str | Answer]:
        """Pieces of the answer's text as they are verified, then the final :class:`Answer`.

        One path, one step after another: read the question, retrieve, read the passages (the extractive
        answer), then in an LLM mode let the model write and verify every sentence it wrote.
        """
        start = time.perf_counter()
        question = clean_question(question)
        filters = Filters(source=source or None, date_from=date_from or None, date_to=date_to or None)
        if top_k is not None and not 1 <= top_k <= 50:
            raise BadInputError("top_k must be between 1 and 50")
        today = parse_as_of(as_of)
        if self.index.catalog.counts()[1] == 0:
            raise NoIndexError(
                f"no articles are ingested in {self.settings.data_dir}: run `assistant ingest corpus/` first"
            )
        self.index.check_embedder()
        mode = resolve_mode(self.settings, mode)
        timings: dict[str, float] = {}
        if not self._warm or (self._needs_parser(mode) and not self._parser_warm):
            timings["load_ms"] = self.warm(mode) * 1000

        standalone = None
        if history:
            t = time.perf_counter()
            standalone = rewrite_followup(question, history, lambda: self.llm_client(mode) if mode == "openai"
                                          else None)
            timings["rewrite_ms"] = (time.perf_counter() - t) * 1000
        search = standalone or question

        t = time.perf_counter()
        q = read_question(search, today)
        query_vector = self.index.embedder.embed([search])[0]
        timings["embed_ms"] = (time.perf_counter() - t) * 1000
        hits = self.retriever.search(search, query_vector, top_k=top_k, filters=filters, timings=timings, q=q)

        t = time.perf_counter()
        # LLM modes embed every passage sentence for verification anyway (cached): score them all there.
        reading = self.read(q, hits, query_vector, prune=mode == "extractive")
        text, citations, short = compose(reading)
        timings["answer_ms"] = (time.perf_counter() - t) * 1000
        numbers_ = {(c.article_id, c.start): c.n for c in citations}
        answer = Answer(question=question, text=text, citations=citations, abstained=not reading.answered,
                        mode="extractive", hits=hits, timings=timings, standalone_question=standalone,
                        short_answer=short, confidence=reading.confidence,
                        disagreement=[(v, numbers_[(u.chunk.article_id, u.start)]) for v, u in reading.conflict])
        if mode == "local" and (not answer.short_answer or answer.disagreement):
            # Measured on the bundled facts, the 270M model answered must-abstain questions the reader had
            # declined, and lost answers it had found: it only phrases an answer whose value the reader found.
            # Where the articles disagree it picked one side (RGB dev): the reader's answer cites both.
            answer.note = prompts.LOCAL_STEPS_BACK_NOTE.format(mode=MODE_LABELS[mode])
            yield from words(answer.text)
        elif mode != "extractive":
            try:
                client = self.llm_client(mode)
            except LLMUnavailable as exc:
                answer.note = prompts.LLM_UNAVAILABLE_NOTE.format(mode=MODE_LABELS[mode], reason=str(exc))
                client = None
            if client is not None:
                # The bundled 270M model names wrong entities from the right passage (verified RGB answers
                # were no better than the reader's), and answers one part of a two-part question: in mode
                # local it must state the reader's short answer and a value of each other kind asked.
                answer = yield from answer_with_llm(client, self.verifier, mode, search, answer,
                                                    agree_with=found_values(reading, search) if mode == "local" else ())
            else:
                yield from words(answer.text)
        else:
            yield from words(answer.text)
        timings["total_ms"] = (time.perf_counter() - start) * 1000 - timings.get("load_ms", 0.0)
        yield answer

    def read(self, q: Question, hits: list[Hit], query_vector, prune: bool = True) -> Reading:
        """The reader's verdict on the retrieved passages (:mod:`assistant.reader`)."""
        model = self.reader_model
        entities = self.index.entities.get([h.chunk for h in hits])
        units = score_units(q, hits, self.verifier.embedder.embed, query_vector, self.index.bm25(), entities,
                            model, prune=prune)
        given = presupposition(q.text) if self.settings.reader_presupposition else ""
        if given and prune and units and contradicts(given, units[0].text):
            # the best unit cannot answer: units pruned against it may now lead or join
            units = score_units(q, hits, self.verifier.embedder.embed, query_vector, self.index.bm25(), entities,
                                model, prune=False)
        return decide(units, model, self.settings.max_answer_sentences, self.settings.report_disagreement,
                      q.text if self.settings.reader_roles else "",
                      given)

    @property
    def reader_model(self) -> ReaderModel:
        model = load_model(self.settings.reader_weights)
        if self.settings.abstain_threshold:
            model = dataclasses.replace(model, threshold=self.settings.abstain_threshold)
        return model

    def conversation(self, **options: Any) -> Conversation:
        """A session whose follow-up questions are read in the light of the earlier turns."""
        return Conversation(self, options)

    @property
    def verifier(self) -> Verifier:
        if self._verifier is None:
            self._verifier = Verifier.from_settings(
                self.settings, CachedEmbedder(self.index.embedder, stored=self.index.sentence_vectors))
        return self._verifier

    def llm_client(self, mode: str) -> LLMClient:
        """The client of an LLM mode. Mode "local" finds, or starts, the local server each time: one
        that died since is replaced."""
        url = local_url(self.settings) if mode == "local" else None
        client = self._llm_clients.get(mode)
        if client is None or (url and client.base_url != url):
            client = self._llm_clients[mode] = LLMClient.from_settings(self.settings, mode, url)
        return client

    def close(self) -> None:
        """Stop the local model server this process started, if any."""
        stop_started()
        self._llm_clients.clear()

    # --- status -------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        articles, chunks = self.index.catalog.counts()
        return {
            "data_dir": str(self.settings.data_dir),
            "articles": articles,
            "chunks": chunks,
            "vector_store": self.settings.chroma_url or str(Path(self.settings.data_dir) / "chroma"),
            "embedder": self.index.catalog.get_meta("embedder") or "(nothing ingested yet)",
            "answer_mode": resolve_mode(self.settings),
            "settings": describe(self.settings),
        }

    def articles(self) -> list[dict]:
        return self.index.catalog.articles()
