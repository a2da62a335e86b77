"""A report's numbered parts added, removed, renamed and reordered over the API: the export, the
outline and the headings follow; a removed part's id is never handed out again and a stale client
naming it is refused in Chinese with a code; only the report's drafter (or an admin) may change
it, from the structure they saw; every change is in the report's audit log."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from sqlalchemy import select

from assistant.storage.models import Section
from tests.api.test_reports import Api
from tests.api.test_reports import api as api  # the offline app over the sample corpus

pytestmark = pytest.mark.timeout(60)

NUMBERED = ["work_1", "work_2", "work_3", "problems_plans"]  # 工作情况汇报's 一、… 四、


def _create(api: Api) -> int:
    return int(api.create(reviewers=["rita"])["id"])


def _structure(api: Api, rid: int, user: str = "dora") -> dict[str, Any]:
    r = api.call("GET", f"/reports/{rid}/structure", user)
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{r.json()["etag"]}"'
    body: dict[str, Any] = r.json()
    return body


def _numbered(st: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["id"], s["heading"]) for s in st["sections"] if s["numbered"]]


def _add(api: Api, rid: int, heading: str, user: str = "dora", **kw: Any) -> Any:
    etag = kw.pop("etag", None) or _structure(api, rid)["etag"]
    body = {"heading": heading, "etag": etag, **kw}
    return api.call("POST", f"/reports/{rid}/structure/sections", user, json=body)


def _edit(api: Api, rid: int, sid: str, text: str) -> Any:
    return api.call("PUT", f"/reports/{rid}/sections/{sid}", json={"text": text})


def _export(api: Api, rid: int) -> list[str]:
    r = api.call("GET", f"/reports/{rid}/export.docx?draft=1")
    assert r.status_code == 200, r.text
    return [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs if p.text.strip()]


def test_an_added_part_takes_its_place_and_the_parts_are_numbered_by_position(api: Api) -> None:
    rid = _create(api)
    st = _structure(api, rid)
    assert [sid for sid, _ in _numbered(st)] == NUMBERED
    assert [h[:2] for _, h in _numbered(st)] == ["一、", "二、", "三、", "四、"]
    fixed = [s["id"] for s in st["sections"] if not s["numbered"]]
    assert fixed == ["title", "salutation", "opening", "overview", "closing"]

    r = _add(api, rid, "五、强化作风建设", position=1)  # a number typed by the user is not kept
    assert r.status_code == 201, r.text
    new = next(s["id"] for s in r.json()["sections"] if s["added"])
    assert new.startswith("added_body_")
    assert _numbered(r.json())[1] == (new, "二、强化作风建设")
    assert [h[:2] for _, h in _numbered(r.json())] == ["一、", "二、", "三、", "四、", "五、"]
    report = api.call("GET", f"/reports/{rid}").json()
    assert [s["id"] for s in report["sections"]][4:6] == ["work_1", new]
    assert report["structure_etag"] == r.json()["etag"]

    # Reordered: the last part first; the numbers follow the places, the words stay.
    order = ["problems_plans", "work_1", new, "work_2", "work_3"]
    r = api.call(
        "PUT", f"/reports/{rid}/structure/order", json={"order": order, "etag": r.json()["etag"]}
    )
    assert r.status_code == 200, r.text
    headings = dict(_numbered(r.json()))
    assert [sid for sid, _ in _numbered(r.json())] == order
    assert headings["problems_plans"] == "一、正视短板不足，谋划下步工作"
    assert headings[new] == "三、强化作风建设"

    r = api.call(
        "PATCH",
        f"/reports/{rid}/structure/sections/{new}",
        json={"heading": "锻造过硬作风", "etag": r.json()["etag"]},
    )
    assert r.status_code == 200, r.text
    assert dict(_numbered(r.json()))[new] == "三、锻造过硬作风"

    for sid, text in [
        ("work_1", "县委召开常委会议12次。"),
        (new, "派出巡回指导组6个。"),
        ("problems_plans", "推进还不平衡。"),
    ]:
        assert _edit(api, rid, sid, text).status_code == 200
    body = _export(api, rid)
    lines = [x for x in body if x[:2] in {"一、", "二、", "三、", "四、", "五、"} or "。" in x]
    at = {x: i for i, x in enumerate(lines)}
    assert (
        at["一、正视短板不足，谋划下步工作"] < at["推进还不平衡。"] < at["县委召开常委会议12次。"]
    )
    assert at["县委召开常委会议12次。"] < at["三、锻造过硬作风"] < at["派出巡回指导组6个。"]
    assert any(x.startswith("二、加强组织领导") for x in lines)

    # The outline (what drafts follow) lists the parts in the report's order, the new one too.
    outline = api.call("GET", f"/reports/{rid}/outline").json()
    ids = [s["id"] for s in outline["sections"]]
    assert ids[4:] == [*order, "closing"]


def test_a_removed_part_is_gone_for_good_and_a_stale_client_is_told_so(api: Api) -> None:
    rid = _create(api)
    assert _edit(api, rid, "work_2", "开展专题研讨8次。").status_code == 200
    r = api.client.delete(  # the etag as If-Match, as HTTP clients send it
        f"/api/v1/reports/{rid}/structure/sections/work_2",
        headers={**api.headers["dora"], "If-Match": f'"{_structure(api, rid)["etag"]}"'},
    )
    assert r.status_code == 200, r.text
    assert [sid for sid, _ in _numbered(r.json())] == ["work_1", "work_3", "problems_plans"]
    assert [h[:2] for _, h in _numbered(r.json())] == ["一、", "二、", "三、"]
    assert "开展专题研讨8次。" not in _export(api, rid)

    # A page still showing it: refused with a code and a sentence that says what to do.
    for method, path, body in [
        ("PUT", "/sections/work_2", {"text": "改一下"}),
        ("GET", "/sections/work_2/versions", None),
        ("POST", "/sections/work_2/review", {"action": "submit"}),
    ]:
        r = api.call(method, f"/reports/{rid}{path}", json=body)
        assert r.status_code == 409, (path, r.text)
        assert r.json()["code"] == "section_removed"
        assert "已从报告中删除" in r.json()["detail"]["message"]
    r = api.call("GET", f"/reports/{rid}/sections/nope/versions")
    assert r.status_code == 404 and r.json()["code"] == "section_not_found"

    # Added parts get ids never used before, and nothing of a removed part comes with them.
    first = next(s["id"] for s in _add(api, rid, "甲").json()["sections"] if s["added"])
    st = _structure(api, rid)
    r = api.call("DELETE", f"/reports/{rid}/structure/sections/{first}", json={"etag": st["etag"]})
    assert r.status_code == 200, r.text
    second = next(s["id"] for s in _add(api, rid, "甲").json()["sections"] if s["added"])
    assert second != first and second not in {"work_2"}
    assert api.call("GET", f"/reports/{rid}/sections/{second}/versions").json() == []
    part = next(
        s for s in api.call("GET", f"/reports/{rid}").json()["sections"] if s["id"] == second
    )
    assert part["current_version"] is None and part["status"] == "empty"


def test_the_form_of_the_report_is_kept(api: Api) -> None:
    rid = _create(api)
    st = _structure(api, rid)
    for sid in ("title", "opening", "closing"):
        r = api.call(
            "DELETE", f"/reports/{rid}/structure/sections/{sid}", json={"etag": st["etag"]}
        )
        assert r.status_code == 422 and r.json()["code"] == "structure_rule", r.text
    r = _add(api, rid, "   ")
    assert r.status_code == 422 and r.json()["code"] == "structure_rule"
    r = _add(api, rid, "新部分", kind="appendix")
    assert r.status_code == 422 and r.json()["code"] == "structure_rule"
    for sid in NUMBERED[:-1]:
        etag = _structure(api, rid)["etag"]
        r = api.call("DELETE", f"/reports/{rid}/structure/sections/{sid}", json={"etag": etag})
        assert r.status_code == 200, r.text
    etag = _structure(api, rid)["etag"]
    r = api.call("DELETE", f"/reports/{rid}/structure/sections/problems_plans", json={"etag": etag})
    assert r.status_code == 422 and "至少要保留" in r.json()["detail"]["message"]
    for _ in range(9):
        assert _add(api, rid, "又一部分").status_code == 201
    r = _add(api, rid, "第十一部分")
    assert r.status_code == 422 and "最多 10 个" in r.json()["detail"]["message"]
    r = api.call(
        "PUT",
        f"/reports/{rid}/structure/order",
        json={"order": ["problems_plans"], "etag": _structure(api, rid)["etag"]},
    )
    assert r.status_code == 422 and r.json()["code"] == "structure_rule"


def test_only_the_drafter_or_an_admin_changes_it_from_the_structure_they_saw(api: Api) -> None:
    rid = _create(api)
    etag = _structure(api, rid)["etag"]
    assert _structure(api, rid, "rita")["etag"] == etag  # the reviewer reads it
    r = _add(api, rid, "甲", "rita", etag=etag)
    assert r.status_code == 403, r.text
    r = _add(api, rid, "甲", "dan", etag=etag)  # another drafter does not see the report
    assert r.status_code == 404, r.text
    assert api.call("GET", f"/reports/{rid}/structure", "dan").status_code == 404

    r = api.call("POST", f"/reports/{rid}/structure/sections", json={"heading": "甲"})
    assert r.status_code == 409 and r.json()["code"] == "stale_structure"
    assert _add(api, rid, "甲", etag=etag).status_code == 201
    # A second tab (or a second writer) made its change from the old structure: refused.
    for method, path, body in [
        ("POST", "/structure/sections", {"heading": "乙"}),
        ("PATCH", "/structure/sections/work_1", {"heading": "乙"}),
        ("DELETE", "/structure/sections/work_1", {}),
        ("PUT", "/structure/order", {"order": NUMBERED}),
    ]:
        r = api.call(method, f"/reports/{rid}{path}", json={**body, "etag": etag})
        assert r.status_code == 409, (path, r.text)
        assert r.json()["code"] == "stale_structure"
        assert "刷新" in r.json()["detail"]["message"]
    st = _structure(api, rid)
    assert st["etag"] != etag
    r = _add(api, rid, "丙", "ada", etag=st["etag"])
    assert r.status_code == 201, r.text
    headings = [x["heading"] for x in api.call("GET", f"/reports/{rid}").json()["sections"]]
    assert headings[-3:-1] == [
        "五、丙",
        "六、正视短板不足，谋划下步工作",
    ]  # after the last 主要工作


def test_every_change_is_in_the_reports_audit_log(api: Api) -> None:
    rid = _create(api)
    r = _add(api, rid, "甲")
    new = next(s["id"] for s in r.json()["sections"] if s["added"])
    etag = r.json()["etag"]
    r = api.call(
        "PATCH", f"/reports/{rid}/structure/sections/{new}", json={"heading": "乙", "etag": etag}
    )
    order = [new, *NUMBERED]
    r = api.call(
        "PUT", f"/reports/{rid}/structure/order", json={"order": order, "etag": r.json()["etag"]}
    )
    assert r.status_code == 200, r.text
    r = api.call(
        "DELETE", f"/reports/{rid}/structure/sections/{new}", json={"etag": r.json()["etag"]}
    )
    assert r.status_code == 200, r.text
    entries = api.call("GET", f"/reports/{rid}/audit", "rita").json()
    ours = [(e["action"], e["username"]) for e in entries if e["action"].startswith("section.")]
    assert ours == [
        ("section.remove", "dora"),
        ("section.reorder", "dora"),
        ("section.rename", "dora"),
        ("section.add", "dora"),
    ]
    by_action = {e["action"]: e["detail"] for e in entries}
    assert by_action["section.add"]["heading"] == "四、甲"  # after the last 主要工作 part
    renamed = by_action["section.rename"]
    assert (renamed["section"], renamed["from"], renamed["heading"]) == (new, "四、甲", "四、乙")
    assert renamed["report_id"] == rid
    assert by_action["section.remove"]["section_heading"] == "一、乙"  # as the page names it
    assert by_action["section.reorder"]["to"] == order
    assert by_action["section.remove"]["section"] == new
    assert new not in by_action["section.remove"]["sections"]


def test_facts_given_to_a_removed_part_are_placed_again(api: Api) -> None:
    rid = _create(api)
    outline = api.call("GET", f"/reports/{rid}/outline").json()
    moved = [
        {
            **s,
            "facts": ["常委会议"]
            if s["id"] == "work_3"
            else [f for f in s["facts"] if f != "常委会议"],
        }
        for s in outline["sections"]
    ]
    for s in moved:
        s.pop("why", None)
    r = api.call("PUT", f"/reports/{rid}/outline", json={"sections": moved})
    assert r.status_code == 200, r.text
    etag = _structure(api, rid)["etag"]
    r = api.call("DELETE", f"/reports/{rid}/structure/sections/work_3", json={"etag": etag})
    assert r.status_code == 200, r.text
    outline = api.call("GET", f"/reports/{rid}/outline").json()
    told = {k: s["id"] for s in outline["sections"] for k in s["facts"]}
    assert "work_3" not in [s["id"] for s in outline["sections"]]
    assert told.get("常委会议") in {"work_1", "work_2", "problems_plans", "overview", "opening"}


def test_drafting_the_chat_and_the_word_round_trip_follow_the_changed_structure(api: Api) -> None:
    rid = _create(api)
    r = _add(api, rid, "强化作风建设", position=0)
    new = next(s["id"] for s in r.json()["sections"] if s["added"])
    etag = r.json()["etag"]
    r = api.call("DELETE", f"/reports/{rid}/structure/sections/work_3", json={"etag": etag})
    assert r.status_code == 200, r.text

    # The whole report is drafted part by part: the added one too, the removed one not.
    r = api.call("POST", f"/reports/{rid}/draft")
    assert r.status_code == 200 and "event: error" not in r.text, r.text
    report = api.call("GET", f"/reports/{rid}").json()
    ids = [s["id"] for s in report["sections"]]
    assert "work_3" not in ids
    part = next(s for s in report["sections"] if s["id"] == new)
    assert part["heading"] == "一、强化作风建设" and part["current_version"]["text"].strip()

    # 第一部分 in the chat is the part now numbered 一、, the one the user added.
    events = api.stream(
        "/chat", json={"report_id": rid, "message": "把第一部分写得更具体一些，突出作风建设"}
    )
    done = next(data for name, data in events if name == "done")
    sections_done = {a.get("section") for a in done.get("actions", []) if isinstance(a, dict)}
    assert new in sections_done, done

    # The Word round trip: the exported file comes back with an edit in the added part.
    r = api.call("GET", f"/reports/{rid}/export.docx?draft=1")
    doc = docx.Document(io.BytesIO(r.content))
    heading = next(p for p in doc.paragraphs if p.text == "一、强化作风建设")
    body = doc.paragraphs[[x._p for x in doc.paragraphs].index(heading._p) + 1]
    for run in body.runs[1:]:
        run.text = ""
    body.runs[0].text = "县委召开常委会议12次，专题研究作风建设。"
    out = io.BytesIO()
    doc.save(out)
    files = {"file": ("审改.docx", out.getvalue(), "application/octet-stream")}
    r = api.call("POST", f"/reports/{rid}/import.docx", files=files)
    assert r.status_code == 200, r.text
    changed = {e["id"] for e in r.json()["sections"] if e["changed"]}
    assert changed == {new}, r.json()
    assert not r.json()["unmatched"], r.json()["unmatched"]
    text = next(s for s in api.call("GET", f"/reports/{rid}").json()["sections"] if s["id"] == new)[
        "current_version"
    ]["text"]
    assert text == "县委召开常委会议12次，专题研究作风建设。"


def test_a_report_with_a_removed_part_is_deleted_whole(api: Api) -> None:
    rid = _create(api)
    assert _edit(api, rid, "work_2", "开展专题研讨8次。").status_code == 200
    r = api.call("POST", f"/reports/{rid}/sections/work_2/review", json={"action": "submit"})
    assert r.status_code == 200, r.text
    etag = _structure(api, rid)["etag"]
    r = api.call("DELETE", f"/reports/{rid}/structure/sections/work_2", json={"etag": etag})
    assert r.status_code == 200, r.text
    assert api.call("DELETE", f"/reports/{rid}").status_code == 204
    assert api.call("GET", f"/reports/{rid}").status_code == 404
    with api.services.db.session() as s:
        left = s.scalars(select(Section).where(Section.report_id == rid)).all()
    assert left == []


def test_an_outline_saved_with_the_old_numbers_takes_the_new_ones(api: Api) -> None:
    rid = _create(api)
    before = api.call("GET", f"/reports/{rid}/outline").json()
    etag = _structure(api, rid)["etag"]
    order = ["work_2", "work_1", "work_3", "problems_plans"]
    r = api.call("PUT", f"/reports/{rid}/structure/order", json={"order": order, "etag": etag})
    assert r.status_code == 200, r.text
    # A page that read the outline before the reorder saves it with 一、 for work_1, now second.
    sections = [{k: s[k] for k in ("id", "heading", "points", "facts")} for s in before["sections"]]
    r = api.call("PUT", f"/reports/{rid}/outline", json={"sections": sections})
    assert r.status_code == 200, r.text
    headings = {
        s["id"]: s["heading"] for s in api.call("GET", f"/reports/{rid}").json()["sections"]
    }
    assert headings["work_1"].startswith("二、加强组织领导")
    assert headings["work_2"].startswith("一、聚焦重点任务")
    assert "、" not in headings["work_1"][2:6]


def test_a_restored_version_is_audited_with_the_version_it_came_from(api: Api) -> None:
    rid = _create(api)
    first = _edit(api, rid, "work_1", "县委召开常委会议12次。").json()
    assert _edit(api, rid, "work_1", "县委召开常委会议。").status_code == 200
    r = api.call(
        "POST",
        f"/reports/{rid}/sections/work_1/versions/{first['version_id']}/restore",
        json={"base_version": 2},
    )
    assert r.status_code == 200 and r.json()["version"] == 3, r.text
    entries = api.call("GET", f"/reports/{rid}/audit").json()
    restored = next(e for e in entries if e["action"] == "restore")
    assert restored["detail"]["version"] == 3 and restored["username"] == "dora"


def test_a_part_added_with_no_place_goes_where_its_kind_belongs(api: Api) -> None:
    """A 主要工作 part goes after the last 主要工作 one, not after 下一步工作打算 (the walk-through
    found it there); a problems or plans part closes the numbered parts."""
    rid = _create(api)
    r = _add(api, rid, "强化作风建设")  # kind body, no position
    assert r.status_code == 201, r.text
    body = next(s["id"] for s in r.json()["sections"] if s["added"])
    assert [sid for sid, _ in _numbered(r.json())] == [*NUMBERED[:3], body, NUMBERED[3]]
    assert dict(_numbered(r.json()))[body] == "四、强化作风建设"
    assert dict(_numbered(r.json()))["problems_plans"].startswith("五、")

    r = _add(api, rid, "又一项工作", etag=r.json()["etag"])  # after the added body part
    second = [s["id"] for s in r.json()["sections"] if s["added"]][-1]
    assert [sid for sid, _ in _numbered(r.json())][3:] == [body, second, "problems_plans"]

    r = _add(api, rid, "存在的不足", kind="problems", etag=r.json()["etag"])
    assert r.status_code == 201, r.text
    last = _numbered(r.json())[-1]
    assert last[0].startswith("added_problems_") and last[1] == "七、存在的不足"
