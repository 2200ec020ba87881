"""The `assistant feeds add|list|remove` and `assistant refresh [--every 30m]` commands (issue 14).

Wired into cli.py by ``add_commands(subparsers)`` and ``FEED_COMMANDS``; like cli.py it only parses,
calls the Python API (``Assistant.web``) and prints. Nothing heavy is imported here.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import datetime

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_period(text: str) -> float:
    """Seconds in '30m', '1h', '2h30m', '90s' or a plain number of minutes."""
    from .errors import BadInputError

    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text) * 60
    elif re.fullmatch(r"(\d+(\.\d+)?[smhd])+", text):
        seconds = sum(float(n) * _UNITS[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)([smhd])", text))
    else:
        raise BadInputError(f"--every {text!r}: give a period like 30m, 1h, 2h30m or 90s")
    if seconds < 60:
        raise BadInputError("--every must be at least 1 minute, to be kind to the sites")
    return seconds


def add_commands(sub) -> None:
    feeds = sub.add_parser("feeds", help="follow RSS or Atom feeds: feeds add URL | feeds list | feeds remove URL")
    action = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    add = action.add_parser("add", help="follow a feed (its URL, or a site's page that links to its feed)")
    add.add_argument("url")
    action.add_parser("list", help="the feeds followed, when each was last fetched, and what failed")
    remove = action.add_parser("remove", help="stop following a feed (its articles stay ingested)")
    remove.add_argument("url")

    refresh = sub.add_parser("refresh", help="fetch every feed and ingest its new or changed articles")
    refresh.add_argument("--every", metavar="PERIOD", help="keep running, refreshing every PERIOD (e.g. 30m, 1h)")


def _when(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else "never"


def _cmd_feeds(bot, args) -> int:
    web = bot.web
    if args.feeds_command == "add":
        url, title, new = web.add_feed(args.url)
        print(f"{'following' if new else 'already following'} {url}" + (f" ({title})" if title else ""))
        if new:
            print("run `assistant refresh` to fetch its articles")
    elif args.feeds_command == "remove":
        web.remove_feed(args.url)
        print(f"stopped following {args.url} (its articles stay; remove them from the index if you wish)")
    else:
        feeds = web.feeds()
        if not feeds:
            print("no feeds followed: `assistant feeds add URL`")
        for f in feeds:
            line = f"{f.url}  {f.title or '(untitled)'}  last fetched {_when(f.last_fetch)}: {f.status}"
            print(line + (f" ({f.error})" if f.error else "") + f", {f.entries} entries")
        for _feed_url, link, why in web.failures():
            print(f"  failed page {link}: {why}")
    return 0


def _cmd_refresh(bot, args) -> int:
    from .errors import AssistantError

    period = parse_period(args.every) if args.every else None
    while True:
        started = time.monotonic()
        try:
            report = bot.web.refresh()
        except AssistantError as e:
            if period is None:
                raise
            print(f"{datetime.now():%H:%M:%S} refresh failed: {e}; trying again in {args.every}", file=sys.stderr)
            time.sleep(period)
            continue
        for problem in report.failed:
            print(f"failed {problem}", file=sys.stderr)
        stamp = datetime.now().strftime("%H:%M:%S")
        print(f"{stamp} refresh: {report.summary()}", flush=True)
        if period is None:
            return 0
        time.sleep(max(0.0, period - (time.monotonic() - started)))


FEED_COMMANDS = {"feeds": _cmd_feeds, "refresh": _cmd_refresh}
