"""The evidence units the reader chooses among, and what it measures of each.

A unit is one sentence of a retrieved chunk, or two adjacent ones (news often names the subject in
one sentence and gives the fact in the next). Every measurement but the embedding similarity is
made before any sentence is embedded, so the reader can embed only the units that can still win.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import nlp, relative_dates
from .claims import Facts, alias_words, claim_facts, is_instruction, numbers, passage_numbers, periods
from .claims import names as claim_names
from .lexical import BM25Index, tokenize
from .question import Question, initials
from .sentences import chunk_sentences
from .types import Chunk, Hit, Sentence
from .written_dates import date_line, written_at

# The order of the model's weights (assistant/reader_weights.json); "semantic" is the only one that
# needs an embedding.
FEATURES = (
    "semantic",  # cosine similarity of question and unit (the better sentence of a pair)
    "coverage",  # IDF-weighted share of the question's words in the unit (with its headline)
    "context_coverage",  # ... in the unit's whole chunk and headline
    "type_present",  # the question wants a kind of answer and the unit holds one not in the question
    "type_missing",  # the question wants a kind of answer and the unit holds none
    "new_words",  # words beyond the question's (a unit that only restates the question has none)
    "numbers_missing",  # share of the question's numbers the unit (and headline) lacks, read as the fact check does
    "names_missing",  # share of the question's names the unit (and headline) lacks
    "names_missing_context",  # ... that the whole chunk lacks
    "fused_rank",  # 1 / rank of the chunk after fusion
    "vector_rank",  # 1 / rank in the vector search, 0 when it missed
    "bm25_rank",  # 1 / rank in BM25, 0 when it missed
    "agreement",  # log(1 + other articles among the candidates stating the unit's answer value)
    "pair",
    "question_mark",  # the unit asks something rather than stating it
    "year_match",  # +1 the question's year is the unit's (or its article's), -1 another year, 0 no year asked
    "unknown_share",  # share of the question's words no article uses (a paraphrase, or another topic)
    "value_detail",  # words in the unit's most detailed answer value, up to 3, over 3 ("March 3, 2017" > "2017")
)
SEMANTIC = FEATURES.index("semantic")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_VALUE_WORD = re.compile(r"\w+")
_NUMERIC = nlp.COUNT | nlp.MONEY | nlp.PERCENT


@dataclass
class Unit:
    sentences: list[Sentence]
    chunk: Chunk
    rank: int  # of the chunk among the hits, 1-based
    entities: tuple[nlp.Entity, ...]
    values: dict[str, str] = field(default_factory=dict)  # answer value key -> as written
    kinds: dict[str, str] = field(default_factory=dict)  # answer value key -> its entity label
    # what its "he" or "she" and its "the country" stand for: the last person, and country, named before it
    referent: set[str] = field(default_factory=set)
    x: np.ndarray | None = None  # features, FEATURES order
    z: float = 0.0  # the model's log-odds that this unit answers the question
    p: float = 0.0

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def text(self) -> str:
        return self.chunk.text[self.start - self.chunk.start : self.end - self.chunk.start]


def value_key(text: str, label: str) -> str:
    """One spelling per value: numbers by value ("40,000" = "forty thousand"), names lower-cased."""
    if label in _NUMERIC | nlp.TIME:
        found = numbers(text)
        if found:
            words = re.sub(r"[\d.,]+|\b(the|a|an|about|more|than|over|nearly|some|around)\b", " ", text.lower())
            return " ".join(sorted(found)) + "|" + " ".join(tokenize(words))
    text = re.sub(r"^(the|a|an)\s+|['’]s$", "", text.strip().lower())
    return " ".join(text.split())


def same_value(a: str, b: str) -> bool:
    """Two value keys name the same thing: numbers by value (one's numbers among the other's: "2020" and
    "early 2020"), names by a shared word ("Disney" and "The Walt Disney Co.")."""
    if "|" in a and "|" in b:
        na, nb = set(a.split("|")[0].split()), set(b.split("|")[0].split())
        return na <= nb or nb <= na
    return bool(set(tokenize(a.split("|")[-1])) & set(tokenize(b.split("|")[-1])))


def answer_values(q: Question, text: str, start: int, entities: tuple[nlp.Entity, ...],
                  date: str = "", line: tuple[int, int] | None = None) -> dict[str, tuple[str, str]]:
    """The unit's entities of the kind the question wants, that the question does not already name:
    key -> (as written, entity label). A day given relative to the article's ``date`` ("on Tuesday"), or
    without its year ("on Nov 15"), is keyed and written as the day it names, so that it agrees with articles
    that give the date. A date inside the article's date ``line`` (its span) counts only when the unit gives
    no other date."""
    if not q.typed:
        return {}
    out: dict[str, tuple[str, str]] = {}
    on_line: dict[str, tuple[str, str]] = {}
    asked_aliases = _question_aliases(q.text)
    q_lower = q.text.lower()
    # A day of a written date ("Apr 11, 2021 ... won the Masters") is no count, though the small recogniser
    # often tags it a cardinal.
    counted = bool(q.expects & nlp.COUNT)
    dated = [(a, b) for a, b, when in written_at(text) if when.month is not None] if counted else []
    for e in entities:
        e = _whole_date(_as_money(e, text, start), text, start)
        if e.label not in q.expects or e.text.lower() in q_lower:
            continue
        if e.label in nlp.COUNT and any(a <= e.start - start and e.end - start <= b for a, b in dated):
            continue
        words = tokenize(e.text)
        if words and 2 * sum(w in q.tokens or w in asked_aliases for w in words) >= len(words):
            continue  # mostly the question's own words ("2017 Walter Camp Award Semifinalist", "United States"
            # for "US"): not new
        if e.label == "NORP" and _MODIFIER.match(text, e.end - start) and not e.text.endswith("s"):
            continue  # an adjective ("The Democratic ticket", "a Chinese firm") names no one who did anything
        if e.label in _NUMERIC | nlp.TIME and numbers(e.text) and set(numbers(e.text)) <= q.numbers:
            continue
        if q.whose and e.label in nlp.NAMED and not _owns(text, e.end - start):
            continue  # "Whose chips?": "NVIDIA" in "NVIDIA chips", not the "Xu Bing" who counted them
        day = _full_day(e, text, start, date) if e.label == "DATE" else None
        found = out if not (line and line[0] <= e.start < line[1]) else on_line
        if day is not None:
            found.setdefault(value_key(relative_dates.spelled(day), e.label),
                             (f"{e.text} ({relative_dates.spelled(day)})", e.label))
            continue
        found.setdefault(value_key(e.text, e.label), (e.text, e.label))
    if not any(label in nlp.TIME for _, label in out.values()):
        # The date line says when the text was written: the answer only when the text dates nothing else
        # ("Oct 19, 2021 ... Google has officially announced its new Pixel 6").
        for key, value in on_line.items():
            out.setdefault(key, value)
    kinds = [k for k in ("PERSON", "ORG", "GPE") if k in q.expects]
    if kinds and not any(label in nlp.NAMED for _, label in out.values()):
        # The small recogniser misses names it has not seen written so ("40,000 NVIDIA chips"): when it found
        # none of the asked kind, a name the verifier's fact check reads stands in, as that kind.
        for written, end in _unrecognised_names(text, start, entities, q_lower):
            if not q.whose or _owns(text, end):
                out.setdefault(value_key(written, kinds[0]), (written, kinds[0]))
    if counted:  # counts the recogniser does not tag ("tenfold"), outside its entities of other kinds
        rest = list(text)
        spans = [(e.start - start, e.end - start) for e in entities if e.label not in q.expects] + dated
        for a, b in spans:
            rest[a:b] = " " * (b - a)
        for canon, written in numbers("".join(rest)).items():
            if canon not in q.numbers and not any(canon in k.split("|")[0].split() for k in out):
                out.setdefault(value_key(written, "CARDINAL"), (written, "CARDINAL"))
    return out


_MODIFIER = re.compile(r"[ \u00a0]+[a-z]")


@lru_cache(maxsize=1024)
def _question_aliases(question: str) -> frozenset[str]:
    return frozenset(tokenize(" ".join(alias_words(question))))


def _whole_date(e: nlp.Entity, text: str, start: int) -> nlp.Entity:
    """A date entity widened to the whole date written there: the small recogniser sometimes drops the month
    ("19, 2031" of "Oct 19, 2031")."""
    if e.label != "DATE":
        return e
    a, b = e.start - start, e.end - start
    for x, y, _ in written_at(text):
        if x < b and a < y and (x < a or y > b):
            a, b = min(a, x), max(b, y)
    return e if (a, b) == (e.start - start, e.end - start) else nlp.Entity(text[a:b], e.label, start + a, start + b)


def _full_day(e: nlp.Entity, text: str, start: int, date: str) -> dt.date | None:
    """The day a date entity names when its words leave part of it to the article: a weekday or "yesterday"
    against the article's date, a day and month without a year in the year written beside it, else in the
    year nearest the article's date."""
    day = relative_dates.resolve(e.text, date)
    if day is not None:
        return day
    for a, b, when in written_at(text):
        if a < e.end - start and e.start - start < b and when.day and not when.year_written:
            if not when.yearless:
                return dt.date(when.year, when.month, when.day)
            return relative_dates.year_for(when.month, when.day, date) if date else None
    return None


