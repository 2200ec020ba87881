"""What an answer sentence adds to the unit it rests on: its content words (from the spaCy parse) that the unit
states neither word for word (by stem or lemma) nor by a close word, grouped into the phrases they form ("after
several years of heavy losses", "according to analysts"). A faithful paraphrase leaves a single word here and
there (a synonym the word embedding misses); an embellishment leaves a whole phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import intervals, nlp
from .claims import _NUMBER_WORDS, QUARTER_WORDS, alias_words, numbers, periods, place_word, spans_held
from .lexical import _stemmer

CONTENT = {"NOUN", "VERB", "ADJ", "ADV", "PROPN"}  # numbers are the exact fact check's
CLOSE_WORD = 0.6  # cosine to the nearest unit word at which a word counts as stated in other words
MAX_GROUP = 6  # a longer phrase adds no more evidence
# Content by part of speech, yet nothing a passage could fail to state ("also", "currently", "said").
_LIGHT = {"also", "then", "now", "currently", "still", "even", "just", "further", "however", "thereby", "indeed",
          "fact", "short", "moreover", "meanwhile", "say", "note", "add", "state", "be", "have", "do", "same",
          "specifically", "notably", "overall", "thus", "therefore", "worth", "there", "here", "so", "result", "well",
          "respectively", "together", "furthermore", "additionally", "time", "way", "such", "other"}
# Predicates that state the same fact in other words (the word embedding puts some of them far apart).
_SAME = {"beat": "defeat", "overcome": "defeat", "purchase": "acquire", "buy": "acquire", "disclose": "reveal",
         "shortfall": "deficit", "gap": "deficit", "aim": "goal", "goal": "aim", "up": "increase", "down": "decrease"}
# The predicate and its core arguments: a phrase in one of these rewords what the passage says.
_CORE = {"ROOT", "nsubj", "nsubjpass", "csubj", "dobj", "attr", "acomp", "oprd", "dative", "agent", "ccomp", "xcomp"}
_SPANS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
_THE_TEXT = {"article", "passage", "report", "source", "text", "document", "story", "piece", "sources", "articles"}
_EXTREMES = {"record", "unprecedented", "historic", "all-time", "best", "worst"}
_SYMBOLS = {"$": ("dollar", "usd"), "€": ("euro", "eur"), "£": ("pound", "gbp"), "%": ("percent", "per cent"),
            "USD": ("dollar",), "EUR": ("euro",), "GBP": ("pound",)}
# Who the claim says said it ("..., his family said"): a source, stated as written or not at all, unless it is
# the text itself or a word for a name the passage gives ("the company said").
_SPEECH = {"say", "tell", "announce", "confirm", "report", "state", "add"}
_STANDS_FOR = {"company", "firm", "group", "country", "government", "team", "club", "organisation", "organization"}
_WORD = re.compile(r"[^\W_][\w'’-]*")


@dataclass(frozen=True)
class Addition:
    share: float  # of the claim's content words, those the unit does not state
    largest: int  # content words in the largest such phrase that modifies the sentence (capped at MAX_GROUP)
    phrase: str  # that phrase as written, for the reason shown
    qualifier: str = ""  # a superlative, record, time span or source the unit does not state, if any


NOTHING = Addition(0.0, 0, "")


def _key(word: str) -> str:
    low = place_word(word.lower().replace("’", "'"))
    return _stemmer().stemWord(_SAME.get(low, low))


def unit_keys(text: str) -> set[str]:
    """Every word of a unit by stem, stopwords included (to retrieval "won" and "more" are stopwords), the
    parts of hyphenated words, and the words its symbols stand for ("$" = "dollars")."""
    words = _WORD.findall(text)
    keys = {_key(w) for w in words} | {_key(part) for w in words if "-" in w for part in w.split("-") if part}
    return keys | {_key(w) for w in spelled_out(text)}


_SHORT = {"billion": "bn", "million": "mn", "bn": "billion", "mn": "million"}
_YOY = re.compile(r"\b(yoy|y/y)\b", re.I)


def spelled_out(text: str) -> list[str]:
    """The words a text's symbols and short forms stand for ("$" = "dollars", "Q1" = "first quarter", "H2" = "second
    half", "YoY" = "year on year", "bn" = "billion", "PT" = "Pacific time", "US" = "United States"), which a claim may
    write out."""
    out = [w for symbol, names in _SYMBOLS.items() if symbol in text for w in names]
    out += sorted(alias_words(text))
    for key in periods(text):
        out += [QUARTER_WORDS[int(key[1]) - 1], "quarter" if key[0] == "q" else "half"]
    out += ["year"] if _YOY.search(text) else []
    return out + [_SHORT[w.lower()] for w in _WORD.findall(text) if w.lower() in _SHORT]


def uncovered(claim: str, keys: set[str], unit_words: list[str], embedder, unit_text: str = "") -> Addition:
    """``keys``: :func:`unit_keys` of the unit and its title; ``unit_words``: its content words as written,
    for the nearest-word comparison; ``unit_text``: the unit and title as written, for its time spans. The
    claim's words are looked up as written and by lemma."""
    toks = nlp.parse(claim).tokens
    # "according to the article" says where, not who: nothing the passage could lack
    itself = {i for t in toks if t.lemma in _THE_TEXT and t.dep == "pobj" and toks[t.head].lemma == "to"
              and toks[toks[t.head].head].lemma == "accord" for i in (t.i, toks[t.head].head)}
    counted = _in_numbers(claim, toks)  # "a quarter of a million": a number, the exact fact check's
    content = [t for t in toks if t.pos in CONTENT and t.lemma not in _LIGHT and t.text.lower() not in _LIGHT
               and t.i not in itself and t.i not in counted
               and any(ch.isalpha() for ch in t.text) and t.lemma not in _NUMBER_WORDS and not numbers(t.text)]
    if not content:
        return NOTHING
    missing = [t for t in content if _key(t.text) not in keys and _key(t.lemma) not in keys]
    # A span the unit states in other words ("a decade" for "ten years", "year on year" for "YoY") is stated.
    same_span = spans_held(claim, unit_text) if unit_text else set()
    if same_span:
        missing = [t for t in missing if t.lemma not in _SPANS and t.lemma not in ("over", "on")]
    # A span the claim's and the unit's dates imply ("four years later", "the same year") is stated.
    implied = intervals.held_in(claim, unit_text) if unit_text and missing else []
    if implied:
        missing = [t for t in missing if not any(s.at <= t.start < s.end for s in implied)]
    # Time spans and sources are facts, like numbers: stated as written or not at all.
    exact = next((q for t in missing if (q := _span(toks, t) or _source(toks, t))), "")
    if missing and unit_words:
        mine = embedder.embed([t.text.lower() for t in missing] + [t.lemma for t in missing])
        sims = (mine @ embedder.embed(unit_words).T).max(axis=1)
        near = np.maximum(sims[: len(missing)], sims[len(missing):])
        missing = [t for t, s in zip(missing, near, strict=True) if s < CLOSE_WORD]
    # A speaker the unit describes in other words ("a furniture maker" for "the furnishings manufacturer") is
    # the unit's own; one it does not state at all is put in the passage's mouth.
    exact = exact or next((q for t in missing if (q := _speaker(toks, t) or _means(toks, t))), "")
    if not missing and not exact:
        return NOTHING
    if not missing:
        return Addition(0.0, 0, "", exact)
    qualifier = exact or next((q for t in missing if (q := _qualifier(toks, t))), "")
    return Addition(len(missing) / len(content), *_largest_phrase(toks, missing, {t.i for t in content}), qualifier)


