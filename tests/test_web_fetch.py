"""The fetcher against a real HTTP server on 127.0.0.1 serving SYNTHETIC pages, and every hostile case of issue 14.

Only 127.0.0.1 is ever connected to: the refused addresses are refused before any connection is made.
"""

from __future__ import annotations

import gzip
import socket
import time

import pytest

from assistant.config import load_settings
from assistant.errors import UnreadableArticle
from assistant.pages import decode, page_article
from assistant.web import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, FetchRefused
from tests.synthetic_web import Site, article_page, synthetic_text


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def fetcher(tmp_path, allow="127.0.0.1", **kw) -> Fetcher:
    kw.setdefault("fetch_retries", 0)
    return Fetcher(load_settings(env={}, data_dir=tmp_path, fetch_allow_hosts=allow, **kw))


def test_fetches_a_page_from_an_allowed_host(tmp_path, site):
    site.add("/a", article_page("Synthetic title", synthetic_text(1)))
    r = fetcher(tmp_path).get(site.url("/a"), HTML_TYPES)
    assert r.status == 200 and b"Synthetic title" in r.body
    assert site.log[0][2]["User-Agent"].startswith("news-assistant/")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://localhost:9/x", "http://[::1]:9/",
                                 "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://192.168.0.1/",
                                 "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/", "http://100.64.0.1/",
                                 "http://2130706433:9/", "http://[fe80::1]/", "http://[fd00::1]/"])
def test_non_public_addresses_are_refused_by_default(tmp_path, url):
    with pytest.raises(FetchRefused, match="fetch_allow_hosts"):
        fetcher(tmp_path, allow="").get(url, HTML_TYPES)


@pytest.mark.parametrize("url", ["http://0177.0.0.1:9/", "http://127.1:9/", "http://[::1/", "http://a b/"])
def test_odd_spellings_of_an_address_are_never_fetched(tmp_path, url):
    with pytest.raises(FetchError):
        fetcher(tmp_path, allow="").get(url, HTML_TYPES)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "javascript:x"])
def test_only_http_and_https(tmp_path, url):
    with pytest.raises(FetchRefused, match="only http and https"):
        fetcher(tmp_path).get(url, HTML_TYPES)


def test_the_allowance_is_for_the_named_host_only(tmp_path, site):
    site.add("/a", article_page("t", synthetic_text(1)))
    with pytest.raises(FetchRefused):  # localhost is the same machine, but not the host the user named
        fetcher(tmp_path, allow="127.0.0.1").get(f"http://localhost:{site.port}/a", HTML_TYPES)


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://localhost:{port}/a",
                                    "file:///etc/passwd"])
def test_redirects_are_checked_at_every_hop(tmp_path, site, target):
    site.add("/a", article_page("t", synthetic_text(1)))
    site.add("/go", b"", status=302, headers={"Location": target.format(port=site.port)})
    with pytest.raises(FetchRefused):
        fetcher(tmp_path).get(site.url("/go"), HTML_TYPES)


def test_a_dns_answer_is_used_for_the_connection_it_was_checked_for(tmp_path, site, monkeypatch):
    # STAND-IN resolver (a DNS server that changes its answer cannot be run here): the first answer is the
    # test server, any later one an address that must never be reached. One lookup per connection means
    # the checked address is the one connected to.
    site.add("/a", article_page("t", synthetic_text(1)))
    real = socket.getaddrinfo
    calls = []

    def flipping(host, port, *args, **kw):
        if host == "rebind.test":
            calls.append(host)
            return real("127.0.0.1" if len(calls) == 1 else "192.0.2.1", port, *args, **kw)
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", flipping)
    r = fetcher(tmp_path, allow="rebind.test").get(f"http://rebind.test:{site.port}/a", HTML_TYPES)
    assert r.status == 200 and calls == ["rebind.test"]
    assert site.log[0][2]["Host"] == f"rebind.test:{site.port}"  # the name is sent, not the address


