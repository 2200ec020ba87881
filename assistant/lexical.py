"""Word-level text handling: the tokenizer shared by BM25 and the answerer, and the BM25 index.

The BM25 index (bm25s) is derived data: it is rebuilt from the catalog's chunk texts
and saved next to it with the catalog identity and generation it reflects.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG to stderr

_WORD = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)


_local = threading.local()


def _stemmer():
    """This thread's stemmer: PyStemmer objects keep state and "must not be called concurrently"."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from .sentences import nltk_data_dir

    path = Path(nltk_data_dir()) / "corpora" / "stopwords" / "english"
    words = path.read_text(encoding="utf-8").split()
    # Words that only shape a question ("how many") would count against every answer sentence.
    return frozenset(words) | {"many", "much", "according"}


def normalise_number(token: str) -> str:
    """'40,000' and '40000' are the same token; '2.5' stays as it is."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", token):
        return token.replace(",", "")
    return token


def tokenize(text: str) -> list[str]:
    """Lowercased, stemmed content words; numbers normalised; stopwords dropped."""
    out = []
    stem = _stemmer().stemWord
    for m in _WORD.finditer(text.lower().replace("’", "'")):
        tok = m.group()
        if tok in stopwords():
            continue
        if tok[0].isdigit():
            out.append(normalise_number(tok))
        else:
            out.append(stem(tok))
    return out


@dataclass
class BM25Index:
    """BM25 over chunk texts; ``ids[i]`` is the chunk id of document i."""

    ids: list[str]
    generation: int
    _retriever: object | None
    doc_freq: Counter
    catalog_id: str = ""  # the Catalog.identity it was built from

    @classmethod
    def build(cls, ids: list[str], texts: list[str], generation: int, catalog_id: str = "") -> BM25Index:
        import bm25s

        tokens = [tokenize(t) for t in texts]
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            # bm25s cannot index an empty token list; a placeholder keeps ids aligned.
            retriever.index([t or ["\x00"] for t in tokens], show_progress=False)
        df: Counter = Counter()
        for t in tokens:
            df.update(set(t))
        return cls(ids=list(ids), generation=generation, _retriever=retriever, doc_freq=df, catalog_id=catalog_id)

    def idf(self, token: str) -> float:
        n = max(len(self.ids), 1)
        return math.log(1 + (n - self.doc_freq.get(token, 0) + 0.5) / (self.doc_freq.get(token, 0) + 0.5))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, score) best first; chunks with no query word are left out."""
        q = tokenize(query)
        if not q or self._retriever is None:
            return []
        k = min(k, len(self.ids))
        docs, scores = self._retriever.retrieve([q], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def save(self, folder: Path) -> None:
        """Write to a temporary sibling, then swap it in, so a reader never sees half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(folder)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder.parent))
        try:
            if self._retriever is not None:
                self._retriever.save(str(tmp / "bm25s"))
            (tmp / "meta.json").write_text(
                json.dumps({"generation": self.generation, "catalog_id": self.catalog_id, "ids": self.ids,
                            "doc_freq": self.doc_freq}),
                encoding="utf-8",
            )
            old = folder.with_name(folder.name + ".old")
            # A process killed between the two renames below leaves "old" behind; renaming a folder
            # onto a non-empty one fails, which would stop every later save.
            shutil.rmtree(old, ignore_errors=True)
            if folder.exists():
                os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> BM25Index | None:
        """The saved index, or None when there is none or it cannot be read."""
        import bm25s

        try:
            raw = (folder / "meta.json").read_text(encoding="utf-8")
            meta = json.loads(raw)
            retriever = bm25s.BM25.load(str(folder / "bm25s")) if meta["ids"] else None
            # Another process may have swapped in a newer index between the two reads above.
            if (folder / "meta.json").read_text(encoding="utf-8") != raw:
                raise ValueError("replaced while being read")
            if retriever is not None and retriever.scores["num_docs"] != len(meta["ids"]):
                raise ValueError(f"{retriever.scores['num_docs']} documents for {len(meta['ids'])} ids")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.info("BM25 index in %s unreadable (%s); it will be rebuilt", folder, exc)
            return None
        return cls(ids=meta["ids"], generation=meta["generation"], _retriever=retriever,
                   doc_freq=Counter(meta["doc_freq"]), catalog_id=meta.get("catalog_id", ""))


_TMP_PREFIX = ".bm25-"
_STALE_SECONDS = 3600  # a temporary folder this old belongs to no running save


def _remove_leftovers(folder: Path) -> None:
    """Temporary folders of saves killed half-way (a live save's folder is younger than an hour)."""
    now = time.time()
    for tmp in folder.parent.glob(_TMP_PREFIX + "*"):
        try:
            if now - tmp.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass
