"""``assistant eval chat``: how often the chat understands what staff write.

A labelled file holds reports (template, headings, the current text of each drafted section) and
messages with the actions and sections a competent assistant would act on. Each message is
planned against its report's view (the rules; the model's tool calls are tested against a
scripted server, not scored here) and counted right when the planned (action, section) pairs
equal the labelled ones; per action, the share of messages labelled with that action that came
out wholly right, and the share of its labels found. A passage label counts when the planned
passage overlaps it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from assistant.chat.plan import ReportView, SectionView, Step
from assistant.chat.rules import plan
from assistant.drafting.templates import ReportTemplate, load_templates
from assistant.errors import Invalid


class EvalFileError(Invalid, ValueError):
    """The labelled file is malformed; the message names where."""


def _views(data: dict[str, Any], templates: dict[str, ReportTemplate]) -> dict[str, ReportView]:
    views: dict[str, ReportView] = {}
    for name, r in (data.get("reports") or {}).items():
        template = templates.get(str(r.get("template")))
        if template is None:
            raise EvalFileError(f"reports.{name}: unknown template {r.get('template')!r}")
        given = {str(s["id"]): s for s in r.get("sections") or []}
        unknown = set(given) - {s.id for s in template.sections}
        if unknown:
            raise EvalFileError(f"reports.{name}: sections not in the template: {sorted(unknown)}")
        sections = tuple(
            SectionView(
                spec.id,
                spec.kind,
                spec.numbered,
                str(given.get(spec.id, {}).get("heading") or spec.heading),
                spec.purpose,
                str(given.get(spec.id, {}).get("text") or ""),
            )
            for spec in template.sections
        )
        views[str(name)] = ReportView(template, sections, title=str(r.get("title") or ""))
    return views


def _pairs(steps: list[dict[str, Any]] | list[Step]) -> Counter[tuple[str, str | None]]:
    out: Counter[tuple[str, str | None]] = Counter()
    for s in steps:
        if isinstance(s, Step):
            out[(s.action, s.section)] += 1
        else:
            out[(str(s["action"]), s.get("section"))] += 1
    return out


def _passage_ok(expected: str, got: str) -> bool:
    if not expected:
        return True
    return bool(got) and (expected in got or got in expected or len(set(expected) & set(got)) >= 4)


def evaluate(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    views = _views(data, load_templates())
    total = right = 0
    per: dict[str, Counter[str]] = {}
    mistakes: list[dict[str, Any]] = []
    passages = [0, 0]
    for i, m in enumerate(data.get("messages") or []):
        view = views.get(str(m.get("report")))
        if view is None:
            raise EvalFileError(f"messages[{i}]: unknown report {m.get('report')!r}")
        view = ReportView(
            view.template, view.sections, last_section=m.get("last"), title=view.title
        )
        expected = list(m.get("expect") or [])
        steps = plan(str(m["text"]), view)
        ok = _pairs(expected) == _pairs(steps)
        for e in expected:
            if e.get("passage") and e.get("action") == "revise":
                passages[1] += 1
                got = next(
                    (
                        s.passage
                        for s in steps
                        if s.action == "revise" and s.section == e.get("section")
                    ),
                    "",
                )
                passages[0] += _passage_ok(str(e["passage"]), got)
        total += 1
        right += ok
        got_pairs = _pairs(steps)
        for action in {str(e["action"]) for e in expected}:
            c = per.setdefault(action, Counter())
            c["messages"] += 1
            c["right"] += ok
        for (action, section), n in _pairs(expected).items():
            c = per.setdefault(action, Counter())
            c["labels"] += n
            c["found"] += min(n, got_pairs.get((action, section), 0))
        for (action, _), n in got_pairs.items():
            per.setdefault(action, Counter())["planned"] += n
        if not ok:
            mistakes.append(
                {
                    "text": m["text"],
                    "report": m.get("report"),
                    "expected": [dict(e) for e in expected],
                    "got": [s.public() for s in steps],
                }
            )
    return {
        "messages": total,
        "accuracy": round(right / total, 3) if total else None,
        "per_action": {
            a: {
                "messages": c["messages"],
                "accuracy": round(c["right"] / c["messages"], 3) if c["messages"] else None,
                "recall": round(c["found"] / c["labels"], 3) if c["labels"] else None,
                "precision": round(c["found"] / c["planned"], 3) if c["planned"] else None,
            }
            for a, c in sorted(per.items())
        },
        "passages": {"labelled": passages[1], "found": passages[0]},
        "mistakes": mistakes,
    }
