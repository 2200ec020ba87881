"""Word-level text handling: the tokenizer shared by BM25 and the answerer, and the BM25 index.

The BM25 index is derived data: it follows the catalog's chunks (updated by the chunks that
changed) and is saved next to it with the catalog identity and generation it reflects.
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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

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


K1, B = 1.5, 0.75  # Lucene's defaults (and bm25s's), which the scores below reproduce exactly
_FORMAT = 2  # of the saved folder; format 1 was bm25s's own files


@dataclass(frozen=True)
class BM25Index:
    """Lucene BM25 over chunk texts, kept as term counts so it can change a little at a time.

    ``ids[i]`` is the chunk id of document i. The index stores raw term frequencies (one sparse row
    per document) and computes IDF and length normalisation at query time, so adding or removing a
    few chunks touches only their rows: an ingest of one article into 100,000 chunks tokenises that
    article, not the whole catalog. Scores equal bm25s's "lucene" method (checked in the tests).
    Instances are never changed in place: :meth:`updated` returns a new one, so a question being
    answered keeps the index it started with.
    """

    ids: list[str]
    generation: int
    catalog_id: str  # the Catalog.identity it was built from
    terms: list[str]  # column j of ``rows`` counts terms[j]
    rows: object  # scipy.sparse.csr_matrix, documents x terms, term frequencies
    _vocab: dict[str, int] = field(repr=False)
    _postings: object = field(repr=False)  # the same counts, terms x documents, for queries
    _norm: np.ndarray = field(repr=False)  # k1 * (1 - b + b * length / average length) per document
    _df: np.ndarray = field(repr=False)

    @classmethod
    def empty(cls, generation: int = 0, catalog_id: str = "") -> BM25Index:
        from scipy import sparse

        return cls._make([], generation, catalog_id, [], sparse.csr_matrix((0, 0), dtype=np.float32))

    @classmethod
    def build(cls, ids: list[str], texts: list[str], generation: int, catalog_id: str = "") -> BM25Index:
        return cls.empty(generation, catalog_id).updated(ids, texts, (), generation)

    @classmethod
    def _make(cls, ids: list[str], generation: int, catalog_id: str, terms: list[str], rows) -> BM25Index:
        rows = rows.tocsr()
        lengths = np.asarray(rows.sum(axis=1), dtype=np.float64).ravel()
        average = float(lengths.mean()) if len(lengths) else 1.0
        norm = (K1 * (1 - B + B * lengths / max(average, 1e-9))).astype(np.float32)
        postings = rows.T.tocsr()  # row t lists the documents that contain term t
        df = np.diff(postings.indptr)
        return cls(list(ids), generation, catalog_id, list(terms), rows, {t: j for j, t in enumerate(terms)},
                   postings, norm, df)

    def __len__(self) -> int:
        return len(self.ids)

    def updated(self, add_ids: list[str], add_texts: list[str], remove_ids, generation: int,
                catalog_id: str | None = None) -> BM25Index:
        """A new index without ``remove_ids`` and with the added chunks (texts tokenised here)."""
        from scipy import sparse

        remove = set(remove_ids)
        keep = [i for i, cid in enumerate(self.ids) if cid not in remove]
        ids = [self.ids[i] for i in keep] + list(add_ids)
        terms, vocab = list(self.terms), dict(self._vocab)
        data: list[int] = []
        cols: list[int] = []
        indptr = [0]
        for text in add_texts:
            counts = Counter(tokenize(text))
            for term, n in counts.items():
                j = vocab.get(term)
                if j is None:
                    j = vocab[term] = len(terms)
                    terms.append(term)
                cols.append(j)
                data.append(n)
            indptr.append(len(cols))
        old = self.rows[keep] if len(keep) != len(self.ids) else self.rows
        old = sparse.csr_matrix((old.data, old.indices, old.indptr), shape=(old.shape[0], len(terms)))
        new = sparse.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(cols, dtype=np.int32),
                                 np.asarray(indptr, dtype=np.int64)), shape=(len(add_texts), len(terms)))
        rows = sparse.vstack([old, new], format="csr", dtype=np.float32)
        return self._make(ids, generation, self.catalog_id if catalog_id is None else catalog_id, terms, rows)

    def df(self, token: str) -> int:
        """How many chunks hold the token."""
        j = self._vocab.get(token)
        return int(self._df[j]) if j is not None else 0

    def idf(self, token: str) -> float:
        j = self._vocab.get(token)
        df = int(self._df[j]) if j is not None else 0
        n = max(len(self.ids), 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _score_all(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document (0 where no query token occurs); repeated tokens count again."""
        n = len(self.ids)
        total = np.zeros(n, dtype=np.float64)
        p = self._postings
        for term in tokens:
            j = self._vocab.get(term)
            if j is None or not self._df[j]:
                continue
            lo, hi = p.indptr[j], p.indptr[j + 1]
            docs, tf = p.indices[lo:hi], p.data[lo:hi]
            df = hi - lo
            total[docs] += math.log(1 + (n - df + 0.5) / (df + 0.5)) * tf / (self._norm[docs] + tf)
        return total

    def scores(self, tokens: list[str]) -> dict[str, float]:
        """chunk id -> score, for the chunks that contain a query token."""
        total = self._score_all(tokens)
        return {self.ids[d]: float(total[d]) for d in np.flatnonzero(total)}

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, score) best first; chunks with no query word are left out; ties go by chunk id."""
        total = self._score_all(tokenize(query))
        docs = np.flatnonzero(total)
        if len(docs) > k:
            # Everything tied with the k-th score stays, so that the tie-break below sees all of them.
            kth = np.partition(total[docs], len(docs) - k)[len(docs) - k]
            docs = docs[total[docs] >= kth]
        best = sorted(((self.ids[d], float(total[d])) for d in docs), key=lambda x: (-x[1], x[0]))
        return best[:k]

    def save(self, folder: Path) -> None:
        """Write to a temporary sibling, then swap it in, so a reader never sees half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(folder)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder.parent))
        try:
            rows = self.rows
            with open(tmp / "rows.npz", "wb") as f:
                np.savez(f, data=rows.data.astype(np.uint16 if rows.nnz and rows.data.max() < 65536 else np.float32),
                         indices=rows.indices, indptr=rows.indptr, shape=np.asarray(rows.shape, dtype=np.int64))
            (tmp / "meta.json").write_text(
                json.dumps({"format": _FORMAT, "generation": self.generation, "catalog_id": self.catalog_id,
                            "ids": self.ids, "terms": self.terms}),
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
        """The saved index, or None when there is none, it cannot be read or it is of another format."""
        from scipy import sparse

        try:
            raw = (folder / "meta.json").read_text(encoding="utf-8")
            meta = json.loads(raw)
            if meta.get("format") != _FORMAT:
                raise ValueError(f"format {meta.get('format', 1)}, this version reads {_FORMAT}")
            with np.load(folder / "rows.npz") as z:
                rows = sparse.csr_matrix((z["data"].astype(np.float32), z["indices"], z["indptr"]),
                                         shape=tuple(int(x) for x in z["shape"]))
            # Another process may have swapped in a newer index between the two reads above.
            if (folder / "meta.json").read_text(encoding="utf-8") != raw:
                raise ValueError("replaced while being read")
            if rows.shape != (len(meta["ids"]), len(meta["terms"])):
                raise ValueError(f"{rows.shape} counts for {len(meta['ids'])} ids and {len(meta['terms'])} terms")
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            log.info("BM25 index in %s unreadable (%s); it will be rebuilt", folder, exc)
            return None
        return cls._make(meta["ids"], meta["generation"], meta.get("catalog_id", ""), meta["terms"], rows)


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