def chunk_date(chunk: Chunk) -> tuple[str, tuple[int, int] | None]:
    """The chunk's article date (ISO) and the span of the date line its article opens with, if it opens the
    article with one: a snippet or wire story with no date given ("Nov 13, 2020 ... All 10 episodes") is dated
    by its line."""
    line = date_line(chunk.text) if chunk.start == 0 else None
    if line is None:
        return chunk.date or "", None
    when = line[2]
    return chunk.date or dt.date(when.year, when.month, when.day).isoformat(), (line[0], line[1])


_MONTH_OR_DAY = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)", re.I)


def _unrecognised_names(text: str, start: int, entities: tuple[nlp.Entity, ...], asked: str) -> list[tuple[str, int]]:
    """Runs of the capitalised words claims.names reads as names, outside every recognised entity and the
    question's own words, in reading order, each with where it ends."""
    taken = [(e.start - start, e.end - start) for e in entities]
    words = set(claim_names(text).values())
    runs: list[list[re.Match]] = []
    for m in re.finditer(r"[^\W\d_][\w'’.-]*", text):
        w = m.group().rstrip(".")
        if (w not in words or w.lower() in asked or _MONTH_OR_DAY.match(w)
                or any(a < m.end() and m.start() < b for a, b in taken)):
            continue
        if runs and text[runs[-1][-1].end():m.start()] == " ":
            runs[-1].append(m)
        else:
            runs.append([m])
    return [(text[r[0].start():r[-1].end()].rstrip("."), r[-1].end()) for r in runs]


