"""Whole-report review over HTTP: submit-all, approve-all, the report's open comments, restore.

The same report as tests/api/test_review.py (title, opening, work with a grounding error, plans
never drafted; dora owns it, rita reviews it, dan is another drafter, ada the admin).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.services import Services
from assistant.storage.models import AuditEntry
from tests.api.test_review import Setup, make_setup


@pytest.fixture
def setup(client: TestClient, services: Services) -> Setup:
    return make_setup(client, services)


def statuses(st: Setup) -> dict[str, str]:
    report = st.client.get(st.url(""), headers=st.h["dora"]).json()
    return {s["id"]: s["status"] for s in report["sections"]}


def by_section(body: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {o["section"]: (o["outcome"], o["code"]) for o in body["sections"]}


def audit(st: Setup, action: str) -> list[dict[str, Any]]:
    with st.services.db.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [dict(e.detail) for e in rows]


def test_submit_all_submits_each_drafted_section_and_says_why_not_the_rest(setup: Setup) -> None:
    st = setup
    before = statuses(st)
    # A reviewer, an outsider: refused as a whole, nothing changed.
    r = st.client.post(st.url("/submit-all"), headers=st.h["rita"])
    assert r.status_code == 403 and r.json()["code"] == "not_drafter"
    assert st.client.post(st.url("/submit-all"), headers=st.h["dan"]).status_code == 404
    assert statuses(st) == before

    r = st.client.post(st.url("/submit-all"), headers=st.h["dora"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert by_section(body) == {
        "title": ("done", ""),
        "opening": ("done", ""),
        "work": ("done", ""),  # errors do not stop a submission; they stop an approval
        "plans": ("refused", "review_state"),  # never drafted
    }
    assert (body["done"], body["refused"], body["skipped"]) == (3, 1, 0)
    plans = next(o for o in body["sections"] if o["section"] == "plans")
    assert plans["heading"] == "二、下一步打算" and "请先起草" in plans["message"]
    opening = next(o for o in body["sections"] if o["section"] == "opening")
    assert opening["heading"] == "开头" and opening["status"] == "submitted"
    assert statuses(st) == {
        **before,
        "title": "submitted",
        "opening": "submitted",
        "work": "submitted",
    }
    submits = audit(st, "submit")
    assert len(submits) == 3 and {d["batch"] for d in submits} == {"submit_all"}

    again = st.client.post(st.url("/submit-all"), headers=st.h["dora"]).json()
    assert by_section(again)["opening"] == ("skipped", "")
    assert len(audit(st, "submit")) == 3  # nothing submitted twice


def test_approve_all_approves_what_passes_and_refuses_errors_and_unseen_text(setup: Setup) -> None:
    st = setup
    st.client.post(st.url("/submit-all"), headers=st.h["dora"])
    r = st.client.post(st.url("/approve-all"), headers=st.h["dora"])
    assert r.status_code == 403 and r.json()["code"] == "not_reviewer"
    assert "审核人" in r.json()["detail"]

    # The versions rita read: the opening changed since (a new version), so it is not approved.
    report = st.client.get(st.url(""), headers=st.h["rita"]).json()
    seen = {s["id"]: s["current_version"]["id"] for s in report["sections"] if s["current_version"]}
    st.save_version("opening", "现将我局2024年主要工作情况汇报如下：")
    st.review("dora", "opening", "submit")
    r = st.client.post(st.url("/approve-all"), json={"versions": seen}, headers=st.h["rita"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert by_section(body) == {
        "title": ("done", ""),
        "opening": ("refused", "review_stale"),
        "work": ("refused", "review_blocked"),  # an error: approved alone, with a reason
        "plans": ("skipped", ""),
    }
    work = next(o for o in body["sections"] if o["section"] == "work")
    assert "放行理由" in work["message"] and work["status"] == "submitted"
    assert statuses(st) == {
        "title": "approved",
        "opening": "submitted",
        "work": "submitted",
        "plans": "empty",
    }
    approvals = audit(st, "approve")
    assert [d["section"] for d in approvals] == ["title"] and approvals[0]["batch"] == "approve_all"

    # Without versions the reviewer approves what is current (as a single approval would).
    body = st.client.post(st.url("/approve-all"), headers=st.h["rita"]).json()
    assert by_section(body)["opening"] == ("done", "")
    assert by_section(body)["title"] == ("skipped", "")


def test_approve_all_does_not_let_a_reviewer_approve_their_own_text(setup: Setup) -> None:
    st = setup
    st.save_version("opening", "现将审核人改写的工作情况汇报如下：", author="rita")
    st.client.post(st.url("/submit-all"), headers=st.h["dora"])
    body = st.client.post(st.url("/approve-all"), headers=st.h["rita"]).json()
    assert by_section(body)["opening"] == ("refused", "own_text")
    assert statuses(st)["opening"] == "submitted"


def test_open_comments_reach_the_drafter_until_the_section_is_submitted_again(
    setup: Setup,
) -> None:
    st = setup
    st.client.post(st.url("/submit-all"), headers=st.h["dora"])
    r = st.review("rita", "opening", "request_changes", comment="开头请点明汇报的时间范围")
    assert r.status_code == 200, r.text
    st.review("rita", "title", "approve")

    open_ = st.client.get(st.url("/reviews?open=true"), headers=st.h["dora"]).json()
    assert [(c["section"], c["heading"], c["comment"], c["username"]) for c in open_] == [
        ("opening", "开头", "开头请点明汇报的时间范围", "rita")
    ]
    assert open_[0]["open"] is True and open_[0]["action"] == "request_changes"
    everything = st.client.get(st.url("/reviews"), headers=st.h["dora"]).json()
    assert [(c["section"], c["action"], c["open"]) for c in everything] == [
        ("title", "submit", False),
        ("opening", "submit", False),
        ("work", "submit", False),
        ("opening", "request_changes", True),
        ("title", "approve", False),
    ]
    assert st.client.get(st.url("/reviews"), headers=st.h["dan"]).status_code == 404

    # An edit alone leaves the comment open (the reviewer has not seen the fix); submitting closes it.
    st.save_version("opening", "现将我局2024年1月至12月工作情况汇报如下：")
    assert len(st.client.get(st.url("/reviews?open=true"), headers=st.h["dora"]).json()) == 1
    assert by_section(st.client.post(st.url("/submit-all"), headers=st.h["dora"]).json()) == {
        "title": ("skipped", ""),
        "opening": ("done", ""),
        "work": ("skipped", ""),
        "plans": ("refused", "review_state"),
    }
    assert st.client.get(st.url("/reviews?open=true"), headers=st.h["dora"]).json() == []


def test_restore_is_the_drafters_a_new_version_audited_and_409_when_stale(setup: Setup) -> None:
    st = setup
    path = st.url("/sections/opening")
    first = st.client.get(f"{path}/versions", headers=st.h["dora"]).json()[-1]
    st.save_version("opening", "现将我局工作汇报如下：")  # version 2
    r = st.client.post(
        f"{path}/versions/{first['id']}/restore", json={"base_version": 2}, headers=st.h["rita"]
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "起草人" in r.json()["detail"]
    # Someone saved version 3 meanwhile: a restore made from version 2 overwrites nothing.
    st.save_version("opening", "现将我局2024年度工作汇报如下：")
    r = st.client.post(
        f"{path}/versions/{first['id']}/restore", json={"base_version": 2}, headers=st.h["dora"]
    )
    assert r.status_code == 409 and r.json()["code"] == "stale_base"
    assert r.json()["detail"]["current_version"] == 3
    r = st.client.post(
        f"{path}/versions/{first['id']}/restore", json={"base_version": 3}, headers=st.h["dora"]
    )
    assert r.status_code == 200 and r.json()["version"] == 4
    restores = audit(st, "restore")
    assert [(d["section"], d["version"]) for d in restores] == [("opening", 4)]


def test_validation_errors_carry_a_code_and_each_problem_its_type(setup: Setup) -> None:
    st = setup
    r = st.review("rita", "opening", "approve", comment=5)
    assert r.status_code == 422 and r.json()["code"] == "validation"
    assert r.json()["detail"][0]["loc"] == ["body", "comment"]
    assert r.json()["detail"][0]["type"] == "string_type"
    r = st.client.post(st.url("/approve-all"), json={"versions": {"x": 0}}, headers=st.h["rita"])
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "greater_than_equal"
