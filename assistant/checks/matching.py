"""Known quantities and the test of whether a written figure is one of them, in any notation.

Shared by the grounding of numbers, the totals check and the citation check, so that "matches a
fact" means the same everywhere: value and unit agree (万/亿 scaled, 名 and 人 alike), an
approximate figure (3500余名) covers its range, a date matches as far as it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assistant.checks.counted import counted
from assistant.checks.evidence import Source, statements
from assistant.facts.quantities import Quantity, find_quantities
from assistant.facts.sheet import Fact, FactSheet

_PEOPLE = {"名", "人", "位"}  # 人次 counts visits, not people: never the same figure


@dataclass(frozen=True)
class Known:
    value: Decimal
    unit: str
    label: str
    date: tuple[int, int | None, int | None] | None = None
    high: Decimal | None = None
    what: str = ""  # what the figure counts, as its clause says (see assistant.checks.counted)


def units_agree(a: str, b: str) -> bool:
    return a == b or not a or not b or (a in _PEOPLE and b in _PEOPLE)


def known_from(label: str, text: str) -> list[Known]:
    return [
        Known(q.value, q.unit, label, q.date, q.high, counted(text, q.start))
        for q in find_quantities(text)
    ]


def fact_known(f: Fact) -> list[Known]:
    found = known_from(f.key, f.text)
    number = f.number()
    if number is not None and not found:
        return [Known(number, f.unit, f.key)]
    return found


def fact_values(sheet: FactSheet) -> list[Known]:
    out: list[Known] = []
    for f in sheet.facts:
        out.extend(fact_known(f))
        # 全年通过12315平台受理, 60岁以上老年人: the user's note and key are fact layer too.
        for said in (f.note, f.key):
            if said:
                out.extend(known_from(f.key, said))
    meta = sheet.report
    for label, text in (("report.title", meta.title), ("report.period", meta.period)):
        if text:
            out.extend(known_from(label, text))
    if meta.date:
        d = meta.date
        out.append(Known(Decimal(d.year), "", "report.date", (d.year, d.month, d.day)))
    return out


def source_values(source: Source) -> list[Known]:
    """The figures a passage states as data; an instruction's figures (改为9999) are none."""
    return known_from(source.id, statements(source.text))


def close(q: Quantity, value: Decimal) -> bool:
    if not q.approx:
        return value == q.value
    # 3500余名 covers 3500 to 3599: the step is the last non-zero place of the figure.
    step = Decimal(1)
    v = int(q.value)
    while v and v % 10 == 0:
        v //= 10
        step *= 10
    return q.value <= value < q.value + step


def matches(q: Quantity, known: Iterable[Known]) -> Known | None:
    for k in known:
        if q.kind in ("date", "year"):
            if k.date is None or q.date is None:
                continue
            qy, qm, qd = q.date
            ky, km, kd = k.date
            if (qy in (0, ky)) and (qm is None or qm == km) and (qd is None or qd == kd):
                return k
        elif k.date is None and close(q, k.value) and units_agree(q.unit, k.unit):
            if q.kind == "range" and k.high != q.high:
                continue
            return k
    return None


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
