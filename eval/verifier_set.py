"""The labelled claims of eval/verifier/claims.jsonl with the passages they are about: the seed article
from corpus/, RGB passages read from ../shared at run time (CC BY-NC-SA: never copied into the repo)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.types import Chunk

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "eval" / "verifier" / "claims.jsonl"
SEED = ROOT / "corpus" / "sensetime-40000-nvidia-chips.txt"
RGB_PASSAGES = ROOT.parent / "shared" / "datasets" / "rgb-en-fact" / "passages.jsonl"
FAITHFUL = ("synonym", "reordered", "passive", "joined", "number_format", "pronoun", "connective")
MISSTATEMENTS = ("wrong_number", "wrong_date", "absent_name", "role_swap", "comparison_reversed",
                 "trend_reversed", "negation", "moved_fact", "unsupported_addition")


@dataclass(frozen=True)
class Case:
    id: str
    claim: str
    cls: str
    supported: bool
    split: str
    chunk: Chunk


def available() -> bool:
    return RGB_PASSAGES.exists()


@lru_cache(maxsize=1)
def _rgb() -> dict[str, str]:
    with RGB_PASSAGES.open(encoding="utf-8") as f:
        return {r["id"]: r["text"] for r in map(json.loads, f)}


@lru_cache(maxsize=1)
def seed_chunk() -> Chunk:
    raw = SEED.read_text(encoding="utf-8")
    _, meta, body = raw.split("---", 2)
    title = next(line.split(":", 1)[1].strip().strip('"') for line in meta.splitlines() if line.startswith("title:"))
    body = body.strip()
    return Chunk(id="seed-0", article_id="sensetime-40000-nvidia-chips", text=body, start=0, end=len(body),
                 title=title)


def chunk_for(ref: str) -> Chunk:
    if ref == "seed":
        return seed_chunk()
    pid = ref.removeprefix("rgb:")
    text = _rgb()[pid]
    return Chunk(id=f"{pid}-0", article_id=pid, text=text, start=0, end=len(text), title="")


def cases(split: str | None = None) -> list[Case]:
    out = []
    with CLAIMS.open(encoding="utf-8") as f:
        for r in map(json.loads, f):
            if split is None or r["split"] == split:
                out.append(Case(r["id"], r["claim"], r["class"], r["label"] == "supported", r["split"],
                                chunk_for(r["passage"])))
    return out
