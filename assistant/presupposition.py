"""What a wh-question takes as given, written as a statement the verifier can check.

"Why does Xu expect the gap to keep widening?" takes it as given that Xu expects the gap to keep widening;
"How many chips does SenseTime plan to buy next year?" that SenseTime plans to buy chips next year. When the
passage that would answer says otherwise (the gap narrows; the chips were bought over the past decade), it
does not answer the question, however close its words are: the reader checks the statement with the
verifier's rules (:func:`assistant.roles.conflict`) before it lets a unit answer.

Only the inverted form is read ("WH-phrase AUX SUBJECT REST"), and the asked slot is left out: a question
whose subject is the wh-word ("Who won?") is put into a statement with its answer by
:func:`assistant.question.as_statement` instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import nlp

_AUX = r"do|does|did|is|are|was|were|has|have|had|will|would|can|could|should|may|might"
_DO = frozenset({"do", "does", "did"})
_PREPOSITIONS = frozenset("on in by over within for at from to since until during after before of under "
                          "around about".split())
# wh-phrase, then the first auxiliary: the subject and the rest follow it.
_INVERTED = re.compile(rf"^(?P<prep>(?:[a-z]+\s+){{0,2}}?)(?P<wh>how many|how much|whose|which|what|when|where|why|how)"
                       rf"\b(?P<noun>[^?,]*?)\s+(?P<aux>{_AUX})\s+(?P<rest>[^?]+?)[\s?.!]*$", re.I)
_FRONTED = re.compile(r"^[^,?]+,\s*(?=(?:[a-z]+\s+){0,2}?(?:how|whose|which|what|when|where|why)\b)", re.I)
_ADVERB_WH = frozenset({"when", "where", "why", "how"})
# Nouns that only say what kind of answer is asked ("on what date", "in which country"): with the slot left
# out they add nothing the passage could contradict.
_KIND_NOUNS = frozenset("""date day year month week decade time period season kind type sort way thing things
    country city place region state area part person people man woman company firm role position amount
    number percentage share""".split())
_VERB_CHAIN = frozenset({"AUX", "VERB", "PART"})
_VERB_START = frozenset({"VERB", "AUX", "ADV", "PART"})


@lru_cache(maxsize=2048)
def presupposition(question: str) -> str:
    """The statement ``question`` takes as given, the asked slot left out; "" when it has none this can read."""
    text = _FRONTED.sub("", question.strip(), count=1)
    m = _INVERTED.match(text)
    if not m or not all(w.lower() in _PREPOSITIONS for w in m.group("prep").split()):
        return ""
    wh, aux, rest = m.group("wh").lower(), m.group("aux"), m.group("rest")
    if re.search(r"\b(?:who|whom|whose|which|what|when|where|why|how)\b", rest, re.I):
        return ""  # a second question inside ("..., and when?"): its slot would be read as given
    # The subject is read from the whole question: spaCy parses a question better than the uninflected rest.
    parse = nlp.parse(text)
    offset = m.start("rest")
    end = _subject_end(parse, offset)
    if end is None:
        return ""
    tokens = parse.tokens
    while end + 1 < len(tokens) and tokens[end + 1].start == tokens[end].start + len(tokens[end].text):
        end += 1  # "co-founder" is three tokens
    if end + 1 >= len(tokens) or tokens[end + 1].pos not in _VERB_START:
        return ""  # "How large is the gap?", "What was the revenue in 2023?": a copula, or a parse gone wrong
    cut = tokens[end].start + len(tokens[end].text)
    subject, after = text[offset:cut].strip(), text[cut:m.end("rest")].strip()
    if not after:
        return ""  # "What is X?", "How large is the gap?": nothing is taken as given but that X exists
    moved = "" if wh in _ADVERB_WH else _asked_noun(m.group("noun"))
    if moved and m.group("prep").strip():
        after = f"{after} {m.group('prep').strip().lower()} {moved}"
    elif moved:
        at = _after_verbs(tokens, end)
        if at is None or tokens[at].start >= m.end("rest"):
            after = f"{after} {moved}"
        else:
            after = f"{text[cut:tokens[at].start].strip()} {moved} {text[tokens[at].start:m.end('rest')].strip()}"
    return f"{subject} {aux.lower()} {after}."


def _subject_end(parse: nlp.Parse, offset: int) -> int | None:
    """Index of the last token of the subject that starts at character ``offset``, or None."""
    tokens = parse.tokens
    for t in tokens:
        if t.dep in ("nsubj", "nsubjpass", "expl") and t.start >= offset:
            span = [x.i for x in tokens if _descends(tokens, x.i, t.i)]
            return max(span) if tokens[min(span)].start == offset else None
    return None


def _descends(tokens, i: int, root: int) -> bool:
    for _ in range(len(tokens)):
        if i == root:
            return True
        if tokens[i].head == i:
            return False
        i = tokens[i].head
    return False


def _after_verbs(tokens, end: int) -> int | None:
    """Where an object goes: the first token after the verb chain that follows the subject, or None at the end."""
    i = end + 1
    while i < len(tokens) and (tokens[i].pos in _VERB_CHAIN or tokens[i].dep == "prt"):
        i += 1
    return i if i < len(tokens) and i > end + 1 else None


def _asked_noun(noun: str) -> str:
    """The asked noun phrase without its kind words: "company's chips" -> "chips"; "kind of companies" ->
    "companies"; "date" -> ""."""
    words = noun.split()
    if any(w.endswith(("'s", "’s")) for w in words):
        last = max(i for i, w in enumerate(words) if w.endswith(("'s", "’s")))
        words = words[last + 1:]
    text = re.sub(r"^(?:kind|type|sort)s? of\s+", "", " ".join(words), flags=re.I)
    if not text or all(w.lower() in _KIND_NOUNS for w in text.split()):
        return ""
    return text
