"""Proposed facts: suggestions read from an upload or a chat message, awaiting the user's word.

A :class:`ProposedFact` is never a fact of the report until the user confirms it; confirmed
proposals enter a fact sheet through :func:`merge_proposals` / :func:`add_confirmed`, which never
duplicate a key. This module also owns the value splitting both proposers share, so a table cell
``1.2万人次`` and a chat phrase ``1.2万人次`` become the same value (12000) and unit (人次).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant.facts.numbers import halfwidth, parse_number
from assistant.facts.quantities import UNITS, Quantity, find_quantities
from assistant.facts.sheet import Fact, FactSheet

log = logging.getLogger(__name__)

_APPROX_NOTE = "约数"
_APPROX_UNIT = re.compile("(?:余|多)(" + "|".join(map(re.escape, UNITS)) + ")")


@dataclass(frozen=True)
class ProposedFact:
    """A fact as the proposer read it, the text it came from, and how sure the reading is."""

    fact: Fact
    origin: str  # the cell (row) or sentence the fact was read from, shown to the user
    confidence: float  # 0–1; below ~0.7 the key was guessed and deserves a look

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0–1, got {self.confidence}")

    @property
    def key(self) -> str:
        return self.fact.key


@dataclass(frozen=True)
class Merge:
    """The outcome of merging confirmed proposals: the new sheet and what happened to each key."""

    sheet: FactSheet
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # key already present and replace=False


def merge_proposals(
    sheet: FactSheet, proposals: Iterable[ProposedFact], *, replace: bool = False
) -> Merge:
    """A new sheet with the proposals added; an existing key is replaced only when ``replace``.

    Replacing swaps the whole fact (value, unit, note, source) in place, so the sheet keeps its
    order and the fact's provenance stays true. The input sheet is not modified.
    """
    facts = [f.model_copy() for f in sheet.facts]
    index = {f.key: i for i, f in enumerate(facts)}
    added: list[str] = []
    replaced: list[str] = []
    skipped: list[str] = []
    for p in proposals:
        fact = p.fact.model_copy()
        if fact.key not in index:
            index[fact.key] = len(facts)
            facts.append(fact)
            added.append(fact.key)
        elif replace:
            facts[index[fact.key]] = fact
            replaced.append(fact.key)
        else:
            skipped.append(fact.key)
    new = FactSheet(report=sheet.report.model_copy(), facts=facts)
    return Merge(sheet=new, added=added, replaced=replaced, skipped=skipped)


def add_confirmed(
    sheet: FactSheet, proposals: Iterable[ProposedFact], *, replace: bool = False
) -> FactSheet:
    """:func:`merge_proposals` for callers that only need the sheet; skipped keys are logged."""
    merge = merge_proposals(sheet, proposals, replace=replace)
    if merge.skipped:
        log.info("facts already on the sheet, not replaced: %s", "、".join(merge.skipped))
    return merge.sheet


def plain_number(value: Decimal) -> int | float:
    """12000.0 → 12000 and 98.50 → 98.5, so a fact's text reads as the user wrote it."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def raw_unit(q: Quantity) -> str:
    """The unit as written (人, not the checker's normalised 名), minus 余 and a leading 万/亿.

    find_quantities already multiplied the value by the 万 of 万人次, so keeping it in the unit
    would count it twice.
    """
    if q.kind == "percent":
        return "%"
    text = halfwidth(q.text)
    unit = next((u for u in UNITS if text.endswith(u)), "")
    unit = unit.removeprefix("余")
    if len(unit) > 1 and unit[0] in "万亿":
        unit = unit[1:]
    if unit in ("万", "亿") and not q.unit:
        return ""  # the 万 was part of the number (3万)
    return unit


def complete(q: Quantity, text: str) -> Quantity:
    """Extend a bare number over a following 余/多 + unit that find_quantities does not know.

    find_quantities reads 120余次 but stops at 5000 in 5000余份 (余份 is not in its unit list).
    """
    if q.kind != "number" or q.unit:
        return q
    m = _APPROX_UNIT.match(halfwidth(text), q.end)
    if m is None:
        return q
    value, unit = q.value, m.group(1)
    if len(unit) > 1 and unit[0] in "万亿":
        value *= 10_000 if unit[0] == "万" else 100_000_000
    end = m.end()
    return replace(q, end=end, text=text[q.start : end], value=value, unit=unit, approx=True)


def quantity_parts(q: Quantity) -> tuple[int | float, str, str]:
    """(value, unit, note) of a number or percentage; approximate counts say so in the note."""
    note = f"{_APPROX_NOTE}（原文：{q.text}）" if q.approx else ""
    return plain_number(q.value), raw_unit(q), note


def split_value(text: str) -> tuple[int | float, str, str] | None:
    """A whole cell as (value, unit, note) — 12次, 3560名, 85.5%, 1.2万, -3.5 — or None.

    None when the cell is not exactly one number: text, dates, ranges, or several numbers.
    """
    body = text.strip()
    negative = body[:1] in ("-", "－", "−")
    if negative:
        body = body[1:].strip()
    if not body:
        return None
    parts: tuple[int | float, str, str] | None = None
    found = find_quantities(body)
    if len(found) == 1 and found[0].kind in ("number", "percent"):
        q = complete(found[0], body)
        if q.start == 0 and q.end == len(body):
            parts = quantity_parts(q)
    if parts is None:
        # Bare Chinese numerals (十二) need a unit in running text, but a cell is unambiguous.
        try:
            unit = "%" if body.endswith(("%", "％")) else ""
            parts = (plain_number(parse_number(body)), unit, "")
        except ValueError:
            return None
    if negative:
        return -parts[0], parts[1], parts[2]
    return parts
