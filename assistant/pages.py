"""A fetched web page to an ``Article``: decode its bytes (whatever the headers claim), extract the article
text and the page's own metadata (title, author, date, site name, canonical URL). No network here.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
from urllib.parse import urldefrag, urljoin, urlsplit

from .errors import UnreadableArticle
from .loading import article_from_html
from .types import Article

log = logging.getLogger(__name__)

MIN_WORDS = 20  # fewer words than this is a login wall, a cookie notice or an index page, not an article
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)


def decode(body: bytes, declared: str | None) -> str:
    """The text of ``body``. Valid UTF-8 wins over a label that says otherwise (the usual lie); then the
    HTTP charset, then the page's <meta charset>, each only if the bytes actually decode that way."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    candidates = ["utf-8", declared]
    found = _META_CHARSET.search(body[:4096])
    if found:
        candidates.append(found.group(1).decode("ascii").lower())
    for name in candidates:
        if not name:
            continue
        try:
            codecs.lookup(name)
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes  # comes with trafilatura

    best = from_bytes(body[:200_000]).best()
    if best is None:
        raise UnreadableArticle("cannot tell the page's text encoding (the bytes fit neither its declared "
                                "charset nor UTF-8)")
    log.info("page declared %r but decodes as %s", declared, best.encoding)
    return body.decode(best.encoding, errors="replace")


def canonical_id(url: str) -> str:
    """The id of an article fetched from ``url``: the URL without its #fragment."""
    return urldefrag(url.strip())[0]


def _site(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in ("www.", "amp.", "m."):
        host = host.removeprefix(prefix)
    return host


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site (www., amp. and m. hosts count as the site itself, and so do subdomains)."""
    ha, hb = _site(urlsplit(a).hostname or ""), _site(urlsplit(b).hostname or "")
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def page_article(body: bytes, charset: str | None, url: str) -> Article:
    """The article on a page fetched from ``url`` (after redirects). Its id is the page's canonical URL
    (<link rel=canonical>, else og:url) when that is on the same site, else ``url``. Raises UnreadableArticle."""
    html = decode(body, charset)
    article = article_from_html(html, canonical_id(url), url)
    canonical = url
    extra = dict(article.extra)
    if article.url:
        candidate = urljoin(url, article.url)
        if urlsplit(candidate).scheme in ("http", "https") and same_site(candidate, url):
            canonical = candidate
        elif candidate != url:
            # a syndicated copy names the original as canonical: it stays its own article, in the original's story
            extra["canonical_elsewhere"] = candidate
    author, site = _author_and_site(html)
    words = len(article.text.split())
    if words < MIN_WORDS:
        raise UnreadableArticle(f"no article text on the page (only {words} words outside the page chrome)")
    if author:
        extra["author"] = author
    extra["fetched_from"] = url
    return dataclasses.replace(article, id=canonical_id(canonical), url=canonical_id(canonical),
                               source=article.source or site or urlsplit(url).hostname or "", path=url,
                               extra=extra)


def _author_and_site(html: str) -> tuple[str, str]:
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as e:  # noqa: BLE001  (trafilatura's parsers on hostile HTML: no metadata is no loss)
        log.warning("trafilatura could not read the page's metadata (%s)", e)
        return "", ""
    if meta is None:
        return "", ""
    return (" ".join((meta.author or "").split())[:200], " ".join((meta.sitename or "").split())[:200])
