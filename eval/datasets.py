"""Question sets to evaluate on: the bundled known-facts file, and the RGB news-QA benchmark.

Each becomes a :class:`Dataset`: cases plus the file or folder of articles to ingest. RGB data is
read where it lies (its licence forbids copying it into the project).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import BadInputError

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "eval" / "facts.jsonl"
CORPUS = ROOT / "corpus"
RGB = ROOT.parent / "shared" / "datasets" / "rgb-en-fact"
RGB_FILES = ("passages.jsonl", "dev.jsonl")


@dataclass
class Case:
    id: str
    question: str
    answers: list[list[str]] = field(default_factory=list)  # every group must match, by any one alias
    evidence: list[str] = field(default_factory=list)  # exact spans of the article that hold the fact
    must_abstain: bool = False
    kind: str = ""
    article: str = ""  # the article holding the fact, when the file names it
    positive_ids: list[str] = field(default_factory=list)  # RGB: passages that hold the answer
    counterfactual_answer: str = ""  # RGB: the planted wrong answer


@dataclass
class Dataset:
    name: str
    kind: str  # "facts" or "rgb"
    path: Path
    corpus: Path  # what the assistant ingests
    cases: list[Case]
    fingerprint: str  # sha256 of the question file, so a baseline knows what it was measured on


def load_dataset(spec: str | Path | None = None, corpus: str | Path | None = None,
                 limit: int | None = None) -> Dataset:
    """``spec``: a facts file (.jsonl, .yaml), a folder holding the RGB files, "rgb" for
    ../shared/datasets/rgb-en-fact, or None for the bundled facts over corpus/."""
    if spec is None or str(spec) == "facts":
        path = FACTS
    elif str(spec) == "rgb":
        path = RGB
    else:
        path = Path(spec).expanduser()
    if path.is_dir():
        missing = [f for f in RGB_FILES if not (path / f).is_file()]
        if missing:
            raise BadInputError(f"{path} is a folder but lacks {', '.join(missing)}: give a facts file "
                                "(.jsonl or .yaml) or a folder with the RGB files passages.jsonl and dev.jsonl")
        data = load_rgb(path)
    elif path.is_file():
        data = load_facts(path, Path(corpus) if corpus else CORPUS)
    else:
        raise BadInputError(f"dataset {path} does not exist: give a facts file or a folder with the RGB files")
    if limit is not None and limit < len(data.cases):
        data.cases = data.cases[:limit]
        # A slice is other questions as far as a baseline is concerned.
        data.fingerprint = hashlib.sha256(f"{data.fingerprint}:first {limit}".encode()).hexdigest()
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_records(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        records = yaml.safe_load(text) or []
        if isinstance(records, dict):
            records = records.get("cases", [])
        if not isinstance(records, list):
            raise BadInputError(f"{path}: expected a list of cases (or a 'cases' key holding one)")
        return records
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise BadInputError(f"{path}:{n} is not valid JSON: {e.msg}") from e
    return records


def _groups(value, where: str) -> list[list[str]]:
    """An answer as a list of alias groups: "x" -> [["x"]], ["x", "y"] -> [["x", "y"]]."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [[str(value)]]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [[str(v) for v in value]]
    if isinstance(value, list) and all(isinstance(g, list) for g in value):
        return [[str(v) for v in g] for g in value]
    raise BadInputError(f"{where}: an answer must be a string, a list of aliases or a list of alias lists")


def load_facts(path: Path, corpus: Path = CORPUS) -> Dataset:
    cases = []
    for n, rec in enumerate(_read_records(path), start=1):
        where = f"{path}: case {rec.get('id', n)}"
        if not isinstance(rec, dict) or not rec.get("question"):
            raise BadInputError(f"{where} has no 'question'")
        case = Case(id=str(rec.get("id", n)), question=rec["question"], answers=_groups(rec.get("answers"), where),
                    evidence=list(rec.get("evidence") or []), must_abstain=bool(rec.get("must_abstain")),
                    kind=rec.get("kind", ""), article=str(rec.get("article") or ""))
        if not case.must_abstain and not case.answers:
            raise BadInputError(f"{where} needs 'answers' or 'must_abstain: true'")
        cases.append(case)
    if len({c.id for c in cases}) != len(cases):
        raise BadInputError(f"{path}: case ids must be unique")
    if not corpus.exists():
        raise BadInputError(f"the articles for {path.name} are not at {corpus}: pass --corpus DIR")
    return Dataset(name=path.name, kind="facts", path=path, corpus=corpus, cases=cases, fingerprint=_sha256(path))


def load_rgb(folder: Path) -> Dataset:
    """RGB's dev questions over its passages, pooled as one corpus: passages.jsonl is ingested as it
    is (one JSON Lines article per passage, whose id becomes the article id)."""
    cases = []
    for n, rec in enumerate(_read_records(folder / "dev.jsonl"), start=1):
        where = f"{folder / 'dev.jsonl'}:{n}"
        if not rec.get("query"):
            raise BadInputError(f"{where} has no 'query'")
        cases.append(Case(id=str(rec.get("id", n)), question=rec["query"], answers=_groups(rec.get("answer"), where),
                          positive_ids=[str(p) for p in rec.get("positive_ids") or []], kind="rgb",
                          counterfactual_answer=str(rec.get("counterfactual_answer") or "")))
    return Dataset(name=f"{folder.name}/dev.jsonl", kind="rgb", path=folder, corpus=folder / "passages.jsonl",
                   cases=cases, fingerprint=_sha256(folder / "dev.jsonl"))
