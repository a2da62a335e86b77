"""The bound report as the chat sees and names it: a :class:`ReportView` read from the database,
and the words that name a section back to the user (第二部分, 开头) so the rules find it again."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from assistant.chat.plan import ReportView, SectionView
from assistant.drafting.templates import ReportTemplate
from assistant.reports.concurrency import OverwriteNeeded
from assistant.reports.facts import sheet_of
from assistant.storage.models import Report, SectionVersion

CN = "一二三四五六七八九十"
_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+、")


def report_view(report: Report, template: ReportTemplate, s: Session, **kw: Any) -> ReportView:
    """The report as a planner may see it: headings, current texts and fact keys."""
    rows = {sec.section_id: sec for sec in report.sections}
    sections = []
    for spec in template.sections:
        row = rows.get(spec.id)
        version = (
            s.get(SectionVersion, row.current_version_id)
            if row and row.current_version_id
            else None
        )
        sections.append(
            SectionView(
                spec.id,
                spec.kind,
                spec.numbered,
                # The page stores 二、…; the view numbers by position (ReportView.label).
                _NUMBER.sub("", row.heading) if row and row.heading else spec.heading,
                spec.purpose,
                version.text if version else "",
            )
        )
    keys = tuple(f.key for f in sheet_of(report).facts)
    return ReportView(template, tuple(sections), fact_keys=keys, title=report.title, **kw)


def section_phrase(view: ReportView, section_id: str) -> str:
    """How a message names the section so that the rules find it again: 第二部分 for a
    numbered one, else its kind's word (开头, 结尾 …) or its heading."""
    numbered = [s.id for s in view.numbered]
    if section_id in numbered:
        n = numbered.index(section_id) + 1
        return f"第{CN[n - 1]}部分" if n <= len(CN) else f"第{n}部分"
    spec = view.section(section_id)
    words = {
        "opening": "开头",
        "closing": "结尾",
        "overview": "总体情况",
        "title": "标题",
        "salutation": "称谓",
    }
    if spec is not None and spec.kind in words:
        return words[spec.kind]
    return (spec.heading or spec.purpose) if spec is not None else section_id


def ask_to_confirm(exc: OverwriteNeeded, view: ReportView, section_id: str) -> str:
    what = "；".join(s["reason"] for s in exc.sections)
    phrase = f"确认重写{section_phrase(view, section_id)}"
    return (
        f"{what}，重写会生成新版本取代它（旧版本仍可在版本记录中恢复）。"
        f"如确需重写，请发送“{phrase}”。"
    )
