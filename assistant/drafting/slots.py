"""Slots in an exemplar passage, and what fills each: a fact, the report's meta, or 【待补充】.

A slot is every number, percentage, date and year (found as the checker finds them) and every
placeholder (X, XX, ××). A number slot is matched to a fact by the words around it and its unit:
the noun a figure counts sits right before it (参学党员3560名) or right after its measure word
(召开12次常委会议). A placeholder that stands for the reporting unit (X委, 我X, 全X) becomes the
organisation; a year or period that opens the passage becomes the report's period. Anything
unmatched becomes 【待补充：<what>】, never the exemplar's own figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.drafting.evidence import bigrams
from assistant.drafting.slot_words import (
    PLACEHOLDER,
    UNIT_AFTER,
    X,
    clause_left,
    clause_right,
    missing_what,
    noun_after,
    noun_before,
    sentence_left,
)
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import Fact, FactSheet
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of slots.toml

_PH_YEAR = rf"(?:19|20)?{X}{{2}}年(?:度)?"
_PH_MD = rf"{X}{{1,2}}月(?:{X}{{1,2}}日|底|初|份|上旬|中旬|下旬)?"
_PH_DATE = re.compile(
    rf"(?:{_PH_YEAR}(?:{_PH_MD})?|{_PH_MD})(?:[至到—–\-－](?:{_PH_MD}|{X}{{1,2}}日))?"
)
# XX县, XX区教育体育局, XX县委: a placeholder place, possibly with the body's name after it.
_PH_ORG = re.compile(
    rf"{X}{{1,4}}(?:[省市县区镇乡州]|街道)"
    r"(?:[\u4e00-\u9fff]{0,6}?(?:局|委员会|党委|党组|委|政府|办公室|中心|部))?"
)
_DATE_TAIL = ("上半年", "下半年", "年度", "度", "底", "初", "末", "份")
_ORG_SUFFIX = ("党委（党组）", "党委", "党组", "委", "四家班子", "政府", "局")
_ORG_PREFIX = ("我", "全", "本", "各")
_ADMIN = "县市区镇乡省州旗盟村"
# Key endings that only say "how many": 党员人数 counts 党员.
_GENERIC_TAIL = (
    *("人数", "次数", "个数", "数量", "总数", "数", "情况"),
    *("时间", "日期", "时点", "年度"),
)
_MATCH_MIN = 0.4
_DATE_MATCH_MIN = 0.15  # date facts are few; a weak fit beats a 【待补充】
# 10亿元以上项目, 超过50万元的村: a threshold that defines what is counted, not a result.
_CRITERION_BEFORE = ("超过", "超", "不足", "低于", "高于", "大于", "小于", "不低于", "不少于")
_AS_OF = ("截至", "截止", "截止到", "截至到")
_PEOPLE = {"名", "人", "位"}


@dataclass(frozen=True)
class Slot:
    start: int
    end: int
    text: str
    kind: str  # number | percent | range | date | year | name | org
    unit: str = ""
    value: Decimal | None = None


@dataclass(frozen=True)
class Fill:
    slot: Slot
    text: str  # what replaces the slot
    fact: str | None = None  # fact key
    meta: str | None = None  # report.organization, report.period …
    missing: str | None = None  # what the 【待补充】 marker asks for

    @property
    def target(self) -> str | None:
        return self.fact or self.meta


def find_slots(text: str) -> list[Slot]:
    slots: list[Slot] = []
    taken = [False] * len(text)

    def add(slot: Slot) -> None:
        if any(taken[slot.start : slot.end]):
            return
        slots.append(slot)
        for i in range(slot.start, slot.end):
            taken[i] = True

    # A figure inside a cited 《title》 is part of the title, which the title check verifies.
    for m in WORDS.TITLE.finditer(text):
        for i in range(m.start(), m.end()):
            taken[i] = True
    for m in WORDS.YEAR_RANGE.finditer(text):
        add(Slot(m.start(), m.end(), m.group(), "year"))
    for m in _PH_DATE.finditer(text):
        if m.group() and re.search(X, m.group()):
            kind = "year" if "月" not in m.group() else "date"
            add(Slot(m.start(), m.end(), m.group(), kind))
    for m in _PH_ORG.finditer(text):
        add(Slot(m.start(), m.end(), m.group(), "org"))
    for m in PLACEHOLDER.finditer(text):
        a, b = m.span()
        if any(taken[a:b]):
            continue
        unit = UNIT_AFTER.match(text, b)
        suffix = next((s for s in _ORG_SUFFIX if text.startswith(s, b)), None)
        if unit and unit.group() not in ("年", "日"):
            add(Slot(a, unit.end(), text[a : unit.end()], "number", unit.group()))
        elif suffix or (a > 0 and text[a - 1] in _ORG_PREFIX and b - a == 1):
            add(Slot(a, b + len(suffix or ""), text[a : b + len(suffix or "")], "org"))
        else:
            add(Slot(a, b, m.group(), "name"))
    for q in find_quantities(text):
        value = q.value if q.kind not in ("date", "year") else None
        end = q.end
        if q.kind in ("date", "year"):
            # 2021年度, 2022年底, 2023年3月至4月: the slot is the whole expression.
            tail = next((t for t in _DATE_TAIL if text.startswith(t, end)), "")
            end += len(tail)
            span = WORDS.DATE_RANGE.match(text, end)
            if span and span.end() - span.start() > 1 and re.search(r"[月日年]$", span.group()):
                end = span.end()
        add(Slot(q.start, end, text[q.start : end], q.kind, q.unit, value))
    return sorted(slots, key=lambda s: s.start)


def _core(key: str) -> str:
    for tail in _GENERIC_TAIL:
        if key.endswith(tail) and len(key) > len(tail) + 1:
            return key[: -len(tail)]
    return key


_SAME_UNIT = ({"名", "人", "位"}, {"家", "个", "所"}, {"件", "件次"}, {"批", "批次"})
_LEVELS = ("国家级", "国家", "省级", "市级", "县级", "区级", "镇级", "乡级", "村级")
_FLOW = ("新增", "新建", "新认定", "新登记", "新招聘", "新设", "新培育", "当年", "本年", "新引进")
_STOCK = ("总数", "累计", "有效", "总量", "现有", "共有", "保有", "存量", "总计")


def _unit_norm(unit: str) -> str:
    unit = unit.strip().removeprefix("余")
    if len(unit) > 1 and unit[0] in "万亿" and unit != "万元" and unit != "亿元":
        unit = unit[1:]
    return unit


def _units_fit(slot: Slot, fact: Fact) -> bool:
    a, b = _unit_norm(slot.unit), _unit_norm(fact.unit)
    if slot.kind == "percent" or a == "%":
        return b in ("%", "％", "百分比")
    if b in ("%", "％"):
        return False
    if not a or not b:
        return True
    if a == b or any(a in group and b in group for group in _SAME_UNIT):
        return True
    if "百分点" in a or "百分点" in b:
        return False
    # 元 and 万元 differ only in scale (the checker compares values); 个 and 个工作日 in length.
    return a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a)


def _f2(name: str, side: str) -> float:
    """Recall-weighted fit of a fact's name to one side of a slot (character bigrams)."""
    if name and name in side:
        return 1.0
    k, c = bigrams(name), bigrams(side)
    hit = len(k & c)
    if not hit:
        return 0.0
    r, p = hit / len(k), hit / len(c)
    return 5 * p * r / (4 * p + r)


