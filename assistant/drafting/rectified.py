"""A rectified problem told as its own layer of a 整改 report: the problem as the layer's heading
(关于……的问题), what was done about it as its text.

The heading is read from a key that names the problem (问题1：药品耗材采购管理不规范), from a
value that names it when the key only numbers it (问题2 + 针对……问题，做法), or from a note
(针对……问题).
"""

from __future__ import annotations

import re

from assistant.drafting.fact_shape import bare, is_number
from assistant.drafting.phrasing import marked_parts
from assistant.facts.sheet import Fact

# A key that only numbers an item (问题1, 情况二, 第3项, 事项1).
_LABEL_ONLY = re.compile(
    r"(?:第)?(?:问题|情况|事项|整改事项|反馈问题)?[\d一二三四五六七八九十]{1,3}(?:项|条|个)?"
)


# 问题1：…… / 反馈问题二：……: the problem named after the number the feedback gave it
_NUMBERED_ITEM = re.compile(
    r"^(?:反馈)?(?:问题|事项|整改事项)[\d一二三四五六七八九十]{1,3}[：:](.{2,40})$"
)

_AIMED_AT = re.compile(r"针对(.{2,40}?)(?:的)?问题[，,：:；;]\s*(.+)")


def _aimed_at(text: str) -> tuple[str, str] | None:
    """针对……问题，做法 → (关于……的问题, 做法)."""
    m = _AIMED_AT.match(text)
    return (f"关于{m.group(1)}的问题", m.group(2)) if m else None


def _named_in(text: str) -> tuple[str, str] | None:
    """关于……的问题：做法 or 针对……问题，做法 → (关于……的问题, 做法)."""
    about = re.match(r"(关于.{2,40}?的问题)[：:，,。；;]\s*(.+)", text)
    if about:
        return about.group(1), about.group(2)
    aimed = _aimed_at(text)
    if aimed:
        return aimed
    # 兽药和饲料采购化整为零规避招标的问题，已改为…; 对……未招标直接发包问题，修订…
    said = re.match(r"(?:对)?([^，。；：:]{4,40}?)(?:的)?问题[，,：:]\s*(.+)", text)
    if said and not re.search(r"\d", said.group(1)):
        return f"关于{said.group(1)}的问题", said.group(2)
    return None


def rectified(f: Fact, mark: str) -> tuple[str, str]:
    """A “关于……的问题” fact as its own layer: the problem as heading, what was done as text."""
    heading = bare(f).key.rstrip("。：:")
    done = str(f.value).strip().rstrip("。")
    numbered = _NUMBERED_ITEM.match(heading)
    if numbered:  # 问题1：药品耗材采购管理不规范 → 关于药品耗材采购管理不规范的问题
        named = numbered.group(1).strip()
        named = named if named.startswith("关于") else f"关于{named}"
        heading = named if named.endswith("问题") else f"{named}的问题"
    if _LABEL_ONLY.fullmatch(heading) and not is_number(f):
        # 问题1 / 情况2 name no problem: the value does (关于……的问题：做法, 针对……问题，做法).
        named = _named_in(done)
        if named:
            heading, done = named
    elif not is_number(f) and "问题" not in heading and len(heading) <= 8:
        # 工程款：针对多计工程款问题，核减……: the problem the value names heads the item, and
        # the text goes on with what was done (a heading carries no figure)
        named = _named_in(done)
        if named and not re.search(r"\d", named[0]):
            heading, done = named
    if is_number(f):  # 退回违规医保基金 47.3万元（针对……问题）: the figure with its unit, said
        done = f"{heading}{done}{f.unit}"
    done = marked_parts(done, mark)
    note = f.note.strip()
    aimed = re.match(r"^针对(.{2,40}?)(?:的)?问题[。；;，,]?$", note)
    if aimed:  # the problem the note names is the layer's heading, as the other items read
        return f"关于{aimed.group(1)}的问题", f"{done}{mark}。"
    note = f"（{note}）" if note else ""
    return heading, f"{done}{note}{mark}。"
