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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from assistant.checks import totals
from assistant.checks.citations import MARKER, check_cited, in_text_citations
from assistant.checks.counted import counted, same_thing
from assistant.checks.evidence import Evidence, Source
from assistant.checks.matching import (
    Known,
    fact_values,
    matches,
    places,
    source_values,
    units_agree,
)
from assistant.checks.name_grounding import GroundedName, ground_names, name_issues
from assistant.checks.titles import title_issues, title_spans
from assistant.domain import Issue
from assistant.facts.quantities import Quantity, find_quantities

__all__ = ["CATEGORY", "Evidence", "Grounded", "GroundedName", "Source", "Status", "ground"]

Status = Literal[
    "fact",
    "upload",
    "derived",
    "period",
    "exemplar",
    "unsupported",
    "total",
    "elsewhere",
    "miscalc",
]
CATEGORY = "数据核查"
# Derivations are tried only where the wording announces one; otherwise any two small facts
# add up to almost any small number and fabrications would pass as "derived".
_SUM_CUE = totals.CUE
_DIFF_CUE = re.compile(
    r"(?:增加|减少|多|少|净增|净减|相差|差距|增长|下降|提高|降低|尚有|剩余|还有|仍有|余下|未)"
    r"[^，。；]{0,6}$"
)
_SHARE_CUE = totals.SHARE_CUE
_GROWTH_CUE = totals.GROWTH_CUE
_MAX_DERIVED_FACTS = 200


@dataclass(frozen=True)
class Grounded:
    quantity: Quantity
    status: Status
    source: str = ""  # fact key, upload id or formula ("total": the parts' sum)
    note: str = ""  # "elsewhere": what the upload's figure counts, and what the draft's does


def _derived(q: Quantity, facts: list[Known], before: str) -> str | None:
    numbers = [k for k in facts if k.date is None and k.high is None][:_MAX_DERIVED_FACTS]
    tolerance = Decimal(5) / Decimal(10) ** (places(q.value) + 1)
    if q.kind == "percent":
        counts = [k for k in numbers if k.unit != "%"]
        if _SHARE_CUE.search(before):
            for a, b in itertools.permutations(counts, 2):
                agree = b.value and units_agree(a.unit, b.unit)
                if agree and abs(a.value / b.value * 100 - q.value) <= tolerance:
                    return f"{a.label}/{b.label}"
        if _GROWTH_CUE.search(before):
            falling = bool(totals.FALLING.search(before))
            for a, b in itertools.combinations(counts, 2):
                rate = totals.growth_rate(a.value, b.value, falling) if a.unit == b.unit else None
                if rate is not None and abs(rate - q.value) <= tolerance:
                    low, high = sorted((a, b), key=lambda k: k.value)
                    base, other = (high, low) if falling else (low, high)
                    return f"({other.label}-{base.label})/{base.label}"
        return None
    if q.unit == "个百分点":
        shares = [k for k in numbers if k.unit == "%"]
        for a, b in itertools.combinations(shares, 2):
            if abs(abs(a.value - b.value) - q.value) <= tolerance:
                return f"{a.label}-{b.label}"
        return None
    same = [k for k in numbers if units_agree(q.unit, k.unit) and k.unit != "%"]
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


_SESSION = re.compile(r"[一二三四五六七八九十]*中全会|全会|全国人大|人大|政协|中央|党代会|委员会")


def _ordinal_session(text: str, q: Quantity) -> bool:
    """党的二十届三中全会, 第十四届全国人大: a session's number names it, it counts nothing."""
    if q.unit != "届":
        return False
    return text[max(0, q.start - 2) : q.start] == "党的" or bool(_SESSION.match(text, q.end))


# 县乡村三级医疗机构, 二级医院, 一级响应: a level named in words, not a count to source.
_LEVEL = re.compile(r"[一二三四五]级")


def _level_name(text: str, q: Quantity) -> bool:
    return q.unit == "级" and _LEVEL.fullmatch(text[q.start : q.end]) is not None


@dataclass(frozen=True)
class _Pools:
    facts: list[Known]
    uploads: list[Known]
    exemplars: list[Known]
    period: tuple[dt.date, dt.date] | None


def ground(text: str, evidence: Evidence) -> tuple[list[Grounded], list[Issue]]:
    """Numbers, dates, totals, citation markers, names and cited titles of ``text``, traced."""
    grounded, issues = _ground_quantities(text, evidence)
    names = ground_names(text, evidence)
    issues += name_issues(names, evidence)
    issues += title_issues(text, evidence)
    return grounded, sorted(issues, key=lambda i: (i.start, i.rule))


