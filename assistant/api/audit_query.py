"""Reading the audit log over HTTP: the query parameters both logs take (the overall one for
admins, ``GET /admin/audit``, and a report's, ``GET /reports/{id}/audit``) and the answer's
shape, so both page and filter the same way.

An answer is a list of entries, newest first; ``X-Total-Count`` says how many match in all, so a
client pages with ``limit`` and ``offset`` until it has them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.api.deps import MAX_ID
from assistant.review import audit
from assistant.storage.models import Section

TOTAL_HEADER = "X-Total-Count"


class AuditPublic(BaseModel):
    id: int
    at: dt.datetime
    user_id: int | None
    username: str | None
    action: str
    object_type: str
    object_id: int | None
    detail: dict[str, Any]


class AuditParams:
    """``limit``, ``offset``, ``user_id``, ``action`` (one, or a family ending in ``.``), and a
    time range ``since`` (inclusive) … ``until`` (exclusive), ISO 8601, UTC unless an offset is
    given."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
        action: Annotated[str | None, Query(max_length=48)] = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> None:
        self.limit, self.offset = limit, offset
        self.filter = audit.AuditFilter(
            user_id=user_id, action=action or None, since=since, until=until
        )

    def for_report(self, report_id: int) -> audit.AuditFilter:
        f = self.filter
        return audit.AuditFilter(report_id, f.user_id, f.action, f.since, f.until)


def audit_page(
    s: Session, f: audit.AuditFilter, params: AuditParams, response: Response
) -> list[AuditPublic]:
    rows, total = audit.search(s, f, limit=params.limit, offset=params.offset)
    response.headers[TOTAL_HEADER] = str(total)
    headings = _section_headings(s, [e for e, _ in rows])
    return [
        AuditPublic(
            id=e.id,
            at=e.at.replace(tzinfo=dt.UTC),  # stored naive, always UTC
            user_id=e.user_id,
            username=username,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            detail=_named(e.detail, headings),
        )
        for e, username in rows
    ]


def _section_headings(s: Session, entries: list[Any]) -> dict[tuple[int, str], str]:
    """(report id, section id) → the section's heading, for the entries that name a section:
    the page shows 一、主要工作和成效, not achievements."""
    wanted = {
        (int(d["report_id"]), str(d["section"]))
        for d in (e.detail or {} for e in entries)
        if isinstance(d, dict) and d.get("section") and isinstance(d.get("report_id"), int)
    }
    if not wanted:
        return {}
    rows = s.execute(
        select(Section.report_id, Section.section_id, Section.heading).where(
            Section.report_id.in_({r for r, _ in wanted})
        )
    )
    return {(r, sid): h for r, sid, h in rows if (r, sid) in wanted and h}


def _named(detail: Any, headings: dict[tuple[int, str], str]) -> Any:
    if not isinstance(detail, dict) or not detail.get("section"):
        return detail
    heading = headings.get((detail.get("report_id"), str(detail["section"])))  # type: ignore[arg-type]
    return {**detail, "section_heading": heading} if heading else detail
