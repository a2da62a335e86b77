"""``/api/v1/reports/{id}/…``: review decisions on sections, the audit log, and export.

Thin: each route calls the root's :class:`~assistant.review.service.ReviewService` (which checks
that the user may see the report, 404 otherwise) and maps its result to the public models; the
rules live in :mod:`assistant.review.workflow` and :mod:`assistant.review.export`, whose
refusals (422, 409 with a JSON detail) are answered by the app's one error handler.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.api.audit_query import AuditParams, AuditPublic, audit_page
from assistant.api.deps import MAX_ID, CurrentUser, ObjectId, ReviewsDep
from assistant.export.minimal import DOCX_MEDIA_TYPE, DRAFT_MARK
from assistant.review import batch, workflow
from assistant.review.service import ReviewService
from assistant.storage.models import Report, SectionVersion

router = APIRouter(prefix="/api/v1", tags=["review"])
_ERRORS: dict[int | str, dict[str, Any]] = {403: {}, 404: {}, 409: {}}


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["submit", "approve", "request_changes"]
    comment: str = Field(default="", max_length=4000)
    override_reason: str = Field(default="", max_length=4000)
    # the version the user read; a newer one makes this a 409
    version_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class DecisionPublic(BaseModel):
    id: int
    action: str
    user_id: int
    username: str
    version_id: int
    version_number: int
    comment: str
    override_reason: str
    created_at: dt.datetime


class VersionSummary(BaseModel):
    id: int
    number: int
    kind: str
    engine: str
    author_id: int
    created_at: dt.datetime
    errors: int
    warnings: int


class SectionReviewPublic(BaseModel):
    id: str
    heading: str
    status: str
    current_version: VersionSummary | None
    approved_version: VersionSummary | None
    decisions: list[DecisionPublic]


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC)  # stored naive, always UTC


def _decision(view: workflow.DecisionView) -> DecisionPublic:
    d = view.decision
    return DecisionPublic(
        id=d.id,
        action=d.action,
        user_id=d.user_id,
        username=view.username,
        version_id=d.version_id,
        version_number=view.version_number,
        comment=d.comment,
        override_reason=d.override_reason,
        created_at=_utc(d.created_at),
    )


def _version(v: SectionVersion | None) -> VersionSummary | None:
    if v is None:
        return None
    severities = [i.get("severity") for i in v.issues if isinstance(i, dict)]
    return VersionSummary(
        id=v.id,
        number=v.number,
        kind=v.kind,
        engine=v.engine,
        author_id=v.author_id,
        created_at=_utc(v.created_at),
        errors=severities.count("error"),
        warnings=severities.count("warning"),
    )


def _section(state: workflow.SectionReview) -> SectionReviewPublic:
    return SectionReviewPublic(
        id=state.section.section_id,
        heading=state.section.heading,
        status=state.section.status,
        current_version=_version(state.current),
        approved_version=_version(state.approved),
        decisions=[_decision(v) for v in state.decisions],
    )


@router.post("/reports/{report_id}/sections/{sid}/review", responses={**_ERRORS, 422: {}})
def review_section(
    report_id: ObjectId, sid: str, body: ReviewIn, user: CurrentUser, reviews: ReviewsDep
) -> SectionReviewPublic:
    state = reviews.decide(
        user,
        report_id,
        sid,
        action=body.action,
        comment=body.comment,
        override_reason=body.override_reason,
        version_id=body.version_id,
    )
    return _section(state)


@router.get("/reports/{report_id}/sections/{sid}/reviews", responses={404: {}})
def section_reviews(
    report_id: ObjectId, sid: str, user: CurrentUser, reviews: ReviewsDep
) -> list[DecisionPublic]:
    return [_decision(v) for v in reviews.decisions(user, report_id, sid)]


@router.get("/reports/{report_id}/audit", responses={404: {}})
def report_audit(
    report_id: ObjectId,
    user: CurrentUser,
    reviews: ReviewsDep,
    params: Annotated[AuditParams, Depends()],
    response: Response,
) -> list[AuditPublic]:
    """The report's history, paged and filtered as the overall log (``GET /admin/audit``)."""

    def page(s: Session, report: Report) -> list[AuditPublic]:
        return audit_page(s, params.for_report(report.id), params, response)

    return reviews.read(user, report_id, page)


