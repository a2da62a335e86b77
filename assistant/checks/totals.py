"""Arithmetic a sentence states itself: totals against the parts it lists, rates against the
counts it lists.

"其中常委会议12次、理论学习中心组会议8次，共计25次" states its own arithmetic: 12 + 8 is 20, so
25 is wrong however many facts happen to add up to 25. Only a total whose sentence lists no parts
may be recomputed from the facts (see grounding's derivations). Likewise "检视问题63个，已整改58个，
整改率92.1%" computes its rate from the counts before it: 58/63 is 92.06%, which must round to what
is written, to as many decimals as written (92% and 92.1% pass, 92.0% and 93% do not).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from assistant.checks.matching import places, units_agree
from assistant.facts.quantities import Quantity

# 共 as in 共计 / 共召开 — not 公共, 中共, 共产党, 共同, 共享, 共建 …
CUE = re.compile(
    r"(?:共计|合计|总计|累计|一共|总共|(?<![公中])共(?![产同享建治青识商赢性存]))[^，。；]{0,10}$"
)
_STOPS = "。；！？\n"
SHARE_CUE = re.compile(r"(?:占|比例|比重|率|占比|完成|达到)[^，。；]{0,10}$")
GROWTH_CUE = re.compile(
    r"(?:增长|下降|提高|降低|增幅|降幅|同比|比上年|上升|减少|增加)[^，。；]{0,8}$"
)
FALLING = re.compile(r"下降|降低|降幅|减少|回落")


def growth_rate(a: Decimal, b: Decimal, falling: bool) -> Decimal | None:
    """The change between two values in per cent of the right base: a rise is measured on the
    smaller value, a fall on the larger (4.1 → 4.6 亿元 is +12.2%, not the 10.9% of 0.5/4.6)."""
    low, high = min(a, b), max(a, b)
    base = high if falling else low
    return (high - low) / base * 100 if base > 0 else None


# A rate this close to one its sentence's counts give (3 points, or a quarter of it) is that
# computation gone wrong — a wrong base, a slip — not a figure of its own: a 覆盖率 of 65% beside
# 800 and 3200 acres is about something else.
_NEAR, _NEAR_SHARE = Decimal(3), Decimal("0.25")


@dataclass(frozen=True)
class Rate:
    value: Decimal  # in per cent
    formula: str  # 58/63, (150-120)/120
    exact: bool  # rounds to what is written


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _STOPS) + 1


def listed_parts(text: str, q: Quantity, quantities: Sequence[Quantity]) -> list[Quantity]:
    """The addends a total's sentence lists before its cue; [] when it lists fewer than two."""
    start = _sentence_start(text, q.start)
    cue = CUE.search(text, start, q.start)
    if cue is None:
        return []
    parts = [
        p
        for p in quantities
        if start <= p.start
        and p.end <= cue.start()
        and p.kind == "number"
        and p.unit != "%"
        and units_agree(p.unit, q.unit)
        and bool(p.unit) == bool(q.unit)
    ]
    return parts if len(parts) >= 2 else []


def parts_sum(parts: Sequence[Quantity]) -> Decimal:
    return sum((p.value for p in parts), Decimal(0))


def formula(parts: Sequence[Quantity]) -> str:
    return "+".join(p.text for p in parts)


def listed_rate(text: str, q: Quantity, quantities: Sequence[Quantity]) -> Rate | None:
    """The share or growth rate that counts listed before ``q`` in its sentence give, when the
    wording announces one and it is exact or near what is written; None otherwise."""
    if q.kind != "percent":
        return None
    before = text[max(0, q.start - 16) : q.start]
    share, growth = SHARE_CUE.search(before), GROWTH_CUE.search(before)
    if not (share or growth):
        return None
    start = _sentence_start(text, q.start)
    counts = [
        p
        for p in quantities
        if start <= p.start and p.end <= q.start and p.kind == "number" and p.unit != "%"
    ]
    tolerance = Decimal(5) / Decimal(10) ** (places(q.value) + 1)
    best: Rate | None = None
    for a, b in itertools.permutations(counts, 2):
        if not b.value or not (
            a.unit == b.unit or (units_agree(a.unit, b.unit) and a.unit and b.unit)
        ):
            continue
        candidates = []
        if share and a.value <= b.value:
            candidates.append((a.value / b.value * 100, f"{a.text}/{b.text}"))
        rate = growth_rate(a.value, b.value, bool(FALLING.search(before))) if growth else None
        if rate is not None and a.start < b.start:  # each pair once: the base is by size
            base = (
                max(a, b, key=lambda p: p.value)
                if FALLING.search(before)
                else min(a, b, key=lambda p: p.value)
            )
            other = b if base is a else a
            candidates.append((rate, f"({other.text}-{base.text})/{base.text}"))
        for value, formula in candidates:
            gap = abs(value - q.value)
            if gap <= tolerance:
                return Rate(value, formula, True)
            if gap <= max(_NEAR, value * _NEAR_SHARE) and (
                best is None or gap < abs(best.value - q.value)
            ):
                best = Rate(value, formula, False)
    return best
