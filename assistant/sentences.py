"""Sentence segmentation with character offsets, so a citation can quote whole sentences.

Paragraph breaks always end a sentence (a headline never runs into the lede); inside a
paragraph, NLTK's Punkt model, which llama-index-core ships, finds the boundaries.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .types import Chunk, Sentence

_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# "world No. 1", "Vol. 3": Punkt ends a sentence at an abbreviation that numbers what follows
_NUMBERED = re.compile(r"(?:\b(?:Nos?|Vol|Art|Fig|Sec|pp?)|\b(?i:world|ranked|seeded) no)\.$")


@lru_cache(maxsize=1)
def nltk_data_dir() -> str:
    """The NLTK data (Punkt, stopwords) that llama-index-core ships, so nothing is downloaded.

    Found without importing llama_index.core (0.7 s), which answering questions does not otherwise need.
    """
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a broken install
        raise ConfigError("llama-index-core is missing: pip install llama-index-core")
    return str(Path(next(iter(spec.submodule_search_locations))) / "_static" / "nltk_cache")


@lru_cache(maxsize=1)
def _punkt():
    import nltk
    from nltk.tokenize.punkt import PunktTokenizer

    if nltk_data_dir() not in nltk.data.path:
        nltk.data.path.append(nltk_data_dir())
    return PunktTokenizer("english")


def _paragraph_spans(text: str, start: int, end: int):
    pos = start
    for m in _PARAGRAPH.finditer(text, start, end):
        yield pos, m.start()
        pos = m.end()
    yield pos, end


def split_sentences(text: str, start: int = 0, end: int | None = None, chunk_id: str = "") -> list[Sentence]:
    """Sentences of ``text[start:end]``, offsets relative to ``text``, whitespace trimmed."""
    end = len(text) if end is None else end
    tokenizer = _punkt()
    out: list[Sentence] = []
    for p_start, p_end in _paragraph_spans(text, start, end):
        para = text[p_start:p_end]
        if not para.strip():
            continue
        for s, e in tokenizer.span_tokenize(para):
            s, e = p_start + s, p_start + e
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s:
                continue
            if out and out[-1].start >= p_start and _NUMBERED.search(out[-1].text) and text[s].isdigit():
                s = out.pop().start
            out.append(Sentence(text=text[s:e], start=s, end=e, chunk_id=chunk_id))
    return out


def chunk_sentences(chunk: Chunk) -> list[Sentence]:
    """Sentences of a chunk with offsets into its article's text."""
    return [
        Sentence(text=s.text, start=s.start + chunk.start, end=s.end + chunk.start, chunk_id=chunk.id)
        for s in split_sentences(chunk.text, chunk_id=chunk.id)
    ]