def _conflicts(key: str, context: str) -> bool:
    """Same words, another quantity: 省级 vs 市级, 新增 vs 累计, 超50万元 vs 超10万元."""
    levels_k = {w for w in _LEVELS if w in key}
    levels_c = {w for w in _LEVELS if w in context}
    if levels_k and levels_c and not levels_k & levels_c:
        return True
    flow_k, flow_c = any(w in key for w in _FLOW), any(w in context for w in _FLOW)
    stock_k, stock_c = any(w in key for w in _STOCK), any(w in context for w in _STOCK)
    if (flow_k and stock_c and not flow_c) or (stock_k and flow_c and not stock_c):
        return True
    nums_k, nums_c = set(WORDS.DIGITS.findall(key)), set(WORDS.DIGITS.findall(context))
    return bool(nums_k and nums_c and not nums_k & nums_c)


def slot_nouns(text: str, slot: Slot) -> tuple[str, ...]:
    """The noun a figure counts: right after its measure word, or right before the figure."""
    right = re.split(rf"{X}|\d", clause_right(text, slot.end, 10))[0]
    left = re.split(rf"{X}|\d", clause_left(text, slot.start, 12))[-1]
    return tuple(n for n in (noun_after(right), noun_before(left)) if len(n) >= 2)


def _score(text: str, slot: Slot, fact: Fact, nouns: tuple[str, ...] = ()) -> float:
    """How well a fact's name fits the words around a slot (0–1 and a little over)."""
    left = clause_left(text, slot.start, 10)
    right = clause_right(text, slot.end, 10)
    wide = sentence_left(text, slot.start) + "|" + clause_right(text, slot.end, 16)
    if _conflicts(fact.key, f"{left}|{right}"):
        return 0.0
    core = _core(fact.key)
    score = max(_f2(core, left), _f2(core, right), 0.8 * _f2(core, wide))
    for noun in nouns:
        if core.endswith(noun):  # 名党员 → 参学党员: the counted noun heads the name
            score = max(score, 0.4 + 0.5 * len(noun) / len(core))
    if fact.note:
        note = max(_f2(fact.note, left), _f2(fact.note, right), _f2(fact.note, wide))
        score = max(score, 0.8 * note)
    if slot.unit and fact.unit and _unit_norm(slot.unit) == _unit_norm(fact.unit):
        score += 0.05  # same measure word breaks ties between equally named facts
    return score


