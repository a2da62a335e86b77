"""The review state machine and the export gate, over a real SQLite database (no HTTP)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.export.minimal import write_report
from assistant.reports.access import Forbidden
from assistant.review import audit, workflow
from assistant.review import export as review_export
from assistant.review.workflow import ReviewConflict, ReviewInputError
from assistant.storage.db import Database
from assistant.storage.models import (
    Report,
    ReportReviewer,
    ReviewDecision,
    Section,
    SectionVersion,
    User,
)

ERROR = {
    "rule": "GR001",
    "category": "grounding",
    "severity": "error",
    "start": 0,
    "end": 2,
    "text": "12",
    "message": "数字12在事实表中找不到",
    "suggestion": "",
}
WARNING = {**ERROR, "rule": "PU001", "severity": "warning", "message": "半角标点"}


@dataclass
class World:
    s: Session
    report: Report
    sections: dict[str, Section]
    dora: Principal  # owner, drafter
    rita: Principal  # assigned reviewer
    ada: Principal  # admin
    dan: Principal  # another drafter


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    db = Database(f"sqlite:///{tmp_path / 'state.db'}")
    db.migrate()
    with db.session() as s:
        users = {}
        for name, role in [
            ("dora", "drafter"),
            ("rita", "reviewer"),
            ("ada", "admin"),
            ("dan", "drafter"),
        ]:
            row = User(username=name, password_hash="-", role=role)
            s.add(row)
            s.flush()
            users[name] = Principal(row.id, name, role)
        report = Report(
            owner_id=users["dora"].id, template="工作情况汇报", title="关于工作情况的汇报"
        )
        s.add(report)
        s.flush()
        s.add(ReportReviewer(report_id=report.id, user_id=users["rita"].id))
        sections = {}
        for ord_, (sid, heading) in enumerate(
            [("title", ""), ("work", "一、主要工作"), ("plans", "二、下一步打算")]
        ):
            sections[sid] = Section(report_id=report.id, section_id=sid, ord=ord_, heading=heading)
            s.add(sections[sid])
        s.flush()
        yield World(s, report, sections, users["dora"], users["rita"], users["ada"], users["dan"])
    db.close()


def new_version(
    w: World, sid: str, text: str, author: Principal | None = None, issues: list[Any] | None = None
) -> SectionVersion:
    """What the reports API does on every saved draft or edit: a new current version, reopened."""
    section = w.sections[sid]
    number = len(
        w.s.scalars(select(SectionVersion.id).where(SectionVersion.section_pk == section.id)).all()
    )
    version = SectionVersion(
        section_pk=section.id,
        number=number + 1,
        text=text,
        kind="edit" if number else "draft",
        author_id=(author or w.dora).id,
        issues=issues or [],
    )
    w.s.add(version)
    w.s.flush()
    section.current_version_id, section.approved_version_id, section.status = (
        version.id,
        None,
        "draft",
    )
    return version


def act(w: World, user: Principal, sid: str, action: str, **kw: Any) -> ReviewDecision:
    return workflow.decide(
        w.s, user=user, report=w.report, section=w.sections[sid], action=action, **kw
    )


def test_submit_then_approve_binds_the_approval_to_the_current_version(world: World) -> None:
    v = new_version(world, "work", "全年召开会议8次。", issues=[WARNING])
    act(world, world.dora, "work", "submit", comment="请审核")
    assert world.sections["work"].status == "submitted"
    decision = act(world, world.rita, "work", "approve")
    section = world.sections["work"]
    assert (section.status, section.approved_version_id, decision.version_id) == (
        "approved",
        v.id,
        v.id,
    )
    views = workflow.decisions(world.s, section)
    assert [(d.decision.action, d.username, d.version_number) for d in views] == [
        ("submit", "dora", 1),
        ("approve", "rita", 1),
    ]
    entries = audit.for_report(world.s, world.report)
    assert [(e.action, name) for e, name in entries] == [("approve", "rita"), ("submit", "dora")]
    assert entries[0][0].detail["from"] == "submitted" and entries[0][0].detail["to"] == "approved"
    assert entries[1][0].detail["comment"] == "请审核"


@pytest.mark.parametrize(
    ("setup", "who", "action", "status"),
    [
        ([], "dora", "submit", "empty"),  # nothing drafted yet
        (["draft"], "rita", "approve", "draft"),  # not submitted
        (["draft", "submit"], "dora", "submit", "submitted"),
        (["draft", "submit", "approve"], "rita", "approve", "approved"),
        (["draft", "submit", "approve"], "dora", "submit", "approved"),
        (["draft"], "rita", "request_changes", "draft"),
    ],
)
def test_invalid_transitions_are_conflicts_naming_the_status(
    world: World, setup: list[str], who: str, action: str, status: str
) -> None:
    for step in setup:
        if step == "draft":
            new_version(world, "work", "正文。")
        else:
            act(world, world.dora if step == "submit" else world.rita, "work", step)
    with pytest.raises(ReviewConflict) as caught:
        act(world, getattr(world, who), "work", action, comment="改一下")
    assert caught.value.detail["status"] == status
    # The message names the state in the page's words (the raw status is in the detail only).
    words = {"empty": "未起草", "draft": "草稿", "submitted": "待审核", "approved": "已批准"}
    assert f"当前为{words[status]}" in str(caught.value) and status not in str(caught.value)
    assert world.sections["work"].status == status  # nothing changed


def test_request_changes_needs_a_comment_and_the_owner_can_resubmit(world: World) -> None:
    new_version(world, "work", "正文。")
    act(world, world.dora, "work", "submit")
    with pytest.raises(ReviewInputError):
        act(world, world.rita, "work", "request_changes", comment="  ")
    act(world, world.rita, "work", "request_changes", comment="补充第三季度数据")
    assert world.sections["work"].status == "changes_requested"
    act(world, world.dora, "work", "submit")
    assert world.sections["work"].status == "submitted"


def test_a_reviewer_can_withdraw_an_approval_before_export(world: World) -> None:
    new_version(world, "work", "正文。")
    act(world, world.dora, "work", "submit")
    act(world, world.rita, "work", "approve")
    act(world, world.rita, "work", "request_changes", comment="数据口径需再核")
    section = world.sections["work"]
    assert (section.status, section.approved_version_id) == ("changes_requested", None)


def test_who_may_do_what(world: World) -> None:
    new_version(world, "work", "正文。")
    for user in (world.rita, world.dan):
        with pytest.raises(Forbidden):
            act(world, user, "work", "submit")
    act(world, world.dora, "work", "submit")
    for user in (world.dora, world.dan):  # the owner, a drafter, is not a reviewer
        with pytest.raises(Forbidden):
            act(world, user, "work", "approve")
    act(world, world.ada, "work", "approve")  # admins may review any report
    assert world.sections["work"].status == "approved"


def test_nobody_approves_their_own_text_unless_the_setting_allows(world: World) -> None:
    new_version(world, "work", "管理员改过的正文。", author=world.ada)
    act(world, world.dora, "work", "submit")
    with pytest.raises(Forbidden, match="需由其他审核人批准"):
        act(world, world.ada, "work", "approve")
    act(world, world.ada, "work", "approve", allow_self_approval=True)
    assert world.sections["work"].status == "approved"


def test_an_error_issue_blocks_approval_unless_overridden_and_the_reason_is_kept(
    world: World,
) -> None:
    new_version(world, "work", "12次会议。", issues=[ERROR, WARNING])
    act(world, world.dora, "work", "submit")
    with pytest.raises(ReviewConflict) as caught:
        act(world, world.rita, "work", "approve", override_reason=" ")
    assert caught.value.detail["blocking"] == [
        {"section": "work", "rule": "GR001", "message": ERROR["message"], "text": "12"}
    ]
    decision = act(world, world.rita, "work", "approve", override_reason="数字已与统计局核对")
    assert decision.override_reason == "数字已与统计局核对"
    entry, _ = audit.for_report(world.s, world.report)[0]
    assert entry.detail["override_reason"] == "数字已与统计局核对"
    assert entry.detail["overridden_rules"] == ["GR001"]


def test_a_decision_on_a_version_the_user_did_not_read_is_refused(world: World) -> None:
    old = new_version(world, "work", "旧稿。")
    new = new_version(world, "work", "新稿。")
    act(world, world.dora, "work", "submit", version_id=new.id)
    with pytest.raises(ReviewConflict) as caught:
        act(world, world.rita, "work", "approve", version_id=old.id)
    assert caught.value.detail["current_version"] == new.id


def _approve(w: World, sid: str, **kw: Any) -> None:
    act(w, w.dora, sid, "submit")
    act(w, w.rita, sid, "approve", **kw)


def test_export_gate_lists_every_unapproved_section_and_unresolved_errors(world: World) -> None:
    new_version(world, "title", "关于2024年工作情况的汇报")
    new_version(world, "work", "12次会议。", issues=[ERROR])
    unapproved, blocking = review_export.export_gate(world.s, world.report)
    assert unapproved == [
        {"section": "title", "heading": "", "status": "draft"},
        {"section": "work", "heading": "一、主要工作", "status": "draft"},
        {"section": "plans", "heading": "二、下一步打算", "status": "empty"},  # never drafted
    ]
    assert [b["rule"] for b in blocking] == ["GR001"]

    _approve(world, "title")
    _approve(world, "work", override_reason="已核实")
    new_version(world, "plans", "明年继续。")
    _approve(world, "plans")
    assert review_export.export_gate(world.s, world.report) == ([], [])

    # an error that appears on an approved version later (checks re-run) blocks again
    world.s.get(SectionVersion, world.sections["plans"].approved_version_id).issues = [ERROR]
    _, blocking = review_export.export_gate(world.s, world.report)
    assert [(b["section"], b["rule"]) for b in blocking] == [("plans", "GR001")]


def test_one_readiness_rule_answers_the_status_and_refuses_the_final_copy(world: World) -> None:
    new_version(world, "title", "关于2024年工作情况的汇报")
    gate = review_export.readiness(world.s, world.report)
    assert not gate.ready and gate.public()["ready"] is False
    with pytest.raises(ReviewConflict):
        review_export.export_report(world.s, user=world.dora, report=world.report, draft=False)
    for sid in ("title", "work", "plans"):
        new_version(world, sid, f"{sid}正文。")
        _approve(world, sid)
    assert review_export.readiness(world.s, world.report).public() == {
        "ready": True,
        "unapproved": [],
        "blocking": [],
    }
    review_export.export_report(world.s, user=world.dora, report=world.report, draft=False)


def test_an_edit_after_approval_needs_a_new_approval(world: World) -> None:
    for sid in ("title", "work", "plans"):
        new_version(world, sid, f"{sid}正文。")
        _approve(world, sid)
    new_version(world, "work", "改过的正文。")
    unapproved, _ = review_export.export_gate(world.s, world.report)
    assert unapproved == [{"section": "work", "heading": "一、主要工作", "status": "draft"}]
    with pytest.raises(ReviewConflict):
        review_export.export_report(world.s, user=world.dora, report=world.report, draft=False)
    _approve(world, "work")
    file = review_export.export_report(world.s, user=world.dora, report=world.report, draft=False)
    text = [p.text for p in docx.Document(io.BytesIO(file.data)).paragraphs]
    assert text == ["title正文。", "一、主要工作", "改过的正文。", "二、下一步打算", "plans正文。"]
    assert file.title == "title正文。"
    entry, _ = audit.for_report(world.s, world.report)[0]
    assert entry.action == "export" and entry.object_type == "report"
    assert [u["version"] for u in entry.detail["sections"]] == [1, 2, 1]


def test_the_minimal_writer_marks_a_draft_in_the_header_and_at_the_top() -> None:
    data = write_report("标题", [("一、情况", "第一段。\n\n第二段。"), ("", "结尾。")], draft=True)
    doc = docx.Document(io.BytesIO(data))
    assert "讨论稿" in doc.sections[0].header.paragraphs[0].text
    assert [p.text for p in doc.paragraphs] == [
        "讨论稿",
        "标题",
        "一、情况",
        "第一段。",
        "第二段。",
        "结尾。",
    ]
    final = docx.Document(io.BytesIO(write_report("标题", [("", "正文。")], draft=False)))
    assert [p.text for p in final.paragraphs] == ["标题", "正文。"]
    assert not any("讨论稿" in p.text for p in final.sections[0].header.paragraphs)
