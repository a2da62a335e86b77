"""The outline over the API: read with reasons, edited by its owner, followed by drafts, never
hiding a fact added later, refused with the place of what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_reports import Api
from tests.api.test_reports import api as api  # the offline app over the sample corpus

pytestmark = pytest.mark.timeout(60)

SHEET: dict[str, Any] = {
    "report": {
        "template": "工作总结",
        "title": "柳河区市场监督管理局2025年工作总结",
        "organization": "柳河区市场监督管理局",
        "period": "2025年",
    },
    "facts": [
        {"key": "受理投诉举报", "value": 9720, "unit": "件"},
        {"key": "查处案件", "value": 412, "unit": "件"},
        {"key": "存在问题", "value": "基层执法力量不足"},
        {"key": "明年思路", "value": "建成智慧监管平台二期"},
    ],
}


def _create(api: Api) -> int:
    r = api.call("POST", "/reports", json={**SHEET, "reviewers": ["rita"]})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _facts(outline: dict[str, Any]) -> dict[str, str]:
    return {k: s["id"] for s in outline["sections"] for k in s["facts"]}


def test_the_proposed_outline_says_where_and_why(api: Api) -> None:
    rid = _create(api)
    r = api.call("GET", f"/reports/{rid}/outline")
    assert r.status_code == 200, r.text
    outline = r.json()
    assert outline["edited"] is False
    assert _facts(outline) == {
        "受理投诉举报": "achievements",
        "查处案件": "achievements",
        "存在问题": "problems",
        "明年思路": "plans",
    }
    problems = next(s for s in outline["sections"] if s["id"] == "problems")
    assert problems["heading"] == "二、存在的问题" and problems["why"]["存在问题"]
    assert api.call("GET", f"/reports/{rid}/outline", "rita").status_code == 200
    assert api.call("GET", f"/reports/{rid}/outline", "dan").status_code == 404


def test_an_edited_outline_moves_facts_renames_headings_and_drafts_follow_it(api: Api) -> None:
    rid = _create(api)
    body = {
        "sections": [
            {"id": "achievements", "facts": ["受理投诉举报"], "heading": "主要工作及成效"},
            {"id": "problems", "facts": ["存在问题", "查处案件"], "points": "写具体"},
        ]
    }
    r = api.call("PUT", f"/reports/{rid}/outline", json=body)
    assert r.status_code == 200, r.text
    outline = r.json()
    assert outline["edited"] is True
    assert _facts(outline)["查处案件"] == "problems"
    problems = next(s for s in outline["sections"] if s["id"] == "problems")
    assert problems["why"]["查处案件"] == "用户指定" and problems["points"] == "写具体"
    report = api.call("GET", f"/reports/{rid}").json()
    heading = next(s["heading"] for s in report["sections"] if s["id"] == "achievements")
    assert heading == "一、主要工作及成效"  # the number is the program's
    events = api.stream(f"/reports/{rid}/sections/problems/draft")
    done = dict(events)["facts"]
    assert {f["key"] for f in done["facts"]} == {"存在问题", "查处案件"}
    # A fact added to the sheet afterwards is placed by the proposal, not hidden by the edit.
    r = api.call(
        "PUT",
        f"/reports/{rid}/facts",
        json={"facts": [*SHEET["facts"], {"key": "主要短板", "value": "智慧监管覆盖不够"}]},
    )
    assert r.status_code == 200, r.text
    outline = api.call("GET", f"/reports/{rid}/outline").json()
    assert _facts(outline)["主要短板"] == "problems"
    assert _facts(outline)["查处案件"] == "problems"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"sections": [{"id": "nope"}]}, "has no section 'nope'"),
        ({"sections": [{"id": "problems", "facts": ["没有这条"]}]}, "no fact '没有这条'"),
        (
            {
                "sections": [
                    {"id": "problems", "facts": ["查处案件"]},
                    {"id": "plans", "facts": ["查处案件"]},
                ]
            },
            "already given",
        ),
        ({"sections": [{"id": "problems", "bogus": 1}]}, "bogus"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_a_bad_outline_is_refused_with_its_place(api: Api, body: Any, detail: str) -> None:
    rid = _create(api)
    r = api.call("PUT", f"/reports/{rid}/outline", json=body)
    assert r.status_code == 422 and detail in r.json()["detail"], r.text
    assert api.call("GET", f"/reports/{rid}/outline").json()["edited"] is False


def test_only_writers_edit_the_outline(api: Api) -> None:
    rid = _create(api)
    body = {"sections": [{"id": "problems", "facts": ["存在问题"]}]}
    assert api.call("PUT", f"/reports/{rid}/outline", "rita", json=body).status_code == 403
    assert api.call("PUT", f"/reports/{rid}/outline", "dan", json=body).status_code == 404


def test_an_edit_under_a_numbered_heading_starts_at_its_second_level(api: Api) -> None:
    rid = _create(api)
    text = (
        "（一）强化监管执法\n查处案件412件〔F2〕。\n（二）优化为民服务\n受理投诉举报9720件〔F1〕。"
    )
    r = api.call("PUT", f"/reports/{rid}/sections/achievements", json={"text": text})
    assert r.status_code == 200, r.text
    assert not [i for i in r.json()["issues"] if i["rule"] == "BD001"], r.json()["issues"]
    skipped = "（一）强化监管执法\n（三）优化为民服务"
    r = api.call("PUT", f"/reports/{rid}/sections/achievements", json={"text": skipped})
    assert [i["rule"] for i in r.json()["issues"] if i["rule"] == "BD001"] == ["BD001"]
