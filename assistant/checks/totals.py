"""Totals announced by 共计/合计/总计/累计 against the parts the same sentence lists before them.

"其中常委会议12次、理论学习中心组会议8次，共计25次" states its own arithmetic: 12 + 8 is 20, so
25 is wrong however many facts happen to add up to 25. Only a total whose sentence lists no parts
may be recomputed from the facts (see grounding's derivations).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from assistant.checks.matching import units_agree
from assistant.facts.quantities import Quantity

# 共 as in 共计 / 共召开 — not 公共, 中共, 共产党, 共同, 共享, 共建 …
CUE = re.compile(
    r"(?:共计|合计|总计|累计|一共|总共|(?<![公中])共(?![产同享建治青识商赢性存]))[^，。；]{0,10}$"
)
_STOPS = "。；！？\n"


def listed_parts(text: str, q: Quantity, quantities: Sequence[Quantity]) -> list[Quantity]:
    """The addends a total's sentence lists before its cue; [] when it lists fewer than two."""
    start = max(text.rfind(ch, 0, q.start) for ch in _STOPS) + 1
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