def _span(toks, t) -> str:
    """A time span ("in under an hour", "within hours", "after several years"), as written, or ""."""
    if t.lemma not in _SPANS or t.pos != "NOUN":
        return ""
    head = toks[t.head]
    start = head.i if head.pos == "ADP" and head.i < t.i else t.i
    return " ".join(x.text for x in toks[start: t.i + 1])


def _source(toks, t) -> str:
    """Whom the claim says it is according to ("according to industry analysts"), unless that is the text
    itself ("according to the article"), as written, or ""."""
    to = toks[t.head]
    if t.dep != "pobj" or to.lemma != "to" or toks[to.head].lemma != "accord" or t.lemma in _THE_TEXT:
        return ""
    return " ".join(x.text for x in toks[to.head: t.i + 1])


def _speaker(toks, t) -> str:
    """Who the claim says said it ("..., his family said", "officials told reporters that"), as written, or ""."""
    verb = toks[t.head]
    if t.dep != "nsubj" or t.pos != "NOUN" or verb.lemma not in _SPEECH or t.lemma in _THE_TEXT | _STANDS_FOR:
        return ""
    if verb.dep != "parataxis" and not any(x.head == verb.i and x.dep in ("ccomp", "parataxis") for x in toks):
        return ""  # "the family said nothing": no statement is put in its mouth
    start = min([t.i] + [x.i for x in toks if x.head == t.i and x.dep in ("poss", "det", "amod", "compound")])
    return " ".join(x.text for x in toks[start: max(t.i, verb.i) + 1])


