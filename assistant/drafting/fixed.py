"""Texts the program writes from the report meta, not an engine: the title, the salutation and a
section's fixed text (a template's closing such as 特此报告。).

A value the meta lacks becomes a 【待补充：…】 placeholder, never a guess.
"""

from __future__ import annotations

from assistant.drafting.headings import report_topic
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.sheet import FactSheet


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"【待补充：{ {'topic': '事项'}.get(key, key) }】"


# Posts that head a visiting group or a body the report is made to.
_POSTS = ("副组长", "组长", "主任", "书记", "局长", "部长", "主席", "处长", "团长", "队长")


def head_of(sheet: FactSheet) -> tuple[str, str] | None:
    """The fact naming the head of the recipient and how the salutation calls them (检查组组长：
    李卫东 for 总站口岸管理工作检查组 → 李组长), or None when no fact names them."""
    recipient = (sheet.report.recipient or "").rstrip("：:")
    for fact in sheet.facts:
        name = str(fact.value).strip()
        post = next((p for p in _POSTS if fact.key.endswith(p)), "")
        body = fact.key[: -len(post)] if post else ""
        if not post or len(body) < 2 or not recipient or not recipient.endswith(body[-3:]):
            continue
        if name.endswith(post) and len(name) - len(post) == 1:
            return fact.key, name  # 王组长, already said as the salutation says it
        if 2 <= len(name) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in name):
            return fact.key, f"{name[0]}{post}"  # 李卫东 → 李组长
    return None


def fixed_text(sheet: FactSheet, template: ReportTemplate, section: SectionSpec) -> str | None:
    """The section's text if the program writes it, else None (an engine drafts it)."""
    meta = sheet.report
    values = _Blank(
        {
            k: str(v)
            for k, v in {
                "organization": meta.organization,
                "period": meta.period,
                "recipient": meta.recipient,
                "title": meta.title,
                # 关于社区嵌入式托育服务发展的调研报告: the subject given, not a 【待补充：事项】
                "topic": report_topic(sheet),
            }.items()
            if v
        }
    )
    if section.kind == "title":
        return meta.title or template.title_pattern.format_map(values) or None
    if section.kind == "salutation":
        if meta.recipient:
            recipient = meta.recipient.rstrip("：:")
            head = head_of(sheet)
            return f"尊敬的{head[1]}、{recipient}各位领导：" if head else f"{recipient}："
        return section.text.format_map(values) if section.text else "【待补充：称谓】："
    if section.text:
        return section.text.format_map(values)
    return None
