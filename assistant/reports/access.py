"""Who may see a report (its owner, the reviewers assigned to it, admins), and which knowledge
bases a user or a report may search.

Everything that belongs to a report (facts, sections, versions, uploads, chat) is reached through
the report, so one check guards all of it. A report the user may not see answers 404, not 403:
its existence is not disclosed. Its uploads live in its own knowledge base (:func:`report_kb`);
:func:`knowledge_base` decides which one a request may name, :func:`uploads_kb` whether a
report has one yet.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.domain import CORPUS
from assistant.errors import Forbidden as Forbidden  # re-exported: the names routes import
from assistant.errors import Invalid
from assistant.errors import NotFound as NotFound
from assistant.reports.kbs import kb_report as kb_report  # re-exported
from assistant.reports.kbs import report_kb as report_kb
from assistant.storage.models import Report, ReportReviewer


def uploads_kb(report_id: int, existing: Collection[str]) -> str | None:
    """The report's knowledge base if anything was indexed into it (``existing``: the store's
    knowledge bases); a report without uploads has none, and searching it finds nothing."""
    kb = report_kb(report_id)
    return kb if kb in existing else None


def reviewer_ids(s: Session, report_id: int) -> set[int]:
    rows = s.scalars(select(ReportReviewer.user_id).where(ReportReviewer.report_id == report_id))
    return set(rows)


def can_read(s: Session, user: Principal, report: Report) -> bool:
    return user.is_admin or report.owner_id == user.id or user.id in reviewer_ids(s, report.id)


def can_write(user: Principal, report: Report) -> bool:
    """Drafting, editing facts and uploading: the owner and admins (not by a read-only key)."""
    return not user.read_only and (user.is_admin or report.owner_id == user.id)


def readable_report(s: Session, user: Principal, report_id: int) -> Report:
    report = s.get(Report, report_id)
    if report is None or not can_read(s, user, report):
        raise NotFound(f"no report {report_id}")
    return report


def writable_report(s: Session, user: Principal, report_id: int) -> Report:
    report = readable_report(s, user, report_id)
    if not can_write(user, report):
        raise Forbidden("只有报告的起草人（或管理员）可以修改这份报告")
    return report


def knowledge_base(
    s: Session, user: Principal, *, report_id: int | None, kb: str | None, write: bool = False
) -> str:
    """The knowledge base a request names, checked against the user's rights to search it (or,
    with ``write``, to add to it). The one rule for every scope:

    - a report's, by ``report_id``: whoever may read the report searches it; its owner and
      admins add to it (a report the user may not see is :class:`NotFound`);
    - the corpus (``kb`` omitted or ``corpus``): every signed-in user searches it, admins add;
    - any other, by name: admins search it; nobody adds to it here (a report's files go by its
      id), and for anyone else it does not exist, so no report's knowledge base is disclosed.
    """
    if report_id is not None:
        (writable_report if write else readable_report)(s, user, report_id)
        return report_kb(report_id)
    if write:
        if kb not in (None, CORPUS):
            raise Invalid(f"kb may only be {CORPUS!r}; a report's files go by report_id")
        if not user.is_admin:
            raise Forbidden("only admins may add documents to the corpus; give a report_id")
        return CORPUS
    kb = kb or CORPUS
    if kb != CORPUS and not user.is_admin:
        raise NotFound(f"unknown knowledge base {kb!r}")
    return kb
