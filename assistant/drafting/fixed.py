"""Texts the program writes from the report meta, not an engine: the title, the salutation and a
section's fixed text (a template's closing such as 特此报告。).

A value the meta lacks becomes a 【待补充：…】 placeholder, never a guess.
"""

from __future__ import annotations

from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.sheet import FactSheet


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"【待补充：{ {'topic': '事项'}.get(key, key) }】"


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
            }.items()
            if v
        }
    )
    if section.kind == "title":
        return meta.title or template.title_pattern.format_map(values) or None
    if section.kind == "salutation":
        if meta.recipient:
            return f"{meta.recipient}：" if not meta.recipient.endswith("：") else meta.recipient
        return section.text.format_map(values) if section.text else "【待补充：称谓】："
    if section.text:
        return section.text.format_map(values)
    return None
