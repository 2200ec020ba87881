"""Turn article files (plain text, Markdown, HTML, JSON Lines) into ``Article`` objects.

A bad file becomes a ``FileProblem`` and the rest still load; chunking happens elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from dateutil import parser as dateparser
from lxml import etree

from .errors import BadInputError, UnreadableArticle
from .types import Article, FileProblem

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
_MB = 1024 * 1024
_KNOWN_KEYS = ("id", "title", "date", "source", "url", "link")
_HTML_DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "date",
                   "pubdate", "publishdate", "publication_date", "citation_publication_date",
                   "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.created", "parsely-pub-date")
_SKIP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form", "svg",
              "iframe", "head")
_BLOCK_TAGS = frozenset("p div br h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article main "
                        "table tr td th figcaption".split())
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Located = tuple[str, Article]  # (where, for messages: "a.txt" or "b.jsonl:7", article)


def load_path(path: str | Path, max_file_mb: float = 20.0) -> tuple[list[Article], list[FileProblem]]:
    """Load one file or every supported file below a folder (recursive).

    Never raises for a bad file: each one becomes a FileProblem(path, reason) and the rest still load.
    Raises BadInputError only if ``path`` itself does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise BadInputError(f"no such file or folder: {path}")
    files, problems = _walk(path) if path.is_dir() else ([path], [])
    root = path if path.is_dir() else path.parent
    articles: list[Article] = []
    used: dict[str, str] = {}  # article id -> where it was first seen
    for file in files:
        try:
            found, bad = _parse_file(file, root, max_file_mb)
        except UnreadableArticle as e:
            found, bad = [], [FileProblem(str(file), str(e))]
        problems.extend(bad)
        for where, article in found:
            if article.id in used:
                problems.append(FileProblem(where, f"duplicate article id {article.id!r} "
                                                   f"(already used by {used[article.id]})"))
                continue
            used[article.id] = where
            articles.append(article)
    log.info("loaded %d articles from %s (%d problems)", len(articles), path, len(problems))
    return articles, problems


def load_file(path: Path, root: Path, max_file_mb: float) -> list[Article]:
    """Articles in one file (a .jsonl file may hold many). Raises UnreadableArticle(reason) for a bad file.

    Bad lines of a .jsonl file are logged and skipped; only a file with no good line raises.
    """
    found, problems = _parse_file(Path(path), Path(root), max_file_mb)
    if not found:
        more = f" (and {len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        raise UnreadableArticle(f"no usable line: {problems[0].reason}{more}")
    for problem in problems:
        log.warning("skipped %s", problem)
    return [article for _, article in found]


_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_NAME_BYTES = 200  # below every common file system's 255


def safe_upload_name(name: str) -> str:
    """A plain file name for a file a user uploaded, safe to join to an upload folder.

    Keeps only the last part of whatever path the browser sent (``../../etc/passwd``,
    ``C:\\Users\\me\\a.txt``, full-width slashes), replaces control and other unsafe characters with
    ``_``, never starts with a dot or a dash, avoids Windows device names and keeps the extension, so
    ingest still knows the format. Never raises: a name with nothing usable becomes ``upload``.
    Whether the extension is one ingest reads is for the caller to check (SUPPORTED_SUFFIXES).
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = re.sub(r"[^\w.\- ]", "_", text)
    text = re.sub(r"\s+", " ", text).strip(" ._-")
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    stem = stem.strip(" ._-") or "upload"
    if stem.split(".")[0].lower() in _WINDOWS_DEVICES:
        stem = f"upload-{stem}"
    suffix = suffix[:16].strip(" _-")
    tail = f".{suffix}" if suffix else ""
    budget = _MAX_NAME_BYTES - len(tail.encode("utf-8"))
    stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" ._-") or "upload"
    return stem + tail


def _walk(root: Path) -> tuple[list[Path], list[FileProblem]]:
    """Supported files below ``root``, depth first in name order, and a problem for each file skipped."""
    real_root = root.resolve()
    files: list[Path] = []
    problems: list[FileProblem] = []
    seen: dict[Path, Path] = {real_root: root}  # resolved path -> the path it was first reached by
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as e:
            problems.append(FileProblem(str(folder), f"cannot read the folder: {e.strerror or e}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            real, reason = _check_entry(path, real_root, seen)
            if reason:
                problems.append(FileProblem(str(path), reason))
            else:
                seen[real] = path
                (subfolders if real.is_dir() else files).append(path)
        stack.extend(reversed(subfolders))
    return files, problems


def _check_entry(path: Path, real_root: Path, seen: dict[Path, Path]) -> tuple[Path, str]:
    """(resolved path, why the walk skips it, or "" to take it)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return path, "symlink loop or unreadable link"
    if not real.exists():
        return real, "broken symlink (its target does not exist)"
    if path.is_symlink() and not real.is_relative_to(real_root):
        return real, f"symlink points outside the folder (to {real})"
    if real in seen:
        return real, f"same {'folder' if real.is_dir() else 'file'} as {seen[real]} (through a symlink)"
    if real.is_dir():
        return real, ""
    if not real.is_file():
        return real, "not a regular file"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return real, _unsupported(path.suffix)
    return real, ""


