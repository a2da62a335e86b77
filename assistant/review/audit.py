"""The audit log: one append-only row per decision or export, and a report's history.

Entries name the object they concern (``report``, ``section`` or ``version`` and its id), so a
report's history is found without parsing the ``detail`` JSON. Entries are written by
:func:`assistant.storage.audit.record`; this module reads them.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from assistant.storage.models import AuditEntry, Report, Section, SectionVersion, User

MAX_LIMIT = 500


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
