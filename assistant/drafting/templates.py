"""Report templates as data (``prompts/templates/*.yaml``), validated on load.

A template is the structure of one kind of report: its sections in order, each with an id, a
heading (numbered 一、二、… by position when ``numbered``), what it is for, guidance for the
writer, the facts it usually needs and a length target in characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import ConfigError
from assistant.validation import first_error

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "prompts" / "templates"  # see prompts.py
_CN = "一二三四五六七八九十"

SectionKind = Literal[
    "title", "salutation", "opening", "overview", "body", "problems", "plans", "closing"
]
# What a fact is about, beyond its topic (see assistant.drafting.placement): a section that
# ``takes`` a role receives the facts of that role before any topic matching.
FactRole = Literal["problem", "plan", "method", "integrity", "feedback", "post", "item", "measure"]
# numbered: （一） sub-headings; lead: run-in lead sentences; plain: a description (a 调研报告's
# 基本情况), its facts told in paragraphs by theme with no heading or lead that would claim work.
LayerStyle = Literal["numbered", "lead", "plain"]


class TemplateError(ConfigError, code="template"):
    """A template file is malformed; the message names the file and the field."""


class SectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: SectionKind
    heading: str = ""
    numbered: bool = False
    purpose: str = Field(min_length=1)
    guidance: str = ""
    facts: list[str] = Field(default_factory=list)
    length: tuple[int, int]
    # Fixed wording the program writes itself (closings such as 汇报完毕，谢谢。); it may use
    # {organization}, {period}, {recipient}. Title and salutation come from the report meta.
    text: str = ""
    # Placement: the roles this section receives, the words that draw a fact here, and whether
    # facts no section draws land here.
    takes: list[FactRole] = Field(default_factory=list)
    attracts: list[str] = Field(default_factory=list)
    default: bool = False
    # The heading proposed for a report on {topic} (its subject, from the title or meta.topic);
    # without a topic the words around {topic} stay and the placeholder goes.
    heading_pattern: str = ""
    # How the offline engine marks layers: （一） sub-headings or run-in lead sentences.
    layers: LayerStyle = "numbered"

    @model_validator(mode="after")
    def _check(self) -> SectionSpec:
        lo, hi = self.length
        if not 0 < lo <= hi:
            raise ValueError(f"length must be [min, max] with 0 < min <= max, got {[lo, hi]}")
        if self.numbered and not self.heading:
            raise ValueError("a numbered section needs a heading")
        return self


class ReportTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    genre: str = Field(min_length=1)
    description: str = ""
    title_pattern: str = ""
    sections: list[SectionSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ReportTemplate:
        ids = [s.id for s in self.sections]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate section ids: {', '.join(dupes)}")
        return self

    def numbered_heading(self, section_id: str, heading: str | None = None) -> str:
        """The heading (the template's, or ``heading``) with its 一、二、… number, counted over
        the numbered sections."""
        n = 0
        for s in self.sections:
            n += s.numbered
            if s.id == section_id:
                text = s.heading if heading is None else heading
                return f"{_CN[n - 1]}、{text}" if s.numbered else text
        raise KeyError(section_id)

    def ordinal(self, section_id: str) -> int:
        """1 for the section numbered 一、, 2 for 二、 …; 0 for an unnumbered section."""
        n = 0
        for s in self.sections:
            n += s.numbered
            if s.id == section_id:
                return n if s.numbered else 0
        raise KeyError(section_id)

    def section(self, section_id: str) -> SectionSpec:
        for s in self.sections:
            if s.id == section_id:
                return s
        known = ", ".join(s.id for s in self.sections)
        raise KeyError(f"template {self.name!r} has no section {section_id!r} (sections: {known})")


def load_template(path: Path) -> ReportTemplate:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path.name}: cannot read ({exc})") from exc
    try:
        return ReportTemplate.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(f"{path.name}: {first_error(exc, whole='template')}") from exc


def load_templates(directory: Path = TEMPLATES_DIR) -> dict[str, ReportTemplate]:
    templates: dict[str, ReportTemplate] = {}
    for path in sorted(directory.glob("*.yaml")):
        template = load_template(path)
        if template.name in templates:
            raise TemplateError(f"{path.name}: template name {template.name!r} is used twice")
        templates[template.name] = template
    if not templates:
        raise TemplateError(f"{directory}: no templates found")
    return templates


def pick_template(
    templates: dict[str, ReportTemplate], name: str | None, *, where: str = "report.template"
) -> ReportTemplate:
    """The template named by an option or the fact sheet, or an error listing the known ones."""
    known = ", ".join(sorted(templates))
    if not name:
        raise TemplateError(f"no template given: set {where} or pass --template ({known})")
    if name not in templates:
        raise TemplateError(f"{where}: unknown template {name!r} (templates: {known})")
    return templates[name]
