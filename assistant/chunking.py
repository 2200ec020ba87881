"""Articles into chunks with llama-index's sentence-aware splitter, keeping character offsets.

Chunk ids hash the article id, its citation metadata and the chunk text (not the
offsets), so an edit elsewhere in an article does not force unchanged chunks to be
embedded again.
"""

from __future__ import annotations

import logging
from collections import Counter

from .types import Article, Chunk, content_hash

log = logging.getLogger(__name__)


class Chunker:
    def __init__(self, chunk_size: int, chunk_overlap: int, tokenizer):
        from llama_index.core.node_parser import SentenceSplitter

        self._tokenizer = tokenizer
        # paragraph_separator is llama-index's default; a blank line ends a paragraph in news text.
        self._splitter = SentenceSplitter(
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            tokenizer=lambda s: tokenizer.encode(s, add_special_tokens=False).ids,
        )

    def chunk(self, article: Article) -> list[Chunk]:
        text = article.text
        chunks: list[Chunk] = []
        seen: Counter = Counter()
        cursor = 0
        for piece in self._splitter.split_text(text):
            piece = piece.strip()
            if not piece:
                continue
            # Overlapping chunks start before the previous one ends, so search from its start.
            start = text.find(piece, cursor)
            if start < 0:
                start = text.find(piece)
            if start < 0:
                log.warning("chunk of %s not found verbatim in its article; left out", article.id)
                continue
            end = start + len(piece)
            cursor = start + 1
            seen[piece] += 1
            cid = content_hash(
                article.id, article.title, article.date or "", article.source, article.url, piece, str(seen[piece])
            )[:32]
            chunks.append(
                Chunk(
                    id=cid, article_id=article.id, text=piece, start=start, end=end,
                    title=article.title, date=article.date, source=article.source, url=article.url,
                )
            )
        return chunks


def embedding_input(chunk: Chunk) -> str:
    """What the embedder and BM25 see: the headline helps a chunk that never names its subject."""
    return f"{chunk.title}\n\n{chunk.text}" if chunk.title else chunk.text
