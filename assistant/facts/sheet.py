"""The fact sheet (DESIGN.md §6): report metadata plus facts, loaded from YAML or JSON.

Errors name the file and the location (``facts[3].key``) of what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from assistant.errors import Invalid
from assistant.facts.numbers import parse_number
from assistant.facts.quantities import UNITS
from assistant.validation import first_error


def is_measure(unit: str) -> bool:
    unit = unit.removeprefix("万").removeprefix("亿") or unit
    return unit in ("%", "％") or unit in UNITS or unit.endswith(("次", "人", "元", "个"))


def _numeric(value: str) -> bool:
    """A number (十二, 1.5万, 85%) or a range of numbers (15～30)."""
    parts = re.split(r"\s*[～~—–至到-]\s*", value.strip())
    try:
        return 1 <= len(parts) <= 2 and all(parse_number(p) is not None for p in parts)
    except ValueError:
        return False


class FactSheetError(Invalid, code="fact_sheet"):
    """A fact sheet could not be read; the message names the file and where."""


class ReportMeta(BaseModel):
    model_config = ConfigDict(extra="allow")

    template: str | None = None
    title: str | None = None
    organization: str | None = None
    recipient: str | None = None
    period: str | None = None
    date: dt.date | None = None


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=100)
    value: str | int | float
    unit: str = ""
    note: str = ""
    source: str = "user"

    @field_validator("key")
    @classmethod
    def _strip(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("key must not be blank")
        return v.strip()

    @model_validator(mode="after")
    def _count_is_a_number(self) -> Fact:
        # A unit of measure (次, 名, %, 万元 …) says the value counts something: 很多次 is no fact.
        unit = self.unit.strip()
        if unit and isinstance(self.value, str) and is_measure(unit) and not _numeric(self.value):
            raise ValueError(
                f"value {self.value!r} is not a number, but unit {unit!r} says it counts"
            )
        return self

    @property
    def text(self) -> str:
        return f"{self.value}{self.unit}"

    def number(self) -> Any:
        """The value as a Decimal (with its unit's 万/亿 applied), or None when not numeric."""
        try:
            return parse_number(str(self.value))
        except ValueError:
            return None


class FactSheet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report: ReportMeta = Field(default_factory=ReportMeta)
    facts: list[Fact] = Field(default_factory=list)

    @field_validator("facts")
    @classmethod
    def _unique_keys(cls, facts: list[Fact]) -> list[Fact]:
        seen: set[str] = set()
        for i, f in enumerate(facts):
            if f.key in seen:
                raise ValueError(f"facts[{i}]: duplicate key {f.key!r}")
            seen.add(f.key)
        return facts

    def period(self) -> tuple[dt.date, dt.date] | None:
        """The reporting period as dates, from ``period`` and ``date`` where recognisable."""
        return parse_period(self.report.period or "", self.report.date)


_YM_SINCE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:份)?)?以来")
_RANGE = re.compile(r"(\d{4})年?(?:(\d{1,2})月)?\s*[—–\-～~至到]\s*(\d{4})年?(?:(\d{1,2})月)?")
_YEAR = re.compile(r"^(\d{4})年(?:度)?$")
# 2025年1—11月, 2025年8月—11月: months of one year, as staff write them
_MONTHS = re.compile(r"(\d{4})年(\d{1,2})月?\s*[—–\-～~至到]+\s*(\d{1,2})月")


def parse_period(text: str, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    text = text.strip()
    m = _YM_SINCE.search(text)
    if m:
        start = dt.date(int(m.group(1)), int(m.group(2) or 1), 1)
        return start, end or dt.date(start.year, 12, 31)
    m = _MONTHS.search(text)
    if m and 1 <= int(m.group(2)) <= int(m.group(3)) <= 12:
        y, m1, m2 = int(m.group(1)), int(m.group(2)), int(m.group(3))
        last = dt.date(y + (m2 == 12), m2 % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(y, m1, 1), last
    m = _RANGE.search(text)
    if m:
        y2, m2 = int(m.group(3)), int(m.group(4) or 12)
        last = dt.date(y2 + (m2 == 12), m2 % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(int(m.group(1)), int(m.group(2) or 1), 1), last
    m = _YEAR.match(text)
    if m:
        return dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(1)), 12, 31)
    if end is not None:
        return dt.date(end.year, 1, 1), end
    return None


def load_fact_sheet(path: Path) -> FactSheet:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactSheetError(f"{path}: cannot read ({exc})") from exc
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FactSheetError(
            f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'} ({exc})"
        ) from exc
    if not isinstance(data, dict):
        raise FactSheetError(f"{path}: expected a mapping with 'report' and 'facts'")
    try:
        return FactSheet.model_validate(data)
    except ValidationError as exc:
        raise FactSheetError(f"{path}: {first_error(exc, whole='sheet')}") from exc
