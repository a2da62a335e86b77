"""Proposed facts in the database: recorded from an upload, then confirmed or rejected.

A proposal read from an upload is never a fact of the report until its owner (or an admin)
confirms it; confirming keeps its source (``upload:<file>#<sheet>!<cell>``) so the fact's
provenance stays true even when the user corrects the key, value or unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.facts.proposed import ProposedFact
from assistant.facts.sheet import Fact
from assistant.reports.access import NotFound, writable_report
from assistant.review.audit import record
from assistant.storage.db import Database
from assistant.storage.models import FactRow
from assistant.uploads.errors import Conflict, Invalid
from assistant.validation import first_error


@dataclass(frozen=True)
class Correction:
    """What the user changed while confirming; None keeps the proposal's own."""

    key: str | None = None
    value: str | int | float | None = None
    unit: str | None = None


def confirm(
    db: Database,
    user: Principal,
    *,
    report_id: int,
    fact_id: int,
    correction: Correction | None = None,
) -> FactRow:
    fix = correction or Correction()
    with db.session() as s:
        row = _proposal(s, user, report_id, fact_id)
        try:
            fact = Fact(
                key=row.key if fix.key is None else fix.key,
                value=row.value.get("v", "") if fix.value is None else fix.value,
                unit=row.unit if fix.unit is None else fix.unit,
                note=row.note,
                source=row.source,
            )
        except ValidationError as exc:
            raise Invalid(first_error(exc, whole="fact")) from exc
        if len(fact.unit) > 32:
            raise Invalid("unit: at most 32 characters")
        clash = s.scalar(
            select(FactRow.id).where(
                FactRow.report_id == report_id,
                FactRow.key == fact.key,
                FactRow.status == "confirmed",
            )
        )
        if clash is not None:
            raise Conflict(f"the report already has a confirmed fact {fact.key!r} (id {clash})")
        before = {"key": row.key, "value": row.value.get("v"), "unit": row.unit}
        row.key, row.value, row.unit = fact.key, {"v": fact.value}, fact.unit
        row.status = "confirmed"
        record(  # in the report's history, where its owner and reviewers look
            s,
            user_id=user.id,
            action="fact.confirm",
            object_type="report",
            object_id=report_id,
            detail={
                "fact_id": row.id,
                "source": row.source,
                "proposed": before,
                "confirmed": {"key": fact.key, "value": fact.value, "unit": fact.unit},
            },
        )
        return row


def reject(db: Database, user: Principal, *, report_id: int, fact_id: int) -> None:
    with db.session() as s:
        row = _proposal(s, user, report_id, fact_id)
        record(
            s,
            user_id=user.id,
            action="fact.reject",
            object_type="report",
            object_id=report_id,
            detail={
                "fact_id": row.id,
                "key": row.key,
                "value": row.value.get("v"),
                "source": row.source,
            },
        )
        s.delete(row)


def _proposal(s: Session, user: Principal, report_id: int, fact_id: int) -> FactRow:
    writable_report(s, user, report_id)
    row = s.get(FactRow, fact_id)
    if row is None or row.report_id != report_id:
        raise NotFound(f"no fact {fact_id} in report {report_id}")
    if row.status != "proposed":
        raise Conflict(
            f"fact {fact_id} is already confirmed; edit it with PUT /reports/{{id}}/facts"
        )
    return row


def record_proposals(
    s: Session, report_id: int, proposals: list[ProposedFact]
) -> tuple[list[FactRow], list[str]]:
    """Rows for the proposals whose key the report has neither confirmed nor proposed yet.

    A key proposed by an earlier upload is skipped too: the first proposal stands until the
    user confirms or rejects it, and one key never carries two competing proposals.
    """
    existing = set(s.scalars(select(FactRow.key).where(FactRow.report_id == report_id)))
    last = s.scalar(
        select(FactRow.ord)
        .where(FactRow.report_id == report_id)
        .order_by(FactRow.ord.desc())
        .limit(1)
    )
    ord_ = -1 if last is None else last
    rows: list[FactRow] = []
    skipped: list[str] = []
    for p in proposals:
        if p.key in existing:
            skipped.append(p.key)
            continue
        ord_ += 1
        row = FactRow(
            report_id=report_id,
            ord=ord_,
            key=p.fact.key,
            value={"v": p.fact.value},
            unit=p.fact.unit,
            note=p.fact.note,
            source=p.fact.source,
            status="proposed",
            origin=p.origin,
            confidence=p.confidence,
        )
        s.add(row)
        rows.append(row)
        existing.add(p.key)
    s.flush()
    return rows, skipped
