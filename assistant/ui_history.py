"""Conversations kept in the browser (a ``gr.BrowserState``), so that they survive a reload.

Each browser keeps its own list in its local storage; nothing is shared between users and nothing
is stored on the server. A conversation is plain JSON: its id, title and turns, each turn the
answer's ``to_dict()``; the chat and the sources panel are rebuilt from them. No Gradio here.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from pathlib import Path

from .types import Answer, Citation, SentenceCheck

MAX_CONVERSATIONS = 50  # the oldest go first; local storage holds a few MB
TITLE_CHARS = 60


SECRET_FILE = "ui-browser-secret"  # in the data folder: the key Gradio's BrowserState encrypts with


def browser_secret(data_dir: str | Path) -> str:
    """A key kept in the data folder, so that conversations saved in a browser can still be read
    after the server restarts (Gradio draws a new random one at every start otherwise)."""
    path = Path(data_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)


def _new_secret(path: Path) -> str:
    secret = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(secret, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return secret


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def answer_from_dict(d: dict) -> Answer:
    """An Answer back from ``Answer.to_dict()`` (without its hits, which only the live answer needs)."""
    answer = Answer(question=d.get("question", ""), text=d.get("answer", ""),
                    citations=[Citation(**c) for c in d.get("citations", [])], abstained=bool(d.get("abstained")),
                    mode=d.get("mode", ""), timings=dict(d.get("timings", {})),
                    verification=[SentenceCheck(**v) for v in d.get("verification", [])], note=d.get("note", ""),
                    model=d.get("model", ""), standalone_question=d.get("standalone_question"))
    if d.get("short_answer"):
        answer.short_answer = d["short_answer"]  # a field another branch adds to Answer
    return answer


def to_record(answer: Answer) -> dict:
    record = answer.to_dict()
    record["hits"] = []  # the passages are in the index; a record only needs what the chat shows
    short = getattr(answer, "short_answer", "")
    if short:
        record["short_answer"] = short
    return record


def title_for(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= TITLE_CHARS else question[: TITLE_CHARS - 1].rstrip() + "…"


def save_turns(saved: list[dict] | None, conv_id: str, turns: list[dict]) -> list[dict]:
    """The saved list with conversation ``conv_id`` holding ``turns`` (added on its first turn, moved to the top)."""
    saved = [c for c in (saved or []) if isinstance(c, dict) and c.get("id")]
    old = find(saved, conv_id)
    title = old["title"] if old else title_for(turns[0]["question"]) if turns else "New chat"
    record = {"id": conv_id, "title": title, "updated": time.time(),
              "turns": [{"question": t["question"], "answer": to_record(t["answer"]), "mode": t.get("mode", ""),
                         "filters": t.get("filters", {})} for t in turns]}
    return ([record] + [c for c in saved if c["id"] != conv_id])[:MAX_CONVERSATIONS]


def load_turns(saved: list[dict] | None, conv_id: str) -> list[dict]:
    """The turns of one saved conversation, as the chat event keeps them."""
    conv = find(saved, conv_id)
    return [{"turn": i, "question": t["question"], "answer": answer_from_dict(t["answer"]),
             "mode": t.get("mode", ""), "filters": t.get("filters", {})}
            for i, t in enumerate(conv.get("turns", []) if conv else [], start=1)]


def find(saved: list[dict] | None, conv_id: str) -> dict | None:
    return next((c for c in saved or [] if isinstance(c, dict) and c.get("id") == conv_id), None)


def rename(saved: list[dict] | None, conv_id: str, title: str) -> list[dict]:
    title = title_for(title)
    return [{**c, "title": title} if c.get("id") == conv_id and title else c for c in saved or []]


def delete(saved: list[dict] | None, conv_id: str) -> list[dict]:
    return [c for c in saved or [] if c.get("id") != conv_id]


def choices(saved: list[dict] | None) -> list[tuple[str, str]]:
    """(title, id) for the conversation list, newest first."""
    return [(c.get("title") or "Untitled", c["id"]) for c in saved or [] if isinstance(c, dict) and c.get("id")]