def _owns(text: str, end: int) -> bool:
    """The name ending at ``end`` of ``text`` owns or makes the noun after it: "NVIDIA chips", "NVIDIA's chips"."""
    tokens = nlp.parse(text).tokens
    after = [t for t in tokens if t.start >= end]
    if after and after[0].text in ("'s", "’s", "'", "’"):
        after = after[1:]
    return bool(after) and after[0].pos in ("NOUN", "PROPN") and after[0].start - end <= 4


_CURRENCY_AFTER = re.compile(r"\s*(euros?|dollars?|pounds?( sterling)?|yen|yuan|renminbi|rupees?|francs?|won|"
                             r"roubles?|rubles?|pesos?|dinars?|dirhams?|riyals?|rand|krona|kronor|kroner)\b", re.I)


def _as_money(e: nlp.Entity, text: str, start: int) -> nlp.Entity:
    """A number followed by a currency word ("38 million euros") is an amount; the small recogniser
    often tags only "38 million", as a cardinal."""
    if e.label != "CARDINAL":
        return e
    m = _CURRENCY_AFTER.match(text, e.end - start)
    if not m:
        return e
    return nlp.Entity(text[e.start - start : m.end()], "MONEY", e.start, start + m.end())


def build_units(q: Question, hits: list[Hit], entities: dict[str, tuple[nlp.Entity, ...]]) -> list[Unit]:
    """Sentences and adjacent pairs of the hit chunks, each once (overlapping chunks share sentences),
    without text planted as instructions to a model."""
    seen: set[tuple[str, int]] = set()
    units: list[Unit] = []
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        sentences = [s for s in chunk_sentences(chunk) if (chunk.article_id, s.start) not in seen]
        seen.update((chunk.article_id, s.start) for s in sentences)
        ents = entities.get(chunk.id, ())
        date, line = chunk_date(chunk)
        people = [e for e in ents if e.label == "PERSON"]
        countries = [e for e in ents if e.label == "GPE"]
        groups = [[s] for s in sentences] + [[a, b] for a, b in zip(sentences, sentences[1:], strict=False)
                                             if a.end <= b.start]
        for group in groups:
            unit = Unit(group, chunk, rank, tuple(e for e in ents if group[0].start <= e.start
                                                  and e.end <= group[-1].end))
            if not is_instruction(unit.text):
                found = answer_values(q, unit.text, unit.start, unit.entities, date, line)
                unit.values = {k: w for k, (w, _) in found.items()}
                unit.kinds = {k: label for k, (_, label) in found.items()}
                before = [e for e in people if e.end <= unit.start]
                if before and _PERSONAL.search(unit.text):  # "Xu Bing acknowledged ... However, he is optimistic"
                    unit.referent = set(tokenize(before[-1].text))
                before = [e for e in countries if e.end <= unit.start]
                if before and _COUNTRY.search(unit.text):  # "China's AI industry is growing. The country has ..."
                    unit.referent |= set(tokenize(before[-1].text))
                units.append(unit)
    return units


