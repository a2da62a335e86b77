"""The review service behind ``/api/v1/reports/{id}/…``: decisions, the export and its status.

Each method opens one unit of work, checks that the user may see the report (404 otherwise)
and calls the state machine (:mod:`assistant.review.workflow`), the batch decisions
(:mod:`assistant.review.batch`), the comments (:mod:`assistant.review.comments`) or the export
(:mod:`assistant.review.export`) inside it, so the access check and the write share one
transaction. Rows come back loaded and detached (the sessions do not expire on commit), for the
route to map to its public models. Settings are read at each call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.config import Settings
from assistant.export.styles import FontNames
from assistant.reports.access import readable_report
from assistant.review import batch, comments, export, workflow
from assistant.storage.db import Database
from assistant.storage.models import Report

T = TypeVar("T")


@dataclass
class ReviewService:
    db: Database
    settings: Settings

    def decide(
        self,
        user: Principal,
        report_id: int,
        section_id: str,
        *,
        action: workflow.Action,
        comment: str = "",
        override_reason: str = "",
        version_id: int | None = None,
    ) -> workflow.SectionReview:
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            section = workflow.find_section(s, report, section_id)
            workflow.decide(
                s,
                user=user,
                report=report,
                section=section,
                action=action,
                comment=comment,
                override_reason=override_reason,
                version_id=version_id,
                allow_self_approval=self.settings.review_allow_self_approval,
            )
            return workflow.review_state(s, section)

    def decisions(
        self, user: Principal, report_id: int, section_id: str
    ) -> list[workflow.DecisionView]:
        with self.db.session() as s:
            section = workflow.find_section(s, readable_report(s, user, report_id), section_id)
            return workflow.decisions(s, section)

    def decide_all(
        self,
        user: Principal,
        report_id: int,
        action: batch.BatchAction,
        versions: Mapping[str, int] | None = None,
    ) -> list[batch.SectionOutcome]:
        return batch.decide_all(
            self.db,
            user=user,
            report_id=report_id,
            action=action,
            versions=versions,
            allow_self_approval=self.settings.review_allow_self_approval,
        )

    def report_decisions(
        self, user: Principal, report_id: int, *, only_open: bool = False
    ) -> list[comments.ReportDecision]:
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            return comments.for_report(s, report, only_open=only_open)

    def readiness(self, user: Principal, report_id: int) -> export.Readiness:
        with self.db.session() as s:
            return export.readiness(s, readable_report(s, user, report_id))

    def export(self, user: Principal, report_id: int, *, draft: bool) -> export.ExportFile:
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            return export.export_report(
                s,
                user=user,
                report=report,
                draft=draft,
                fonts=FontNames.from_settings(self.settings),
            )

    def read(self, user: Principal, report_id: int, view: Callable[[Session, Report], T]) -> T:
        """``view`` run on a report the user may see, in its own session (the audit page)."""
        with self.db.session() as s:
            return view(s, readable_report(s, user, report_id))
