"""Section headings proposed from the report's own subject, not from the template's example.

A template gives each body part its kind and a ``heading_pattern`` with ``{topic}``; the topic is
the report's subject: ``report.topic`` when the sheet gives one, else what the title says the
report is about (关于2025年安全生产工作情况的汇报 → 安全生产). Without a topic the pattern's
words stay and the placeholder goes, so a heading never claims another report's subject.
"""

from __future__ import annotations

import re

from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.sheet import FactSheet
from assistant.vocab import patterns

_ABOUT = re.compile(
    r"关于(?:\d{4}年(?:以来)?(?:上半年|下半年|前三季度|1[—－-]\d{1,2}月)|\d{4}年\d{1,2}月(?:份)?以来"
    r"|\d{4}年(?:度|以来)?|(?:今年|本年度?)(?:以来)?|上半年|下半年|近年来|[一二三四五六七八九十]+年来)?"
    r"(?P<topic>.{2,24}?)(?:工作)?(?:开展|落实|推进|进展|整改|完成)?(?:情况)?的(?:汇报|报告|调研报告)"
)
_TOPIC_TAIL = re.compile(r"(?:工作|情况|有关|相关)+$")
WORDS = patterns(__name__)  # the verbs of headings.toml


def report_topic(sheet: FactSheet) -> str:
    """The report's subject in a few words, or "" when neither meta nor title names one."""
    extra = sheet.report.model_extra or {}
    given = str(extra.get("topic") or "").strip()
    if given:
        return _TOPIC_TAIL.sub("", given) or given
    m = _ABOUT.search(sheet.report.title or "")
    if not m:
        return ""
    topic = _TOPIC_TAIL.sub("", m.group("topic"))
    # 关于中共柳河区委巡察…: the organisation is not the subject.
    org = sheet.report.organization or ""
    if org and topic.startswith(org):
        topic = topic[len(org) :]
    return topic if len(topic) >= 2 else ""


def heading_for(section: SectionSpec, topic: str) -> str:
    if not section.heading_pattern:
        return section.heading
    if topic:
        before = section.heading_pattern.split("{topic}", 1)[0]
        bare = WORDS.LEAD_VERB.sub("", topic)
        if WORDS.VERB_BEFORE.search(before) and len(bare) >= 2:
            topic = bare
        return section.heading_pattern.replace("{topic}", topic)
    return section.heading_pattern.replace("{topic}", "")


def propose_headings(template: ReportTemplate, sheet: FactSheet) -> dict[str, str]:
    """Section id → numbered heading (一、…) for this report."""
    topic = report_topic(sheet)
    return {s.id: template.numbered_heading(s.id, heading_for(s, topic)) for s in template.sections}
