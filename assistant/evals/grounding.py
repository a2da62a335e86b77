"""Grounding evaluation: recall and precision of the grounding check on labelled draft sentences.

Owns the format of ``tests/evals/grounding.yaml`` (fact sheets with their upload and exemplar
passages, and draft sentences whose numbers, dates, names and cited titles are labelled
``fabricated`` or ``supported``) and its scoring. Scoring is per labelled substring: it is flagged
when an ``error`` issue overlaps its span. Recall is flagged fabricated substrings over all
fabricated ones; precision is error issues that overlap a fabricated substring over all error
issues, so an error on a supported substring or on unlabelled text is a false alarm. The same
figures are given per kind of label (``number``: it holds a numeral; ``title``: a 《title》;
``name``: anything else), and warnings on supported labels are counted: a name check that warns
on every correct name is noise even when it raises no error.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.checks.grounding import Evidence, Grounded, Source, ground
from assistant.checks.name_grounding import ground_names, name_issues
from assistant.checks.titles import title_issues
from assistant.domain import Issue
from assistant.facts.numbers import CN_NUMERAL_CHARS, halfwidth
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import FactSheet
from assistant.ingest.metadata import split_front_matter

_NUMERAL = re.compile(f"[0-9{CN_NUMERAL_CHARS}]")
# What an error on unlabelled text was about; other rules are about figures.
_RULE_KINDS = {"GR004": "title", "GR007": "title", "GR006": "name", "GR008": "name"}


@dataclass(frozen=True)
class Label:
    text: str
    start: int
    end: int
    fabricated: bool

    @property
    def kind(self) -> str:
        if self.text.startswith("《"):
            return "title"
        return "number" if find_quantities(self.text) else "name"


@dataclass(frozen=True)
class Case:
    id: str
    sheet: str
    text: str
    labels: tuple[Label, ...]

    @property
    def fabricated(self) -> list[Label]:
        return [lb for lb in self.labels if lb.fabricated]

    @property
    def supported(self) -> list[Label]:
        return [lb for lb in self.labels if not lb.fabricated]


def _sources(raw: Any, where: str) -> list[Source]:
    if not isinstance(raw, list):
        raise ValueError(f"{where}: expected a list of {{id, text}}")
    try:
        return [Source(id=str(s["id"]), text=str(s["text"])) for s in raw]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{where}: each passage needs id and text ({exc})") from exc


def _evidence(name: str, raw: Any) -> Evidence:
    if not isinstance(raw, dict):
        raise ValueError(f"sheets.{name}: expected a mapping")
    body = {k: v for k, v in raw.items() if k not in ("uploads", "exemplars")}
    try:
        facts = FactSheet.model_validate(body)
    except ValidationError as exc:
        raise ValueError(f"sheets.{name}: not a valid fact sheet ({exc})") from exc
    return Evidence(
        facts=facts,
        uploads=_sources(raw.get("uploads", []), f"sheets.{name}.uploads"),
        exemplars=_sources(raw.get("exemplars", []), f"sheets.{name}.exemplars"),
    )


def _labels(cid: str, text: str, raw: dict[str, Any]) -> tuple[Label, ...]:
    out: list[Label] = []
    for field, fabricated in (("fabricated", True), ("supported", False)):
        items = raw.get(field) or []
        if not isinstance(items, list):
            raise ValueError(f"case {cid}: {field} must be a list")
        for item in items:
            sub = str(item)
            # A bare "1" is what YAML makes of [1,260户]: a label is a numeral with its unit,
            # or a name or title (two characters at least).
            if len(sub) < 2 or (sub.isascii() and not _NUMERAL.search(halfwidth(sub))):
                raise ValueError(f"case {cid}: {field} {sub!r} is not a number, name or title")
            if text.count(sub) != 1:
                raise ValueError(
                    f"case {cid}: {field} {sub!r} occurs {text.count(sub)} times, not once"
                )
            start = text.index(sub)
            out.append(Label(sub, start, start + len(sub), fabricated))
    spans = sorted(out, key=lambda lb: lb.start)
    for a, b in itertools.pairwise(spans):
        if b.start < a.end:
            raise ValueError(f"case {cid}: labels {a.text!r} and {b.text!r} overlap")
    return tuple(out)


def load_cases(path: Path) -> tuple[dict[str, Evidence], list[Case]]:
    """The sheets (as :class:`Evidence`) and the cases; ``ValueError`` names what is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), dict):
        raise ValueError(f"{path}: expected a mapping with 'sheets' and 'cases'")
    sheets = {str(name): _evidence(str(name), raw) for name, raw in data["sheets"].items()}
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("cases") or [], 1):
        if not isinstance(raw, dict) or "text" not in raw or "sheet" not in raw:
            raise ValueError(f"{path}: case #{i} needs id, sheet and text")
        cid, text, sheet = str(raw.get("id", f"#{i}")), str(raw["text"]), str(raw["sheet"])
        if cid in seen:
            raise ValueError(f"{path}: duplicate case id {cid}")
        seen.add(cid)
        if sheet not in sheets:
            raise ValueError(f"{path}: case {cid} names unknown sheet {sheet!r}")
        cases.append(Case(cid, sheet, text, _labels(cid, text, raw)))
    return sheets, cases


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _decision(label: Label, grounded: list[Grounded]) -> str:
    hits = [
        f"{g.quantity.text}={g.status}{'(' + g.source + ')' if g.source else ''}"
        for g in grounded
        if _overlaps(label.start, label.end, g.quantity.start, g.quantity.end)
    ]
    return "; ".join(hits) or "not recognised as a quantity"


