"""Finding every number, percentage, range, amount, date and year in a text, normalised.

Offsets are into the text as given. A Chinese numeral counts only when a unit or measure word
follows it (十二次, 三千五百名), so words like 统一 or 一些 are not numbers; ordinals (第一时间),
heading markers (一、 （二） 3.) and fixed political phrases (四个意识, 十四五) are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from assistant.facts.numbers import CN_NUMERAL_CHARS, halfwidth, parse_number

Kind = Literal["number", "percent", "range", "date", "year"]

# Measure words and units, longest first so 万元 wins over 元 and 人次 over 人.
UNITS = sorted(
    (
        "个百分点 百分点 平方公里 平方米 立方米 万千瓦 千瓦时 千瓦 兆瓦 标准箱 "
        "人次 户次 家次 件次 批次 场次 课时 学时 个工作日 工作日 "
        "万元 亿元 美元 万人 万户 万吨 万亩 公里 千米 公顷 余人 余家 余个 余次 余项 余名 "
        "次 个 名 人 家 项 件 条 所 座 户 元 米 亩 吨 斤 批 场 期 篇 份 本 台 辆 套 处 村 镇 倍 "
        "天 小时 周 岁 位 支 组 轮 门 类 种 部 册 间 张 起 宗 笔 度 床 万 亿 块 棵 株 头 只 级 届 "
        "分钟 秒 年 日 毫米 厘米 毫升 升 千克 克 枚 艘 架 盏 栋 幢 例 航次 架次 车次 班次 趟 对"
    ).split(),
    key=len,
    reverse=True,
)
# 结婚登记2368对, 结对860对: pairs counted (not 18对吗, 数字对不上: a doubt)
_UNIT = "|".join(re.escape(u) if u != "对" else "对(?![不吗吧得么了的应照比上])" for u in UNITS)
_CN = f"[{CN_NUMERAL_CHARS.replace('点', '')}]+(?:点[零〇○一二三四五六七八九]+)?"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?(?:万亿|万|亿)?"
_NUM = f"(?:{_AR}|{_CN})"
_CN_Y = "[零〇○一二三四五六七八九]{4}"
_CN_MD = "[一二三四五六七八九十]{1,3}"
DATE = re.compile(
    rf"(?P<y>\d{{4}}|{_CN_Y})年(?:(?P<m>\d{{1,2}}|{_CN_MD})月(?:(?P<d>\d{{1,2}}|{_CN_MD})[日号])?)?"
    rf"|(?<![\d年])(?P<m2>\d{{1,2}})月(?P<d2>\d{{1,2}})[日号]"  # 6月12号, as staff type it
    rf"|(?<![\d年第个])(?P<m3>\d{{1,2}}|{_CN_MD})月(?!\d|份以上)"
)
_RANGE_SEP = "[～~—–\\-－至到]"
QUANTITY = re.compile(
    rf"(?P<pct>百分之{_NUM})"
    rf"|(?P<lo>{_NUM})(?P<lounit>%|(?:{_UNIT}))?{_RANGE_SEP}(?P<hi>{_NUM})(?P<hiunit>%|(?:{_UNIT}))"
    rf"|(?P<num>{_NUM})\s?(?P<more>多)?(?P<unit>%|(?:{_UNIT}))?"
)
# Not facts: ordinals, 一是, list markers, and fixed phrases that merely contain numerals.
_NUMERAL = "零〇○一二两三四五六七八九十百千万亿\\d"
# Fixed phrases block only when they stand alone: 一起 is not a number, 十一起 is.
_FIXED = re.compile(
    f"(?<![{_NUMERAL}])(?:"
    "四个意识|四个自信|两个维护|两个确立|三会一课|一岗双责|一把手|两学一做|五位一体|四个全面|"
    "十四五|十五五|十三五|二十大|二十届|十九大|十九届|三中全会|四中全会|五中全会|二中全会|一中全会|"
    "六中全会|七中全会|一周一|三严三实|三重一大|两新|两重|一带一路|一国两制|百年未有|"
    "八项规定|三个规定|九项准则|三个区分开来|两个务必|"
    "一系列|一批|一些|一起|一致|一体|一流|一线|一道|一样|一般|一切|一方面|一定|一直|一旦|一次性|"
    "一揽子|一站式|一件事|一网|一体化|两个|进一步|统一|唯一|万一|之一|第一|千万|万众|亿万"
    f")(?![{_NUMERAL}])"
)
_HEADING_MARK = re.compile(
    r"(?:^|(?<=[\n。；：]))\s*"
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\d))"
)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    kind: Kind
    value: Decimal
    unit: str = ""
    high: Decimal | None = None  # ranges
    date: tuple[int, int | None, int | None] | None = None  # (year, month, day); year may be 0
    approx: bool = False  # 3500余名, 3500多名: at least the value, below the next round figure


def _date_part(text: str | None) -> int | None:
    if not text:
        return None
    return int(parse_number(text))


# Two neighbouring digits said together are a rough count (三四条 is three or four).
_ROUGH = {
    f"{x}{y}": (i, i + 1)
    for i, (x, y) in enumerate(zip("一二三四五六七八", "二三四五六七八九", strict=True), start=1)
} | {"两三": (2, 3)}


def _cn_or_arabic_ok(num: str, unit: str | None) -> bool:
    """A Chinese numeral needs a unit, and 一/两 alone are too idiomatic to be facts."""
    if num[0].isdigit():
        return True
    return bool(unit) and num not in ("一", "两", "二")


def find_quantities(text: str) -> list[Quantity]:
    norm = halfwidth(text)  # same length: full-width digits map one to one
    blocked = [False] * len(norm)
    for m in _FIXED.finditer(norm):
        for i in range(m.start(), m.end()):
            blocked[i] = True
    for m in _HEADING_MARK.finditer(norm):
        for i in range(m.start(), m.end()):
            blocked[i] = True
    out: list[Quantity] = []
    taken = [False] * len(norm)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b]) and not any(blocked[a:b])

    for m in DATE.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        if m.group("y"):
            y = _date_part(m.group("y")) or 0
            month, day = _date_part(m.group("m")), _date_part(m.group("d"))
            kind: Kind = "year" if month is None else "date"
        elif m.group("m2"):
            y, month, day, kind = 0, _date_part(m.group("m2")), _date_part(m.group("d2")), "date"
        else:
            y, month, day, kind = 0, _date_part(m.group("m3")), None, "date"
        if month is not None and not 1 <= month <= 12:
            continue
        out.append(
            Quantity(
                m.start(),
                m.end(),
                text[m.start() : m.end()],
                kind,
                Decimal(y),
                date=(y, month, day),
            )
        )
        for i in range(m.start(), m.end()):
            taken[i] = True
    for m in QUANTITY.finditer(norm):
        a, b = m.span()
        if not free(a, b) or (a > 0 and norm[a - 1] == "第"):
            continue
        if a > 0 and (norm[a - 1].isdigit() or norm[a - 1] == "."):
            continue
        try:
            if m.group("pct"):
                out.append(Quantity(a, b, text[a:b], "percent", parse_number(m.group("pct")), "%"))
            elif m.group("hi"):
                unit = m.group("hiunit")
                if not _cn_or_arabic_ok(m.group("lo"), unit):
                    continue
                out.append(
                    Quantity(
                        a,
                        b,
                        text[a:b],
                        "range",
                        parse_number(m.group("lo")),
                        _norm_unit(unit),
                        high=parse_number(m.group("hi")),
                    )
                )
            else:
                num, unit = m.group("num"), m.group("unit")
                if not _cn_or_arabic_ok(num, unit):
                    continue
                if num in _ROUGH:  # 三四条, 两三个: about three or four, not 34
                    lo, hi = _ROUGH[num]
                    unit_r = _norm_unit(unit or "")
                    out.append(
                        Quantity(
                            a, b, text[a:b], "range", Decimal(lo), unit_r, Decimal(hi), approx=True
                        )
                    )
                    for i in range(a, b):
                        taken[i] = True
                    continue
                kind = "percent" if unit == "%" else "number"
                value = parse_number(num)
                approx = bool(unit and unit.startswith("余")) or bool(m.group("more"))
                unit_n = _norm_unit(unit or "")
                if unit_n.startswith(("万", "亿")) and len(unit_n) > 1:
                    value *= Decimal(10_000 if unit_n[0] == "万" else 100_000_000)
                    unit_n = unit_n[1:]
                out.append(Quantity(a, b, text[a:b], kind, value, unit_n, approx=approx))
        except ValueError:
            continue
        for i in range(a, b):
            taken[i] = True
    return sorted(out, key=lambda q: q.start)


def _norm_unit(unit: str) -> str:
    unit = unit.removeprefix("余")
    return {"人": "名", "千米": "公里", "百分点": "个百分点"}.get(unit, unit)
