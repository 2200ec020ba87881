"""One story, however many outlets published it: retrieval hits collapsed by story (see dedup.py).

The best-ranked copy of a story stays, with its passages; the other copies' hits go, and the kept hits
name them in ``Hit.also`` as (article id, source), for "also published by ...".
"""

from __future__ import annotations

import dataclasses

from .types import Hit


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
        if chosen != aid:
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
