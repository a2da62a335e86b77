"""A report's Word export: the gate a final copy must pass, and the assembly of the file.

A final copy (正式稿) holds each section's approved version and needs :func:`readiness`: some
sections, every one approved, and no ``error`` issue left without an override reason on the
approval of that very version. A 讨论稿 (``draft=True``) holds the current versions, watermarked,
and needs no gate. The same rule answers ``GET …/export-status`` and refuses ``export.docx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.export.gbt9704 import write_docx
from assistant.export.model import ExportSection, from_meta
from assistant.export.styles import FontNames
from assistant.review.workflow import APPROVED, ReviewConflict, blocking_issue, error_issues
from assistant.storage.audit import record
from assistant.storage.models import Report, ReviewDecision, Section, SectionVersion

UNTITLED = "未命名报告"


@dataclass(frozen=True)
class ExportFile:
    title: str
    data: bytes
    draft: bool


def _exported_version(section: Section, *, draft: bool) -> int | None:
    if draft:
        return section.current_version_id
    return section.approved_version_id if section.status == APPROVED else None


def export_gate(s: Session, report: Report) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What stands between the report and a final export: (unapproved sections, blocking issues).

    Every section must be approved, including sections never drafted. An ``error`` issue blocks
    unless the approval of that very version carried an override reason; the errors of sections
    not yet approved are listed too, since they are what their approval will meet.
    """
    unapproved: list[dict[str, Any]] = []
    blocking: list[dict[str, Any]] = []
    overridden = set(
        s.scalars(
            select(ReviewDecision.version_id)
            .join(Section, Section.id == ReviewDecision.section_pk)
            .where(
                Section.report_id == report.id,
                ReviewDecision.action == "approve",
                ReviewDecision.override_reason != "",
            )
        )
    )
    for section in report.sections:
        vid = _exported_version(section, draft=False)
        if vid is None:
            unapproved.append(
                {
                    "section": section.section_id,
                    "heading": section.heading,
                    "status": section.status,
                }
            )
            vid = section.current_version_id
        version = s.get(SectionVersion, vid or 0)
        if version is not None and version.id not in overridden:
            blocking += [blocking_issue(section, i) for i in error_issues(version)]
    return unapproved, blocking


@dataclass(frozen=True)
class Readiness:
    """Whether a final export would pass the gate, and what stands in its way."""

    unapproved: list[dict[str, Any]]
    blocking: list[dict[str, Any]]
    has_sections: bool

    @property
    def ready(self) -> bool:
        # The one readiness rule: some sections, every one approved, no error left unjustified.
        return self.has_sections and not self.unapproved and not self.blocking

    def public(self) -> dict[str, Any]:
        return {"ready": self.ready, "unapproved": self.unapproved, "blocking": self.blocking}


def readiness(s: Session, report: Report) -> Readiness:
    unapproved, blocking = export_gate(s, report)
    return Readiness(unapproved, blocking, bool(report.sections))


def export_report(
    s: Session, *, user: Principal, report: Report, draft: bool, fonts: FontNames | None = None
) -> ExportFile:
    """The report as .docx: approved versions (final), or current versions as a 讨论稿 (draft).

    The caller has checked that the user may read the report. Each export is audited with the
    versions it contained, so a file in circulation can be traced to the reviewed text.
    """
    if not draft:
        gate = readiness(s, report)
        if not gate.has_sections:
            raise ReviewConflict("报告还没有任何部分", unapproved=[], blocking=[])
        if not gate.ready:
            raise ReviewConflict(
                f"还不能导出正式稿：{len(gate.unapproved)} 个部分未批准，"
                f"{len(gate.blocking)} 个问题未解决；可先导出讨论稿（?draft=1）",
                unapproved=gate.unapproved,
                blocking=gate.blocking,
            )
    title = report.title or str(report.meta.get("title") or "") or UNTITLED
    recipient: str | None = None
    parts: list[ExportSection] = []
    used: list[dict[str, Any]] = []
    for section in report.sections:
        version = s.get(SectionVersion, _exported_version(section, draft=draft) or 0)
        if version is None:
            continue
        used.append(
            {"section": section.section_id, "version_id": version.id, "version": version.number}
        )
        if section.section_id == "title":  # every template's title section: the document title
            title = version.text.strip() or title
        elif section.section_id == "salutation":  # the 主送机关 line
            recipient = version.text.strip() or None
        else:
            parts.append(
                ExportSection(
                    section.section_id, section.heading, version.text, version=version.number
                )
            )
    data = write_docx(
        from_meta(report.meta or {}, title=title, recipient=recipient, sections=parts, draft=draft),
        fonts=fonts,
    )
    record(
        s,
        user_id=user.id,
        action="export_draft" if draft else "export",
        object_type="report",
        object_id=report.id,
        detail={"title": title, "sections": used, "bytes": len(data)},
    )
    return ExportFile(title, data, draft)
