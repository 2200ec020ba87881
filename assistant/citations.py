"""Turning evidence sentences into numbered citations that quote the exact span."""

from __future__ import annotations

from .types import Chunk, Citation, Sentence


def cite(n: int, sentence: Sentence, chunk: Chunk) -> Citation:
    return Citation(
        n=n, article_id=chunk.article_id, title=chunk.title, date=chunk.date, url=chunk.url,
        source=chunk.source, quote=sentence.text, start=sentence.start, end=sentence.end, chunk_id=chunk.id,
    )


def number_sentences(evidence: list[tuple[Sentence, Chunk]]) -> tuple[list[Citation], dict[tuple[str, int], int]]:
    """One citation per distinct quoted span, numbered 1..k in order of first use.

    Returns the citations and a map (article id, sentence start) -> citation number.
    """
    citations: list[Citation] = []
    numbers: dict[tuple[str, int], int] = {}
    for sentence, chunk in evidence:
        key = (chunk.article_id, sentence.start)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(cite(numbers[key], sentence, chunk))
    return citations, numbers
