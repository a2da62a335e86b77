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
from assistant.storage.audit import record
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
        corrects = row.source.startswith("chat:") or (
            row.source.startswith("upload:") and fact.key == row.key
        )  # a proposal renamed onto another confirmed key is a clash, not that key's correction
        if clash is not None and corrects:
            # 记一下 家庭医生签约率是68.5% 不是65%, or a spreadsheet's other figure: a proposal
            # under a confirmed key is a correction; confirming it replaces the value, with the
            # old one in the history.
            return _correct(s, user, report_id, row, fact, clash)
        if clash is not None:
            raise Conflict(
                f"报告中已有已确认的事实“{fact.key}”（编号 {clash}），请改用其他名称或先修改原事实"
            )
        before = _said(row)
        row.key, row.value, row.unit = fact.key, {"v": fact.value}, fact.unit
        row.status = "confirmed"
        _history(
            s,
            user,
            report_id,
            "fact.confirm",
            row.id,
            row.source,
            proposed=before,
            confirmed=_said(fact),
        )
        return row


def _history(
    s: Session,
    user: Principal,
    report_id: int,
    action: str,
    fact_id: int,
    source: str | None,
    **detail: object,
) -> None:
    """A fact's confirmation or correction, in the report's history (where its owner and
    reviewers look): which fact, from which source, and the values before and after."""
    record(
        s,
        user_id=user.id,
        action=action,
        object_type="report",
        object_id=report_id,
        detail={"fact_id": fact_id, "source": source, **detail},
    )


def _said(fact: FactRow | Fact) -> dict[str, object]:
    """A fact as the history shows it: key, value, unit."""
    value = fact.value.get("v") if isinstance(fact, FactRow) else fact.value
    return {"key": fact.key, "value": value, "unit": fact.unit}


def _correct(
    s: Session, user: Principal, report_id: int, row: FactRow, fact: Fact, target_id: int
) -> FactRow:
    target = s.get(FactRow, target_id)
    assert target is not None  # found by the query just before, in this transaction
    before = _said(target)
    target.value, target.unit = {"v": fact.value}, fact.unit
    _history(
        s,
        user,
        report_id,
        "fact.correct",
        target.id,
        row.source,
        proposal_id=row.id,
        before=before,
        after=_said(fact),
    )
    s.delete(row)
    return target


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
    held = s.execute(
        select(FactRow.key, FactRow.status, FactRow.value, FactRow.unit).where(
            FactRow.report_id == report_id
        )
    ).all()
    existing = {key for key, status, _, _ in held if status != "confirmed"}
    confirmed = {
        key: (value.get("v"), unit) for key, status, value, unit in held if status == "confirmed"
    }
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
        # A chat message (不是12次) or an uploaded file (健康义诊 38场 where 36场 is confirmed)
        # may correct a confirmed fact: proposed, so the user sees the difference and chooses;
        # anything else already held — the same value, a pending proposal — is not proposed again.
        correction = confirmed.get(p.key, (p.fact.value, p.fact.unit)) != (
            p.fact.value,
            p.fact.unit,
        )
        if p.key in existing or (p.key in confirmed and not correction):
            skipped.append(p.key)
            continue
        existing.add(p.key)
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