def test_redirect_loop_and_limit(tmp_path, site):
    site.add("/a", b"", status=302, headers={"Location": "/b"})
    site.add("/b", b"", status=301, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher(tmp_path).get(site.url("/a"), HTML_TYPES)
    for i in range(8):
        site.add(f"/r{i}", b"", status=307, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher(tmp_path, fetch_max_redirects=3).get(site.url("/r0"), HTML_TYPES)
    assert site.requests("/r4") == 0


def test_size_limit_and_compression_bomb(tmp_path, site):
    site.add("/big", b"x" * (2 * 1024 * 1024), content_type="text/html")
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetcher(tmp_path, fetch_max_mb=1).get(site.url("/big"), HTML_TYPES)
    bomb = gzip.compress(b"<html>" + b" " * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    site.add("/bomb", bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="after decompression"):
        fetcher(tmp_path, fetch_max_mb=1).get(site.url("/bomb"), HTML_TYPES)
    small = gzip.compress(article_page("zipped", synthetic_text(2)).encode())
    site.add("/gz", small, content_type="text/html", headers={"Content-Encoding": "gzip"})
    assert b"zipped" in fetcher(tmp_path).get(site.url("/gz"), HTML_TYPES).body


def _drip(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"<p>")
        h.wfile.flush()
        time.sleep(0.2)


def _slow_headers(h):
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for i in range(100):
        h.wfile.write(f"X-Slow-{i}: 1\r\n".encode())
        h.wfile.flush()
        time.sleep(0.2)


@pytest.mark.parametrize("handler", [_drip, _slow_headers])
def test_a_total_deadline_not_only_a_read_timeout(tmp_path, site, handler):
    site.routes["/slow"] = site.add("/slow", b"")
    site.routes["/slow"].handler = handler
    start = time.monotonic()
    with pytest.raises(FetchError, match="deadline|timed out"):
        fetcher(tmp_path, fetch_timeout=1, fetch_deadline=1.5).get(site.url("/slow"), HTML_TYPES)
    assert time.monotonic() - start < 3  # each read came within the read timeout; the deadline stopped it


def test_content_types_are_checked(tmp_path, site):
    site.add("/img", b"\x89PNG....", content_type="image/png")
    with pytest.raises(FetchError, match="image/png"):
        fetcher(tmp_path).get(site.url("/img"), HTML_TYPES)
    site.add("/page", article_page("t", synthetic_text(1)))
    with pytest.raises(FetchError, match="text/html"):
        fetcher(tmp_path).get(site.url("/page"), FEED_TYPES)


def test_http_errors_and_retries(tmp_path, site):
    site.add("/gone", b"", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher(tmp_path).fetch(site.url("/gone"), HTML_TYPES)
    calls = []

    def flaky(h):
        calls.append(1)
        body = article_page("back", synthetic_text(3)).encode() if len(calls) > 2 else b""
        h.send_response(200 if len(calls) > 2 else 503)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    site.add("/flaky", b"").handler = flaky
    r = fetcher(tmp_path, fetch_retries=2).fetch(site.url("/flaky"), HTML_TYPES)
    assert b"back" in r.body and len(calls) == 3
    calls.clear()
    with pytest.raises(FetchError, match="HTTP 503"):
        fetcher(tmp_path, fetch_retries=1).fetch(site.url("/flaky"), HTML_TYPES)
    assert len(calls) == 2  # bounded


def test_encodings_that_lie():
    text = "Le café du théâtre a rouvert. " * 5
    assert "café" in decode(text.encode("cp1252"), "utf-8")  # labelled UTF-8, really Windows-1252
    assert "café" in decode(text.encode("utf-8"), "iso-8859-1")  # labelled Latin-1, really UTF-8
    assert "café" in decode(text.encode("cp1252"), "no-such-charset")
    page = article_page("Café", text * 3, charset="windows-1252").encode("cp1252")
    assert "café" in page_article(page, "utf-8", "http://127.0.0.1/x").text


def test_a_page_with_no_article_text():
    page = "<html><head><title>Sign in</title></head><body><nav>Home</nav><form>Log in to read</form></body></html>"
    with pytest.raises(UnreadableArticle, match="no article text"):
        page_article(page.encode(), "utf-8", "http://127.0.0.1/login")


def test_page_metadata_and_canonical_id():
    html = article_page("Synthetic storm closes harbour", synthetic_text(4), canonical="/news/storm?ref=1",
                        author="Ada Reporter", date="2024-03-05T08:00:00Z", site="Synthetic Gazette")
    a = page_article(html.encode(), None, "http://127.0.0.1:8/amp/storm#top")
    assert a.id == a.url == "http://127.0.0.1:8/news/storm?ref=1"
    assert (a.title, a.date, a.source, a.extra["author"]) == ("Synthetic storm closes harbour", "2024-03-05",
                                                              "Synthetic Gazette", "Ada Reporter")
    assert "reached" in a.text and "Home" not in a.text


def test_a_canonical_url_on_another_site_is_not_the_id():
    # a syndicated copy names the original as canonical; taking that as its id would overwrite the original
    html = article_page("Synthetic wire story", synthetic_text(6), canonical="https://original.invalid/story")
    a = page_article(html.encode(), "utf-8", "https://www.partner.invalid/wire/story")
    assert a.id == "https://www.partner.invalid/wire/story"
    assert a.extra["canonical_elsewhere"] == "https://original.invalid/story"
    amp = article_page("Synthetic story", synthetic_text(6), canonical="https://www.site.invalid/story")
    assert page_article(amp.encode(), "utf-8", "https://amp.site.invalid/story").id == "https://www.site.invalid/story"
