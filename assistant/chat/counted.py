"""Parts and layers named by how many there are: 第五层, 第四条, 第五个小标题 with no part named
(the one drafted part that has so many), and 三个部分的标题 (the headings of that many parts)."""

from __future__ import annotations

import re

from assistant.chat.plan import ReportView, SectionView
from assistant.chat.targets import CN, Target

NUM = rf"[{CN}\d]{{1,2}}"


def number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word == "十":
        return 10
    if len(word) == 2 and word[0] == "十" and word[1] in CN:
        return 10 + CN.index(word[1]) + 1
    return CN.index(word) + 1 if word in CN else None


_LAYER_ORD = re.compile(rf"(?:倒数)?第({NUM})(层|条|个?小标题|个问题)")
_ITEM_HEAD = re.compile(rf"[{CN}]是")
_LAYER_HEAD = re.compile(rf"^（[{CN}]）", re.M)
_PROBLEM_HEAD = re.compile(rf"^（[{CN}]）[^\n]*问题", re.M)


_COUNTED_HEADINGS = re.compile(rf"(?:这|那|前)?({NUM})个?大?部分的?(?:标题|题目)")


def counted_headings(text: str, view: ReportView) -> list[str]:
    """三个部分的标题都是套话: the headings of that many body parts (the numbered parts when the
    bodies are not that many)."""
    m = _COUNTED_HEADINGS.search(text)
    n = number(m.group(1)) if m else None
    if n is None or n < 2:
        return []
    bodies = [s.id for s in view.sections if s.numbered and s.kind == "body"]
    numbered = [s.id for s in view.sections if s.numbered]
    return bodies if len(bodies) == n else numbered[:n] if len(numbered) >= n else []


def layers(sid: str, view: ReportView) -> int:
    sec = view.section(sid)
    return len(_LAYER_HEAD.findall(sec.text)) if sec is not None else 0


def by_layer_count(text: str, view: ReportView) -> Target | None:
    """第五层太杂了, with no part named: the one drafted part that has so many （一） layers."""
    m = _LAYER_ORD.search(text)
    if not m or m.group(0).startswith("倒数"):
        return None
    n = number(m.group(1))
    if n is None:
        return None

    def count(x: SectionView) -> int:  # 第四条: a （四） layer or a 四是 item
        layers = len(_LAYER_HEAD.findall(x.text))
        if m.group(2) == "个问题":  # 第四个问题: the layers that head a problem rectified
            return len(_PROBLEM_HEAD.findall(x.text))
        if m.group(2) != "条":  # 第四层, 第五个小标题: the （一） layers
            return layers
        return max(layers, len(_ITEM_HEAD.findall(x.text)))

    if m.group(2) == "条" and n < 3:
        return None  # 第二条: most parts have one; which is for the user to say
    holding = [x.id for x in view.sections if x.drafted and count(x) >= max(n, 3)]
    return Target(holding[0], m.group(0), "ordinal") if len(holding) == 1 else None
