"""What a figure counts: the words just before it in its clause, and whether two figures count
the same thing.

An upload supports a draft's figure only where it states that figure about the same thing:
"办理登记业务9720件" in the minutes does not back "受理投诉9720件" in the draft, though value and
unit agree. The counted phrase is the clause's last words before the figure; two phrases count
the same thing when they share a two-character word that is not filler (全年, 累计, 其中 …). A
phrase too short to tell (a table cell, "共9720件") never refuses support.
"""

from __future__ import annotations

import re

_CUT = "，,。；;：:、！？!?\n|（）()"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MAX = 12
# Words that tell when or how much, not what: sharing them says nothing.
_FILLER = frozenset(
    "全年 今年 去年 上年 当年 年度 年来 以来 累计 共计 合计 总计 其中 完成 实现 达到 达成 "
    "开展 共有 一共 总共 同比 全区 全县 全市 全镇 全省 全乡 全局 全院 全校 本年 年内 年底 "
    "截至 截止 目前 已经 先后 分别 共同 进行 组织 全面 有效 持续 累积 新增 增加 减少 "
    "比上 上年 增长 下降".split()
)


def counted(text: str, start: int) -> str:
    """The Han characters of the clause right before ``text[start]``, at most 12."""
    cut = max(text.rfind(ch, 0, start) for ch in _CUT) + 1
    return "".join(_HAN.findall(text[max(cut, start - 24) : start]))[-_MAX:]


def _words(phrase: str) -> set[str]:
    for filler in _FILLER:
        phrase = phrase.replace(filler, "|")
    return {part[i : i + 2] for part in phrase.split("|") for i in range(len(part) - 1)} - _FILLER


def same_thing(a: str, b: str) -> bool:
    """Whether two counted phrases may name the same thing (unknown counts as the same)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True
    return bool(wa & wb)
