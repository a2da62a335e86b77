"""The audit log: one append-only row per decision or export, and a report's history.

Entries name the object they concern (``report``, ``section`` or ``version`` and its id), so a
report's history is found without parsing the ``detail`` JSON. Writers call :func:`record` inside
the same session as the change it records: the entry commits or rolls back with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from assistant.storage.models import AuditEntry, Report, Section, SectionVersion, User

MAX_LIMIT = 500


def record(
    s: Session,
    *,
    user_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
    s.add(entry)
    s.flush()
    return entry


def for_report(
    s: Session, report: Report, *, limit: int = 100
) -> list[tuple[AuditEntry, str | None]]:
    """Entries about the report, its sections and their versions, newest first, with usernames."""
    limit = max(1, min(limit, MAX_LIMIT))
    sections = select(Section.id).where(Section.report_id == report.id)
    versions = select(SectionVersion.id).where(SectionVersion.section_pk.in_(sections))
    about = or_(
        and_(AuditEntry.object_type == "report", AuditEntry.object_id == report.id),
        and_(AuditEntry.object_type == "section", AuditEntry.object_id.in_(sections)),
        and_(AuditEntry.object_type == "version", AuditEntry.object_id.in_(versions)),
    )
    rows = s.execute(
        select(AuditEntry, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(about)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [(entry, username) for entry, username in rows]
