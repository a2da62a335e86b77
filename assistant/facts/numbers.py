"""Number normalisation shared by fact sheets and the checker.

Arabic (half- and full-width, with thousands separators), Chinese numerals (十二, 一百二十三, 两千,
三万五千, 二〇二三, 十二点五), 万/亿 multipliers (1.5万, 3.2亿元), percentages (12%, 百分之十二) all
become one :class:`~decimal.Decimal`, so 12次, 十二次 and 12 次 compare equal.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# A full-width comma separates clauses in Chinese; it is never a thousands separator.
_FULL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG) + "点"
MULTIPLIERS = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1000),
    "百": Decimal(100),
}
_ARABIC = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")


def halfwidth(text: str) -> str:
    return text.translate(_FULL)


def _cn_integer(text: str) -> int:
    """一百二十三 → 123; 三万五千 → 35000; 二〇二三 (digit by digit) → 2023."""
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit or 1) * _SMALL[ch]
            digit = 0
        elif ch in _BIG:
            section += digit
            total = (total + section) * _BIG[ch] if _BIG[ch] > total else total + section * _BIG[ch]
            section = digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def parse_chinese(text: str) -> Decimal:
    """Chinese numerals, with an optional 点 decimal part: 十二点五 → 12.5."""
    whole, _, frac = text.partition("点")
    value = Decimal(_cn_integer(whole)) if whole else Decimal(0)
    if frac:
        if not all(ch in _DIGITS for ch in frac):
            raise ValueError(f"not a Chinese decimal: {text!r}")
        value += Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    return value


def parse_number(text: str) -> Decimal:
    """Any single number notation to a Decimal; raises ValueError when it is not a number.

    >>> parse_number("1.5万"), parse_number("三千五百"), parse_number("１２"), parse_number("12%")
    (Decimal('15000.0'), Decimal('3500'), Decimal('12'), Decimal('12'))
    """
    s = halfwidth(text.strip()).replace(" ", "")
    if s.startswith("百分之"):
        s = s[3:]
    s = s.rstrip("%")
    if not s:
        raise ValueError("empty number")
    mult = Decimal(1)
    while s and s[-1] in "万亿" and len(s) > 1 and (s[-2].isdigit() or s[-2] in "万亿"):
        mult *= MULTIPLIERS[s[-1]]
        s = s[:-1]
    if _ARABIC.match(s):
        try:
            return Decimal(s.replace(",", "")) * mult
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {text!r}") from exc
    if all(ch in CN_NUMERAL_CHARS for ch in s):
        return parse_chinese(s) * mult
    raise ValueError(f"not a number: {text!r}")


def readable(value: object, unit: str) -> str:
    """A figure as a report writes it: 128000000 元 → 1.28亿元, 2860000 元 → 286万元.

    Proposals keep values with 万/亿 applied (one value whatever the wording), so a figure told
    in the chat as 1.28亿元 must not come back as 128000000元; anything else reads as it is.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return f"{value}{unit}"
    number = Decimal(str(value))
    for scale, word in ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万")):
        if word == "万" and unit != "元":
            continue  # 12000人次 reads as well as 1.2万人次; only sums of money take 万元
        scaled = number / scale
        if abs(number) >= scale and scaled == scaled.quantize(Decimal("0.01")):
            return f"{scaled.normalize():f}{word}{unit}"
    return f"{value}{unit}"
