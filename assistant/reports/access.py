"""Who may see a report: its owner, the reviewers assigned to it, and admins.

Everything that belongs to a report (facts, sections, versions, uploads, chat) is reached through
the report, so one check guards all of it. A report the user may not see answers 404, not 403:
its existence is not disclosed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.errors import Forbidden as Forbidden  # re-exported: the names routes import
from assistant.errors import NotFound as NotFound
from assistant.storage.models import Report, ReportReviewer


def report_kb(report_id: int) -> str:
    """The knowledge base holding a report's uploads (its fact layer)."""
    return f"report-{report_id}"


def reviewer_ids(s: Session, report_id: int) -> set[int]:
    rows = s.scalars(select(ReportReviewer.user_id).where(ReportReviewer.report_id == report_id))
    return set(rows)


def can_read(s: Session, user: Principal, report: Report) -> bool:
    return user.is_admin or report.owner_id == user.id or user.id in reviewer_ids(s, report.id)


def can_write(user: Principal, report: Report) -> bool:
    """Drafting, editing facts and uploading: the owner and admins."""
    return user.is_admin or report.owner_id == user.id


def readable_report(s: Session, user: Principal, report_id: int) -> Report:
    report = s.get(Report, report_id)
    if report is None or not can_read(s, user, report):
        raise NotFound(f"no report {report_id}")
    return report


def writable_report(s: Session, user: Principal, report_id: int) -> Report:
    report = readable_report(s, user, report_id)
    if not can_write(user, report):
        raise Forbidden("only the report's owner (or an admin) may change it")
    return report
