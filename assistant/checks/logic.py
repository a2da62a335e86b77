"""Proofreading checks that a pattern cannot express, referenced by name from rule files.

Each check is registered in :data:`LOGIC` by the :func:`logic_check` decorator under its
function's name; a rule file names it as ``logic: <name>`` (validated by
:func:`assistant.checks.rulebook.load_rules`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.checks.findings import Finding
from assistant.checks.terms import enumeration_items, near_misses

Check = Callable[[str], list[Finding]]
LOGIC: dict[str, Check] = {}


def logic_check(check: Check, *, name: str | None = None) -> Check:
    """Register ``check`` for the rule files under ``name`` (its own name by default); a name
    registered twice is a programming error, not a rule to override quietly."""
    key = name or check.__name__
    if key in LOGIC:
        raise ValueError(f"logic check {key!r} is registered twice")
    LOGIC[key] = check
    return check


# Checks that live with their word lists (checks/terms.py), under the names the rules use.
logic_check(near_misses, name="political_near_miss")
logic_check(enumeration_items)

_CN = "一二三四五六七八九十"
_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^([{_CN}]+)、(?![{_CN}])"), 1),
    (re.compile(rf"^[（(]([{_CN}]+)[）)]"), 2),
    (re.compile(r"^(\d{1,2})[.．](?!\d)"), 3),
    (re.compile(r"^[（(](\d{1,2})[）)]"), 4),
)
_BAD_ARABIC = re.compile(r"^(\d{1,2})、")
_LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _cn_value(text: str) -> int:
    from assistant.facts.numbers import parse_chinese

    return int(parse_chinese(text)) if not text.isdigit() else int(text)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.lstrip(" \u3000\t")
        out.append((pos + len(line) - len(stripped), stripped))
        pos += len(line) + 1
    return out


@logic_check
def heading_numbering(text: str) -> list[Finding]:
    """一、 → （一） → 1. → （1）: in order, without gaps, without skipping a level; no 1、."""
    found: list[Finding] = []
    last: dict[int, int] = {}
    # Some documents (政府工作报告) number （一）…（十九） straight through their sections: the
    # number before a reset is remembered, and continuing from it is accepted too.
    carried: dict[int, int] = {}
    deepest = 0
    for offset, line in _lines(text):
        bad = _BAD_ARABIC.match(line)
        if bad:
            found.append(
                Finding(
                    offset,
                    offset + bad.end(),
                    "阿拉伯数字序号后用“.”，不用“、”",
                    f"{bad.group(1)}.",
                )
            )
            continue
        for pattern, level in _MARKERS:
            m = pattern.match(line)
            if not m:
                continue
            n = _cn_value(m.group(1))
            span = (offset, offset + m.end())
            if level > deepest + 1:
                want = _LEVEL_NAMES[deepest + 1]
                found.append(Finding(*span, f"标题层次跳级：此处应先用“{want}”一级"))
            expected = last.get(level, 0) + 1
            continues = level not in last and n == carried.get(level, -1) + 1
            if n != expected and not continues:
                kind = "重复" if n < expected else "缺号"
                found.append(Finding(*span, f"标题序号{kind}：此处应为第{expected}项"))
            last[level] = n
            for deeper in [lv for lv in last if lv > level]:
                carried[deeper] = last.pop(deeper)
            deepest = level
            break
    return found


def _unmatched(text: str, offset: int, pairs: dict[str, str]) -> list[Finding]:
    closers = {v: k for k, v in pairs.items()}
    found: list[Finding] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in pairs:
            stack.append((ch, i))
        elif ch in closers:
            if stack and stack[-1][0] == closers[ch]:
                stack.pop()
            else:
                found.append(
                    Finding(offset + i, offset + i + 1, f"“{ch}”没有对应的“{closers[ch]}”")
                )
    for ch, i in stack:
        found.append(Finding(offset + i, offset + i + 1, f"“{ch}”没有对应的“{pairs[ch]}”"))
    return found


_LINE_PAIRS = {k: v for k, v in _PAIRS.items() if k in "“‘《"}
_TEXT_PAIRS = {k: v for k, v in _PAIRS.items() if k not in _LINE_PAIRS}


@logic_check
def unbalanced_pairs(text: str) -> list[Finding]:
    """Quotes and 《》 that open without closing within a paragraph; brackets within the text
    (a bracketed note may run over a line break, a quotation should not)."""
    found = [f for offset, line in _lines(text) for f in _unmatched(line, offset, _LINE_PAIRS)]
    found.extend(_unmatched(text, 0, _TEXT_PAIRS))
    return sorted(found, key=lambda f: f.start)


# --- Political term lists -------------------------------------------------------------------
# “四个意识”“四个自信” are fixed formulations: when a text spells out their contents, the items
# must be exactly the canonical ones (and, as a style matter, in the canonical order).
_TERM_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "四个意识": ("意识", ("政治意识", "大局意识", "核心意识", "看齐意识")),
    "四个自信": ("自信", ("道路自信", "理论自信", "制度自信", "文化自信")),
}
_LIST_SEP = r"(?:、|，|,|和|与|及|以及)"


def _term_list_res(label: str, suffix: str) -> tuple[re.Pattern[str], ...]:
    item = rf"[\u4e00-\u9fff]{{2}}{suffix}"
    intro = (
        rf"{label}[”」\"]?\s*"
        rf"(?:(?:[（(：:]|——)\s*(?:即|就是|是|包括|指)?|[，,]?\s*(?:即|就是|包括|指的是))[：:]?\s*"
    )
    return re.compile(intro), re.compile(rf"{item}(?:{_LIST_SEP}{item})+"), re.compile(item)


_TERM_LIST_RES = {label: _term_list_res(label, sfx) for label, (sfx, _) in _TERM_LISTS.items()}


def _term_lists(text: str) -> list[tuple[str, int, int, list[str]]]:
    """(label, start, end, items) for every spelled-out “四个意识”/“四个自信” list."""
    out: list[tuple[str, int, int, list[str]]] = []
    for label, (intro, items_re, item) in _TERM_LIST_RES.items():
        for m in intro.finditer(text):
            items = items_re.match(text, m.end())
            if items:
                out.append((label, items.start(), items.end(), item.findall(items.group())))
    return out


@logic_check
def term_list_contents(text: str) -> list[Finding]:
    """A spelled-out “四个意识”/“四个自信” list must hold exactly the four canonical items."""
    found: list[Finding] = []
    for label, start, end, names in _term_lists(text):
        canon = _TERM_LISTS[label][1]
        if sorted(names) == sorted(canon):
            continue
        wrong = [n for n in names if n not in canon]
        missing = [n for n in canon if n not in names]
        parts = []
        if wrong:
            parts.append(f"“{'、'.join(wrong)}”不属于“{label}”")
        if missing:
            parts.append(f"缺少“{'、'.join(missing)}”")
        if not parts:
            parts.append(f"“{label}”应为四项，不重复")
        found.append(
            Finding(start, end, f"“{label}”内容有误：{'；'.join(parts)}", "、".join(canon))
        )
    return found


@logic_check
def term_list_order(text: str) -> list[Finding]:
    """The right four items of “四个意识”/“四个自信” in a non-canonical order."""
    found: list[Finding] = []
    for label, start, end, names in _term_lists(text):
        canon = _TERM_LISTS[label][1]
        if sorted(names) == sorted(canon) and tuple(names) != canon:
            found.append(Finding(start, end, None, "、".join(canon)))
    return found


# --- Genre: one request per 请示 ------------------------------------------------------------
_CLOSING = re.compile(r"妥否|当否")
_ASK = re.compile(r"(?<![报提申呈送转])(?:恳请|请)(?:予以?)?(?:批准|批复|审批|核准)")


@logic_check
def multiple_requests(text: str) -> list[Finding]:
    """A 请示 carries one request (一文一事): a second closing (妥否/当否) or a second
    “请批准/恳请批准” is flagged. “恳请批准……。妥否，请批示。” is one request, not two."""
    closings = [m.span() for m in _CLOSING.finditer(text)]
    asks = [
        m.span() for m in _ASK.finditer(text) if "否" not in text[max(0, m.start() - 3) : m.start()]
    ]
    return [Finding(s, e) for s, e in closings[1:] + asks[1:]]


# --- Dates and numbers -----------------------------------------------------------------------
_FULL_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")


@logic_check
def fullwidth_digits(text: str) -> list[Finding]:
    """Full-width digits (２０２４年) in running text: 公文 uses half-width Arabic digits."""
    return [
        Finding(m.start(), m.end(), None, m.group().translate(_TO_HALF))
        for m in _FULL_DIGITS.finditer(text)
    ]


_CN_YEAR = re.compile(r"(?<![〇○零一二三四五六七八九十])[一二][〇○零一二三四五六七八九]{3}(?=年)")


@logic_check
def year_zero_form(text: str) -> list[Finding]:
    """A year in Chinese numerals writes zero as 〇, not 零 or ○ (二〇二四年)."""
    return [
        Finding(m.start(), m.end(), None, m.group().replace("零", "〇").replace("○", "〇"))
        for m in _CN_YEAR.finditer(text)
        if "零" in m.group() or "○" in m.group()
    ]


_DATE = re.compile(r"(?<![\d.\-/])(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?![\d])")


def _days_in(month: int, year: int | None) -> int:
    if month == 2:
        if year is None:
            return 29
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


@logic_check
def impossible_dates(text: str) -> list[Finding]:
    """Dates that cannot exist: month 0 or above 12, 2月30日, 4月31日, 2023年2月29日."""
    found: list[Finding] = []
    for m in _DATE.finditer(text):
        year = int(m.group("y")) if m.group("y") else None
        month = int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else None
        if day is None and year is None:
            continue  # 18月 alone may be a duration ("18个月" misspelt); leave it
        if not 1 <= month <= 12:
            found.append(Finding(m.start(), m.end(), f"日期有误：不存在{month}月"))
        elif day is not None and not 1 <= day <= _days_in(month, year):
            when = f"{year}年" if year else ""
            found.append(Finding(m.start(), m.end(), f"日期有误：{when}{month}月没有{day}日"))
    return found


# --- Placeholders ----------------------------------------------------------------------------
_SINGLE_X = re.compile(r"(?<![A-Za-z0-9+＋XＸ_/.\-])X(?![A-Za-z0-9+＋XＸ_])")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_X_WORDS = re.compile(r"X(?:射线|光|轴|染色体|线|型|波段|频段)")
_VARIABLES = re.compile(r"[NＮnM]个|\d[+＋]|[+＋][XNＮ]|[XN][+＋]")
_SENTENCE_END = re.compile(r"[。；！？\n]")


@logic_check
def single_x_slots(text: str) -> list[Finding]:
    """A lone X standing for a name or number (X委, 全X, X个) that was never filled in.

    X is left alone in X射线/X光/X波段, in formulas such as 1+X or “10+X”, in codes (415X), and in a
    sentence that uses N and X as variables (N个行业大模型和X个重点应用场景).
    """
    found: list[Finding] = []
    for m in _SINGLE_X.finditer(text):
        i = m.start()
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after)):
            continue
        if _X_WORDS.match(text, i):
            continue
        start = max(text.rfind(ch, 0, i) for ch in "。；！？\n") + 1
        stop_m = _SENTENCE_END.search(text, i)
        stop = stop_m.start() if stop_m else len(text)
        if _VARIABLES.search(text[start:stop]):
            continue
        found.append(Finding(i, i + 1))
    return found