def _criterion(text: str, slot: Slot) -> bool:
    return clause_left(text, slot.start, 4).endswith(_CRITERION_BEFORE) or bool(
        WORDS.CRITERION_AFTER.match(text, slot.end)
    )


def _superior(text: str, slot: Slot) -> bool:
    """中央、X委、XXX委: a placeholder in a list of issuing bodies names a higher level."""
    before = text[slot.start - 1] if slot.start else ""
    after = text[slot.end] if slot.end < len(text) else ""
    return before == "、" or after == "、"


def _short_org(organization: str) -> str:
    """中共青溪县委 → 县 (for 全X, 我X)."""
    for ch in reversed(organization):
        if ch in _ADMIN:
            return ch
    return organization


def _period_fill(text: str, slot: Slot, sheet: FactSheet) -> Fill | None:
    period = sheet.report.period
    if not period:
        return None
    opens = not sentence_left(text, slot.start).strip(" \t\n“")
    since = text.startswith("以来", slot.end) or text.startswith("份以来", slot.end)
    if not (opens or since):
        return None
    end = slot.end
    for tail in ("份以来", "以来"):
        if text.startswith(tail, end) and period.endswith("以来"):
            end += len(tail)
            break
    whole = Slot(slot.start, end, text[slot.start : end], slot.kind)
    return Fill(whole, period, meta="report.period")


def fill_slots(text: str, sheet: FactSheet, facts: list[Fact] | None = None) -> list[Fill]:
    """Decide every slot of ``text``: the best-fitting fact, the report meta or 【待补充】."""
    facts = list(sheet.facts if facts is None else facts)
    slots = find_slots(text)
    decided: dict[int, Fill] = {}
    pairs: list[tuple[float, int, int]] = []
    for i, s in enumerate(slots):
        if s.kind == "org" and _superior(text, s):
            s = slots[i] = Slot(s.start, s.end, s.text, "name")
        if s.kind == "org" and sheet.report.organization:
            org = sheet.report.organization
            full = s.text[-1] not in "XＸ×x" or s.start == 0 or text[s.start - 1] not in _ORG_PREFIX
            decided[i] = Fill(s, org if full else _short_org(org), meta="report.organization")
            continue
        if s.kind in ("year", "date"):
            period = _period_fill(text, s, sheet)
            if period:
                decided[i] = period
                continue
        if s.kind in ("number", "range") and _criterion(text, s):
            continue
        nouns: tuple[str, ...] | None = None
        for j, f in enumerate(facts):
            if s.kind in ("number", "percent", "range"):
                if f.number() is None or not _units_fit(s, f):
                    continue
            elif s.kind in ("date", "year"):
                if f.number() is not None and not re.search(r"\d+年|\d+月|日期|时间", str(f.value)):
                    continue
            else:
                continue
            if nouns is None:
                nouns = slot_nouns(text, s)
            score = _score(text, s, f, nouns)
            if score >= (_DATE_MATCH_MIN if s.kind in ("date", "year") else _MATCH_MIN):
                pairs.append((score, i, j))
    used: set[int] = set()
    for _s, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in decided or j in used:
            continue
        f = facts[j]
        decided[i] = Fill(slots[i], _fact_text(slots[i], f), fact=f.key)
        used.add(j)
    for i, s in enumerate(slots):
        as_of = clause_left(text, s.start, 4).endswith(_AS_OF)
        if i not in decided and s.kind in ("date", "year") and sheet.report.date and as_of:
            d = sheet.report.date
            decided[i] = Fill(s, f"{d.year}年{d.month}月{d.day}日", meta="report.date")
    fills = []
    for i, s in enumerate(slots):
        fill = decided.get(i)
        if fill is None:
            what = missing_what(text, s)
            fill = Fill(s, f"【待补充：{what}】", missing=what)
        fills.append(fill)
    return fills


def _fact_text(slot: Slot, fact: Fact) -> str:
    value = str(fact.value)
    unit = fact.unit or slot.unit
    if slot.kind == "percent" and not unit:
        unit = "%"
    return f"{value}{unit}"


def apply_fills(text: str, fills: list[Fill]) -> str:
    out, last = [], 0
    for fill in sorted(fills, key=lambda f: f.slot.start):
        if fill.slot.start < last:
            continue
        out.append(text[last : fill.slot.start])
        out.append(fill.text)
        last = fill.slot.end
    out.append(text[last:])
    return "".join(out)
