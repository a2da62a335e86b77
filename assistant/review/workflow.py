"""The review state machine for a report's sections (the export and its gate: review/export.py).

A section goes ``empty`` → ``draft`` (the reports API, on every saved version) → ``submitted``
(its owner) → ``approved`` or ``changes_requested`` (a reviewer assigned to the report, or an
admin). An approval belongs to one version: saving a new version puts the section back to
``draft`` (reports API) and the new text needs its own approval, from someone who wrote
neither it nor an earlier version it is near (review/authorship.py). Every decision is a
``ReviewDecision`` row plus an audit entry, written in the caller's session so both commit or
neither does. Functions take the ORM rows and a session; they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.errors import Conflict, Forbidden, Invalid
from assistant.reports.access import reviewer_ids
from assistant.reports.structure import REMOVED, missing_section
from assistant.review import authorship
from assistant.storage.audit import record
from assistant.storage.models import Report, ReviewDecision, Section, SectionVersion, User

EMPTY, DRAFT, SUBMITTED = "empty", "draft", "submitted"
APPROVED, CHANGES_REQUESTED = "approved", "changes_requested"
Action = Literal["submit", "approve", "request_changes"]
ACTIONS: tuple[str, ...] = get_args(Action)

_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "submit": (DRAFT, CHANGES_REQUESTED),
    "approve": (SUBMITTED,),
    # A reviewer may also withdraw an approval before export, not only answer a submission.
    "request_changes": (SUBMITTED, APPROVED),
}
_STATE_CN = {
    "draft": "草稿",
    "submitted": "待审核",
    "approved": "已批准",
    "changes_requested": "退回修改",
}
_ACTION_CN = {"submit": "提交审核", "approve": "批准", "request_changes": "退回修改"}
_RESULT = {"submit": SUBMITTED, "approve": APPROVED, "request_changes": CHANGES_REQUESTED}


class ReviewConflict(Conflict, code="review_state"):
    """The action does not fit the section's or report's state (→ 409); ``detail`` says why."""

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.detail: dict[str, Any] = {"message": message, **extra}

    def public(self) -> dict[str, Any]:
        return self.detail


class ReviewInputError(Invalid, ValueError):
    """The request lacks something the action needs, such as a comment (→ 422)."""


# Refusals the page words differently (what to do differs), so each has its own code.
class CommentRequired(ReviewInputError, code="comment_required"):
    """Changes requested without saying what to change."""


class ReviewBlocked(ReviewConflict, code="review_blocked"):
    """An approval of a version with errors, without a reason for letting them pass."""


class ReviewStale(ReviewConflict, code="review_stale"):
    """The version under review changed since the reviewer read it, or while deciding."""


class NotDrafter(Forbidden, code="not_drafter"):
    """Only the report's owner (or an admin) submits its sections."""


class NotReviewer(Forbidden, code="not_reviewer"):
    """Only a reviewer named on the report (or an admin) approves or returns sections."""


class OwnText(Forbidden, code="own_text"):
    """A reviewer approving words they wrote (or nearly so)."""


_SECTION_WORDS = {"title": "标题", "salutation": "称谓", "opening": "开头", "overview": "总体情况"}
_SECTION_WORDS |= {"closing": "结束语", "background": "背景"}


def section_label(section: Section) -> str:
    """The section as the page names it: its heading, or a word for the untitled ones."""
    return section.heading or _SECTION_WORDS.get(section.section_id, section.section_id)


@dataclass(frozen=True)
class DecisionView:
    decision: ReviewDecision
    version_number: int
    username: str


@dataclass(frozen=True)
class SectionReview:
    section: Section
    current: SectionVersion | None
    approved: SectionVersion | None
    decisions: list[DecisionView]


def find_section(s: Session, report: Report, sid: str) -> Section:
    section = s.scalar(
        select(Section).where(
            Section.report_id == report.id, Section.section_id == sid, Section.status != REMOVED
        )
    )
    if section is None:
        raise missing_section(s, report, sid)  # removed (409) or never there (404)
    return section


def error_issues(version: SectionVersion) -> list[dict[str, Any]]:
    return [i for i in version.issues if isinstance(i, dict) and i.get("severity") == "error"]


def blocking_issue(section: Section, issue: dict[str, Any]) -> dict[str, Any]:
    return {
        "section": section.section_id,
        "rule": issue.get("rule", ""),
        "message": issue.get("message", ""),
        "text": issue.get("text", ""),
    }


def authorise(s: Session, user: Principal, report: Report, action: str) -> None:
    """Refuse a user who may not take ``action`` on the report's sections at all (→ 403)."""
    if action == "submit":
        if not (user.is_admin or report.owner_id == user.id):
            raise NotDrafter("只有报告的起草人（或管理员）可以提交审核")
    elif not (user.is_admin or user.id in reviewer_ids(s, report.id)):
        raise NotReviewer("只有本报告指定的审核人（或管理员）可以审核")


