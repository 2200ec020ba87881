"""`assistant ingest URL`, `feeds add|list|remove` and `refresh [--every]` as a user runs them, against a real
HTTP server on 127.0.0.1 serving SYNTHETIC pages (the only host allowed past the private-address check);
and the UI's Feeds tab driven through its functions.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.cli_feeds import parse_period
from assistant.errors import BadInputError
from tests.conftest import ROOT
from tests.synthetic_web import Site, article_page, rss, synthetic_text


@pytest.fixture
def site():
    s = Site()
    items = []
    for i in range(3):
        s.add(f"/s/{i}", article_page(f"Synthetic ferry story {i}", synthetic_text(50 + i), site="Synthetic Port"))
        items.append({"title": f"Synthetic ferry story {i}", "link": s.url(f"/s/{i}"), "id": f"ferry-{i}"})
    s.add("/feed.xml", rss("Synthetic Port news", items), content_type="application/rss+xml")
    yield s
    s.close()


def _env(data_dir):
    return dict(os.environ, ASSISTANT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1",
                ASSISTANT_FETCH_ALLOW_HOSTS="127.0.0.1", ASSISTANT_FETCH_HOST_DELAY="0")


def run(*args, data_dir, check=True):
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=_env(data_dir),
                          capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_the_feed_commands(site, tmp_path):
    d = tmp_path / "data"
    assert "following " + site.url("/feed.xml") in run("feeds", "add", site.url("/feed.xml"), data_dir=d).stdout
    out = run("refresh", data_dir=d).stdout
    assert "1 of 1 feeds fetched" in out and "3 new" in out
    assert "0 new, 0 changed, 3 unchanged" in run("refresh", data_dir=d).stdout
    listing = run("feeds", "list", data_dir=d).stdout
    assert "not modified" in listing and "3 entries" in listing
    bad = run("feeds", "remove", site.url("/nofeed.xml"), data_dir=d, check=False)
    assert bad.returncode == 2 and "no feed" in bad.stderr


def test_ingest_url_on_the_command_line(site, tmp_path):
    d = tmp_path / "data"
    assert "1 new" in run("ingest", site.url("/s/1"), data_dir=d).stdout
    refused = run("ingest", "http://169.254.169.254/latest/meta-data/", data_dir=d, check=False)
    assert refused.returncode == 2 and "fetch_allow_hosts" in refused.stderr


def test_refresh_every_keeps_running(site, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "refresh", "--every", "30m"], cwd=ROOT,
                            env=_env(tmp_path / "data"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        run("feeds", "add", site.url("/feed.xml"), data_dir=tmp_path / "other")  # meanwhile, unrelated
        first = proc.stdout.readline()
        assert "refresh: 0 of 0 feeds fetched" in first
        assert proc.poll() is None  # still running, waiting for the next period
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("1h", 3600), ("2h30m", 9000), ("90s", 90), ("5", 300)])
def test_periods(text, seconds):
    assert parse_period(text) == seconds


@pytest.mark.parametrize("text", ["soon", "10s", "-5m", ""])
def test_bad_periods(text):
    with pytest.raises(BadInputError):
        parse_period(text)


def test_the_feeds_tab(site, make_bot):
    import gradio as gr

    from assistant import ui_feeds
    from assistant.ui_app import build_app

    bot = make_bot(fetch_allow_hosts="127.0.0.1", fetch_host_delay=0.0)
    app = build_app(bot, extra_tabs=[ui_feeds.feeds_tab])  # as ui.py builds it
    assert isinstance(app, gr.Blocks)
    assert any(getattr(block, "elem_id", None) == "na-refresh" for block in app.blocks.values())
    message, feeds, _ = ui_feeds.follow(bot, site.url("/feed.xml"))
    assert "Following" in message and feeds[0][0] == site.url("/feed.xml") and feeds[0][2] == "never"
    message, feeds, failures = ui_feeds.refresh_now(bot)
    assert "3 new" in message and feeds[0][3] == "ok" and failures == []
    site.add("/s/3", "<html><body><nav>Menu</nav></body></html>")
    items_page = ui_feeds.ingest_page(bot, site.url("/s/3"))
    assert "Cannot ingest" in items_page[0] and "no article text" in items_page[0]
    assert "Cannot follow" in ui_feeds.follow(bot, site.url("/s/0"))[0]
