"""Whole-report review: the drafter submits every section, a reviewer approves every submitted one.

Each section is decided in its own transaction by :func:`assistant.review.workflow.decide`, with
exactly the checks a single decision has (rights, state, the version the reviewer read, errors
without an override reason, one's own text). A refusal does not undo another section's decision:
the answer says, section by section, what was done, refused (with the error's code and message)
or skipped (nothing to do, and why). A caller who may not take the action at all is refused as a
whole (403) before any section is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from assistant.accounts.service import Principal
from assistant.errors import AssistantError
from assistant.reports.access import readable_report
from assistant.review import workflow
from assistant.storage.db import Database

BatchAction = Literal["submit", "approve"]
Outcome = Literal["done", "refused", "skipped"]

# What each action takes a section from; a section in a listed state is skipped with the reason.
_TAKES: dict[str, tuple[str, ...]] = {
    "submit": (workflow.DRAFT, workflow.CHANGES_REQUESTED, workflow.EMPTY),
    "approve": (workflow.SUBMITTED,),
}
_SKIP_WHY: dict[str, dict[str, str]] = {
    "submit": {
        workflow.SUBMITTED: "已提交审核，等待审核人处理",
        workflow.APPROVED: "已批准，无需再提交",
    },
    "approve": {
        workflow.APPROVED: "已批准",
        workflow.DRAFT: "起草人尚未提交审核",
        workflow.CHANGES_REQUESTED: "已退回修改，起草人尚未重新提交",
        workflow.EMPTY: "还没有起草",
    },
}


@dataclass(frozen=True)
class SectionOutcome:
    section: str
    heading: str  # as the page names it (untitled sections get a word: 开头, 标题 …)
    outcome: Outcome
    status: str  # the section's status afterwards
    code: str = ""  # the refusal's code (an AssistantError's), empty when done or skipped
    message: str = ""  # what was done, or why not: one Chinese line


def decide_all(
    db: Database,
    *,
    user: Principal,
    report_id: int,
    action: BatchAction,
    versions: Mapping[str, int] | None = None,
    allow_self_approval: bool = False,
) -> list[SectionOutcome]:
    """Take ``action`` on every section it applies to, each in its own transaction.

    ``versions`` (section id → version id) are the versions the user looked at: a section whose
    current version is another, or is not listed, is refused rather than decided unseen.
    """
    with db.session() as s:
        report = readable_report(s, user, report_id)
        workflow.authorise(s, user, report, action)
        sids = [x.section_id for x in report.sections]
    return [
        _one(db, user=user, report_id=report_id, sid=sid, action=action, versions=versions,
             allow_self_approval=allow_self_approval)
        for sid in sids
    ]  # fmt: skip


def _one(
    db: Database,
    *,
    user: Principal,
    report_id: int,
    sid: str,
    action: BatchAction,
    versions: Mapping[str, int] | None,
    allow_self_approval: bool,
) -> SectionOutcome:
    label, status = sid, ""
    try:
        with db.session() as s:
            # Rights and state are read again here: they may have changed since the first look.
            report = readable_report(s, user, report_id)
            section = workflow.find_section(s, report, sid)
            label, status = workflow.section_label(section), section.status
            if status not in _TAKES[action]:
                why = _SKIP_WHY[action].get(status, "无需处理")
                return SectionOutcome(sid, label, "skipped", status, message=why)
            seen: int | None = None
            if versions is not None:
                seen = versions.get(sid, 0)  # 0 names no version: not seen, so refused
            if status == workflow.EMPTY:
                raise workflow.ReviewConflict(
                    f"“{label}”还没有内容，请先起草", status=status, action=action
                )
            workflow.decide(
                s,
                user=user,
                report=report,
                section=section,
                action=action,
                version_id=seen,
                allow_self_approval=allow_self_approval,
                batch=f"{action}_all",
            )
            done = workflow.SUBMITTED if action == "submit" else workflow.APPROVED
            what = "已提交审核" if action == "submit" else "已批准"
            return SectionOutcome(sid, label, "done", done, message=what)
    except AssistantError as exc:
        if exc.status == 500:
            raise  # a fault of the installation, not a refusal
        message = exc.public()
        if isinstance(message, dict):
            message = message.get("message", str(exc))
        return SectionOutcome(sid, label, "refused", status, code=exc.code, message=str(message))


def summary(outcomes: list[SectionOutcome]) -> dict[str, Any]:
    """The answer: every section's outcome and how many were done, refused and skipped."""
    counts = {k: sum(o.outcome == k for o in outcomes) for k in ("done", "refused", "skipped")}
    return {"sections": [asdict(o) for o in outcomes], **counts}