def _ground_quantities(text: str, evidence: Evidence) -> tuple[list[Grounded], list[Issue]]:
    pools = _Pools(
        fact_values(evidence.facts),
        [k for s in evidence.uploads for k in source_values(s)],
        [k for s in evidence.exemplars for k in source_values(s)],
        evidence.facts.period(),
    )
    # A year inside a cited title belongs to the title; a marker's digits are no figure.
    skip = title_spans(text) + [m.span() for m in MARKER.finditer(text)]
    quantities = [
        q
        for q in find_quantities(text)
        if not any(a <= q.start < b for a, b in skip)
        and not _ordinal_session(text, q)
        and not _level_name(text, q)
    ]
    grounded: list[Grounded] = []
    issues: list[Issue] = []
    for q in quantities:
        g = _decide(text, q, quantities, pools)
        grounded.append(g)
        issues.extend(_issues_for(g, pools.period))
    cited = check_cited(text, in_text_citations(text), evidence, skip=skip)
    miscited = {(i.start, i.end) for i in cited if i.severity == "error"}
    # One finding per problem: a figure its marker contradicts is not also "without source".
    issues = [i for i in issues if not (i.rule == "GR001" and (i.start, i.end) in miscited)]
    return grounded, issues + cited


def _decide(text: str, q: Quantity, quantities: Sequence[Quantity], pools: _Pools) -> Grounded:
    hit = matches(q, pools.facts)
    if hit is not None:
        return Grounded(q, "fact", hit.label)
    # An upload backs a figure only where it counts the same thing (9720件 of 登记 is not 9720件
    # of 投诉); the same figure about something else is reported as such, not as support.
    elsewhere = matches(q, pools.uploads)
    what = counted(text, q.start) if elsewhere is not None else ""
    if elsewhere is not None:
        hit = matches(q, [k for k in pools.uploads if same_thing(what, k.what)])
        if hit is not None:
            return Grounded(q, "upload", hit.label)
    if q.kind == "number":
        parts = totals.listed_parts(text, q, quantities)
        if parts:  # the sentence states its own sum: only that sum counts
            summed = totals.formula(parts)
            ok = totals.parts_sum(parts) == q.value
            return Grounded(q, "derived" if ok else "total", summed)
    rate = totals.listed_rate(text, q, quantities)
    if rate is not None and rate.exact:
        return Grounded(q, "derived", rate.formula)
    if q.kind in ("number", "percent"):
        before = text[max(0, q.start - 16) : q.start]
        formula = _derived(q, pools.facts, before)
        if formula:
            return Grounded(q, "derived", formula)
    period = pools.period
    if q.kind == "year" and period and period[0].year <= int(q.value) <= period[1].year:
        return Grounded(q, "period", "report.period")
    if rate is not None:
        return Grounded(q, "miscalc", rate.formula, f"{rate.value:.{max(1, places(q.value))}f}%")
    if elsewhere is not None:
        return Grounded(q, "elsewhere", elsewhere.label, f"{elsewhere.what}|{what}")
    # A bare year is shared by every report of that year: it says nothing about copying.
    hit = matches(q, pools.exemplars) if q.kind != "year" else None
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
    # A date the user's facts or uploads give is theirs to give (计划2026年6月底前完成, 2019年
    # 以来): only an unsourced one outside the period asks to be checked.
    if q.kind in ("date", "year") and g.status not in ("fact", "upload") and _outside(q, period):
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
    elif g.status == "miscalc":
        out.append(
            Issue(
                "GR012",
                CATEGORY,
                "error",
                q.start,
                q.end,
                q.text,
                f"比例算得不对：按本句所列数字，{g.source}约为{g.note}，这里写的是{q.text}",
                f"改为{g.note}，或核对所列数字",
            )
        )
    elif g.status == "elsewhere":
        theirs, ours = g.note.split("|", 1)
        out.append(
            Issue(
                "GR011",
                CATEGORY,
                "error",
                q.start,
                q.end,
                q.text,
                f"上传材料{g.source}里的“{q.text}”说的是“{theirs}”，这里说的是“{ours}”："
                "数字相同，所指不同",
                "核对数字，或写明上传材料所说的事项",
            )
        )
    elif g.status == "total":
        parts = g.source.replace("+", "、")
        out.append(
            Issue(
                "GR009",
                CATEGORY,
                "error",
                q.start,
                q.end,
                q.text,
                f"合计数与所列分项之和不符：{parts}相加不等于{q.text}",
                "核对合计数或各分项",
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
