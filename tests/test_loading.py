"""Tests for assistant.loading. Every article text here is synthetic, written for these tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import BadInputError, UnreadableArticle
from assistant.loading import SUPPORTED_SUFFIXES, load_file, load_path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BODY = "Synthetic Corp said on Tuesday that its revenue grew 12% in the quarter.\n\nAnalysts expected less."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_by_path(problems) -> dict[str, str]:
    return {Path(p.path).name: p.reason for p in problems}


def test_text_front_matter_with_all_keys(tmp_path):
    front = ("---\ntitle: Synthetic results\ndate: 2024-05-28\nsource: Synthetic Wire\n"
             "link: https://example.com/a\nauthor: A. Writer\ntags: [tech, ai]\n---\n\n")
    write(tmp_path, "sub/a.md", front + BODY)
    articles, problems = load_path(tmp_path)
    assert problems == []
    [a] = articles
    assert (a.id, a.title, a.date, a.source, a.url) == (
        "sub/a.md", "Synthetic results", "2024-05-28", "Synthetic Wire", "https://example.com/a")
    assert a.extra == {"author": "A. Writer", "tags": ["tech", "ai"]}
    assert a.text == BODY
    assert a.path == str(tmp_path / "sub" / "a.md")


def test_explicit_id_and_single_file_id(tmp_path):
    path = write(tmp_path, "one.txt", BODY)
    assert [a.id for a in load_path(path)[0]] == ["one.txt"]
    write(tmp_path, "two.txt", "---\nid: synthetic-42\n---\n" + BODY)
    assert {a.id for a in load_path(tmp_path)[0]} == {"one.txt", "synthetic-42"}


def test_text_normalisation_keeps_everything_else(tmp_path):
    write(tmp_path, "n.txt", "First line.  \r\nSecond\tline\r\n\r\n\r\n\r\nThird  line.\rEnd.\n\n")
    [a] = load_path(tmp_path)[0]
    assert a.text == "First line.\nSecond\tline\n\nThird  line.\nEnd."


@pytest.mark.parametrize(("name", "content", "title", "text"), [
    ("synthetic-story_one.txt", BODY, "synthetic story one", BODY),
    ("t.txt", "Synthetic Corp Beats Estimates\n\n" + BODY, "Synthetic Corp Beats Estimates", BODY),
    ("t.txt", "This first line is a sentence.\n\n" + BODY, "t", "This first line is a sentence.\n\n" + BODY),
    ("t.txt", "A heading without a blank line\n" + BODY, "t", "A heading without a blank line\n" + BODY),
    ("t.txt", "x" * 250 + "\n\n" + BODY, "t", "x" * 250 + "\n\n" + BODY),
    ("m.md", "# Synthetic Heading\n\n" + BODY, "Synthetic Heading", BODY),
    ("m.markdown", "Synthetic Setext\n=====\n" + BODY, "Synthetic Setext", BODY),
    ("m.md", "## Second level\n\n" + BODY, "m", "## Second level\n\n" + BODY),
    ("m.md", "---\ntitle: From front matter\n---\n# Heading\n\n" + BODY, "From front matter",
     "# Heading\n\n" + BODY),
])
def test_title_detection(tmp_path, name, content, title, text):
    [a] = load_path(write(tmp_path, name, content))[0]
    assert (a.title, a.text) == (title, text)


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024-05-28", "2024-05-28"),
    ("2024/05/28", "2024-05-28"),
    ("2024-05-28T23:30:00-05:00", "2024-05-28"),
    ("May 28, 2024", "2024-05-28"),
    ("28 May 2024", "2024-05-28"),
    ("Tuesday, 28 May 2024 10:00 EDT", "2024-05-28"),
])
def test_date_forms(tmp_path, raw, iso):
    [a] = load_path(write(tmp_path, "d.txt", f"---\ndate: {raw}\n---\n{BODY}"))[0]
    assert a.date == iso


@pytest.mark.parametrize("raw", ["May 28", "2024", "May 2024", "next Tuesday", "2024-13-45", "Tuesday"])
def test_bad_or_partial_date_keeps_article_without_date(tmp_path, raw, caplog):
    [a] = load_path(write(tmp_path, "d.txt", f"---\ndate: {raw}\n---\n{BODY}"))[0]
    assert a.date is None
    assert a.extra["date_raw"] == raw
    assert "cannot read the date" in caplog.text


def test_jsonl_lines_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "j1", "text": BODY, "title": "T1", "date": "2024-01-02", "url": "https://e.com/1",
                    "source": "Synthetic Daily", "lang": "en"}),
        "",
        json.dumps({"text": "Second synthetic article text."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Third synthetic article.", "date": "sometime"}),
    ]
    write(tmp_path, "feed.jsonl", "\ufeff" + "\n".join(lines) + "\n")
    articles, problems = load_path(tmp_path)
    assert [a.id for a in articles] == ["j1", "feed.jsonl#L3", "feed.jsonl#L8"]
    first = articles[0]
    assert (first.title, first.date, first.url, first.source, first.extra) == (
        "T1", "2024-01-02", "https://e.com/1", "Synthetic Daily", {"lang": "en"})
    assert articles[2].date is None and articles[2].extra == {"date_raw": "sometime"}
    assert all(a.path == str(tmp_path / "feed.jsonl") for a in articles)
    reasons = {p.path: p.reason for p in problems}
    base = str(tmp_path / "feed.jsonl")
    assert set(reasons) == {f"{base}:4", f"{base}:5", f"{base}:6", f"{base}:7"}
    assert "line 4 is not valid JSON" in reasons[f"{base}:4"]
    assert "not an object" in reasons[f"{base}:5"]
    assert "'text'" in reasons[f"{base}:6"] and "'text'" in reasons[f"{base}:7"]


def test_load_file_on_jsonl_raises_only_when_no_line_is_good(tmp_path):
    good = write(tmp_path, "g.jsonl", '{"text": "Synthetic text."}\n{oops\n')
    assert [a.id for a in load_file(good, tmp_path, 1.0)] == ["g.jsonl#L1"]
    bad = write(tmp_path, "b.jsonl", "{oops\n[1]\n")
    with pytest.raises(UnreadableArticle, match="not valid JSON"):
        load_file(bad, tmp_path, 1.0)


HTML = """<!doctype html><html><head><title>Synthetic Title | Synthetic Site</title>
<meta property="og:title" content="Synthetic OG Title"><meta property="og:site_name" content="Synthetic Site">
<meta property="article:published_time" content="2024-05-28T09:00:00Z">
<link rel="canonical" href="https://example.com/story">
<script>var SCRIPTMARKER = "tracking";</script><style>.STYLEMARKER { color: red }</style></head>
<body><nav>Home | World | NAVMARKER</nav>
<article><h1>Synthetic Corp beats estimates</h1>
<p>Synthetic Corp said on Tuesday that its revenue grew twelve percent in the quarter, beating estimates.</p>
<p>The synthetic company also announced a new product line for industrial customers in Europe.</p>
<script>document.write("SCRIPTMARKER2")</script></article>
<footer>FOOTERMARKER Copyright 2023</footer></body></html>"""


def test_html_article_text_and_metadata(tmp_path):
    [a] = load_path(write(tmp_path, "story.html", HTML))[0]
    assert "revenue grew twelve percent" in a.text and "new product line" in a.text
    for marker in ("SCRIPTMARKER", "STYLEMARKER", "NAVMARKER", "FOOTERMARKER", "color: red"):
        assert marker not in a.text
    assert (a.id, a.date, a.url, a.source) == ("story.html", "2024-05-28", "https://example.com/story",
                                               "Synthetic Site")
    assert "Synthetic" in a.title


def test_html_fallback_without_trafilatura_text(tmp_path, monkeypatch):
    monkeypatch.setattr("trafilatura.extract", lambda *args, **kwargs: None)
    [a] = load_path(write(tmp_path, "story.htm", HTML))[0]
    assert "revenue grew twelve percent" in a.text
    assert "\n\nThe synthetic company" in a.text
    for marker in ("SCRIPTMARKER", "STYLEMARKER", "NAVMARKER", "FOOTERMARKER"):
        assert marker not in a.text


def test_html_never_invents_a_date(tmp_path):
    page = ("<html><body><article><p>" + "Synthetic sentence about a product launch. " * 5
            + "</p></article><footer>Copyright 2023, see /2018/04/ archive</footer></body></html>")
    [a] = load_path(write(tmp_path, "nodate.html", page))[0]
    assert a.date is None


def test_html_without_text_is_reported(tmp_path):
    write(tmp_path, "empty.html", "<html><head><script>var x = 1;</script><style>p {}</style></head>"
                                  "<body><!-- nothing --><img src='a.png'></body></html>")
    articles, problems = load_path(tmp_path)
    assert articles == []
    assert problems_by_path(problems) == {"empty.html": "no article text found in the HTML"}


@pytest.mark.parametrize("depth", [300, 50_000])
def test_deeply_nested_html_is_loaded_or_reported(tmp_path, depth):
    page = "<html><body>" + "<div>" * depth + "<p>Deep synthetic text.</p>" + "</div>" * depth + "</body>"
    write(tmp_path, "deep.html", page)
    articles, problems = load_path(tmp_path)
    assert len(articles) + len(problems) == 1


def test_bad_files_are_reported_and_good_ones_still_load(tmp_path):
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.md", "  \n\t\n\n")
    write(tmp_path, "only-front-matter.md", "---\ntitle: Nothing\n---\n\n")
    write(tmp_path, "binary.txt", b"PK\x03\x04\x00\x00binary")
    write(tmp_path, "latin1.txt", "Synthetic caf\u00e9 news.".encode("latin-1"))
    write(tmp_path, "big.txt", "Synthetic words. " * 200)
    write(tmp_path, "unterminated.md", "---\ntitle: Oops\n\n" + BODY)
    write(tmp_path, "list.md", "---\n- a\n- b\n---\n" + BODY)
    write(tmp_path, "badyaml.md", "---\ntitle: [unclosed\n---\n" + BODY)
    write(tmp_path, "notext.jsonl", '{"title": "no text"}\n')
    write(tmp_path, "report.pdf", b"%PDF-1.4")
    write(tmp_path, "README", "no extension")
    write(tmp_path, ".hidden.txt", BODY)
    write(tmp_path, ".git/config.txt", BODY)
    articles, problems = load_path(tmp_path, max_file_mb=0.002)
    assert [a.id for a in articles] == ["good.txt"]
    reasons = problems_by_path(problems)
    assert reasons.pop("empty.txt") == "empty file"
    assert reasons.pop("blank.md") == "empty file (only whitespace)"
    assert reasons.pop("only-front-matter.md") == "no article text after the front matter"
    assert "binary" in reasons.pop("binary.txt")
    assert "not UTF-8" in reasons.pop("latin1.txt")
    assert reasons.pop("big.txt") == "file is 3.3 KB, larger than the limit of 2.0 KB (max_file_mb = 0.002)"
    assert "no closing '---'" in reasons.pop("unterminated.md")
    assert "must be a YAML mapping" in reasons.pop("list.md")
    assert "not valid YAML" in reasons.pop("badyaml.md")
    assert "'text'" in reasons.pop("notext.jsonl:1")
    assert reasons.pop("report.pdf").startswith("unsupported file type '.pdf' (supported: .htm, .html,")
    assert reasons.pop("README").startswith("unsupported file type (no extension)")
    assert reasons == {}


def test_utf8_bom_is_stripped(tmp_path):
    [a] = load_path(write(tmp_path, "bom.txt", "\ufeff" + BODY))[0]
    assert a.text == BODY


def test_duplicate_ids_first_wins(tmp_path):
    write(tmp_path, "a.txt", "---\nid: same\n---\nFirst synthetic text.")
    write(tmp_path, "b.md", "---\nid: same\n---\nSecond synthetic text.")
    write(tmp_path, "c.jsonl", '{"id": "same", "text": "Third synthetic text."}\n')
    articles, problems = load_path(tmp_path)
    assert [a.text for a in articles] == ["First synthetic text."]
    first = str(tmp_path / "a.txt")
    assert sorted((p.path, p.reason) for p in problems) == [
        (str(tmp_path / "b.md"), f"duplicate article id 'same' (already used by {first})"),
        (str(tmp_path / "c.jsonl") + ":1", f"duplicate article id 'same' (already used by {first})"),
    ]


def test_symlinks(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    write(outside, "secret.txt", BODY)
    write(root, "real/a.txt", BODY)
    os.symlink(outside / "secret.txt", root / "link-file.txt")
    os.symlink(outside, root / "link-dir")
    os.symlink(root, root / "real" / "loop")
    os.symlink(root / "missing.txt", root / "broken.txt")
    articles, problems = load_path(root)
    assert [a.id for a in articles] == ["real/a.txt"]
    reasons = {Path(p.path).relative_to(root).as_posix(): p.reason for p in problems}
    assert reasons["link-file.txt"].startswith("symlink points outside the folder")
    assert reasons["link-dir"].startswith("symlink points outside the folder")
    assert reasons["real/loop"] == f"same folder as {root} (through a symlink)"
    assert "broken symlink" in reasons["broken.txt"]


def test_folder_walk_is_sorted_and_recursive(tmp_path):
    for name in ["b.txt", "a/z.txt", "a/b/c.md", "c.jsonl"]:
        write(tmp_path, name, '{"text": "Synthetic."}' if name.endswith("jsonl") else BODY)
    ids = [a.id for a in load_path(tmp_path)[0]]
    assert ids == ["b.txt", "c.jsonl#L1", "a/z.txt", "a/b/c.md"]
    assert ids == [a.id for a in load_path(tmp_path)[0]]


def test_missing_path_raises_bad_input(tmp_path):
    with pytest.raises(BadInputError):
        load_path(tmp_path / "nope")


def test_project_corpus_loads_cleanly():
    articles, problems = load_path(CORPUS)
    assert problems == []
    assert len({a.id for a in articles}) == len(articles)
    assert all(a.text.strip() for a in articles)


FRONT_MATTER_PIECES = st.sampled_from([
    "---", "---\n", "\n", "title: ", "date: ", "id: ", "url: ", "- ", "[", "]", "{", "}", ": ", "&a ", "*a",
    "!!binary ", "!!timestamp ", "2024-13-45", "May 28", "# Heading", "\r\n", "\ufeff", "\x00", "  ", "'",
    '"', "text", '{"text": "x"}', '{"id": [1]}', "\\ud800", '{"text": "\\ud800"}', "<p>", "</div>",
    "<script>", "1e999",
])
NO_HEALTH_CHECK = [HealthCheck.function_scoped_fixture]  # each example rewrites the same file in tmp_path
fuzz_settings = settings(max_examples=400, deadline=None, database=None,
                         suppress_health_check=NO_HEALTH_CHECK)


def _check_one(folder: Path, name: str, data: bytes) -> None:
    path = write(folder, name, data)
    try:
        load_file(path, folder, max_file_mb=1.0)
    except UnreadableArticle:
        pass
    load_path(path, max_file_mb=1.0)


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
@fuzz_settings
@given(data=st.binary(max_size=300))
def test_fuzz_random_bytes(tmp_path, suffix, data):
    _check_one(tmp_path, "fuzz" + suffix, data)


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
@fuzz_settings
@given(text=st.lists(st.one_of(FRONT_MATTER_PIECES, st.text(max_size=20)), max_size=30).map("".join))
def test_fuzz_front_matter_like_text(tmp_path, suffix, text):
    _check_one(tmp_path, "fuzz" + suffix, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=NO_HEALTH_CHECK)
@given(files=st.lists(st.tuples(st.sampled_from([*sorted(SUPPORTED_SUFFIXES), ".pdf", ""]),
                                st.binary(max_size=200)), max_size=6))
def test_fuzz_load_path_never_raises(tmp_path, files):
    folder = tmp_path / "fuzzdir"
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(exist_ok=True)
    for i, (suffix, data) in enumerate(files):
        write(folder, f"f{i}{suffix}", data)
    articles, problems = load_path(folder, max_file_mb=1.0)
    assert len({a.id for a in articles}) == len(articles)