def measure(q: Question, units: list[Unit], hits: list[Hit], bm25: BM25Index) -> None:
    """Every feature but the semantic one, into ``unit.x`` (semantic left at 0)."""
    # Words no article uses say nothing about any unit: a paraphrase ("semiconductors" for "chips") must
    # not read as missing evidence.
    asked = asked_numbers(q.text)
    known = {t for t in q.tokens if bm25.df(t) > 0}
    q_weight = sum(bm25.idf(t) for t in known) or 1.0
    unknown = 1.0 - len(known) / len(q.tokens) if q.tokens else 0.0
    chunk_info: dict[str, set[str]] = {}
    by_chunk = {h.chunk.id: h for h in hits}
    # value -> articles stating it, for agreement between outlets
    stated: dict[str, set[str]] = {}
    for u in units:
        for key in u.values:
            stated.setdefault(key, set()).add(u.chunk.article_id)
    for u in units:
        chunk = u.chunk
        if chunk.id not in chunk_info:
            chunk_info[chunk.id] = set(tokenize(chunk.title)) | set(tokenize(chunk.text))
        ctx_tokens = chunk_info[chunk.id]
        text = u.text
        u_tokens = set(tokenize(text))
        with_title = u_tokens | set(tokenize(chunk.title))
        hit = by_chunk.get(chunk.id)
        x = np.zeros(len(FEATURES), dtype=np.float64)
        x[1] = sum(bm25.idf(t) for t in known & with_title) / q_weight
        x[2] = sum(bm25.idf(t) for t in known & ctx_tokens) / q_weight
        x[3] = float(q.typed and bool(u.values))
        x[4] = float(q.typed and not u.values)
        x[5] = min(1.0, len(u_tokens - q.tokens) / 5)
        if asked.numbers:
            written = [Facts(numbers=passage_numbers(text)), Facts(numbers=passage_numbers(chunk.title))]
            x[6] = len(asked.missing_from(written)) / len(asked.numbers)
        if q.names:
            named = with_title | _aliases(text + " " + chunk.title) | u.referent
            x[7] = len(q.names - named) / len(q.names)
            x[8] = len(q.names - ctx_tokens - _aliases(chunk.title + " " + chunk.text)) / len(q.names)
        x[9] = 1.0 / u.rank
        x[10] = 1.0 / hit.vector_rank if hit and hit.vector_rank else 0.0
        x[11] = 1.0 / hit.bm25_rank if hit and hit.bm25_rank else 0.0
        others = max((len(stated[k] - {chunk.article_id}) for k in u.values), default=0)
        x[12] = math.log1p(others)
        x[13] = float(len(u.sentences) > 1)
        x[14] = float(text.rstrip().endswith("?"))
        if q.years:
            years = {int(y) for y in _YEAR.findall(text)} | ({int(chunk.date[:4])} if chunk.date else set())
            x[15] = 1.0 if years & q.years else (-1.0 if years else 0.0)
        x[16] = unknown
        x[17] = max((min(3, len(_VALUE_WORD.findall(w))) / 3 for w in u.values.values()), default=0.0)
        u.x = x


@lru_cache(maxsize=1024)
def asked_numbers(question: str) -> Facts:
    """The question's numbers as the verifier's fact check reads a claim's, so that a unit states them in the
    same cases: "ten years" is stated by "the past decade", "about $56 billion" by "$55.5 billion"."""
    return dataclasses.replace(claim_facts(question), names={})


_PERSONAL = re.compile(r"\b(he|she|his|her|him)\b", re.I)
_COUNTRY = re.compile(r"\b(the|this) (country|nation)\b", re.I)


def _aliases(text: str) -> set[str]:
    """The words of the other spellings of the names ``text`` writes, "q3" among them for "the third quarter"."""
    return set(tokenize(" ".join(alias_words(text)) + " " + initials(text))) | periods(text)

