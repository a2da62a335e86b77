"""What a chat message asks for, by rule: draft, revise, facts, search, sources, or help.

Rules, not a model, so the chat behaves the same with and without an LLM and a message cannot
talk its way into another action: the text an upload or a message contains is only ever data
for the chosen action. The section a message names is resolved against the report's template:
第一部分 / 一、 → the first numbered section, 开头 → the opening, 问题/打算 → the problems part,
or the section whose heading shares the most words with the message. A message starting with
确认 (确认重写第二部分) confirms replacing a hand-edited or approved text, which the chat asked
about before redrafting it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.drafting.evidence import overlap
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.quantities import find_quantities

Action = Literal["draft", "revise", "facts", "search", "sources", "help"]
CN = "一二三四五六七八九十"
_DRAFT = re.compile(
    r"^(?:请|帮我|麻烦)?写|起草|撰写|写一?下|写出|生成|拟写|拟稿|重新写|重写|再写|帮我写|写.{0,6}部分"
)
_REVISE = re.compile(
    r"简洁|精简|压缩|缩短|扩写|展开|丰富|补充|增加|删去|删除|去掉|改成|改为|改得|修改|润色|调整|"
    r"正式一些|口语|语气|换个说法|更.{1,4}(?:一些|一点|些)"
)
_SEARCH = re.compile(r"搜索|检索|查一?下|查找|找一?下|有没有|范文|参考|类似的")
_CONFIRM = re.compile(r"^(?:我)?(?:确认|确定)(?:要)?")
_SOURCES = re.compile(r"出处|来源|依据|哪里来|从哪|根据什么|引用了|哪份材料")
_ORDINAL = re.compile(rf"第([{CN}\d]+)(?:部分|节|段|条)|(?:^|[^{CN}])([{CN}])、")
KIND_WORDS = {
    "title": ("标题", "题目"),
    "salutation": ("称谓", "抬头"),
    "opening": ("开头", "开场", "欢迎"),
    "overview": ("总体情况", "概述", "总体"),
    "problems": ("问题", "不足", "短板"),
    "plans": ("打算", "下步", "下一步", "计划", "努力方向"),
    "closing": ("结尾", "结束语"),
}


@dataclass(frozen=True)
class Intent:
    action: Action
    section: str | None = None  # template section id
    instruction: str = ""  # for revise/draft: what the user asked, verbatim
    query: str = ""  # for search
    confirmed: bool = False  # for draft/revise: replacing a person's or an approved text is OK


def _ordinal(text: str) -> int | None:
    m = _ORDINAL.search(text)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    if word.isdigit():
        return int(word)
    return CN.index(word) + 1 if word in CN else None


def resolve_section(text: str, template: ReportTemplate) -> str | None:
    n = _ordinal(text)
    if n is not None:
        numbered = [s for s in template.sections if s.numbered]
        if 1 <= n <= len(numbered):
            return numbered[n - 1].id
    for kind, words in KIND_WORDS.items():
        if any(w in text for w in words):
            match = next((s for s in template.sections if s.kind == kind), None)
            if kind in ("problems", "plans") and match is None:
                match = next(
                    (s for s in template.sections if s.kind in ("problems", "plans")), None
                )
            if match is not None:
                return match.id
    # The message's words found in a heading (紧密结合实际那部分 → 三、紧密结合实际，…).
    said = re.sub(r"那?部分|这?一?段|起草|重写|修改|一下|的|请|帮我", "", text)

    def fit(s: SectionSpec) -> float:
        return overlap(said, s.heading) if s.heading and len(said) >= 2 else 0.0

    best = max(template.sections, key=fit, default=None)
    return best.id if best is not None and fit(best) >= 0.6 else None


def classify(text: str, template: ReportTemplate, *, has_draft: bool = False) -> Intent:
    text = text.strip()
    section = resolve_section(text, template)
    if _SOURCES.search(text):
        return Intent("sources", section)
    confirmed = bool(_CONFIRM.match(text))
    if _DRAFT.search(text) and not (has_draft and _REVISE.search(text) and section is None):
        return Intent("draft", section, instruction=text, confirmed=confirmed)
    if _REVISE.search(text) and (has_draft or section is not None):
        return Intent("revise", section, instruction=text, confirmed=confirmed)
    if _SEARCH.search(text):
        query = _SEARCH.sub("", text).strip(" ，,。：:？?")
        return Intent("search", section, query=query or text)
    # A fact is a figure with a unit (12次, 98%); a bare number (报告7) names, it does not count.
    if any(q.kind in ("number", "percent", "range") and q.unit for q in find_quantities(text)):
        return Intent("facts", section)
    return Intent("help", section)
