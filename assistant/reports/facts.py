"""A report's fact sheet as stored: validation of what clients send, rows ↔ FactSheet.

The API takes the fact sheet file's own shape (DESIGN.md §6) as JSON and answers a bad one with
the place of the first error (``facts[1].value: …``), the same wording the CLI gives for a file.
Confirmed rows are the report's facts; proposed rows wait for the user (uploads, chat).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from assistant.drafting.templates import ReportTemplate
from assistant.errors import Invalid as Invalid  # re-exported: the name routes and tests import
from assistant.facts.sheet import Fact, FactSheet, ReportMeta
from assistant.reports.public import FactPublic
from assistant.storage.models import FactRow, Report
from assistant.validation import first_error

# Column widths of the tables (PostgreSQL enforces them; SQLite would store anything).
_LIMITS = {"unit": 32, "source": 300}
MAX_TITLE = 300
_UNION_MEMBERS = {"str", "int", "float"}


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    # ``value: str | int | float`` fails once per member (facts[1].value.str …); say it once.
    if loc and loc[-1] in _UNION_MEMBERS and first["type"].endswith("_type"):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[:-1])
        return f"{where.lstrip('.')}: must be text or a number"
    return first_error(exc, whole="body")


def parse_sheet(
    data: Any, templates: Mapping[str, ReportTemplate], *, template: str | None = None
) -> FactSheet:
    """Validate a fact sheet; ``template`` (a report's own) is used when ``report`` names none.

    A sheet must name a known template, and a report's template cannot change afterwards: its
    sections were made from it.
    """
    if not isinstance(data, dict):
        raise Invalid("body: expected a JSON object with 'report' and 'facts'")
    data = {k: v for k, v in data.items() if k != "reviewers"}
    try:
        sheet = FactSheet.model_validate(data)
    except ValidationError as exc:
        raise Invalid(_first_error(exc)) from exc
    name = sheet.report.template or template
    known = ", ".join(sorted(templates))
    if not name:
        raise Invalid(f"report.template: required (templates: {known})")
    if name not in templates:
        raise Invalid(f"report.template: unknown template {name!r} (templates: {known})")
    if template is not None and name != template:
        raise Invalid(f"report.template: a report's template cannot change (it is {template!r})")
    sheet.report.template = name
    if len(sheet.report.title or "") > MAX_TITLE:
        raise Invalid(f"report.title: at most {MAX_TITLE} characters")
    for i, fact in enumerate(sheet.facts):
        for name_, limit in _LIMITS.items():
            if len(getattr(fact, name_)) > limit:
                raise Invalid(f"facts[{i}].{name_}: at most {limit} characters")
    return sheet


def meta_of(sheet: FactSheet) -> dict[str, Any]:
    return sheet.report.model_dump(mode="json", exclude_none=True)


def confirmed_rows(report_id: int, facts: list[Fact]) -> list[FactRow]:
    return [
        FactRow(
            report_id=report_id,
            ord=i,
            key=f.key,
            value={"v": f.value},
            unit=f.unit,
            note=f.note,
            source=f.source or "user",
            status="confirmed",
        )
        for i, f in enumerate(facts)
    ]


def fact_of(row: FactRow) -> Fact:
    # model_construct: rows were validated on the way in; a row another feature wrote with an
    # odd value must not make the whole report unreadable.
    return Fact.model_construct(
        key=row.key, value=row.value.get("v", ""), unit=row.unit, note=row.note, source=row.source
    )


def sheet_of(report: Report) -> FactSheet:
    """The report's fact sheet: its meta plus its confirmed facts, in order."""
    meta = ReportMeta.model_validate({**report.meta, "template": report.template})
    facts = [fact_of(r) for r in report.facts if r.status == "confirmed"]
    return FactSheet.model_construct(report=meta, facts=facts)


def fact_public(row: FactRow) -> FactPublic:
    """A fact as the API shows it, confirmed or proposed."""
    return FactPublic(
        id=row.id,
        key=row.key,
        value=row.value.get("v"),
        unit=row.unit,
        note=row.note,
        source=row.source,
        status=row.status,
        origin=row.origin,
        confidence=row.confidence,
    )
