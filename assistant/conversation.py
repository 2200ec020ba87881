"""Follow-up questions: "and when did he say it?" is rewritten into a question that stands alone.

The configured OpenAI-compatible model rewrites it in mode "openai"; a rule-based rewrite does
otherwise (the bundled 270M base model echoed or garbled every follow-up we tried), and whenever the
LLM fails or returns something unusable. :class:`Conversation` keeps the turns of a session;
each turn has its own answer and citations.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import prompts
from .claims import names
from .errors import LLMUnavailable
from .types import Answer

log = logging.getLogger(__name__)

HISTORY_TURNS = 3  # earlier turns the rewrite looks at
MAX_REWRITE_CHARS = 300
_PERSON = {"he": "", "she": "", "him": "", "his": "'s", "her": "", "hers": "'s"}
_THING = {"it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those"}
_OPENER = re.compile(r"^\s*(and|but|so|also|then|ok|okay|well)\b[\s,]*", re.I)
# "what about X?", "and X?", "and in 2018?": the previous question about X instead (X a few words).
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+|(?:and\s+)?(?:what|how)\s+about\s+)(?:in\s+|for\s+|at\s+)?"
                         r"([^?]+?)\s*\??\s*$", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_MARKER = re.compile(r"\s*\[\d+\]")
_COMMON = {"the", "a", "an", "on", "in", "at", "who", "what", "when", "where", "why", "how", "which", "over",
           "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "however", "currently", "according"}


def is_followup(question: str) -> bool:
    """The question leans on an earlier turn: it opens with "and"/"what about", or has a pronoun."""
    words = re.findall(r"[a-z']+", question.lower())
    if _OPENER.match(question) or re.match(r"\s*(what|how) about\b", question, re.I) or len(words) <= 2:
        return True
    pronouns = set(_PERSON) | (_THING - {"that", "this", "these", "those"})
    return bool(pronouns & set(words)) or (len(words) <= 5 and bool({"that", "this"} & set(words)))


def _entities(text: str) -> list[str]:
    """Capitalised word runs, without a leading common word ("On May" -> none, "The Kelvara" -> "Kelvara")."""
    out = []
    for m in _CAPITALISED.finditer(_MARKER.sub("", text)):
        words = [w.rstrip(".,") for w in m.group().split()]
        while words and words[0].lower() in _COMMON:
            words.pop(0)
        if words:
            out.append(re.sub(r"['’]s$", "", " ".join(words)))
    return out


def rule_rewrite(question: str, history: list[tuple[str, str]]) -> str:
    """Pronouns for people become the person last named; "what about X?" swaps X into the previous
    question; anything still unresolved gets the previous question attached as context."""
    prev_q, prev_a = history[-1]
    about = _WHAT_ABOUT.match(question)
    new = re.sub(r"^(the|a|an)\s+", "", about.group(1), flags=re.I) if about else ""
    if len(new.split()) <= 4 and re.search(r"\d|\b[A-Z]", new):
        olds = _NUMBER.findall(prev_q) if _NUMBER.fullmatch(new) else _entities(prev_q)[1:] or _entities(prev_q)
        if olds:
            i = prev_q.rfind(olds[-1])
            return prev_q[:i] + new + prev_q[i + len(olds[-1]) :]
    people = [e for e in _entities(prev_a) + _entities(prev_q) if " " in e]
    text = _OPENER.sub("", question).strip()

    def person(m: re.Match) -> str:
        return people[0] + _PERSON[m.group(0).lower()]

    resolved = 0
    if people:
        text, resolved = re.subn(r"\b(he|she|him|his|hers)\b", person, text, flags=re.I)
    text = text[:1].upper() + text[1:]
    words = set(re.findall(r"[a-z']+", text.lower()))
    if not resolved or words & _THING or len(words) <= 3:
        text = f"{text.rstrip()} (following up on: {prev_q.strip()})"
    return text


def llm_rewrite(question: str, history: list[tuple[str, str]], client) -> str | None:
    """The LLM's standalone question, or None when it gave nothing usable."""
    from .llm import Prompt

    turns = "\n".join(f"Q: {q}\nA: {_MARKER.sub('', a)[:300]}" for q, a in history[-HISTORY_TURNS:])
    user = prompts.REWRITE_USER.format(history=turns, question=question)
    raw = prompts.REWRITE_COMPLETION.format(instructions=prompts.REWRITE_INSTRUCTIONS,
                                            example=prompts.REWRITE_EXAMPLE, user=user)
    system = prompts.REWRITE_INSTRUCTIONS + "\n\nExample:\n" + prompts.REWRITE_EXAMPLE
    text = client.complete(Prompt(system, user, raw, tuple(prompts.REWRITE_STOP)))
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    text = re.sub(r"^(standalone question|question)\s*:\s*", "", lines[0], flags=re.I).strip(" \"'") if lines else ""
    if not text or len(text) > MAX_REWRITE_CHARS or prompts.CANNOT_ANSWER.lower() in text.lower():
        return None
    # A rewrite that drops a name or number the follow-up asked about is not the same question; one
    # that still leans on a pronoun, or repeats the follow-up, does not stand alone.
    said = text.lower()
    if any(w.lower() not in said for w in list(names(question).values()) + _NUMBER.findall(question)):
        return None
    if set(re.findall(r"[a-z']+", said)) & (set(_PERSON) | {"it", "its", "they", "them", "their"}):
        return None
    return None if _OPENER.sub("", said).strip(" ?") == _OPENER.sub("", question.lower()).strip(" ?") else text


def rewrite_followup(question: str, history: list[tuple[str, str]],
                     client: Callable[[], Any] | None = None) -> str | None:
    """The standalone form of ``question``, or None when it needs none. ``client`` gives the LLM
    client to rewrite with (or None)."""
    history = [(q, a) for q, a in history if q and q.strip()]
    if not history or not is_followup(question):
        return None
    try:
        llm = client() if client else None
        rewritten = llm_rewrite(question, history, llm) if llm else None
    except LLMUnavailable as exc:
        log.info("rewriting the follow-up without the LLM: %s", exc)
        rewritten = None
    return rewritten or rule_rewrite(question, history)


@dataclass
class Conversation:
    """A chat session: each question is asked with the turns before it."""

    assistant: Any
    options: dict[str, Any] = field(default_factory=dict)  # mode, top_k, source, date_from, date_to
    turns: list[Answer] = field(default_factory=list)

    @property
    def history(self) -> list[tuple[str, str]]:
        return [(a.standalone_question or a.question, a.text) for a in self.turns]

    def ask(self, question: str, **options: Any) -> Answer:
        answer = None
        for item in self.ask_stream(question, **options):
            if isinstance(item, Answer):
                answer = item
        return answer

    def ask_stream(self, question: str, **options: Any) -> Iterator[str | Answer]:
        for item in self.assistant.ask_stream(question, history=self.history, **{**self.options, **options}):
            if isinstance(item, Answer):
                self.turns.append(item)
            yield item

    def reset(self) -> None:
        self.turns.clear()