class ReadinessPublic(BaseModel):
    ready: bool
    unapproved: list[dict[str, Any]]  # the sections not approved yet
    blocking: list[dict[str, Any]]  # the errors left in approved text without a reason


@router.get("/reports/{report_id}/export-status")
def export_status(report_id: ObjectId, user: CurrentUser, reviews: ReviewsDep) -> ReadinessPublic:
    """Whether a final export would pass the gate, and why not: asked without exporting."""
    return ReadinessPublic.model_validate(reviews.readiness(user, report_id).public())


def _disposition(report_id: int, title: str, *, draft: bool) -> str:
    """An ASCII ``filename`` for old clients, the real (Chinese) name as RFC 5987 ``filename*``."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", title).strip()[:80] or "report"
    name += f"（{DRAFT_MARK}）" if draft else ""
    ascii_name = f"report-{report_id}{'-draft' if draft else ''}.docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name + '.docx')}"


@router.get(
    "/reports/{report_id}/export.docx",
    response_class=Response,
    responses={404: {}, 409: {}, 200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
def export_docx(
    report_id: ObjectId, user: CurrentUser, reviews: ReviewsDep, draft: bool = False
) -> Response:
    file = reviews.export(user, report_id, draft=draft)
    return Response(
        file.data,
        media_type=DOCX_MEDIA_TYPE,
        headers={"Content-Disposition": _disposition(report_id, file.title, draft=draft)},
    )


# -- whole-report review and the report's comments (issue 15) -----------------------------------


class ReviewAllIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # section id → the version id the user read; a section missing or changed since is refused
    versions: dict[str, Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        default=None, max_length=200
    )


class SectionOutcomePublic(BaseModel):
    section: str
    heading: str
    outcome: Literal["done", "refused", "skipped"]
    status: str
    code: str
    message: str


class ReviewAllPublic(BaseModel):
    sections: list[SectionOutcomePublic]
    done: int
    refused: int
    skipped: int


class ReportDecisionPublic(DecisionPublic):
    section: str
    heading: str
    open: bool


def _review_all(
    report_id: int,
    action: batch.BatchAction,
    body: ReviewAllIn | None,
    user: Principal,
    reviews: ReviewService,
) -> ReviewAllPublic:
    outcomes = reviews.decide_all(user, report_id, action, body.versions if body else None)
    return ReviewAllPublic.model_validate(batch.summary(outcomes))


@router.post("/reports/{report_id}/submit-all", responses={403: {}, 404: {}, 422: {}})
def submit_all(
    report_id: ObjectId,
    user: CurrentUser,
    reviews: ReviewsDep,
    body: Annotated[ReviewAllIn | None, Body()] = None,
) -> ReviewAllPublic:
    """The drafter submits every section in 草稿 or 退回修改, each on its own (see ``sections``)."""
    return _review_all(report_id, "submit", body, user, reviews)


@router.post("/reports/{report_id}/approve-all", responses={403: {}, 404: {}, 422: {}})
def approve_all(
    report_id: ObjectId,
    user: CurrentUser,
    reviews: ReviewsDep,
    body: Annotated[ReviewAllIn | None, Body()] = None,
) -> ReviewAllPublic:
    """A reviewer approves every submitted section that passes the single approval's checks;
    one with errors needs its own approval with a reason (refused here, code review_blocked)."""
    return _review_all(report_id, "approve", body, user, reviews)


@router.get("/reports/{report_id}/reviews", responses={404: {}})
def report_reviews(
    report_id: ObjectId, user: CurrentUser, reviews: ReviewsDep, open: bool = False
) -> list[ReportDecisionPublic]:
    """Every review decision on the report, oldest first; ``open=true``: only the requests for
    changes not yet answered by a new submission (the comments the drafter still has to act on)."""
    return [
        ReportDecisionPublic(
            **_decision(d.view).model_dump(), section=d.section, heading=d.heading, open=d.open
        )
        for d in reviews.report_decisions(user, report_id, only_open=open)
    ]
