"""A stored report's outline: which section tells which fact, under which heading, and why.

The program proposes it (:func:`assistant.drafting.outline.propose_outline`); the user may
change it — move a fact, rename a heading, add points — and drafts then follow the edited one.
Only what the user changed is kept (``reports.outline``): facts added to the sheet later are
placed by the proposal, facts removed from it drop out, so an old edit never hides a new fact
and never names a missing one. Headings live on the section rows, where the page, the export and
the Word round trip read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from assistant.accounts.service import Principal
from assistant.drafting.outline import Outline, OutlineError, OutlineItem, propose_outline
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import FactSheet
from assistant.reports.access import readable_report, writable_report
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.public import OutlinePublic
from assistant.reports.structure import bare_heading, template_of
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import Report, now
from assistant.validation import first_error

MAX_HEADING = 120
MAX_POINTS = 1000


def effective_outline(report: Report, template: ReportTemplate, sheet: FactSheet) -> Outline:
    """The proposal, with the user's stored changes laid over it and the rows' headings."""
    proposed = propose_outline(template, sheet)
    stored = report.outline or {}
    edited = {str(i.get("id")): i for i in stored.get("sections", []) if isinstance(i, dict)}
    keys = {f.key for f in sheet.facts}
    moved = {k for item in edited.values() for k in item.get("facts", []) if k in keys}
    headings = {s.section_id: s.heading for s in report.sections}
    items = []
    for item in proposed.sections:
        mine = edited.get(item.id)
        facts = [k for k in item.facts if k not in moved]  # new facts: where they were proposed
        why = {k: v for k, v in item.why.items() if k in facts}
        if mine is not None:
            chosen = [k for k in mine.get("facts", []) if k in keys]
            facts = [f.key for f in sheet.facts if f.key in set(chosen) | set(facts)]
            why.update({k: "用户指定" for k in chosen if k not in item.facts})
            why.update({k: item.why[k] for k in chosen if k in item.why})
        items.append(
            OutlineItem(
                id=item.id,
                heading=headings.get(item.id) or item.heading,
                points=str(mine.get("points") or item.points) if mine else item.points,
                facts=facts,
                why={k: why.get(k, "用户指定") for k in facts},
            )
        )
    return Outline(template=template.name, sections=items)


def _numbered(template: ReportTemplate, section_id: str, heading: str) -> str:
    """一、 in front of a numbered section's heading, whether or not the user typed it."""
    bare = heading.strip()
    spec = template.section(section_id)
    if not spec.numbered:
        return bare
    # Any typed number goes, not only the right one: after a reorder a page may still send the
    # old 二、 for the part now third (assistant/reports/structure.py).
    return template.numbered_heading(section_id, bare_heading(bare))


@dataclass
class OutlineService:
    db: Database
    templates: Mapping[str, ReportTemplate]

    def get(self, user: Principal, report_id: int) -> OutlinePublic:
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            template = template_of(self.templates, report)
            outline = effective_outline(report, template, sheet_of(report))
            return OutlinePublic(**dict(outline), edited=bool(report.outline))

    def replace(self, user: Principal, report_id: int, data: Any) -> OutlinePublic:
        if not isinstance(data, dict):
            raise Invalid("body: expected a JSON object with 'sections'")
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            try:
                outline = Outline.model_validate({"template": template.name, **data})
            except ValidationError as exc:
                raise Invalid(first_error(exc, whole="outline")) from exc
            try:
                outline.check(template, sheet)
            except OutlineError as exc:
                raise Invalid(str(exc)) from exc
            for i, item in enumerate(outline.sections):
                if len(item.heading) > MAX_HEADING:
                    raise Invalid(f"sections[{i}].heading: at most {MAX_HEADING} characters")
                if len(item.points) > MAX_POINTS:
                    raise Invalid(f"sections[{i}].points: at most {MAX_POINTS} characters")
            rows = {r.section_id: r for r in report.sections}
            renamed = {}
            for item in outline.sections:
                row = rows.get(item.id)
                if row is not None and item.heading.strip():
                    heading = _numbered(template, item.id, item.heading)
                    if heading != row.heading:
                        renamed[item.id] = heading
                        row.heading = heading
            report.outline = {
                "sections": [
                    {"id": i.id, "points": i.points, "facts": list(i.facts)}
                    for i in outline.sections
                ]
            }
            report.updated_at = now()
            record(
                s,
                user_id=user.id,
                action="outline",
                object_type="report",
                object_id=report.id,
                detail={"renamed": renamed},
            )
            s.flush()
            result = effective_outline(report, template, sheet)
            return OutlinePublic(**dict(result), edited=True)
