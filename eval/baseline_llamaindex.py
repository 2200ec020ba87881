"""The framework default to compare against: LlamaIndex's CitationQueryEngine over a
VectorStoreIndex on Chroma, with the same articles, embedding model and LLM endpoint.

LlamaIndex and Chroma objects stay inside this module; it hands back :class:`Attempt`s.
Without a reachable LLM endpoint it still measures retrieval (the retriever the engine uses).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError
from assistant.loading import load_path

from .metrics import Attempt, Passage
from .scoring import is_abstention

log = logging.getLogger(__name__)

RETRIEVAL_DEPTH = 5  # retrieved for hit@5 and MRR; the engine itself answers from its default top 2
MAX_ANSWER_TOKENS = 256  # a base model on llama.cpp otherwise writes until its context is full
COMPLETION_STOP = ["\n\n"]  # plain completions: a base model's answer ends at a blank line
_MARKER = re.compile(r"\[(\d+)\]")
_SOURCE_LABEL = re.compile(r"^Source \d+:\n")


class LlamaIndexBaseline:
    def __init__(self, settings: Settings, workdir: Path, chat: bool = True):
        self.settings = settings
        self.workdir = workdir
        self.chat = chat  # False: plain completions, for a base model without a chat template
        self.llm_reason: str | None = None  # why answers are not measured, when they are not
        self._retriever = None
        self._engine = None

    def _embed_model(self):
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        from assistant.embeddings import packaged_model_path

        s = self.settings
        if s.embed_backend == "openai":
            raise ConfigError("the LlamaIndex baseline runs only with a local embedding model (embed_backend "
                              "'local', 'onnx' or 'onnx-int8'); it was not run")
        model = Path(s.embed_model) if s.embed_model else packaged_model_path()
        return HuggingFaceEmbedding(model_name=str(model), device="cpu")

    def _llm(self):
        """The same endpoint the assistant's LLM modes use, or None with the reason in llm_reason."""
        s = self.settings
        if not s.llm_base_url:
            self.llm_reason = ("no LLM endpoint is configured (llm_base_url / ASSISTANT_LLM_BASE_URL): "
                               "answers not measured, retrieval only")
            return None
        import httpx

        try:
            headers = {"Authorization": f"Bearer {s.llm_api_key}"} if s.llm_api_key else {}
            httpx.get(s.llm_base_url.rstrip("/") + "/models", timeout=5, headers=headers).raise_for_status()
        except httpx.HTTPError as e:
            self.llm_reason = f"the LLM endpoint {s.llm_base_url} is not reachable ({e}): retrieval only"
            return None
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(model=s.llm_model or "default", api_base=s.llm_base_url, api_key=s.llm_api_key or "none",
                          is_chat_model=self.chat, timeout=s.llm_timeout, max_retries=s.llm_retries,
                          max_tokens=MAX_ANSWER_TOKENS,
                          additional_kwargs={} if self.chat else {"stop": COMPLETION_STOP})

    def build(self, corpus: Path) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        articles, problems = load_path(corpus, self.settings.max_file_mb)
        if not articles:
            raise AssistantError(f"no articles to index for the LlamaIndex baseline in {corpus}")
        docs = [Document(text=a.text, id_=a.id, metadata={"title": a.title, "article_id": a.id},
                         excluded_embed_metadata_keys=["article_id"], excluded_llm_metadata_keys=["article_id"])
                for a in articles]
        self.workdir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(self.workdir / "chroma"),
                                           settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection(f"baseline-{uuid.uuid4().hex[:16]}", embedding_function=None)
        t = time.perf_counter()
        # SentenceSplitter() is LlamaIndex's default node parser, passed so the global Settings stay untouched.
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
        index = VectorStoreIndex.from_documents(docs, storage_context=storage, embed_model=self._embed_model(),
                                                transformations=[SentenceSplitter()])
        log.info("LlamaIndex baseline: %d articles indexed in %.1f s", len(docs), time.perf_counter() - t)
        self._retriever = index.as_retriever(similarity_top_k=max(RETRIEVAL_DEPTH, self.settings.top_k))
        llm = self._llm()
        if llm is not None:
            self._engine = CitationQueryEngine.from_args(index, llm=llm)

    def attempt(self, question: str) -> Attempt:
        t = time.perf_counter()
        nodes = self._retriever.retrieve(question)
        timings = {"retrieve_ms": (time.perf_counter() - t) * 1000}
        retrieved = [Passage(n.node.get_content(), n.node.metadata.get("article_id", "")) for n in nodes]
        if self._engine is None:
            return Attempt(text="", abstained=False, retrieved=retrieved, timings=timings, answered_by="llamaindex")
        t = time.perf_counter()
        try:
            response = self._engine.query(question)
        except Exception as e:  # noqa: BLE001 - any failure of the framework's pipeline is its answer
            return Attempt(text="", abstained=False, retrieved=retrieved, timings=timings,
                           answered_by="llamaindex", error=f"{type(e).__name__}: {e}")
        timings["answer_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = timings["retrieve_ms"] + timings["answer_ms"]
        text = str(response.response or "")
        sources = response.source_nodes
        cited = sorted({int(m) for m in _MARKER.findall(text) if 1 <= int(m) <= len(sources)})
        citations = [Passage(_SOURCE_LABEL.sub("", sources[n - 1].node.get_content()).strip(),
                             sources[n - 1].node.metadata.get("article_id", "")) for n in cited]
        return Attempt(text=text, abstained=is_abstention(text, refusals=True), citations=citations,
                       retrieved=retrieved, timings=timings, answered_by="llamaindex")
