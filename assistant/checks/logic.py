"""Proofreading checks that a pattern cannot express, referenced by name from rule files."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    message: str | None = None  # None: the rule's own message
    suggestion: str | None = None


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


def heading_numbering(text: str) -> list[Finding]:
    """一、 → （一） → 1. → （1）: in order, without gaps, without skipping a level; no 1、."""
    found: list[Finding] = []
    last: dict[int, int] = {}
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
            if n != expected:
                kind = "重复" if n < expected else "缺号"
                found.append(Finding(*span, f"标题序号{kind}：此处应为第{expected}项"))
            last[level] = n
            for deeper in [lv for lv in last if lv > level]:
                del last[deeper]
            deepest = level
            break
    return found


def unbalanced_pairs(text: str) -> list[Finding]:
    """Quotes, brackets and 《》 that open without closing (or close without opening)."""
    found: list[Finding] = []
    for offset, line in _lines(text):
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(line):
            if ch in _PAIRS:
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                else:
                    found.append(
                        Finding(offset + i, offset + i + 1, f"“{ch}”没有对应的“{_CLOSERS[ch]}”")
                    )
        for ch, i in stack:
            found.append(Finding(offset + i, offset + i + 1, f"“{ch}”没有对应的“{_PAIRS[ch]}”"))
    return found


LOGIC: dict[str, Callable[[str], list[Finding]]] = {
    "heading_numbering": heading_numbering,
    "unbalanced_pairs": unbalanced_pairs,
}
