"""The audit log: one append-only row per decision or export, and a report's history.

Entries name the object they concern (``report``, ``section`` or ``version`` and its id), so a
report's history is found without parsing the ``detail`` JSON. Entries are written by
:func:`assistant.storage.audit.record`; this module reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from assistant.storage.models import AuditEntry, Report, Section, SectionVersion, User

MAX_LIMIT = 500


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; every field optional. The same for the overall log (admins) and a
    report's (``report_id`` set by the route), so both page and filter alike.

    ``action`` is one action (``upload``) or, ending in a dot, a family (``user.``);
    ``since`` is inclusive and ``until`` exclusive (UTC).
    """

    report_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _about_report(report_id: int) -> ColumnElement[bool]:
    sections = select(Section.id).where(Section.report_id == report_id)
    versions = select(SectionVersion.id).where(SectionVersion.section_pk.in_(sections))
    return or_(
        and_(AuditEntry.object_type == "report", AuditEntry.object_id == report_id),
        and_(AuditEntry.object_type == "section", AuditEntry.object_id.in_(sections)),
        and_(AuditEntry.object_type == "version", AuditEntry.object_id.in_(versions)),
    )


def _utc(at: dt.datetime) -> dt.datetime:
    # Stored naive in UTC: an aware bound is converted, a naive one is taken as UTC.
    return at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at


def _where(f: AuditFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.report_id is not None:
        where.append(_about_report(f.report_id))
    if f.user_id is not None:
        where.append(AuditEntry.user_id == f.user_id)
    if f.action:
        if f.action.endswith("."):
            where.append(AuditEntry.action.startswith(f.action, autoescape=True))
        else:
            where.append(AuditEntry.action == f.action)
    if f.since is not None:
        where.append(AuditEntry.at >= _utc(f.since))
    if f.until is not None:
        where.append(AuditEntry.at < _utc(f.until))
    return where


def search(
    s: Session, f: AuditFilter, *, limit: int = 100, offset: int = 0
) -> tuple[list[tuple[AuditEntry, str | None]], int]:
    """One page of matching entries, newest first, with usernames; and how many match in all."""
    limit = max(1, min(limit, MAX_LIMIT))
    where = _where(f)
    total = s.scalar(select(func.count(AuditEntry.id)).where(*where)) or 0
    rows = s.execute(
        select(AuditEntry, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(max(0, offset))
    )
    return [(entry, username) for entry, username in rows], int(total)


def for_report(
    s: Session, report: Report, *, limit: int = 100
) -> list[tuple[AuditEntry, str | None]]:
    """Entries about the report, its sections and their versions, newest first, with usernames."""
    rows, _ = search(s, AuditFilter(report_id=report.id), limit=limit)
    return rows