def _means(toks, t) -> str:
    """How the claim says it is done ("by cutting back on its chip purchases", "through selling its depots"), when
    the unit states no such act: a means is a fact of its own, however few its words. As written, or ""."""
    by = toks[t.head]
    if t.pos != "VERB" or t.dep not in ("pcomp", "pobj") or by.lemma not in ("by", "through", "via") or by.head == by.i:
        return ""
    end = max([t.i] + [x.i for x in toks if t.i in _ancestors(toks, x.i)])
    return " ".join(x.text for x in toks[by.i: end + 1])


def _in_numbers(claim: str, toks) -> set[int]:
    """Tokens inside the numbers the claim states ("a quarter of a million", "nearly a quarter")."""
    out = set()
    for written in numbers(claim).values():
        at = claim.find(written)
        if at >= 0 and not written[:1].isdigit():
            out |= {t.i for t in toks if at <= t.start < at + len(written)}
    return out


def _qualifier(toks, t) -> str:
    """A superlative or record the passage does not state ("the most watched season", "the largest deal", "a
    record crowd"): each is a fact of its own. Returns it as written, or ""."""
    low = t.text.lower()
    head = toks[t.head]
    if low in ("most", "least"):
        found = t.dep == "advmod" and head.pos in ("ADJ", "ADV", "VERB")
    else:
        found = low in _EXTREMES or (t.pos in ("ADJ", "ADV") and low.endswith("est") and t.lemma != low
                                     and low not in ("latest", "newest"))
    if not found:
        return ""
    if head.pos in ("NOUN", "ADJ", "VERB") and 0 < head.i - t.i <= 3:  # "largest media deals"
        return " ".join(x.text for x in toks[t.i: head.i + 1])
    return t.text


def _largest_phrase(toks, missing, content: set[int]) -> tuple[int, str]:
    """An uncovered word joins the nearest content word above it in the parse when that one is uncovered too
    (function words in between are passed over: "years of heavy losses" is one phrase)."""
    out = {t.i for t in missing}
    parent = {i: i for i in out}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for t in missing:
        j, steps = t.head, 0
        while j != toks[j].head and j not in content and steps < 4:
            j, steps = toks[j].head, steps + 1
        if j in out and j != t.i:
            parent[root(t.i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in out:
        groups.setdefault(root(i), []).append(i)
    added = [g for g in groups.values() if _modifies(toks, g, content)]
    if not added:
        return 0, ""
    best = sorted(max(added, key=len))
    return min(len(best), MAX_GROUP), " ".join(toks[i].text for i in range(best[0], best[-1] + 1))


def _modifies(toks, group: list[int], content: set[int]) -> bool:
    """Whether the phrase hangs on the sentence as a modifier (what an embellishment is: "after ...",
    "according to ...", ", making it ...") rather than being its predicate or one of the predicate's core
    arguments (what a paraphrase rewords: "is increasing its backing" for "is stepping up its support")."""
    members = set(group)
    top = next(i for i in group if not members & _ancestors(toks, i))  # the member the others hang on
    j, dep = top, toks[top].dep
    while toks[j].head != j:
        dep, j = toks[j].dep, toks[j].head
        if j in content or toks[j].pos in ("VERB", "AUX", "NOUN", "PROPN"):
            break
    return dep not in _CORE and toks[top].dep != "ROOT"


def _ancestors(toks, i: int) -> set[int]:
    out: set[int] = set()
    while toks[i].head != i and toks[i].head not in out:
        i = toks[i].head
        out.add(i)
    return out