def _issue_row(case: Case, issue: Issue, label: Label | None) -> dict[str, Any]:
    return {
        "case": case.id,
        "substring": label.text if label else issue.text,
        "labelled": "supported" if label else "unlabelled",
        "rule": issue.rule,
        "message": issue.message,
    }


def _score(rows: list[tuple[Label, bool]], errors: int, true_alarms: int) -> dict[str, Any]:
    fabricated = [hit for lb, hit in rows if lb.fabricated]
    return {
        "fabricated": len(fabricated),
        "supported": len(rows) - len(fabricated),
        "recall": round(sum(fabricated) / len(fabricated), 3) if fabricated else 1.0,
        "precision": round(true_alarms / errors, 3) if errors else 1.0,
        "false_alarms_on_supported": sum(hit for lb, hit in rows if not lb.fabricated),
    }


def evaluate(path: Path) -> dict[str, Any]:
    """Run :func:`ground` on every case and score it; see the module docstring for the measures."""
    sheets, cases = load_cases(path)
    misses: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    warned: list[dict[str, Any]] = []
    rows: list[tuple[Label, bool]] = []
    kinds = ("number", "name", "title")
    errors = dict.fromkeys(kinds, 0)
    true_alarms = dict.fromkeys(kinds, 0)
    for case in cases:
        grounded, issues = ground(case.text, sheets[case.sheet])
        errs = [i for i in issues if i.severity == "error"]
        warns = [i for i in issues if i.severity == "warning"]
        for lb in case.labels:
            hit = any(_overlaps(lb.start, lb.end, i.start, i.end) for i in errs)
            rows.append((lb, hit))
            if lb.fabricated and not hit:
                misses.append(
                    {"case": case.id, "substring": lb.text, "checker": _decision(lb, grounded)}
                )
            if not lb.fabricated and not hit:
                w = [i for i in warns if _overlaps(lb.start, lb.end, i.start, i.end)]
                if w:
                    warned.append({"case": case.id, "substring": lb.text, "rule": w[0].rule})
        for issue in errs:
            over = [lb for lb in case.labels if _overlaps(lb.start, lb.end, issue.start, issue.end)]
            kind = over[0].kind if over else _RULE_KINDS.get(issue.rule, "number")
            errors[kind] += 1
            if any(lb.fabricated for lb in over):
                true_alarms[kind] += 1
            else:
                false_alarms.append(_issue_row(case, issue, over[0] if over else None))
    overall = _score(rows, sum(errors.values()), sum(true_alarms.values()))
    return {
        "sheets": len({c.sheet for c in cases}),
        "cases": len(cases),
        "cases_with_fabricated": sum(1 for c in cases if c.fabricated),
        **overall,
        "flagged_fabricated": sum(hit for lb, hit in rows if lb.fabricated),
        "error_issues": sum(errors.values()),
        "warnings_on_supported": len(warned),
        "by_kind": {
            k: _score([r for r in rows if r[0].kind == k], errors[k], true_alarms[k]) for k in kinds
        },
        "misses": misses,
        "false_alarms": false_alarms,
        "warned_supported": warned,
    }


def name_alarms(paths: Sequence[Path], *, exemplars: int = 3, chars: int = 1500) -> dict[str, Any]:
    """Name and title findings on correct documents, per 10,000 characters.

    Each document is checked as a draft whose fact layer is only its own front matter (title and
    issuer as the report's title and organisation) and whose exemplars are the opening passages
    of the next ``exemplars`` documents of another issuer — the situation of a draft written from
    corpus exemplars. A correct document names its own unit and national bodies; every GR006/GR007
    error here is a false alarm, and GR008 warnings are the noise a user sees.
    """
    docs: list[tuple[str, dict[str, Any], str]] = []
    for path in paths:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        docs.append((path.name, meta, body))
    counts = {"GR006": 0, "GR007": 0, "GR008": 0}
    examples: list[dict[str, Any]] = []
    total = 0
    for i, (name, meta, body) in enumerate(docs):
        others = [d for d in docs[i + 1 :] + docs[:i] if d[1].get("issuer") != meta.get("issuer")]
        report = {"title": meta.get("title"), "organization": meta.get("issuer")}
        evidence = Evidence(
            facts=FactSheet.model_validate({"report": report}),
            exemplars=[Source(f"E{j}", d[2][:chars]) for j, d in enumerate(others[:exemplars], 1)],
        )
        total += len(body)
        names = ground_names(body, evidence)
        found = name_issues(names, evidence) + title_issues(body, evidence)
        for issue in found:
            if issue.rule in counts:
                counts[issue.rule] += 1
                if issue.severity == "error":
                    examples.append({"doc": name, "rule": issue.rule, "text": issue.text})
    per_10k = {k: round(v * 10_000 / total, 2) if total else 0.0 for k, v in counts.items()}
    return {
        "documents": len(docs),
        "characters": total,
        "counts": counts,
        "per_10k_chars": per_10k,
        "errors": examples,
    }
