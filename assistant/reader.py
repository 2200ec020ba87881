"""The reader: scores the evidence units of the retrieved passages with the fitted model, decides
whether they answer the question, and builds the answer: a short direct answer (the name, date,
place, number or amount asked for), then the quoted sentences that state it, each cited.

Agreement counts: an answer value stated by several articles outweighs a lone outlier; when units of
different articles that could each answer on their own give different values, the answer says so and
cites both. Embedding is most of the cost, so units are embedded best bound first and only while
they can still reach the answer: the result is the same as scoring every unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import roles
from .citations import number_evidence
from .lexical import BM25Index
from .prompts import CANNOT_ANSWER, DISAGREE_INTRO
from .question import Question, as_statement, asked_kinds
from .reader_features import SEMANTIC, Unit, build_units, measure, same_value
from .reader_model import ReaderModel, logit, sigmoid
from .types import Citation, Hit

_EMBED_BATCH = 4  # sentences embedded per step; 2-4 measured best (fewer calls vs less work past the cut)
_FAKE_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Reading:
    """What the reader made of the passages."""

    units: list[Unit]  # scored units, best first (units that could not reach the answer are left out)
    answered: bool
    chosen: list[Unit] = field(default_factory=list)  # what the answer quotes, in reading order
    short_answer: str = ""
    conflict: list[tuple[str, Unit]] = field(default_factory=list)  # (value, unit) per disagreeing article
    confidence: float = 0.0  # the model's probability that the best unit answers


def score_units(q: Question, hits: list[Hit], embed: Callable[[list[str]], np.ndarray], query_vector: np.ndarray,
                bm25: BM25Index, entities: dict, model: ReaderModel, prune: bool = True) -> list[Unit]:
    """Units with their ranker probability, best first. With ``prune``, a unit whose score at similarity 1.0
    cannot reach ``second_ratio`` times the best probability is left out unscored: it could neither lead
    the answer nor join it."""
    units = build_units(q, hits, entities)
    if not units:
        return []
    measure(q, units, hits, bm25)
    x = np.stack([u.x for u in units])
    base = model.logits(x)  # with similarity 0
    w_sem = model.semantic_weight
    prune = prune and w_sem > 0
    bound = base + max(w_sem, 0.0)
    order = np.argsort(-bound, kind="stable")
    q_vector = np.asarray(query_vector, dtype=np.float32)
    sims: dict[tuple[str, int], float] = {}  # (article id, sentence start) -> similarity
    scored: list[Unit] = []
    best_p = 0.0
    pos = 0
    while pos < len(order):
        if prune:
            cut = logit(model.second_ratio * best_p) if best_p else -np.inf
            if bound[order[pos]] < cut:
                break  # sorted by bound: none of the rest can reach the answer
            batch, needed = [], set()
            for i in order[pos:]:
                keys = {(units[i].chunk.article_id, s.start) for s in units[i].sentences} - sims.keys()
                if bound[i] < cut or (batch and len(needed | keys) > _EMBED_BATCH):
                    break
                batch.append(i)
                needed |= keys
        else:
            batch = list(order)
        todo = {}
        for i in batch:
            for s in units[i].sentences:
                key = (units[i].chunk.article_id, s.start)
                if key not in sims:
                    todo[key] = s.text
        if todo:
            for key, sim in zip(todo, embed(list(todo.values())) @ q_vector, strict=True):
                sims[key] = float(sim)
        for i in batch:
            u = units[i]
            u.x[SEMANTIC] = max(sims[(u.chunk.article_id, s.start)] for s in u.sentences)
            u.z = float(base[i] + w_sem * u.x[SEMANTIC])
            u.p = float(sigmoid(u.z))
            best_p = max(best_p, u.p)
            scored.append(u)
        pos += len(batch)
    scored.sort(key=lambda u: (-u.z, u.chunk.id, u.start))
    return scored


def decide(units: list[Unit], model: ReaderModel, max_sentences: int, disagreement: bool = True,
           question: str = "", given: str = "") -> Reading:
    """Answer or abstain; what to quote; the short answer; whether the articles disagree. A value gets no vote
    from a unit that gives it another role than the one ``question`` asks about ("Who won?" and "A beat B to
    win": B gets none): the verifier's role check, on the value put into the question. A unit that contradicts
    ``given``, what the question takes as given (:mod:`assistant.presupposition`), cannot answer it."""
    if given:
        units = admissible(units, model.second_ratio, given)
    confidence = model.confidence(units[0].z, units[0].x) if units else 0.0
    if not units or confidence < model.threshold:
        return Reading(units, answered=False, confidence=confidence)
    eligible = [u for u in units if u.p >= model.second_ratio * units[0].p]
    stated: dict[str, list[Unit]] = {}  # value -> the eligible units stating it, best first
    for u in eligible:
        for key in u.values:
            stated.setdefault(key, []).append(u)
    lead = units[0]
    value = _vote(stated, lead, question)
    if value:
        lead = stated[value][0]
    chosen = [lead]
    used = len(lead.sentences)
    for u in eligible:
        if u is lead or used + len(u.sentences) > max_sentences:
            continue
        if any(u.chunk.article_id == c.chunk.article_id and u.start < c.end and c.start < u.end for c in chosen):
            continue
        chosen.append(u)
        used += len(u.sentences)
    conflict = _conflict(eligible, value, lambda u, k: _answers_alone(u, k, model, question)) \
        if value and disagreement else []
    if conflict:
        chosen = [u for _, u in conflict]
    else:
        chosen.sort(key=lambda u: (u.chunk.article_id != lead.chunk.article_id, u.chunk.article_id, u.start))
    short = lead.values.get(value, "") if value else ""
    return Reading(units, answered=True, chosen=chosen, short_answer=short, conflict=conflict, confidence=confidence)


@lru_cache(maxsize=4096)
def contradicts(given: str, text: str) -> bool:
    """``text`` says otherwise than ``given`` (the verifier's role rules); cached, as a read asks it of the best
    unit twice (the api, to know whether pruned units must be scored, then :func:`admissible`)."""
    return roles.conflict(given, text) is not None


def admissible(units: list[Unit], ratio: float, given: str) -> list[Unit]:
    """``units`` without those that contradict ``given``, what the question takes as given. Only the units that
    could lead or join the answer are checked (each check parses): the lead is the best unit that does not
    contradict it, and those within ``ratio`` of it."""
    out: list[Unit] = []
    lead_p = None
    if units:
        roles.prepare([given] + [u.text for u in units if u.p >= ratio * units[0].p])
    for u in units:
        if lead_p is not None and u.p < ratio * lead_p:
            out.append(u)
            continue
        if given and contradicts(given, u.text):
            continue
        if lead_p is None:
            lead_p = u.p
        out.append(u)
    return out


def found_values(reading: Reading, question: str) -> tuple[tuple[str, ...], ...]:
    """What the answer gives, one group per kind of answer the question asks: the short answer, then for
    each further kind ("How many chips, and when?") what the quoted units state of it. A rephrasing must
    state a value of each group."""
    if not reading.answered or not reading.short_answer:
        return ()
    groups: list[tuple[str, ...]] = [(reading.short_answer,)]
    asked = question.lower()
    for labels in asked_kinds(question)[1:]:
        found = dict.fromkeys(e.text for u in reading.chosen for e in u.entities
                              if e.label in labels and e.text.lower() not in asked)
        if found:
            groups.append(tuple(found))
    return tuple(groups)


def _vote(stated: dict[str, list[Unit]], lead: Unit, question: str) -> str:
    """The value with most support, one vote per article (its best unit). A value that another one spells out in
    more detail ("2015" in "December 2015", "Sundar" in "Sundar Pichai") lends it its votes: the articles agree,
    and the detailed one says more. With ``question``, a unit that gives the value another role than the one
    asked loses its vote. The role check parses, so it is asked only of the values that make up the leading
    value's support, until a leader's support is all checked; as checking only takes votes away, the result is
    the one of checking every unit. ``stated`` is left holding only the votes that stood where checked."""
    checked: set[str] = set()
    while stated:
        support = {}
        for k in stated:
            merged: dict[str, float] = {}
            for j in stated:
                if j == k or _within(j, k):
                    for u in stated[j]:
                        merged[u.chunk.article_id] = max(merged.get(u.chunk.article_id, 0.0), u.p)
            support[k] = sum(merged.values())
        value = max(support, key=lambda k: (support[k], k in lead.values, -_position(lead, k)))
        todo = [j for j in stated if (j == value or _within(j, value)) and j not in checked] if question else []
        if not todo:
            return value
        pairs = [(statement, u.text) for j in todo for u in stated[j]
                 if (statement := as_statement(question, u.values[j])) != u.values[j]]
        roles.prepare([t for pair in pairs for t in pair])  # only what _refuted will compare
        for j in todo:
            checked.add(j)
            kept = [u for u in stated[j] if not _refuted(question, u.values[j], u.text)]
            if kept:
                stated[j] = kept
            else:
                del stated[j]
    return ""


def _refuted(question: str, value: str, text: str) -> bool:
    statement = as_statement(question, value)
    return statement != value and roles.conflict(statement, text) is not None


def _within(narrow: str, wide: str) -> bool:
    """Value key ``narrow`` says part of what ``wide`` says: its numbers and words are among the other's."""
    na, nb = narrow.split("|"), wide.split("|")
    if len(na) != len(nb):
        return False
    return all(set(x.split()) <= set(y.split()) for x, y in zip(na, nb, strict=True)) and narrow != wide


def _position(unit: Unit, key: str) -> int:
    written = unit.values.get(key, "")
    at = unit.text.find(written) if written else -1
    return at if at >= 0 else len(unit.text)


def _conflict(eligible: list[Unit], value: str, admits: Callable[[Unit, str], bool]) -> list[tuple[str, Unit]]:
    """Units of other articles that could answer, but state only other values of the same kind than the
    chosen one (variants of one value, "Disney" and "The Walt Disney Co.", are one value), each value one that
    ``admits`` lets the unit give."""
    first = next(u for u in eligible if value in u.values)
    kind = first.kinds.get(value, "")
    out = [(value, first)]
    for u in eligible:
        if u.chunk.article_id in {x.chunk.article_id for _, x in out}:
            continue
        same_kind = [k for k in u.values if u.kinds.get(k) == kind and admits(u, k)]
        if not same_kind or any(same_value(k, v) for k in u.values for v, _ in out):
            continue
        out.append((same_kind[0], u))
    return [(u.values[k], u) for k, u in out] if len(out) > 1 else []


def _answers_alone(unit: Unit, key: str, model: ReaderModel, question: str) -> bool:
    """The unit would answer on its own: the gate passes it, as it would the best unit, and the value has the role
    asked ("Who won?": not "Serena Williams" of a preview of her first-round match, nor a loser)."""
    if model.confidence(unit.z, unit.x) < model.threshold:
        return False
    return not (question and _refuted(question, unit.values[key], unit.text))


def _defuse(text: str) -> str:
    return _FAKE_MARKER.sub(r"(\1)", text)


def compose(reading: Reading) -> tuple[str, list[Citation], str]:
    """(answer text, citations, short answer). A bracketed number inside article text is not ours: it is
    shown as "(7)" so no reader (or UI link) takes it for a citation; Citation.quote keeps it verbatim."""
    if not reading.answered:
        return CANNOT_ANSWER, [], ""
    citations, numbers_ = number_evidence([(u.text, u.start, u.end, u.chunk) for u in reading.chosen])
    parts = [f"{_defuse(u.text)} [{numbers_[(u.chunk.article_id, u.start)]}]" for u in reading.chosen]
    if reading.conflict:
        values = [f"{v} [{numbers_[(u.chunk.article_id, u.start)]}]" for v, u in reading.conflict]
        text = f"{DISAGREE_INTRO} {'; '.join(values)}. " + " ".join(parts)
        return text, citations, " or ".join(v for v, _ in reading.conflict)
    return " ".join(parts), citations, reading.short_answer