def decide(
    s: Session,
    *,
    user: Principal,
    report: Report,
    section: Section,
    action: str,
    comment: str = "",
    override_reason: str = "",
    version_id: int | None = None,
    allow_self_approval: bool = False,
    batch: str = "",
) -> ReviewDecision:
    """Submit, approve or request changes on the section's current version.

    ``version_id``, when given, is the version the user looked at: a decision on text that has
    changed since is refused rather than applied to text nobody read. ``batch`` names the
    whole-report action this decision is part of (``submit_all`` …), for the audit log.
    """
    comment, override_reason = comment.strip(), override_reason.strip()
    if action not in _RESULT:
        raise ReviewInputError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if action == "request_changes" and not comment:
        raise CommentRequired("退回修改时请在审核意见中写明要改什么")
    authorise(s, user, report, action)
    old = section.status
    name = section_label(section)
    if old not in _ALLOWED_FROM[action]:
        allowed = "或".join(_STATE_CN.get(a, a) for a in _ALLOWED_FROM[action])
        raise ReviewConflict(
            f"“{name}”当前为{_STATE_CN.get(old, '未起草')}，"
            f"不能{_ACTION_CN[action]}（需要：{allowed}）",
            status=old,
            action=action,
        )
    version = s.get(SectionVersion, section.current_version_id or 0)
    if version is None:
        raise ReviewConflict(f"“{name}”还没有可审核的版本", status=old, action=action)
    if version_id is not None and version_id != version.id:
        raise ReviewStale(
            f"“{name}”已有更新：当前为第{version.number}版，不是您看到的那一版，请重新打开后再审核",
            status=old,
            action=action,
            current_version=version.id,
        )
    overridden: list[str] = []
    if action == "approve":
        if version.author_id == user.id and not allow_self_approval:
            raise OwnText(
                f"“{name}”的第{version.number}版由您本人撰写，需由其他审核人批准；"
                "请在报告的审核人中添加一位同事"
            )
        # Someone else's one-character change does not make the reviewer's text theirs.
        mine = None if allow_self_approval else authorship.own_work(s, version, user.id)
        if mine is not None:
            raise OwnText(authorship.refusal(mine, version))
        errors = error_issues(version)
        if errors and not override_reason:
            raise ReviewBlocked(
                f"“{name}”第{version.number}版还有 {len(errors)} 个错误："
                "请退回起草人修改，或在“放行理由”中写明理由后再批准",
                status=old,
                action=action,
                blocking=[blocking_issue(section, i) for i in errors],
            )
        overridden = sorted({str(i.get("rule", "")) for i in errors})

    new = _RESULT[action]
    approved_id = version.id if new == APPROVED else None
    # Conditional on the state just checked: a concurrent edit or decision makes this a 409
    # instead of an approval of text the reviewer never saw.
    result = s.execute(
        update(Section)
        .where(
            Section.id == section.id,
            Section.status == old,
            Section.current_version_id == version.id,
        )
        .values(status=new, approved_version_id=approved_id)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise ReviewStale(
            f"“{name}”刚被他人修改，请刷新后重试",
            status=old,
            action=action,
        )
    decision = ReviewDecision(
        section_pk=section.id,
        version_id=version.id,
        user_id=user.id,
        action=action,
        comment=comment,
        override_reason=override_reason,
    )
    s.add(decision)
    s.flush()
    detail: dict[str, Any] = {
        "report_id": report.id,
        "section": section.section_id,
        "version_id": version.id,
        "version": version.number,
        "from": old,
        "to": new,
        "decision_id": decision.id,
    }
    if comment:
        detail["comment"] = comment
    if override_reason:
        detail["override_reason"] = override_reason
    if overridden:
        detail["overridden_rules"] = overridden
    if batch:
        detail["batch"] = batch
    record(
        s,
        user_id=user.id,
        action=action,
        object_type="section",
        object_id=section.id,
        detail=detail,
    )
    return decision


def decisions(s: Session, section: Section) -> list[DecisionView]:
    """The section's decisions, oldest first: the review conversation in order."""
    rows = s.execute(
        select(ReviewDecision, SectionVersion.number, User.username)
        .join(SectionVersion, SectionVersion.id == ReviewDecision.version_id)
        .join(User, User.id == ReviewDecision.user_id)
        .where(ReviewDecision.section_pk == section.id)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    )
    return [DecisionView(d, number, username) for d, number, username in rows]


def review_state(s: Session, section: Section) -> SectionReview:
    current = s.get(SectionVersion, section.current_version_id or 0)
    approved = s.get(SectionVersion, section.approved_version_id or 0)
    return SectionReview(section, current, approved, decisions(s, section))
