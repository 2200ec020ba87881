"""What kind of answer a question asks for, and whether a piece of text can supply it.

Cheap, rule-based checks: "who" wants a name the question does not already contain,
"when" wants a date, "how many" a number, "which year" a year, "how much did it cost" an
amount. A passage that only restates the question supplies none of them.
"""

from __future__ import annotations

import re

from .lexical import stopwords, tokenize

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion|trillion"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"[^\W\d_][\w’'.-]*")
_NOT_NAMES = set(MONTHS.split("|")) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def numbers(text: str) -> set[str]:
    return {m.group().rstrip(".,").replace(",", "") for m in _NUMBER.finditer(text)}


def names(text: str, skip_first: bool = False) -> set[str]:
    """Stemmed tokens of capitalised words (the first word of a question is capitalised anyway)."""
    words = _CAPITALISED.findall(text)
    if skip_first:
        words = words[1:]
    out = set()
    for w in words:
        if w[0].isupper() and w.lower() not in stopwords() and w.lower() not in _NOT_NAMES:
            out.update(tokenize(w))
    return out


def _is_headline(sentence: str) -> bool:
    """Title Case Text Capitalises Common Words, so its capitals say nothing about names."""
    words = [w for w in _CAPITALISED.findall(sentence) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _new_name(question: str, text: str) -> bool:
    q_tokens = set(tokenize(question))
    return any(names(s) - q_tokens for s in re.split(r"(?<=[.!?])\s+", text) if not _is_headline(s))


def _date(question: str, text: str) -> bool:
    if re.search(rf"\b({MONTHS})\b|\b(today|yesterday|tomorrow|ago|decades?|years?|months?|weeks?|days?)\b",
                 text, re.I):
        return True
    return bool(numbers(text) - numbers(question))


def _year(question: str, text: str) -> bool:
    return bool(re.search(r"\b(1[89]|20)\d\d\b", text))


def _number(question: str, text: str) -> bool:
    return bool(re.search(rf"\d|\b({_NUMBER_WORDS}|several|dozens|\w+fold)\b", text, re.I))


def _amount(question: str, text: str) -> bool:
    return bool(re.search(r"[$€£¥]|\b(dollars?|yuan|euros?|pounds?|usd|rmb|billion|million)\b", text, re.I))


# (what the question looks like, the check a passage must pass to answer it)
_TYPES = [
    (re.compile(r"^\s*(who|whom)\b|\bwho (is|was|won|will|has|had|directed|acquired)\b", re.I), _new_name),
    (re.compile(r"\b(which|what) year\b", re.I), _year),
    (re.compile(r"^\s*when\b|\bwhat date\b|\bon what day\b|\brelease date\b|\bpremiere date\b", re.I), _date),
    (re.compile(r"\bhow (many|much)\b", re.I), _number),
    (re.compile(r"\bhow much\b.*\b(pay|paid|cost|spen[dt]|worth|price|revenue|earn|invest)|\bwhat price\b|"
                r"\brevenue\b", re.I), _amount),
]


def missing_types(question: str, text: str) -> int:
    """How many of the answer types the question asks for ``text`` cannot supply."""
    return sum(1 for asks, supplies in _TYPES if asks.search(question) and not supplies(question, text))
