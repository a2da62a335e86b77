"""What a chat message points at, and the text matching that finds it.

:class:`Target` is one section (and maybe a passage in it) a clause names, with how it was
named; :func:`lcs` and :func:`meaningful` measure how much of a heading or a section's text a
message's words share, discounting the words every heading has.
"""

from __future__ import annotations

from dataclasses import dataclass

CN = "一二三四五六七八九十"

# Words every heading shares; a match on them alone says nothing about which part is meant.
GENERIC = (
    "工作", "情况", "部分", "开展", "落实", "推动", "进一步", "加强", "一下", "这个", "那个",
    "报告", "汇报", "全面", "持续", "深入", "扎实", "不断", "坚持", "主要", "取得", "成效",
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    section: str | None
    passage: str = ""
    how: str = ""  # ordinal | quote | heading | kind | text | ""


def lcs(a: str, b: str) -> str:
    """The longest common substring (short strings: the quadratic walk is cheap)."""
    best = ""
    if not a or not b:
        return best
    prev = [0] * (len(b) + 1)
    for i, ca in enumerate(a, 1):
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > len(best):
                    best = a[i - cur[j] : i]
        prev = cur
    return best


def meaningful(common: str) -> int:
    """Characters of ``common`` left once generic heading words are taken out; four characters
    in a row of a heading (主要工作) name it whatever they are made of."""
    if len(common) >= 4:
        return len(common)
    for g in GENERIC:
        common = common.replace(g, "")
    return len(common)
