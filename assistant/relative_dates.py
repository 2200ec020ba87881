"""Dates an article gives relative to its own date ("on Tuesday", "yesterday"), made absolute.

News writes the day of the week for what happened in the days before publication, and "next
Tuesday" for what is coming; so a bare weekday is the latest such day on or before the article's
date, and "next" moves it after. A day written without its year ("on Nov 15") is in the year that puts
it nearest the article's date. Anything vaguer ("last week", "recently") is left alone.
"""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHIFT = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
_WEEKDAY = re.compile(r"^(?:(on|last|this|next|this coming)\s+)?(" + "|".join(_WEEKDAYS) + r")$", re.I)


def resolve(text: str, article_date: str) -> dt.date | None:
    """The day ``text`` (a date expression as the recogniser found it) names, given the article's date
    (YYYY-MM-DD); None when it is not a relative day or the article has no date."""
    if not article_date:
        return None
    try:
        base = dt.date.fromisoformat(article_date[:10])
    except ValueError:
        return None
    words = " ".join(text.lower().replace("’", "'").split()).removeprefix("the ")
    if words in _SHIFT:
        return base + dt.timedelta(days=_SHIFT[words])
    m = _WEEKDAY.match(words)
    if not m:
        return None
    back = (base.weekday() - _WEEKDAYS.index(m.group(2).lower())) % 7
    if (m.group(1) or "").lower() in ("next", "this coming"):
        return base + dt.timedelta(days=(7 - back) % 7 or 7)
    if (m.group(1) or "").lower() == "last" and back == 0:
        back = 7
    return base - dt.timedelta(days=back)


def year_for(month: int, day: int, article_date: str) -> dt.date | None:
    """The day ``month``/``day`` names when its text writes no year: the one nearest the article's date (a
    "Jan 5" in a late-December article is next January's), None without a date or for no such day."""
    try:
        base = dt.date.fromisoformat(article_date[:10])
    except (TypeError, ValueError):
        return None
    days = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            days.append(dt.date(year, month, day))
        except ValueError:
            continue
    nearest = min(days, key=lambda d: abs((d - base).days), default=None)
    # only a leap day can be further than half a year from every candidate
    return nearest if nearest and abs((nearest - base).days) <= 183 else None


def spelled(day: dt.date) -> str:
    """"September 8, 2020"."""
    return f"{day.strftime('%B')} {day.day}, {day.year}"
