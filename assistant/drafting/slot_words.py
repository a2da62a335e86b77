"""The words around a slot: its clause, the noun a figure counts, and what a 【待补充】 asks for.

Chinese has no spaces, so "the words around" are the clause up to the nearest punctuation, and
the counted noun comes from jieba's part-of-speech tags: right after a measure word (召开12次
[常委会议]) or right before the figure ([参学党员]3560名). A missing fact's marker names that noun
and what is measured (【待补充：调研报告数量】), never a neighbouring figure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.facts.quantities import UNITS
from assistant.retrieval.tokenize import load_jieba

if TYPE_CHECKING:
    from assistant.drafting.slots import Slot

X = "[XＸ×]"
PLACEHOLDER = re.compile(rf"{X}{{1,4}}(?![A-Za-z])")
UNIT_AFTER = re.compile("%|" + "|".join(map(re.escape, UNITS)))
BOUNDARY = "，。；：、！？,;:\n“”《》（）()"
_PERSON = ("组长", "书记", "主任", "局长", "县长", "市长", "区长", "镇长", "同志", "部长", "处长")
_MEASURE = {
    "次": "次数",
    "名": "人数",
    "人": "人数",
    "人次": "人次",
    "%": "比例",
    "个百分点": "百分点",
    "元": "金额",
    "万元": "金额",
    "亿元": "金额",
    "天": "天数",
    "小时": "时长",
    "个工作日": "时限",
    "工作日": "时限",
}


def clause_left(text: str, pos: int, limit: int = 12) -> str:
    i = pos
    while i > 0 and pos - i < limit and text[i - 1] not in BOUNDARY:
        i -= 1
    return text[i:pos]


def clause_right(text: str, pos: int, limit: int = 12) -> str:
    j = pos
    while j < len(text) and j - pos < limit and text[j] not in BOUNDARY:
        j += 1
    return text[pos:j]


_NOUNISH = ("n", "vn", "j", "nz", "ng", "nr", "ns", "nt", "an")


def _words(text: str) -> list[tuple[str, str]]:
    load_jieba()  # loads the dictionary once, quietly
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.cut(text)]


def noun_after(text: str) -> str:
    """召开12次[常委会议]: the nouns right after a measure word, if any."""
    words = _words(text)
    out: list[str] = []
    for i, (word, flag) in enumerate(words):
        # 学习(v)内容(n): a verb-like first word is part of the name when a noun follows.
        lead = not out and i + 1 < len(words) and words[i + 1][1].startswith(_NOUNISH)
        nounish = flag.startswith(_NOUNISH) or (lead and flag.startswith("v"))
        if not nounish or len("".join(out) + word) > 8:
            break
        out.append(word)
    return "".join(out)


def noun_before(text: str) -> str:
    """形成[调研报告]12篇: the last word and the nouns just before it."""
    words = _words(text)
    out: list[str] = []
    for i, (word, flag) in enumerate(reversed(words)):
        if i and not flag.startswith(_NOUNISH):
            break
        if flag.startswith(("x", "m", "u", "p", "c")) or len("".join(out) + word) > 8:
            break
        out.insert(0, word)
    return "".join(out)


def missing_what(text: str, slot: Slot) -> str:
    # Stop at a neighbouring placeholder (XXX个XXX says nothing about what is counted) and at
    # a neighbouring figure, which must not be carried into the marker either.
    right = re.split(rf"{X}|\d", clause_right(text, slot.end, 10))[0]
    left = re.split(rf"{X}|\d", clause_left(text, slot.start, 12))[-1]
    left = UNIT_AFTER.sub("", left, count=1) if UNIT_AFTER.match(left) else left
    if slot.kind == "name":
        if slot.text.endswith(("委", "党组", "政府")):
            return "上级机关名称"
        person = next((p for p in _PERSON if right.startswith(p)), None)
        if person:
            return f"{person}姓名"
        noun = noun_after(right) or noun_before(left)
        return f"{noun}名称" if noun else "名称"
    if slot.kind == "year":
        return "年份"
    if slot.kind == "date":
        return "日期"
    measure = _MEASURE.get(slot.unit, "数量")
    noun = noun_after(right) if slot.kind == "number" else ""
    noun = noun or noun_before(left)
    if noun.endswith(("率", "比例", "比重", "占比")):
        return noun
    if noun.endswith("增长") or noun.endswith("下降"):
        return f"{noun}幅度"
    return f"{noun}{measure}" if noun else measure


def sentence_left(text: str, pos: int, limit: int = 24) -> str:
    i = pos
    while i > 0 and pos - i < limit and text[i - 1] not in "。；！？\n":
        i -= 1
    return text[i:pos]
