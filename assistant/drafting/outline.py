"""The outline step: which section says what, with which facts, before anything is drafted.

The program proposes the outline from the template and the fact sheet: every fact is placed in
the section whose purpose it serves (:mod:`assistant.drafting.placement`), with the reason in
``why``, and body headings are proposed from the report's subject
(:mod:`assistant.drafting.headings`). No fact is forgotten and none is told twice. The user may
edit the outline (headings, points, fact assignment, dropping sections) and draft from it.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.drafting.headings import propose_headings
from assistant.drafting.placement import place_facts
from assistant.drafting.templates import ReportTemplate
from assistant.errors import Invalid
from assistant.facts.sheet import FactSheet
from assistant.validation import first_error


class OutlineError(Invalid, code="outline"):
    """An outline file is malformed or does not fit its template and fact sheet."""


class OutlineItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    heading: str = ""
    points: str = ""
    facts: list[str] = Field(default_factory=list)
    why: dict[str, str] = Field(default_factory=dict)  # fact key → why it is told here


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
    placed = place_facts(template, sheet)
    headings = propose_headings(template, sheet)
    assigned: dict[str, list[str]] = {s.id: [] for s in template.sections}
    for f in sheet.facts:  # in sheet order, so F-labels read in order within a section
        if f.key in placed:
            assigned[placed[f.key].section_id].append(f.key)
    return Outline(
        template=template.name,
        sections=[
            OutlineItem(
                id=s.id,
                heading=headings[s.id],
                points=s.guidance or s.purpose,
                facts=assigned[s.id],
                why={k: placed[k].reason for k in assigned[s.id]},
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
