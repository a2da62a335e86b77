"""The outline step: which section says what, with which facts, before anything is drafted.

The program proposes the outline from the template and the fact sheet: each section gets the facts
its template names, and every other numeric fact goes to the body section whose purpose it fits
best, so no fact is forgotten and none is told twice. The user may edit the outline (headings,
points, fact assignment, dropping sections) and draft from the edited file.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.drafting.evidence import overlap, wanted_facts
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import FactSheet
from assistant.validation import first_error

# Sections whose text the program writes from the report meta; they carry no facts.
_META_KINDS = {"title", "salutation", "closing"}
_BODY_KINDS = {"body", "overview"}


class OutlineError(Exception):
    """An outline file is malformed or does not fit its template and fact sheet."""


class OutlineItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    heading: str = ""
    points: str = ""
    facts: list[str] = Field(default_factory=list)


class Outline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str
    sections: list[OutlineItem]

    def item(self, section_id: str) -> OutlineItem:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def check(self, template: ReportTemplate, sheet: FactSheet) -> None:
        if self.template != template.name:
            raise OutlineError(f"outline is for template {self.template!r}, not {template.name!r}")
        keys = {f.key for f in sheet.facts}
        seen_ids: set[str] = set()
        told: dict[str, str] = {}
        for i, item in enumerate(self.sections):
            if item.id in seen_ids:
                raise OutlineError(f"sections[{i}].id: section {item.id!r} is listed twice")
            seen_ids.add(item.id)
            for j, key in enumerate(item.facts):
                if key in told:
                    raise OutlineError(
                        f"sections[{i}].facts[{j}]: fact {key!r} is already given to "
                        f"section {told[key]!r}; a figure is told once"
                    )
                told[key] = item.id
            try:
                template.section(item.id)
            except KeyError as exc:
                raise OutlineError(f"sections[{i}].id: {exc.args[0]}") from exc
            for j, key in enumerate(item.facts):
                if key not in keys:
                    raise OutlineError(
                        f"sections[{i}].facts[{j}]: no fact {key!r} in the fact sheet"
                    )


def propose_outline(template: ReportTemplate, sheet: FactSheet) -> Outline:
    assigned: dict[str, list[str]] = {s.id: [] for s in template.sections}
    taken: set[str] = set()
    for s in template.sections:
        if s.kind in _META_KINDS:
            continue
        for f in wanted_facts(sheet, s):
            if f.key not in taken:
                assigned[s.id].append(f.key)
                taken.add(f.key)
    bodies = [s for s in template.sections if s.kind in _BODY_KINDS]
    for f in sheet.facts:
        if f.key in taken or not bodies:
            continue
        about = f"{f.key}{f.note}"
        best = max(bodies, key=lambda s: overlap(about, f"{s.heading}{s.purpose}{s.guidance}"))
        assigned[best.id].append(f.key)
        taken.add(f.key)
    return Outline(
        template=template.name,
        sections=[
            OutlineItem(
                id=s.id,
                heading=template.numbered_heading(s.id),
                points=s.guidance or s.purpose,
                facts=assigned[s.id],
            )
            for s in template.sections
        ],
    )


def load_outline(path: Path) -> Outline:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OutlineError(f"{path}: cannot read ({exc})") from exc
    try:
        return Outline.model_validate(data)
    except ValidationError as exc:
        raise OutlineError(f"{path}: {first_error(exc, whole='outline')}") from exc


def dump_outline(outline: Outline) -> str:
    return yaml.safe_dump(outline.model_dump(), allow_unicode=True, sort_keys=False)
