"""What a question asks: the kind of answer it wants (a person, a place, a date, a count, an amount),
the names and numbers it is about, and its time cues ("latest", "in 2021", "last year").

Read once per question; every later step (retrieval's date preference, the reader's features, the
short answer) uses this one reading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import nlp
from .claims import names as capitalised_names
from .claims import numbers
from .lexical import stopwords, tokenize

_PERSON_NOUNS = (r"person|people|man|woman|executive|official|leader|ceo|founder|co-?founder|president|player|"
                 r"actor|actress|singer|artist|author|writer|director|coach|minister|politician|candidate|scientist|"
                 r"spokesperson|chairman|winner|champion|celebrity|athlete|journalist|reporter|billionaire|rapper|"
                 r"filmmaker|composer|producer|owner|boss|designer|creator|inventor|manager|driver|rider|golfer|"
                 r"performer|musician|presenter|novelist|poet|painter|governor|senator|mayor|judge|investor|"
                 r"entrepreneur|businessman|businesswoman|boxer|cyclist|swimmer|chancellor|premier|king|queen|"
                 r"successor|predecessor|running mate|star|rookie|skipper|captain|teacher")
_PLACE_NOUNS = (r"city|country|state|nation|place|venue|stadium|location|region|province|town|continent|county|"
                r"island|arena|part of the world|area|capital|site")
_ORG_NOUNS = (r"company|firm|team|club|organi[sz]ation|group|party|brand|agency|university|network|studio|band|"
              r"league|manufacturer|chipmaker|maker|airline|bank|school|business|startup|automaker|carrier|channel")
_TIME_NOUNS = r"year|month|day|date|decade|week|time|season|period"
_TIME_UNITS = r"years?|months?|weeks?|days?|decades?|hours?|minutes?|seconds?|seasons?|centuries|century"
# "how many dollars", "how many billion euros": what is counted is money
_OF_MONEY = r"\s+(?:\w+\s+)?(?:dollars?|euros?|pounds?|yuan|yen|rupees?|francs?|pesos?|bucks)\b"
# The kind of answer, decided by the question's wh-phrase: (pattern, labels). Tried in order; the first
# wh-phrase that matches wins, so "who revealed the number of chips" asks for a person, not a count.
_WH = [(re.compile(p, re.I), labels) for p, labels in [
    (r"\bwho (won|beat|lost|defeated|finished|came|placed|hosted|host|will host)\b", nlp.PERSON | nlp.ORGANISATION
     | nlp.PLACE),
    (r"\b(who|whom|whose)\b", nlp.PERSON | nlp.ORGANISATION),
    (rf"\b(which|what)\s+(\w+\s+)?({_PERSON_NOUNS})\b", nlp.PERSON),
    (rf"\b(which|what)\s+(\w+\s+)?({_ORG_NOUNS})\b", nlp.ORGANISATION),
    (rf"\b(which|what)\s+(\w+\s+)?({_PLACE_NOUNS})\b|\bwhere\b", nlp.PLACE),
    (r"\b(what|which)\s+(percentage|percent|share|proportion)\b|\bhow many percent\b", nlp.PERCENT),
    # "When" asks for a date or a time: a bare count is no answer to it ("Pixel 5" to "When was the Pixel 7
    # announced?"); a duration or an age, and "what year", may be written as a number.
    (r"\bwhen\b(?! it comes to\b)|\bwhat time\b", nlp.TIME),
    (rf"\b(which|what|on what|in what)\s+({_TIME_NOUNS})\b|\bhow long\b|\bhow old\b", nlp.TIME | nlp.COUNT),
    (r"\bhow much\b.*\b(pay|paid|cost|spen[dt]|worth|price|revenue|earn|invest|raise|sell|sold|fund|money)|"
     r"\b(what|which)\b.*\b(price|amount|sum|salary|valuation|revenue|profit|sales|budget|cost)\b", nlp.MONEY),
    (rf"\bhow many\s+(?:more\s+)?({_TIME_UNITS})\b", nlp.TIME | nlp.COUNT),  # "the past decade" counts years
    # "How many employees" counts things: an amount of money is no answer, unless the things are a currency.
    (rf"\bhow many\b(?!{_OF_MONEY})", nlp.COUNT),
    (rf"\bhow much\b|\bhow many\b(?={_OF_MONEY})|\b(what|which) (size|score|number|rank|count)\b|"
     r"\bhow (big|large|high|far|tall|wide|deep|fast)\b", nlp.COUNT | nlp.MONEY | nlp.PERCENT),
]]
# Keyword queries without a wh-phrase ("Super Bowl 2021 location", "iPhone 14 release date").
# A noun inside a hyphenated modifier ("year-end", "day-long") is not what is asked, hence the look-ahead.
_KEYWORDS = [(re.compile(p + r"(?!-\w)", re.I), labels) for p, labels in [
    (rf"\b({_PLACE_NOUNS}|venue|headquarters?|hometown)\b", nlp.PLACE),
    (r"(?:\b(date|day|year|deadline)\b|\bwhen\b(?! it comes to\b))", nlp.TIME),
    (rf"\b({_PERSON_NOUNS})\b", nlp.PERSON | nlp.ORGANISATION),
    (r"\b(price|cost|revenue|salary|worth|budget)\b", nlp.MONEY),
    (r"\b(number|count|total|score|population)\b", nlp.COUNT),
]]


def expected_labels(text: str) -> frozenset[str]:
    """The entity labels an answer to ``text`` would be, by its earliest wh-phrase; empty: any kind
    ("why", "what does X attribute Y to", yes/no questions)."""
    found = [(m.start(), labels) for pattern, labels in _WH
             for m in [next((m for m in pattern.finditer(text) if not _relative(text, m.start())), None)] if m]
    if found:
        return min(found, key=lambda f: f[0])[1]
    if re.search(r"\b(why|how)\b", text, re.I):
        return frozenset()
    # "What is the premiere date of ...", "Super Bowl 2021 location": the noun says what is asked. After "what",
    # only the noun it asks about ("What role in the computing arena ...": a role, not a place).
    named = _NAME_OF.sub("", text)  # "What is the name of the director": a director
    asked = next((m.group(1) for m in _WHAT_NOUN.finditer(named) if not _relative(named, m.start())), text)
    return next((labels for pattern, labels in _KEYWORDS if pattern.search(asked)), frozenset())


# "what", "which" or a request ("Name the person who ...") and the words up to the next preposition, verb or
# clause: the noun it asks about
_WHAT_NOUN = re.compile(r"(?:\b(?:what|which)(?:'s)?|^\W*(?:name|list|identify|give|find|tell me))\b"
                        r"((?:\s+(?!(?:of|in|on|for|at|by|to|from|with|about|does|did|do|has|have|had|will|would|"
                        r"can|could|should|that|who|whose|which)\b)[\w'’-]+){0,6})", re.I)
_WHOSE = re.compile(r"\bwhose\b", re.I)
_NAME_OF = re.compile(r"\b(?:the\s+)?(?:full\s+)?names?\s+of\s+", re.I)
# Words after which a wh-word asks the question ("In what year", "..., and when?"); after another word it may
# open a relative clause ("the firm whose co-founder ..."), which the parse tells.
_ASKS_AFTER = set("""in on at for by from to of with and or but so then since until after before during about as than
    into over under within between among per via according""".split())


@lru_cache(maxsize=4096)
def _relative(text: str, start: int) -> bool:
    """The wh-word at ``start`` opens a relative clause ("What is the aim of the firm whose co-founder spoke?"):
    it asks nothing."""
    before = text[:start].rstrip()
    if not before or not before[-1].isalnum():
        return False
    if before.split()[-1].lower() in _ASKS_AFTER:
        return False
    tokens = nlp.parse(text).tokens
    t = next((t for t in tokens if t.start == start), None)
    if t is not None and t.i and t.lemma in ("who", "whom", "whose", "which") and tokens[t.i - 1].tag.startswith("NN"):
        return True  # "the firm whose co-founder": a noun's clause (the parse may miss it)
    seen = set()
    while t is not None and t.i not in seen:
        if t.dep == "relcl":
            return True
        seen.add(t.i)
        t = tokens[t.head] if t.head != t.i else None
    return False


def asked_kinds(text: str) -> list[frozenset[str]]:
    """Every kind of answer the question asks for, in the order its wh-phrases come ("How many chips did it
    buy, and when?" asks for a count and a date); the first is :func:`expected_labels`'s."""
    first = expected_labels(text)
    found = sorted((m.start(), labels) for pattern, labels in _WH for m in pattern.finditer(text)
                   if not _relative(text, m.start()))
    out = [first] if first else []
    for _, labels in found:
        new = labels - frozenset().union(*out)
        if new:
            out.append(new)
    return out


_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_OPENING = re.compile(r"^\W*([^\W\d_][\w'’-]*)")
_RECENT = re.compile(r"\b(latest|newest|most recent|recent(ly)?|current(ly)?|now|today|this (week|month|year)|"
                     r"so far|upcoming|next|new)\b", re.I)
_LAST_YEAR = re.compile(r"\blast year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)


@dataclass(frozen=True)
class Question:
    text: str
    tokens: frozenset[str]  # stemmed content words
    numbers: frozenset[str]  # canonical values (claims.numbers), "forty thousand" = "40000"
    names: frozenset[str]  # stemmed tokens of the names the question is about
    expects: frozenset[str] = frozenset()  # entity labels the answer is one of; empty: any kind
    years: frozenset[int] = frozenset()  # years the question names, or implies ("last year")
    recent: bool = False  # asks about the latest state of things
    whose: bool = False  # asks whose something is ("Whose chips did it buy?"): the answer owns or makes a thing
    as_of: dt.date | None = None  # "today", for relative cues
    entities: tuple[nlp.Entity, ...] = field(default=(), compare=False)

    @property
    def typed(self) -> bool:
        return bool(self.expects)


def read_question(text: str, as_of: dt.date | None = None) -> Question:
    ents = nlp.entities([text])[0]
    expects = expected_labels(text)
    years = {int(y) for y in _YEAR.findall(text)}
    if as_of is not None:
        if _LAST_YEAR.search(text):
            years.add(as_of.year - 1)
        if _THIS_YEAR.search(text):
            years.add(as_of.year)
    # Names as stemmed tokens: nationalities ("American") are left out, being said in other words so often.
    names = {t for e in ents if e.label in nlp.NAMED - {"NORP"} for t in tokenize(undotted(e.text))}
    names |= {t for e in ents if e.label != "NORP" for w in capitalised_names(e.text).values() for t in tokenize(w)}
    # A question's first word is capitalised whatever it is ("Name the director", "Apart from ..."): it is a name
    # when the recogniser reads it as one, or the tagger as a proper noun (parsed only then).
    opener = next(iter(_OPENING.findall(text)), "")
    if not opener or any(opener in e.text for e in ents) or _proper_opener(opener, text):
        opener = ""
    names |= {t for w in capitalised_names(text).values() for t in tokenize(w)
              if not any(e.label == "NORP" and w in e.text for e in ents)
              and w != opener}
    return Question(text=text, tokens=frozenset(tokenize(text)), numbers=frozenset(numbers(text)),
                    names=frozenset(names), expects=expects, years=frozenset(years),
                    recent=bool(_RECENT.search(text)), as_of=as_of, entities=tuple(ents),
                    whose=any(not _relative(text, m.start()) for m in _WHOSE.finditer(text)))


_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")


def undotted(text: str) -> str:
    """Initials written with dots as one word ("U.S." as "US"), which the tokenizer would split into letters."""
    return _DOTTED.sub(lambda m: m.group().replace(".", ""), text)


def initials(text: str) -> str:
    """Only the initials :func:`undotted` joins, as words."""
    return " ".join(m.group().replace(".", "") for m in _DOTTED.finditer(text))


def _proper_opener(opener: str, text: str) -> bool:
    if opener.lower() in stopwords():
        return False
    tokens = nlp.parse(text).tokens
    return bool(tokens) and tokens[0].tag in ("NNP", "NNPS")


_SUBJECT_WH = re.compile(r"\s*(?:who|which \w+|what \w+)\s+(?!(?:do|does|did)\b)(.+?)\s*\??\s*$", re.I)


def as_statement(question: str, answer: str) -> str:
    """A bare answer put into its question, so its role can be checked: "Who won the 2014 World Cup?" +
    "Argentina" -> "Argentina won the 2014 World Cup."; other questions keep the answer as it is."""
    m = _SUBJECT_WH.match(question)
    return f"{answer.strip().rstrip('.')} {m.group(1)}." if m else answer
