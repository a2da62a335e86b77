"""Writing the audit log: one append-only row per decision, export or change, in the same session
as the change it records (the entry commits or rolls back with it).

Every writer goes through :func:`record`; reading a report's history is
:mod:`assistant.review.audit`'s.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant.storage.models import AuditEntry


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
