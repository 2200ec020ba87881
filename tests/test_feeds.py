"""Feeds and `refresh` end to end: a real HTTP server on 127.0.0.1 serving SYNTHETIC feeds and pages, a real
index (Chroma on disk, the real embedder). The private-address check is relaxed for 127.0.0.1 only.
"""

from __future__ import annotations

import pytest

from assistant import webingest
from assistant.errors import AssistantError
from assistant.feeds import NotAFeed, linked_feeds, parse_feed
from tests.synthetic_web import Site, article_page, atom, rss, synthetic_text

FAST = {"fetch_allow_hosts": "127.0.0.1", "fetch_host_delay": 0.0, "fetch_retries": 0}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>x</title><link>http://127.0.0.1/x</link></item>
</channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title><item><title>x</title><link>http://127.0.0.1/x</link></item>
</channel></rss>"""


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def publish(site: Site, name: str, n: int, kind: str = "rss", seed: int = 0) -> list[dict]:
    """A SYNTHETIC feed at /NAME.xml with n entries, each linking to its page."""
    items = []
    for i in range(n):
        path = f"/{name}/story-{i}"
        site.add(path, article_page(f"Synthetic {name} story {i}", synthetic_text(seed * 1000 + i),
                                    date=f"2024-02-0{1 + i % 9}", site=f"Synthetic {name}"))
        items.append({"title": f"Synthetic {name} story {i}", "link": site.url(path), "id": f"{name}-{i}"})
    site.add(f"/{name}.xml", (rss if kind == "rss" else atom)(f"Synthetic {name}", items),
             content_type="application/rss+xml" if kind == "rss" else "application/atom+xml")
    return items


def test_rss_and_atom_are_parsed(site):
    for kind in ("rss", "atom"):
        items = publish(site, kind, 3, kind)
        title, entries = parse_feed(site.routes[f"/{kind}.xml"].body, site.url(f"/{kind}.xml"), 10)
        assert title == f"Synthetic {kind}"
        assert [e.link for e in entries] == [i["link"] for i in items]
        assert len({e.key for e in entries}) == 3


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, b"<html><body>not a feed</body></html>",
                                 b"\x00\x01garbage"])
def test_hostile_or_wrong_xml_is_refused(xml):
    with pytest.raises(NotAFeed):
        parse_feed(xml, "http://127.0.0.1/feed.xml", 10)


def test_external_dtds_and_entities_are_never_fetched(site):
    dtd = f'<!DOCTYPE rss SYSTEM "{site.url("/x.dtd")}">'.encode()
    pe = f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{site.url("/p.ent")}">%p;]>'.encode()
    body = b'<rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse_feed(b'<?xml version="1.0"?>' + dtd + body, site.url("/f.xml"), 5)[0] == "t"
    with pytest.raises(NotAFeed, match="hostile"):
        parse_feed(b'<?xml version="1.0"?>' + pe + body, site.url("/f.xml"), 5)
    with pytest.raises(NotAFeed, match="cannot read"):
        parse_feed(b'<?xml version="1.0" encoding="x-unknown"?>' + body, site.url("/f.xml"), 5)
    assert site.log == []


def test_a_site_page_that_links_its_feed(site, make_bot):
    publish(site, "news", 2)
    page = ('<html><head><link rel="alternate" type="application/rss+xml" href="/news.xml" title="RSS"></head>'
            "<body>SYNTHETIC home page</body></html>")
    site.add("/", page)
    assert linked_feeds(page.encode(), site.url("/")) == [site.url("/news.xml")]
    bot = make_bot(**FAST)
    url, title, new = bot.web.add_feed(site.url("/"))
    assert (url, title, new) == (site.url("/news.xml"), "Synthetic news", True)
    assert bot.web.add_feed(site.url("/news.xml"))[2] is False
    site.add("/plain", article_page("No feed here", synthetic_text(9)))
    with pytest.raises(AssistantError, match="links no RSS or Atom feed"):
        bot.web.add_feed(site.url("/plain"))


def test_ingest_url_uses_the_canonical_url_and_keeps_what_was_there(site, make_bot):
    site.add("/amp/a", article_page("Synthetic bridge reopens", synthetic_text(5), canonical=site.url("/a"),
                                    author="Ada Reporter", date="2024-05-01", site="Synthetic Post"))
    bot = make_bot(**FAST)
    report = bot.ingest(site.url("/amp/a"))
    assert report.new == [site.url("/a")]
    [row] = bot.articles()
    assert (row["title"], row["date"], row["source"], row["url"]) == ("Synthetic bridge reopens", "2024-05-01",
                                                                      "Synthetic Post", site.url("/a"))
    assert bot.ingest(site.url("/amp/a")).unchanged == [site.url("/a")]
    site.add("/login", "<html><body><form>Sign in</form></body></html>")
    for bad in (site.url("/login"), site.url("/missing"), "http://169.254.169.254/"):
        with pytest.raises(AssistantError):
            bot.ingest(bad)
    assert [r["id"] for r in bot.articles()] == [site.url("/a")]
    answer = bot.ask("Which synthetic bridge reopened?")
    assert answer.hits and answer.hits[0].chunk.article_id == site.url("/a")


def test_refresh_is_conditional_idempotent_and_counts(site, make_bot):
    publish(site, "alpha", 4)
    publish(site, "beta", 3, "atom", seed=1)
    site.add("/bad.xml", BILLION_LAUGHS, content_type="application/rss+xml")
    bot = make_bot(**FAST)
    for name in ("alpha", "beta", "bad"):
        bot.web.state.add_feed(site.url(f"/{name}.xml"), name)  # add_feed would refuse the bad one up front
    first = bot.web.refresh(progress=False)
    assert (first.feeds, first.feeds_fetched, first.feeds_failed, first.new) == (3, 2, 1, 7)
    assert "hostile XML" in first.failed[0].reason
    assert len(bot.articles()) == 7
    before = len(site.log)
    second = bot.web.refresh(progress=False)
    assert (second.new, second.changed, second.feeds_not_modified) == (0, 0, 2)
    assert len(site.log) - before == second.requests == 3  # one conditional request per feed, nothing else
    assert all("If-None-Match" in h for _, p, h in site.log[before:] if p != "/bad.xml")
    # the publisher edits one story and its feed entry says so
    items = publish(site, "alpha", 4)
    site.add("/alpha/story-1", article_page("Synthetic alpha story 1", synthetic_text(77)))
    items[1]["summary"] = "updated"
    site.add("/alpha.xml", rss("Synthetic alpha", items), content_type="application/rss+xml")
    third = bot.web.refresh(progress=False)
    assert (third.new, third.changed) == (0, 1)
    assert len(bot.articles()) == 7


def test_refresh_resumes_after_an_interruption(site, make_bot, monkeypatch):
    publish(site, "wire", 12)
    bot = make_bot(**FAST)
    bot.web.state.add_feed(site.url("/wire.xml"), "wire")
    monkeypatch.setattr(webingest, "BATCH", 5)
    real = webingest.ingest_articles
    calls = []

    def interrupted(*args, **kw):  # Ctrl-C during the second batch, before it is committed
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(webingest, "ingest_articles", interrupted)
    with pytest.raises(KeyboardInterrupt):
        bot.web.refresh(progress=False)
    assert len(bot.articles()) == 5
    monkeypatch.setattr(webingest, "ingest_articles", real)
    pages_before = sum(1 for _, p, _ in site.log if "/story-" in p)
    report = bot.web.refresh(progress=False)
    assert report.new == 7 and len(bot.articles()) == 12
    assert sum(1 for _, p, _ in site.log if "/story-" in p) - pages_before == 7  # only what was left
    assert bot.web.refresh(progress=False).new == 0


def test_robots_txt_and_the_pause_between_requests(site, make_bot):
    publish(site, "news", 4)
    site.add("/robots.txt", "User-agent: *\nDisallow: /news/story-2\n", content_type="text/plain")
    bot = make_bot(**{**FAST, "fetch_host_delay": 0.15})
    bot.web.state.add_feed(site.url("/news.xml"), "news")
    report = bot.web.refresh(progress=False)
    assert report.new == 3 and site.requests("/news/story-2") == 0
    assert any("robots.txt" in p.reason for p in report.failed)
    times = [t for t, _, _ in site.log]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.14
    assert site.max_active == 1
    assert site.requests("/robots.txt") == 1
    bot.web.refresh(progress=False)
    assert site.requests("/robots.txt") == 1  # kept in the data folder for a day
