"""Grounding: every number, date, year and cited 《title》 in a draft, traced to the fact layer.

A quantity is supported by a fact (value and unit agree in any notation), by a passage of the
report's own uploads, or derived from facts (a sum, difference or share, recomputed); a number
found only in corpus exemplars was copied from another unit's or year's report; anything else is
unsupported. Placeholders are left to the proofreading rules (one finding per problem).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from assistant.domain import Issue
from assistant.facts.quantities import Quantity, find_quantities
from assistant.facts.sheet import FactSheet

Status = Literal["fact", "upload", "derived", "period", "exemplar", "unsupported"]
CATEGORY = "数据核查"
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_PEOPLE = {"名", "人", "位"}  # 人次 counts visits, not people: never the same figure
# Derivations are tried only where the wording announces one; otherwise any two small facts
# add up to almost any small number and fabrications would pass as "derived".
_SUM_CUE = re.compile(r"(?:共|合计|总计|累计|一共|总共|共计|总数|总量|两项|二者)[^，。；]{0,10}$")
_DIFF_CUE = re.compile(
    r"(?:增加|减少|多|少|净增|净减|相差|差距|增长|下降|提高|降低|尚有|剩余|还有|仍有|余下|未)"
    r"[^，。；]{0,6}$"
)
_SHARE_CUE = re.compile(r"(?:占|比例|比重|率|占比|完成|达到)[^，。；]{0,10}$")
_GROWTH_CUE = re.compile(
    r"(?:增长|下降|提高|降低|增幅|降幅|同比|比上年|上升|减少|增加)[^，。；]{0,8}$"
)
_MAX_DERIVED_FACTS = 200


@dataclass(frozen=True)
class Source:
    id: str  # S1… for uploads, E1… for exemplars, or a file name
    text: str


@dataclass
class Evidence:
    facts: FactSheet = field(default_factory=FactSheet)
    uploads: list[Source] = field(default_factory=list)
    exemplars: list[Source] = field(default_factory=list)
    known_title: Callable[[str], bool] | None = None  # the corpus: is this a document we hold?


@dataclass(frozen=True)
class Grounded:
    quantity: Quantity
    status: Status
    source: str = ""  # fact key, upload id or formula


@dataclass(frozen=True)
class _Known:
    value: Decimal
    unit: str
    label: str
    date: tuple[int, int | None, int | None] | None = None
    high: Decimal | None = None


def _units_agree(a: str, b: str) -> bool:
    return a == b or not a or not b or (a in _PEOPLE and b in _PEOPLE)


def _known_from(label: str, text: str) -> list[_Known]:
    return [_Known(q.value, q.unit, label, q.date, q.high) for q in find_quantities(text)]


def _fact_values(sheet: FactSheet) -> list[_Known]:
    out: list[_Known] = []
    for f in sheet.facts:
        found = _known_from(f.key, f.text)
        number = f.number()
        if number is not None and not found:
            out.append(_Known(number, f.unit, f.key))
        out.extend(found)
        # 全年通过12315平台受理, 60岁以上老年人: the user's note and key are fact layer too.
        for said in (f.note, f.key):
            if said:
                out.extend(_known_from(f.key, said))
    meta = sheet.report
    for label, text in (("report.title", meta.title), ("report.period", meta.period)):
        if text:
            out.extend(_known_from(label, text))
    if meta.date:
        d = meta.date
        out.append(_Known(Decimal(d.year), "", "report.date", (d.year, d.month, d.day)))
    return out


def _close(q: Quantity, value: Decimal) -> bool:
    if not q.approx:
        return value == q.value
    # 3500余名 covers 3500 to 3599: the step is the last non-zero place of the figure.
    step = Decimal(1)
    v = int(q.value)
    while v and v % 10 == 0:
        v //= 10
        step *= 10
    return q.value <= value < q.value + step


def _matches(q: Quantity, known: Iterable[_Known]) -> _Known | None:
    for k in known:
        if q.kind in ("date", "year"):
            if k.date is None or q.date is None:
                continue
            qy, qm, qd = q.date
            ky, km, kd = k.date
            if (qy in (0, ky)) and (qm is None or qm == km) and (qd is None or qd == kd):
                return k
        elif k.date is None and _close(q, k.value) and _units_agree(q.unit, k.unit):
            if q.kind == "range" and k.high != q.high:
                continue
            return k
    return None


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _derived(q: Quantity, facts: list[_Known], before: str) -> str | None:
    numbers = [k for k in facts if k.date is None and k.high is None][:_MAX_DERIVED_FACTS]
    tolerance = Decimal(5) / Decimal(10) ** (_places(q.value) + 1)
    if q.kind == "percent":
        counts = [k for k in numbers if k.unit != "%"]
        if _SHARE_CUE.search(before):
            for a, b in itertools.permutations(counts, 2):
                agree = b.value and _units_agree(a.unit, b.unit)
                if agree and abs(a.value / b.value * 100 - q.value) <= tolerance:
                    return f"{a.label}/{b.label}"
        if _GROWTH_CUE.search(before):
            for a, b in itertools.permutations(counts, 2):
                agree = b.value and a.unit == b.unit and a.value > 0
                if agree and abs(abs(a.value - b.value) / b.value * 100 - q.value) <= tolerance:
                    return f"({a.label}-{b.label})/{b.label}"
        return None
    if q.unit == "个百分点":
        shares = [k for k in numbers if k.unit == "%"]
        for a, b in itertools.combinations(shares, 2):
            if abs(abs(a.value - b.value) - q.value) <= tolerance:
                return f"{a.label}-{b.label}"
        return None
    same = [k for k in numbers if _units_agree(q.unit, k.unit) and k.unit != "%"]
    if _SUM_CUE.search(before):
        for a, b in itertools.combinations(same, 2):
            if a.value + b.value == q.value:
                return f"{a.label}+{b.label}"
        if len(same) > 2 and sum(k.value for k in same) == q.value:
            return "+".join(k.label for k in same)
    if _DIFF_CUE.search(before):
        for a, b in itertools.combinations(same, 2):
            if abs(a.value - b.value) == q.value:
                return f"{a.label}-{b.label}" if a.value > b.value else f"{b.label}-{a.label}"
    return None


def _in_titles(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TITLE.finditer(text)]


def ground(text: str, evidence: Evidence) -> tuple[list[Grounded], list[Issue]]:
    facts = _fact_values(evidence.facts)
    uploads = [k for s in evidence.uploads for k in _known_from(s.id, s.text)]
    exemplars = [k for s in evidence.exemplars for k in _known_from(s.id, s.text)]
    period = evidence.facts.period()
    titles = _in_titles(text)
    grounded: list[Grounded] = []
    issues: list[Issue] = []
    for q in find_quantities(text):
        if any(a <= q.start < b for a, b in titles):
            continue  # a year inside a cited title belongs to the title
        before = text[max(0, q.start - 16) : q.start]
        g = _decide(q, facts, uploads, exemplars, period, before)
        grounded.append(g)
        issues.extend(_issues_for(g, period))
    issues.extend(_title_issues(text, evidence))
    return grounded, sorted(issues, key=lambda i: (i.start, i.rule))


def _decide(
    q: Quantity,
    facts: list[_Known],
    uploads: list[_Known],
    exemplars: list[_Known],
    period: tuple[dt.date, dt.date] | None,
    before: str,
) -> Grounded:
    hit = _matches(q, facts)
    if hit is not None:
        return Grounded(q, "fact", hit.label)
    hit = _matches(q, uploads)
    if hit is not None:
        return Grounded(q, "upload", hit.label)
    if q.kind in ("number", "percent"):
        formula = _derived(q, facts, before)
        if formula:
            return Grounded(q, "derived", formula)
    if q.kind == "year" and period and period[0].year <= int(q.value) <= period[1].year:
        return Grounded(q, "period", "report.period")
    # A bare year is shared by every report of that year: it says nothing about copying.
    hit = _matches(q, exemplars) if q.kind != "year" else None
    if hit is not None:
        return Grounded(q, "exemplar", hit.label)
    return Grounded(q, "unsupported")


def _outside(q: Quantity, period: tuple[dt.date, dt.date] | None) -> bool:
    if period is None or q.date is None:
        return False
    y, m, d = q.date
    if y == 0:
        return False
    start = dt.date(y, m or 12, 1) if m else dt.date(y, 12, 31)
    end = dt.date(y, m or 1, d or 1) if m else dt.date(y, 1, 1)
    return start < period[0] or end > period[1]


def _issues_for(g: Grounded, period: tuple[dt.date, dt.date] | None) -> list[Issue]:
    q = g.quantity
    out: list[Issue] = []
    if q.kind in ("date", "year") and _outside(q, period):
        assert period is not None
        out.append(
            Issue(
                "GR003",
                CATEGORY,
                "warning",
                q.start,
                q.end,
                q.text,
                f"日期不在报告期（{period[0]:%Y-%m-%d}至{period[1]:%Y-%m-%d}）内，请核实",
            )
        )
    if g.status == "exemplar":
        out.append(
            Issue(
                "GR002",
                CATEGORY,
                "error",
                q.start,
                q.end,
                q.text,
                f"这个数字只见于范文（{g.source}），可能照抄了其他单位或年份的数据",
                "【待补充：…】",
            )
        )
    elif g.status == "unsupported":
        if q.kind == "year":
            if not out:
                out.append(
                    Issue(
                        "GR005",
                        CATEGORY,
                        "info",
                        q.start,
                        q.end,
                        q.text,
                        "年份未见于事实表或上传材料",
                    )
                )
        else:
            what = "日期" if q.kind == "date" else "数字"
            out.append(
                Issue(
                    "GR001",
                    CATEGORY,
                    "error",
                    q.start,
                    q.end,
                    q.text,
                    f"{what}没有出处：事实表、上传材料中都找不到，也不能由事实推算",
                    "【待补充：…】",
                )
            )
    return out


def _title_issues(text: str, evidence: Evidence) -> list[Issue]:
    pool = [evidence.facts.report.title or ""]
    pool += [f"{f.value}{f.note}" for f in evidence.facts.facts]
    pool += [s.text for s in evidence.uploads] + [s.text for s in evidence.exemplars]
    out: list[Issue] = []
    for m in _TITLE.finditer(text):
        title = m.group(1)
        if any(title in p for p in pool):
            continue
        if evidence.known_title is not None and evidence.known_title(title):
            continue
        out.append(
            Issue(
                "GR004",
                CATEGORY,
                "warning",
                m.start(),
                m.end(),
                m.group(0),
                "引用的文件名称不在语料库、上传材料或事实表中，请核实",
            )
        )
    return out
