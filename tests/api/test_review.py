"""Review and export over HTTP: decisions, who may make them, the export gate, the audit log.

The report, its sections and versions are made through the ORM, doing what the reports API does
when a version is saved (a new current version, status ``draft``, approval cleared).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.services import Services
from assistant.storage.models import Report, ReportReviewer, Section, SectionVersion
from tests.api.conftest import login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "临江市水务局关于2024年工作情况的汇报"
ERROR = {
    "rule": "GR001",
    "category": "grounding",
    "severity": "error",
    "start": 4,
    "end": 6,
    "text": "12",
    "message": "数字12在事实表中找不到",
    "suggestion": "",
}
SECTIONS = [
    ("title", "", TITLE),
    ("opening", "", "现将我局2024年工作情况汇报如下："),
    ("work", "一、主要工作", "全年召开12次会议。\n完成河道整治8条。"),
    ("plans", "二、下一步打算", None),  # never drafted
]


@dataclass
class Setup:
    client: TestClient
    services: Services
    report_id: int
    users: dict[str, int]
    h: dict[str, dict[str, str]]  # auth headers by username

    def url(self, tail: str) -> str:
        return f"/api/v1/reports/{self.report_id}{tail}"

    def review(self, who: str, sid: str, action: str, **body: Any) -> Any:
        return self.client.post(
            self.url(f"/sections/{sid}/review"),
            json={"action": action, **body},
            headers=self.h[who],
        )

    def save_version(
        self, sid: str, text: str, author: str = "dora", issues: list[Any] | None = None
    ) -> int:
        """A draft or edit as the reports API saves it."""
        with self.services.db.session() as s:
            section = s.scalars(
                select(Section).where(
                    Section.report_id == self.report_id, Section.section_id == sid
                )
            ).one()
            last = s.scalar(
                select(func.max(SectionVersion.number)).where(
                    SectionVersion.section_pk == section.id
                )
            )
            version = SectionVersion(
                section_pk=section.id,
                number=(last or 0) + 1,
                text=text,
                kind="edit" if last else "draft",
                engine="offline",
                author_id=self.users[author],
                issues=issues or [],
            )
            s.add(version)
            s.flush()
            section.current_version_id, section.approved_version_id = version.id, None
            section.status = "draft"
            return version.id


@pytest.fixture
def setup(client: TestClient, services: Services) -> Setup:
    return make_setup(client, services)


def make_setup(client: TestClient, services: Services) -> Setup:
    """The report above, drafted; also the setup of tests/api/test_review_all.py."""
    users = {u.username: u.id for u, _, _ in services.accounts.list()}
    with services.db.session() as s:
        report = Report(owner_id=users["dora"], template="工作情况汇报", title=TITLE)
        s.add(report)
        s.flush()
        s.add(ReportReviewer(report_id=report.id, user_id=users["rita"]))
        for ord_, (sid, heading, _) in enumerate(SECTIONS):
            s.add(Section(report_id=report.id, section_id=sid, ord=ord_, heading=heading))
        report_id = report.id
    h = {name: login(client, name) for name in ("ada", "dora", "dan", "rita")}
    st = Setup(client, services, report_id, users, h)
    for sid, _, text in SECTIONS:
        if text is not None:
            st.save_version(sid, text, issues=[ERROR] if sid == "work" else None)
    return st


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def test_review_then_export_the_approved_report(setup: Setup) -> None:
    st = setup
    r = st.client.get(st.url("/export.docx"), headers=st.h["dora"])
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "?draft=1" in detail["message"]
    assert detail["unapproved"] == [
        {"section": "title", "heading": "", "status": "draft"},
        {"section": "opening", "heading": "", "status": "draft"},
        {"section": "work", "heading": "一、主要工作", "status": "draft"},
        {"section": "plans", "heading": "二、下一步打算", "status": "empty"},
    ]
    assert detail["blocking"] == [
        {"section": "work", "rule": "GR001", "message": ERROR["message"], "text": "12"}
    ]

    st.save_version("plans", "2025年继续推进河湖长制。")
    for sid in ("title", "opening", "work", "plans"):
        r = st.review("dora", sid, "submit")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "submitted"
    for sid in ("title", "opening", "plans"):
        assert st.review("rita", sid, "approve", comment="同意").status_code == 200

    r = st.review("rita", "work", "approve")
    assert r.status_code == 409
    assert r.json()["detail"]["blocking"][0]["rule"] == "GR001"
    assert r.json()["code"] == "review_blocked"
    assert "放行理由" in r.json()["detail"]["message"]
    r = st.review("rita", "work", "approve", override_reason="12次系会议记录原文，已核实")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "work" and body["status"] == "approved"
    assert body["approved_version"]["id"] == body["current_version"]["id"]
    assert body["current_version"]["errors"] == 1
    assert [(d["action"], d["username"]) for d in body["decisions"]] == [
        ("submit", "dora"),
        ("approve", "rita"),
    ]
    assert body["decisions"][1]["override_reason"] == "12次系会议记录原文，已核实"
    reviews = st.client.get(st.url("/sections/work/reviews"), headers=st.h["dora"]).json()
    assert reviews == body["decisions"]

    r = st.client.get(st.url("/export.docx"), headers=st.h["dora"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="report-{st.report_id}.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{TITLE}.docx"
    assert paragraphs(r.content) == [
        TITLE,
        "现将我局2024年工作情况汇报如下：",
        "一、主要工作",
        "全年召开12次会议。",
        "完成河道整治8条。",
        "二、下一步打算",
        "2025年继续推进河湖长制。",
    ]

    entries = st.client.get(st.url("/audit"), headers=st.h["rita"]).json()
    ours = [
        (e["action"], e["username"])
        for e in entries
        if e["action"] in {"submit", "approve", "export"}
    ]
    assert ours == [("export", "dora")] + [("approve", "rita")] * 4 + [("submit", "dora")] * 4
    override = next(e for e in entries if e["detail"].get("override_reason"))
    assert override["detail"]["overridden_rules"] == ["GR001"]
    assert [s["section"] for s in entries[0]["detail"]["sections"]] == [
        "title",
        "opening",
        "work",
        "plans",
    ]


@pytest.mark.parametrize(
    ("steps", "who", "action", "status"),
    [
        ([], "rita", "approve", "draft"),
        ([("dora", "submit")], "dora", "submit", "submitted"),
        ([("dora", "submit"), ("rita", "approve")], "rita", "approve", "approved"),
        ([("dora", "submit"), ("rita", "approve")], "dora", "submit", "approved"),
    ],
)
def test_invalid_transitions_are_409_with_the_status(
    setup: Setup, steps: list[tuple[str, str]], who: str, action: str, status: str
) -> None:
    for user, step in steps:
        assert setup.review(user, "opening", step).status_code == 200
    r = setup.review(who, "opening", action)
    assert r.status_code == 409
    assert r.json()["detail"]["status"] == status


def test_a_section_never_drafted_cannot_be_submitted(setup: Setup) -> None:
    r = setup.review("dora", "plans", "submit")
    assert r.status_code == 409 and r.json()["detail"]["status"] == "empty"


def test_request_changes_needs_a_comment(setup: Setup) -> None:
    assert setup.review("dora", "opening", "submit").status_code == 200
    r = setup.review("rita", "opening", "request_changes")
    assert r.status_code == 422 and r.json()["code"] == "comment_required"
    assert "审核意见" in r.json()["detail"]
    r = setup.review("rita", "opening", "request_changes", comment="开头写明汇报依据")
    assert r.status_code == 200 and r.json()["status"] == "changes_requested"
    assert r.json()["decisions"][-1]["comment"] == "开头写明汇报依据"
    assert setup.review("dora", "opening", "submit").json()["status"] == "submitted"


def test_a_reviewer_cannot_approve_their_own_version(setup: Setup) -> None:
    setup.save_version("opening", "管理员改写的开头。", author="ada")
    assert setup.review("dora", "opening", "submit").status_code == 200
    r = setup.review("ada", "opening", "approve")
    assert r.status_code == 403 and "需由其他审核人批准" in r.json()["detail"]
    assert setup.review("rita", "opening", "approve").status_code == 200


def test_a_drafter_cannot_approve_and_a_reviewer_cannot_submit(setup: Setup) -> None:
    assert setup.review("rita", "opening", "submit").status_code == 403
    assert setup.review("dora", "opening", "submit").status_code == 200
    r = setup.review("dora", "opening", "approve")
    assert r.status_code == 403 and "审核人" in r.json()["detail"]


def test_another_drafter_sees_nothing_of_the_report(setup: Setup) -> None:
    dan = setup.h["dan"]
    c = setup.client
    assert setup.review("dan", "opening", "submit").status_code == 404
    for tail in ("/sections/opening/reviews", "/audit", "/export.docx", "/export.docx?draft=1"):
        assert c.get(setup.url(tail), headers=dan).status_code == 404, tail


def test_an_edit_after_approval_reopens_the_section(setup: Setup) -> None:
    assert setup.review("dora", "opening", "submit").status_code == 200
    assert setup.review("rita", "opening", "approve").status_code == 200
    setup.save_version("opening", "改写后的开头。")  # the reports API's rule on every new version
    r = setup.review("rita", "opening", "approve")
    assert r.status_code == 409 and r.json()["detail"]["status"] == "draft"
    export = setup.client.get(setup.url("/export.docx"), headers=setup.h["dora"]).json()
    assert {"section": "opening", "heading": "", "status": "draft"} in export["detail"][
        "unapproved"
    ]
    assert setup.review("dora", "opening", "submit").status_code == 200
    body = setup.review("rita", "opening", "approve").json()
    assert body["status"] == "approved" and body["approved_version"]["number"] == 2


def test_a_decision_on_an_outdated_version_is_409(setup: Setup) -> None:
    old = setup.save_version("opening", "第一稿。")
    new = setup.save_version("opening", "第二稿。")
    assert setup.review("dora", "opening", "submit", version_id=new).status_code == 200
    r = setup.review("rita", "opening", "approve", version_id=old)
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == new


def test_the_reviewer_gets_a_watermarked_discussion_draft(setup: Setup) -> None:
    r = setup.client.get(setup.url("/export.docx?draft=1"), headers=setup.h["rita"])
    assert r.status_code == 200
    assert r.headers["content-type"] == DOCX
    disposition = r.headers["content-disposition"]
    assert f'filename="report-{setup.report_id}-draft.docx"' in disposition
    assert "讨论稿" in unquote(disposition.split("filename*=UTF-8''")[1])
    doc = docx.Document(io.BytesIO(r.content))
    assert "讨论稿" in doc.sections[0].header.paragraphs[0].text
    assert [p.text for p in doc.paragraphs][:3] == [
        "讨论稿",
        TITLE,
        "现将我局2024年工作情况汇报如下：",
    ]
    entries = setup.client.get(setup.url("/audit"), headers=setup.h["dora"]).json()
    assert entries[0]["action"] == "export_draft" and entries[0]["username"] == "rita"


def test_audit_is_bounded_and_newest_first(setup: Setup) -> None:
    assert setup.review("dora", "opening", "submit").status_code == 200
    assert setup.review("ada", "opening", "approve").status_code == 200
    entries = setup.client.get(setup.url("/audit?limit=2"), headers=setup.h["ada"]).json()
    assert [e["action"] for e in entries] == ["approve", "submit"]
    assert entries[0]["object_type"] == "section" and entries[0]["detail"]["section"] == "opening"
    assert (
        setup.client.get(setup.url("/audit?limit=501"), headers=setup.h["ada"]).status_code == 422
    )


def test_unknown_sections_and_actions(setup: Setup) -> None:
    assert setup.review("dora", "nope", "submit").status_code == 404
    assert setup.review("dora", "opening", "publish").status_code == 422
    r = setup.client.get(setup.url("/sections/nope/reviews"), headers=setup.h["dora"])
    assert r.status_code == 404


def test_export_status_answers_without_exporting(setup: Setup) -> None:
    st = setup
    r = st.client.get(st.url("/export-status"), headers=st.h["rita"])
    assert r.status_code == 200
    gate = r.json()
    assert gate["ready"] is False
    assert [u["section"] for u in gate["unapproved"]] == ["title", "opening", "work", "plans"]
    assert [b["rule"] for b in gate["blocking"]] == ["GR001"]
    assert st.client.get(st.url("/export-status"), headers=st.h["dan"]).status_code == 404
    audit = st.client.get(st.url("/audit"), headers=st.h["dora"]).json()
    assert not [e for e in audit if e["action"].startswith("export")]
