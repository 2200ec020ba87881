"""Turning evidence spans into numbered citations that quote the exact text."""

from __future__ import annotations

from .types import Chunk, Citation


def cite(n: int, quote: str, start: int, end: int, chunk: Chunk) -> Citation:
    return Citation(
        n=n, article_id=chunk.article_id, title=chunk.title, date=chunk.date, url=chunk.url,
        source=chunk.source, quote=quote, start=start, end=end, chunk_id=chunk.id,
    )


def number_evidence(
    evidence: list[tuple[str, int, int, Chunk]],
) -> tuple[list[Citation], dict[tuple[str, int], int]]:
    """One citation per distinct quoted span (quote, start, end in the article, chunk),
    numbered 1..k in order of first use.

    Returns the citations and a map (article id, span start) -> citation number.
    """
    citations: list[Citation] = []
    numbers: dict[tuple[str, int], int] = {}
    for quote, start, end, chunk in evidence:
        key = (chunk.article_id, start)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(cite(numbers[key], quote, start, end, chunk))
    return citations, numbers
