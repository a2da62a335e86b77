"""Proofreading evaluation: recall on planted errors, and false alarms on clean published texts.

This module owns the two measurements of the rule engine (:mod:`assistant.checks.proofread`):

* :func:`evaluate` reads the labelled set ``tests/evals/proofreading.yaml`` (documents with planted
  errors, each naming the exact wrong text and the category that must catch it) and reports recall
  overall and per category, the issues that overlap no planted error (extra findings) and
  precision (issues that overlap a planted error / all issues).
* :func:`corpus_alarms` runs the rules over published official documents (``../shared/corpus``,
  front matter stripped, the front matter's genre passed on) and counts error- and
  warning-severity issues per 10,000 characters: every error there is a false alarm or a slip in
  the published text, and each one should be looked at.

``python -m assistant.evals.proofreading`` prints both as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.checks.proofread import Proofreader
from assistant.domain import Issue
from assistant.errors import Invalid

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "evals" / "proofreading.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Planted:
    text: str
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    id: str
    genre: str | None
    text: str
    errors: tuple[Planted, ...]


class LabelError(Invalid, ValueError):
    """The labelled file is malformed; the message names the document and the error."""


def load_labelled(path: Path = LABELLED) -> list[Document]:
    """Documents with planted errors; each planted text must occur exactly once in its document."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise LabelError(f"{path.name}: expected a mapping with a list 'documents'")
    docs: list[Document] = []
    seen: set[str] = set()
    for raw in data["documents"]:
        did = str(raw.get("id", "?"))
        if did in seen:
            raise LabelError(f"{path.name}: document {did}: id already used")
        seen.add(did)
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise LabelError(f"{path.name}: document {did}: missing text")
        planted: list[Planted] = []
        for err in raw.get("errors") or []:
            wrong, category = str(err.get("text", "")), str(err.get("category", ""))
            if not wrong or not category:
                raise LabelError(f"{path.name}: document {did}: an error needs text and category")
            count = text.count(wrong)
            if count != 1:
                raise LabelError(
                    f"{path.name}: document {did}: {wrong!r} occurs {count} times (want 1)"
                )
            start = text.index(wrong)
            planted.append(Planted(wrong, category, start, start + len(wrong)))
        genre = raw.get("genre")
        docs.append(Document(did, str(genre) if genre else None, text, tuple(planted)))
    return docs


def _overlaps(issue: Issue, start: int, end: int) -> bool:
    return issue.start < end and start < issue.end


def evaluate(path: Path = LABELLED, proofreader: Proofreader | None = None) -> dict[str, Any]:
    """Recall (overall and per category), extra findings and precision on the labelled set.

    A planted error is caught when an issue of its category overlaps its span. An issue is
    correct when it overlaps some planted error (of any category); precision is correct issues
    over all issues, and the issues that overlap nothing are listed as extra findings.
    """
    checker = proofreader or Proofreader()
    docs = load_labelled(path)
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed: list[dict[str, str]] = []
    extra: list[dict[str, Any]] = []
    n_issues = n_correct = 0
    for doc in docs:
        issues = checker.check(doc.text, genre=doc.genre)
        for p in doc.errors:
            total[p.category] += 1
            if any(i.category == p.category and _overlaps(i, p.start, p.end) for i in issues):
                caught[p.category] += 1
            else:
                missed.append({"doc": doc.id, "text": p.text, "category": p.category})
        for issue in issues:
            n_issues += 1
            if any(_overlaps(issue, p.start, p.end) for p in doc.errors):
                n_correct += 1
            else:
                extra.append({"doc": doc.id, **issue.public()})
    planted = sum(total.values())
    return {
        "documents": len(docs),
        "planted": planted,
        "caught": sum(caught.values()),
        "recall": sum(caught.values()) / planted if planted else 0.0,
        "per_category": {
            cat: {"planted": n, "caught": caught[cat], "recall": caught[cat] / n}
            for cat, n in sorted(total.items())
        },
        "issues": n_issues,
        "precision": n_correct / n_issues if n_issues else 1.0,
        "extra_findings": extra,
        "missed": missed,
    }


def split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a corpus Markdown file; no front matter gives ({}, raw)."""
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end != -1:
            meta = yaml.safe_load(raw[4:end]) or {}
            return (meta if isinstance(meta, dict) else {}), raw[end + 5 :]
    return {}, raw


def corpus_alarms(paths: list[Path], proofreader: Proofreader | None = None) -> dict[str, Any]:
    """Error and warning alarms per 10,000 characters over clean published documents."""
    checker = proofreader or Proofreader()
    chars = 0
    severities: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for path in sorted(paths):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        genre = meta.get("genre")
        chars += len(body)
        for issue in checker.check(body, genre=str(genre) if genre else None):
            severities[issue.severity] += 1
            by_rule[issue.rule] += 1
            row = {
                "file": path.name,
                "rule": issue.rule,
                "text": issue.text,
                "context": body[max(0, issue.start - 12) : issue.end + 12],
                "message": issue.message,
            }
            if issue.severity == "error":
                errors.append(row)
            elif issue.severity == "warning":
                warnings.append(row)
    per = 10_000 / chars if chars else 0.0
    return {
        "files": len(paths),
        "characters": chars,
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
        "errors_per_10k": severities["error"] * per,
        "warnings_per_10k": severities["warning"] * per,
        "by_rule": dict(by_rule.most_common()),
        "error_issues": errors,
        "warning_issues": warnings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    checker = Proofreader()
    report = {
        "planted": evaluate(args.labelled, checker),
        "corpus": corpus_alarms(sorted(args.corpus.glob("*.md")), checker),
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
