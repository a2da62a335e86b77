"""A report's review conversation across its sections, and which reviewer comments are still open.

A comment is *open* while the section's latest decision is the request for changes that carried
it: the drafter has not yet submitted the section again (a fresh submission, or an approval, is
the answer). Editing the text alone does not close it; the reviewer has not seen the fix yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.review.workflow import DecisionView, section_label
from assistant.storage.models import Report, ReviewDecision, Section, SectionVersion, User


@dataclass(frozen=True)
class ReportDecision:
    view: DecisionView
    section: str
    heading: str  # as the page names the section
    open: bool


def for_report(s: Session, report: Report, *, only_open: bool = False) -> list[ReportDecision]:
    """Every decision on the report's sections, oldest first (or only the open requests)."""
    rows = list(
        s.execute(
            select(ReviewDecision, Section, SectionVersion.number, User.username)
            .join(Section, Section.id == ReviewDecision.section_pk)
            .join(SectionVersion, SectionVersion.id == ReviewDecision.version_id)
            .join(User, User.id == ReviewDecision.user_id)
            .where(Section.report_id == report.id)
            .order_by(ReviewDecision.created_at, ReviewDecision.id)
        )
    )
    latest: dict[int, int] = {}
    for d, section, _, _ in rows:
        latest[section.id] = d.id  # ordered oldest first: the last one seen wins
    out = []
    for d, section, number, username in rows:
        is_open = d.action == "request_changes" and latest[section.id] == d.id
        if only_open and not is_open:
            continue
        out.append(
            ReportDecision(
                DecisionView(d, number, username),
                section.section_id,
                section_label(section),
                is_open,
            )
        )
    return out
