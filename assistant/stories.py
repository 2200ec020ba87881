"""One story, however many outlets published it: retrieval hits collapsed by story (see dedup.py).

The best-ranked copy of a story stays, with its passages; the other copies' hits go, and the kept hits
name them in ``Hit.also`` as (article id, source), for "also published by ...". A copy's hit that states
another number or name than the kept copy in the same sentence stays: sources that disagree are both shown.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from .types import Hit

_WORD = re.compile(r"\w[\w'’.,-]*\w|\w")
_NAME_WORDS = 4  # a number, a date or a name is at most this many words


def _is_fact(word: str) -> bool:
    return any(c.isdigit() for c in word) or word[:1].isupper()


def _replaces_a_fact(a: list[str], b: list[str]) -> bool:
    """Whether, word by word, ``b`` puts another number or name where ``a`` has one (an added byline or a cut
    clause is an insertion or a deletion; a cut sentence run into boilerplate replaces more than a name)."""
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    return any(op == "replace" and i2 - i1 <= _NAME_WORDS and j2 - j1 <= _NAME_WORDS
               and any(map(_is_fact, a[i1:i2])) and any(map(_is_fact, b[j1:j2]))
               for op, i1, i2, j1, j2 in matcher.get_opcodes())


def disagrees(passage: str, other_text: str) -> bool:
    """Whether ``passage``, aligned word by word with ``other_text`` (another copy of its story), has another
    number or name in the same place: sources that disagree, not copies that differ in bylines, cuts or wording."""
    return _replaces_a_fact(_WORD.findall(other_text), _WORD.findall(passage))


def collapse(hits: list[Hit], catalog) -> list[Hit]:
    """``hits`` in their order, without the hits of other copies of a story already represented."""
    if not hits:
        return hits
    members = catalog.story_members(sorted({h.chunk.article_id for h in hits}))
    story_of: dict[str, str] = {}  # article id -> a key shared by its story's copies
    for article_id, group in members.items():
        story_of[article_id] = min(aid for aid, _ in group) if group else article_id
    kept_article: dict[str, str] = {}  # story key -> the article that represents it
    out: list[Hit] = []
    for hit in hits:
        aid = hit.chunk.article_id
        key = story_of.get(aid, aid)
        chosen = kept_article.setdefault(key, aid)
        if chosen != aid and not disagrees(hit.chunk.text, catalog.article_text(chosen) or ""):
            continue
        also = [(other, source) for other, source in members.get(aid, []) if other != aid]
        out.append(dataclasses.replace(hit, also=also) if also else hit)
    return out


def also_published_by(hit: Hit) -> str:
    """'also published by A, B' for a hit whose story other outlets carry too, else ''."""
    if not getattr(hit, "also", None):
        return ""
    names = list(dict.fromkeys(source or article_id for article_id, source in hit.also))
    return "also published by " + ", ".join(names)