def _unsupported(suffix: str) -> str:
    kind = f"{suffix!r}" if suffix else "(no extension)"
    return f"unsupported file type {kind} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"


def _parse_file(path: Path, root: Path, max_mb: float) -> tuple[list[Located], list[FileProblem]]:
    """Articles of one file and the problems of its bad lines; raises UnreadableArticle for a bad file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableArticle(_unsupported(path.suffix))
    rel, where = path.relative_to(root).as_posix(), str(path)
    text = _read_text(path, max_mb)
    if suffix == ".jsonl":
        return _jsonl_articles(text, rel, where)
    if suffix in (".html", ".htm"):
        return [(where, _html_article(text, rel, where, path.stem))], []
    return [(where, _text_article(text, rel, where, path.stem, markdown=suffix != ".txt"))], []


def _read_text(path: Path, max_mb: float) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableArticle("not a regular file")
        limit = int(max_mb * _MB)
        if info.st_size > limit:
            raise UnreadableArticle(f"file is {_size(info.st_size)}, larger than the limit of {_size(limit)} "
                                    f"(max_file_mb = {max_mb:g})")
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableArticle(f"cannot read the file: {e.strerror or e}") from e
    if b"\x00" in data[:8192]:
        raise UnreadableArticle("binary file (NUL byte in the first 8 KiB), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableArticle(f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start}); "
                                "save it as UTF-8") from e
    if not text.strip():
        raise UnreadableArticle("empty file (only whitespace)" if text else "empty file")
    return text


def _size(n: int) -> str:
    return f"{n / _MB:.1f} MB" if n >= _MB / 10 else f"{n / 1024:.1f} KB"


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text)


def _text_article(raw: str, rel: str, where: str, stem: str, markdown: bool) -> Article:
    meta, body = _front_matter(_normalise(raw))
    body = body.strip("\n")
    if not body.strip():
        raise UnreadableArticle("empty file" if meta is None else "no article text after the front matter")
    fields = _fields(meta or {}, "front matter", where)
    if not fields["title"]:
        fields["title"], body = _title_from_body(body, markdown)
    fields["title"] = fields["title"] or stem.replace("-", " ").replace("_", " ")
    return Article(id=fields.pop("id") or rel, text=body, path=where, **fields)


def _title_from_body(body: str, markdown: bool) -> tuple[str, str]:
    """(title, rest) when the body opens with a title line, else ("", body)."""
    first, _, rest = body.partition("\n")
    if markdown:
        heading = re.fullmatch(r"#[ \t]+(.+?)(?:[ \t]+#+)?", first)
        if heading and rest.strip():
            return heading.group(1).strip(), rest.lstrip("\n")
        underline, _, after = rest.partition("\n")
        if first.strip() and re.fullmatch(r"=+", underline) and after.strip():  # Setext "Title\n====="
            return first.strip(), after.lstrip("\n")
    elif (first.strip() and len(first) < 200 and not first.rstrip("\"')”’").endswith(".")
          and rest.startswith("\n") and rest.strip()):
        return first.strip(), rest.lstrip("\n")
    return "", body


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases (no "billion laughs") that leaves dates as strings for ``_parse_date``."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter(text: str) -> tuple[dict[Any, Any] | None, str]:
    """(mapping, body) when the text opens with a ``---`` block, else (None, text)."""
    lines = text.split("\n")
    if lines[0] != "---":
        return None, text
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise UnreadableArticle("front matter opened by '---' on line 1 has no closing '---' line") from None
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as e:
        line = f" (line {e.problem_mark.line + 2})" if e.problem_mark else ""
        raise UnreadableArticle(f"front matter is not valid YAML: {e.problem or e.context}{line}") from e
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as e:
        raise UnreadableArticle(f"front matter is not valid YAML: {e}") from e
    except AttributeError as e:  # PyYAML's own bug on an explicit tag it cannot read: `date: !!timestamp soon`
        raise UnreadableArticle(f"front matter is not valid YAML: a value does not fit its explicit !!tag ({e})") from e
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        kind = {list: "list", str: "plain string"}.get(type(meta), type(meta).__name__)
        raise UnreadableArticle(f"front matter must be a YAML mapping of 'key: value' lines, not a {kind}")
    return meta, "\n".join(lines[end + 1:])


def _fields(meta: dict[Any, Any], label: str, where: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Article keyword arguments (id, title, date, source, url, extra) from front matter or a JSON object."""
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in meta.items():
        name = str(key).strip().lower()
        if name in _KNOWN_KEYS and name not in known:
            known[name] = value
        elif key not in skip:
            extra[str(key)] = _json_safe(value)
    article_id = known.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int, float, type(None))):
        raise UnreadableArticle(f"{label}: 'id' must be a string or number, not {type(article_id).__name__}")
    fields = {name: _str(known.get(name)) for name in ("title", "source")}
    fields["id"] = _str(article_id)
    fields["url"] = _str(known.get("url")) or _str(known.get("link"))
    raw_date = known.get("date")
    fields["date"] = None if raw_date in (None, "") else _parse_date(raw_date)
    if raw_date not in (None, "") and fields["date"] is None:
        extra["date_raw"] = str(raw_date)
        log.warning("%s: cannot read the date %r, keeping the article without a date", where, raw_date)
    fields["extra"] = extra
    return fields


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _json_safe(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return str(value)


def _parse_date(value: Any) -> str | None:
    """ISO ``yyyy-mm-dd`` for a complete date, else None: a missing day, month or year is never guessed."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text or len(text) > 80:
        return None
    try:  # parse with two different defaults: a part missing from the text shows up as a difference
        first = dateparser.parse(text, default=datetime(2000, 1, 1), ignoretz=True).date()
        second = dateparser.parse(text, default=datetime(2001, 2, 2), ignoretz=True).date()
    except (ValueError, OverflowError):
        return None
    return first.isoformat() if first == second else None


def _jsonl_articles(text: str, rel: str, where: str) -> tuple[list[Located], list[FileProblem]]:
    found: list[Located] = []
    problems: list[FileProblem] = []
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if line.strip():
            try:
                found.append((f"{where}:{n}", _jsonl_article(line, n, f"{rel}#L{n}", where)))
            except UnreadableArticle as e:
                problems.append(FileProblem(f"{where}:{n}", str(e)))
    return found, problems


def _jsonl_article(line: str, n: int, default_id: str, where: str) -> Article:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise UnreadableArticle(f"line {n} is not valid JSON: {e.msg} (column {e.colno})") from e
    except RecursionError as e:
        raise UnreadableArticle(f"line {n} is JSON nested too deeply to read") from e
    except ValueError as e:  # what json raises for an integer of more than 4300 digits
        raise UnreadableArticle(f"line {n} holds a number with too many digits") from e
    if not isinstance(obj, dict):
        raise UnreadableArticle(f"line {n} is a JSON {type(obj).__name__}, not an object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UnreadableArticle(f"line {n} has no 'text' field holding a non-empty string")
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as e:
        raise UnreadableArticle(f"line {n} holds a lone surrogate escape (like \\ud800), not text") from e
    fields = _fields(obj, f"line {n}", f"{where}:{n}", skip=("text",))
    return Article(id=fields.pop("id") or default_id, text=_normalise(text).strip("\n"), path=where, **fields)


def _html_article(raw: str, rel: str, where: str, stem: str) -> Article:
    # lxml refuses C0 control characters in any text it sets (drop_tree below does), and no article needs them
    raw = _NOT_XML.sub(" ", raw)
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        tree = lxml.html.document_fromstring(raw.encode("utf-8"), parser=parser)
    except (etree.LxmlError, ValueError, RecursionError) as e:
        raise UnreadableArticle(f"cannot parse the HTML: {e}") from e
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and (el.get("content") or "").strip():
            metas.setdefault(key, el.get("content").strip())
    text, title = "", ""
    import trafilatura  # here, not at the top: answering questions never needs it (86 ms to import)

    try:  # trafilatura runs many parsers and heuristics; any failure on hostile HTML just means no help
        text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
        text = text or ""
        title = trafilatura.extract_metadata(raw, extensive=False).title or ""
    except Exception as e:  # noqa: BLE001
        log.warning("%s: trafilatura failed (%s: %s), using plain HTML text", where, type(e).__name__, e)
    text = _normalise(text or _visible_text(tree)).strip("\n")
    if not text.strip():
        raise UnreadableArticle("no article text found in the HTML")
    title = title or _str(tree.findtext(".//title")) or metas.get("og:title", "") or stem
    canonical = [href for href in tree.xpath("//link[@rel='canonical']/@href") if href.strip()]
    # htmldate (behind trafilatura's metadata) makes up days, e.g. 2023-01-01 from "Copyright 2023", so
    # only dates the page states in its markup are taken
    dates = [metas[key] for key in _HTML_DATE_KEYS if key in metas]
    dates += tree.xpath("//*[@itemprop='datePublished']/@datetime | //article//time/@datetime")
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        dates += re.findall(r'"datePublished"\s*:\s*"([^"]{1,80})"', script)
    iso = next((d for d in map(_parse_date, dates) if d), None)
    extra = {"date_raw": str(dates[0])} if dates and not iso else {}
    if extra:
        log.warning("%s: cannot read the date %r, keeping the article without a date", where, dates[0])
    url = canonical[0].strip() if canonical else metas.get("og:url", "")
    return Article(id=rel, text=text, title=" ".join(title.split()), date=iso,
                   source=metas.get("og:site_name", ""), url=url, path=where, extra=extra)


def _visible_text(tree: Any) -> str:
    """Text of the <article>, <main> or <body> without page chrome, one paragraph per block element."""
    root = (tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body") or [tree])[0]
    for el in list(root.iter(*_SKIP_TAGS)):
        el.drop_tree()
    blocks: list[str] = []
    words: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS and words:
            blocks.append(" ".join(words))
            words = []
        if event == "start" and isinstance(el.tag, str):
            words.extend((el.text or "").split())
        elif event == "end" and el is not root:
            words.extend((el.tail or "").split())
    if words:
        blocks.append(" ".join(words))
    return "\n\n".join(blocks)


def article_from_html(raw: str, article_id: str, where: str) -> Article:
    """The article in an HTML page that did not come from a file (a fetched URL): text, title, date, site
    name and canonical URL (in ``url``) as :func:`load_path` reads them. Raises UnreadableArticle."""
    return _html_article(raw, article_id, where, article_id.rstrip("/").rsplit("/", 1)[-1] or article_id)
