"""The reports API: create and read, who sees what, fact sheets, drafting over SSE (offline and
against the scripted LLM server), edits with checks, versions with diffs, the whole report.

The sample corpus is indexed once per module with the fake embeddings; tests share one app and
one database, so each creates its own report and never counts another test's.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.api.sse import Cancelled, Emit, events_from_thread
from assistant.config import Settings
from assistant.drafting.citations import MARKER
from assistant.services import Services, build_services
from assistant.storage.models import AuditEntry, FactRow, Section
from tests.api.conftest import PASSWORD, USERS, login
from tests.conftest import ROOT
from tests.llm_server import Reply, ScriptedLLM

pytestmark = pytest.mark.timeout(60)

SHEET: dict[str, Any] = {
    "report": {
        "template": "工作情况汇报",
        "title": "中共青川县委关于2024年主题教育工作情况的汇报",
        "organization": "中共青川县委",
        "recipient": "市委第二巡回指导组",
        "period": "2024年4月以来",
        "date": "2024-08-20",
    },
    "facts": [
        {"key": "常委会议", "value": 12, "unit": "次"},  # F1
        {"key": "巡回指导组", "value": 6, "unit": "个"},  # F2
        {"key": "参学党员", "value": 3560, "unit": "名"},  # F3
    ],
}
ANSWER = "第一时间学习贯彻。县委召开常委会议12次〔F1〕，派出巡回指导组6个〔F2〕。"
KEY = "sk-test"


@dataclass
class Api:
    client: TestClient
    services: Services
    headers: dict[str, dict[str, str]]

    def call(self, method: str, path: str, user: str = "dora", **kw: Any) -> Any:
        return self.client.request(method, f"/api/v1{path}", headers=self.headers[user], **kw)

    def create(self, user: str = "dora", **extra: Any) -> dict[str, Any]:
        r = self.call("POST", "/reports", user, json={**SHEET, **extra})
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    def stream(self, path: str, user: str = "dora", **kw: Any) -> list[tuple[str, Any]]:
        r = self.call("POST", path, user, **kw)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/event-stream")
        return parse_events(r.text)


def parse_events(text: str) -> list[tuple[str, Any]]:
    out = []
    for block in text.split("\n\n"):
        name, data = None, None
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
        if name:
            out.append((name, data))
    return out


def start(settings: Settings, services: Services) -> Iterator[Api]:
    for name, role in USERS.items():
        services.accounts.add(name, PASSWORD, role)
    with TestClient(create_app(settings, services)) as client:
        yield Api(client, services, {name: login(client, name) for name in USERS})
    services.close()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("reports") / "data",
        embeddings_provider="fake",
        llm_model=None,
        llm_base_url=None,
        llm_api_key=None,
        _env_file=None,
    )
    services = build_services(settings)
    assert services.indexer.index([ROOT / "corpus"]).ok
    yield from start(settings, services)


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with ScriptedLLM(api_key=KEY, default=Reply(text=ANSWER, chunk_chars=5)) as server:
        yield server


@pytest.fixture(scope="module")
def llm_api(llm: ScriptedLLM, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("reports-llm") / "data",
        embeddings_provider="fake",
        llm_base_url=llm.base_url,
        llm_api_key=KEY,
        llm_model="scripted-model",
        llm_timeout=5,
        llm_max_retries=0,
        _env_file=None,
    )
    yield from start(settings, build_services(settings))


# -- create, read, list, access ---------------------------------------------------------------


def test_templates_are_listed_with_their_sections(api: Api) -> None:
    r = api.call("GET", "/templates")
    assert r.status_code == 200
    by_name = {t["name"]: t for t in r.json()}
    report = by_name["工作情况汇报"]
    assert report["genre"] == "汇报" and report["description"]
    work_1 = next(s for s in report["sections"] if s["id"] == "work_1")
    assert work_1["heading"].startswith("一、") and work_1["length"] == [300, 700]
    assert api.client.get("/api/v1/templates").status_code == 401


def test_create_read_and_list(api: Api) -> None:
    report = api.create(reviewers=["rita"])
    assert report["template"] == "工作情况汇报" and report["owner"] == "dora"
    assert report["title"] == SHEET["report"]["title"]
    assert report["meta"]["date"] == "2024-08-20" and report["reviewers"] == ["rita"]
    assert [(f["key"], f["value"], f["source"]) for f in report["facts"]] == [
        ("常委会议", 12, "user"),
        ("巡回指导组", 6, "user"),
        ("参学党员", 3560, "user"),
    ]
    template = api.services.templates["工作情况汇报"]
    assert [s["id"] for s in report["sections"]] == [s.id for s in template.sections]
    work_1 = next(s for s in report["sections"] if s["id"] == "work_1")
    assert work_1 == {
        "id": "work_1",
        "heading": "一、加强组织领导，推动主题教育各项部署落地见效",
        "status": "empty",
        "current_version": None,
        "approved_version_id": None,
    }
    r = api.call("GET", f"/reports/{report['id']}")
    assert r.status_code == 200 and r.json() == report
    listed = {x["id"]: x for x in api.call("GET", "/reports").json()}
    assert listed[report["id"]]["sections"] == {"total": 9, "drafted": 0, "approved": 0}
    assert report["id"] in {x["id"] for x in api.call("GET", "/reports", "ada").json()}


def test_another_drafter_gets_404_everywhere(api: Api) -> None:
    rid = api.create()["id"]
    assert rid not in {x["id"] for x in api.call("GET", "/reports", "dan").json()}
    for method, path, kw in [
        ("GET", f"/reports/{rid}", {}),
        ("GET", f"/reports/{rid}/facts", {}),
        ("PUT", f"/reports/{rid}/facts", {"json": {"facts": []}}),
        ("PUT", f"/reports/{rid}/reviewers", {"json": {"reviewers": []}}),
        ("GET", f"/reports/{rid}/sections/work_1/versions", {}),
        ("GET", f"/reports/{rid}/sections/work_1/versions/1", {}),
        ("PUT", f"/reports/{rid}/sections/work_1", {"json": {"text": "甲。"}}),
        ("POST", f"/reports/{rid}/sections/work_1/draft", {}),
        ("POST", f"/reports/{rid}/draft", {}),
    ]:
        r = api.call(method, path, "dan", **kw)
        assert r.status_code == 404, (method, path, r.text)
        assert r.json() == {"detail": f"no report {rid}", "code": "not_found"}
    assert api.call("GET", "/reports/999999").status_code == 404
    assert api.call("GET", f"/reports/{rid}/sections/nope/versions").status_code == 404
    assert api.call("POST", f"/reports/{rid}/sections/nope/draft").status_code == 404


def test_the_reviewer_sees_a_report_only_when_assigned(api: Api) -> None:
    rid = api.create()["id"]
    assert api.call("GET", f"/reports/{rid}", "rita").status_code == 404
    assert rid not in {x["id"] for x in api.call("GET", "/reports", "rita").json()}
    r = api.call("PUT", f"/reports/{rid}/reviewers", json={"reviewers": ["rita"]})
    assert r.status_code == 200 and r.json()["reviewers"] == ["rita"]
    assert api.call("GET", f"/reports/{rid}", "rita").status_code == 200
    assert rid in {x["id"] for x in api.call("GET", "/reports", "rita").json()}
    assert api.call("GET", f"/reports/{rid}/sections/work_1/versions", "rita").json() == []
    # Reading is not writing: a reviewer neither drafts, edits nor assigns.
    assert api.call("POST", f"/reports/{rid}/sections/work_1/draft", "rita").status_code == 403
    r = api.call("PUT", f"/reports/{rid}/sections/work_1", "rita", json={"text": "甲。"})
    assert r.status_code == 403
    r = api.call("PUT", f"/reports/{rid}/reviewers", "rita", json={"reviewers": []})
    assert r.status_code == 403
    r = api.call("PUT", f"/reports/{rid}/reviewers", json={"reviewers": ["rita", "dan"]})
    assert r.status_code == 422
    assert r.json()["detail"] == "reviewers[1]：“dan”是起草人，审核人须是审核人或管理员"
    r = api.call("PUT", f"/reports/{rid}/reviewers", json={"reviewers": ["nobody"]})
    assert r.status_code == 422 and r.json()["detail"].startswith("reviewers[0]：没有用户“nobody”")
    r = api.call("PUT", f"/reports/{rid}/reviewers", "ada", json={"reviewers": []})
    assert r.status_code == 200 and r.json()["reviewers"] == []
    assert api.call("GET", f"/reports/{rid}", "rita").status_code == 404


def test_bad_fact_sheets_are_422_with_the_place(api: Api) -> None:
    def detail(body: bytes | Any, path: str = "/reports", method: str = "POST") -> str:
        kw = {"content": body} if isinstance(body, bytes) else {"json": body}
        r = api.call(method, path, **kw)
        assert r.status_code == 422, r.text
        text: str = r.json()["detail"]
        return text

    assert detail(b'{"report": ').startswith("body: not valid JSON")
    assert detail(b"\xff\xfe").startswith("body: not valid JSON")
    assert detail([1, 2]).startswith("body: expected a JSON object")
    facts = [{"key": "甲", "value": 1}, {"key": "乙", "value": {"x": 1}}]
    assert detail({**SHEET, "facts": facts}) == "facts[1].value: must be text or a number"
    facts = [{"key": "甲", "value": "很多", "unit": "次"}]
    assert detail({**SHEET, "facts": facts}).startswith("facts[0]: value '很多' is not a number")
    facts = [{"key": "甲", "value": 1}, {"key": "甲", "value": 2}]
    assert "duplicate key '甲'" in detail({**SHEET, "facts": facts})
    assert detail({**SHEET, "facts": "many"}) == "facts: Input should be a valid list"
    unknown = {**SHEET, "report": {**SHEET["report"], "template": "年终奖申请"}}
    assert detail(unknown).startswith("report.template: unknown template '年终奖申请'")
    assert detail({"facts": []}).startswith("report.template: required")
    assert detail({**SHEET, "reviewers": "rita"}) == "reviewers: expected a list of usernames"
    rid = api.create()["id"]
    bad = [{"key": "甲", "value": 1, "unit": "次", "colour": 1}]
    assert detail({"facts": bad}, f"/reports/{rid}/facts", "PUT").startswith("facts[0].colour")
    other = {"report": {"template": "述职报告"}, "facts": []}
    assert "cannot change" in detail(other, f"/reports/{rid}/facts", "PUT")


def test_facts_are_replaced_and_proposals_kept(api: Api) -> None:
    rid = api.create()["id"]
    with api.services.db.session() as s:
        s.add(
            FactRow(
                report_id=rid,
                ord=0,
                key="常委会议",
                value={"v": 13},
                unit="次",
                status="proposed",
                source="upload:会议.xlsx#Sheet1!B2",
                origin="常委会议 13次",
                confidence=0.9,
            )
        )
    new = [{"key": "常委会议", "value": 14, "unit": "次", "source": "chat:7"}]
    r = api.call("PUT", f"/reports/{rid}/facts", json={"facts": new})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(f["key"], f["value"], f["source"]) for f in body["confirmed"]] == [
        ("常委会议", 14, "chat:7")
    ]
    (proposed,) = body["proposed"]
    assert proposed["value"] == 13 and proposed["confidence"] == 0.9
    assert proposed["origin"] == "常委会议 13次"
    assert body["report"]["title"] == SHEET["report"]["title"]  # meta kept when not sent
    assert api.call("GET", f"/reports/{rid}/facts", "ada").json() == body
    meta = {**SHEET["report"], "title": "新标题"}
    r = api.call("PUT", f"/reports/{rid}/facts", json={"report": meta, "facts": []})
    assert r.status_code == 200 and r.json()["confirmed"] == []
    assert api.call("GET", f"/reports/{rid}").json()["title"] == "新标题"


# -- drafting, offline ---------------------------------------------------------------------


def test_offline_draft_streams_and_stores_a_version(api: Api) -> None:
    rid = api.create()["id"]
    events = api.stream(f"/reports/{rid}/sections/work_1/draft")
    names = [name for name, _ in events]
    assert names[0] == "token" and names[-4:] == ["citations", "facts", "checks", "done"]
    assert set(names[:-4]) == {"token"}
    text = "".join(data["text"] for name, data in events if name == "token")
    data = dict(events[-4:])
    assert all(d["section"] == "work_1" for d in data.values())
    assert data["done"]["version"] == 1 and data["done"]["engine"] == "offline"
    assert data["done"]["engine_label"] == "离线范文模式"
    assert {"常委会议", "巡回指导组"} <= set(data["facts"]["shown"])
    for fact in data["facts"]["facts"]:
        assert fact["label"].startswith("F") and fact["key"] in data["facts"]["shown"]
    checks = data["checks"]
    assert checks["summary"]["errors"] == sum(i["severity"] == "error" for i in checks["issues"])
    vid = data["done"]["version_id"]
    version = api.call("GET", f"/reports/{rid}/sections/work_1/versions/{vid}").json()
    assert version["kind"] == "draft" and version["engine"] == "offline"
    assert version["author"] == "dora" and version["text"]
    assert version["text"] == MARKER.sub("", text).strip()  # the stream shows the markers
    assert version["citations"] == data["citations"]["citations"]
    assert version["issues"] == checks["issues"]
    provenance = version["provenance"]
    assert provenance["mode"] == "draft" and provenance["facts_used"]
    assert {"retrieve_ms", "check_ms", "total_ms"} <= set(provenance["timings"])
    section = next(
        s for s in api.call("GET", f"/reports/{rid}").json()["sections"] if s["id"] == "work_1"
    )
    assert section["status"] == "draft" and section["current_version"]["id"] == vid
    with api.services.db.session() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.object_type == "section",
                AuditEntry.detail["version_id"].as_integer() == vid,
            )
        ).all()
    assert list(actions) == ["draft"]


def test_offline_redraft_records_the_instruction(api: Api) -> None:
    rid = api.create()["id"]
    events = api.stream(f"/reports/{rid}/sections/work_1/draft", json={"instruction": "更简洁一些"})
    done = dict(events)["done"]
    assert done["version"] == 1 and done["unchanged"] is False
    path = f"/reports/{rid}/sections/work_1/versions/{done['version_id']}"
    provenance = api.call("GET", path).json()["provenance"]
    assert provenance["instruction"] == "更简洁一些"
    assert provenance["instruction_applied"] is False and provenance["mode"] == "draft"
    # The offline engine cannot follow it: the same text again is not stored again.
    events = api.stream(f"/reports/{rid}/sections/work_1/draft", json={"instruction": "更简洁一些"})
    again = dict(events)["done"]
    assert again["unchanged"] is True and again["version_id"] == done["version_id"]
    assert len(api.call("GET", f"/reports/{rid}/sections/work_1/versions").json()) == 1
    r = api.call("POST", f"/reports/{rid}/sections/work_1/draft", json={"instruction": "长" * 501})
    assert r.status_code == 422


def test_edit_is_a_new_version_checked_against_the_facts(api: Api) -> None:
    rid = api.create()["id"]
    path = f"/reports/{rid}/sections/work_1"
    r = api.call("PUT", path, json={"text": "县委召开常委会议12次，派出巡回指导组6个。"})
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["version"] == 1 and first["summary"]["errors"] == 0
    with api.services.db.session() as s:  # as if a reviewer had approved version 1
        section = s.scalars(
            select(Section).where(Section.report_id == rid, Section.section_id == "work_1")
        ).one()
        section.approved_version_id, section.status = first["version_id"], "approved"
    r = api.call("PUT", path, json={"text": "县委召开常委会议12次，开展专题研讨99次。"})
    edit = r.json()
    assert edit["version"] == 2 and edit["summary"]["blocking"] is True
    (invented,) = [i for i in edit["issues"] if i["rule"] == "GR001"]
    assert invented["severity"] == "error" and invented["text"] == "99次"
    section_json = next(
        s for s in api.call("GET", f"/reports/{rid}").json()["sections"] if s["id"] == "work_1"
    )
    assert section_json["status"] == "draft" and section_json["approved_version_id"] is None
    assert section_json["current_version"]["version"] == 2
    assert section_json["current_version"]["engine_label"] == "人工编辑"
    r = api.call("PUT", path, json={"text": "字" * 20_001})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "text"]
    assert api.call("PUT", path, json={"text": 5}).status_code == 422
    assert len(api.call("GET", f"{path}/versions").json()) == 2


def test_versions_are_listed_newest_first_with_diffs(api: Api) -> None:
    rid = api.create()["id"]
    path = f"/reports/{rid}/sections/work_1"
    api.call("PUT", path, json={"text": "第一时间学习贯彻。县委召开常委会议12次。"})
    api.call("PUT", path, json={"text": "第一时间学习贯彻。县委召开常委会议12次〔F1〕。领导带头。"})
    versions = api.call("GET", f"{path}/versions", "ada").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert set(versions[0]) == {
        "id", "version", "kind", "engine", "engine_label", "author", "created_at",
        "issues_summary", "diff", "changes",
    }  # fmt: skip
    # For the page: runs kept and inserted, no diff notation.
    assert versions[0]["changes"] == [
        {"op": "equal", "text": "第一时间学习贯彻。县委召开常委会议12次。"},
        {"op": "insert", "text": "领导带头。"},
    ]
    assert versions[1]["changes"] == [
        {"op": "insert", "text": "第一时间学习贯彻。县委召开常委会议12次。"}
    ]
    assert versions[0]["diff"].splitlines() == [
        "--- v1",
        "+++ v2",
        "@@ -2 +2,2 @@",
        " 县委召开常委会议12次。",
        "+领导带头。",
    ]
    assert versions[1]["diff"].startswith("--- v0\n+++ v1\n")
    latest = api.call("GET", f"{path}/versions/{versions[0]['id']}").json()
    # The marker the user typed became a citation and left the text.
    assert latest["text"] == "第一时间学习贯彻。县委召开常委会议12次。领导带头。"
    assert latest["citations"][0]["targets"] == ["fact:常委会议"]
    other = api.call("GET", f"/reports/{rid}/sections/work_2/versions/{versions[0]['id']}")
    assert other.status_code == 404


def test_whole_report_streams_progress_then_every_section(api: Api) -> None:
    rid = api.create()["id"]
    events = api.stream(f"/reports/{rid}/draft")
    sections = [s.id for s in api.services.templates["工作情况汇报"].sections]
    progress = [data for name, data in events if name == "progress"]
    assert progress == [
        {"section": sid, "index": i, "total": len(sections)}
        for i, sid in enumerate(sections, start=1)
    ]
    per_section = [data for name, data in events if name == "done" and "section" in data]
    assert [d["section"] for d in per_section] == sections
    name, final = events[-1]
    assert name == "done" and final["report"] == rid and final["total"] == len(sections)
    assert [s["section"] for s in final["sections"]] == sections
    engines = {d["section"]: d["engine"] for d in per_section}
    assert engines["title"] == engines["closing"] == "template" and engines["work_1"] == "offline"
    report = api.call("GET", f"/reports/{rid}").json()
    assert all(s["status"] == "draft" for s in report["sections"])
    title = report["sections"][0]["current_version"]["text"]
    assert title == SHEET["report"]["title"]


# -- drafting with the LLM (scripted server over HTTP) --------------------------------------------


def test_llm_draft_streams_tokens_and_a_failure_keeps_the_previous_version(
    llm_api: Api, llm: ScriptedLLM
) -> None:
    rid = llm_api.create()["id"]
    path = f"/reports/{rid}/sections/work_1"
    events = llm_api.stream(f"{path}/draft")
    tokens = [data["text"] for name, data in events if name == "token"]
    assert len(tokens) > 1 and "".join(tokens) == ANSWER
    done = dict(events)["done"]
    assert done["engine"] == "llm" and done["engine_label"] == "scripted-model"
    citations = dict(events)["citations"]["citations"]
    assert citations[0]["targets"] == ["fact:常委会议", "fact:巡回指导组"]
    assert [f["key"] for f in dict(events)["facts"]["facts"]] == ["常委会议", "巡回指导组"]
    version = llm_api.call("GET", f"{path}/versions/{done['version_id']}").json()
    assert version["text"] == "第一时间学习贯彻。县委召开常委会议12次，派出巡回指导组6个。"
    assert version["provenance"]["prompt_sha256"] and version["provenance"]["model"]

    llm.api_key = "sk-rotated"  # the server now refuses the configured key
    try:
        events = llm_api.stream(f"{path}/draft")
    finally:
        llm.api_key = KEY
    assert [name for name, _ in events] == ["error"]
    assert "refused the API key (401)" in events[0][1]["detail"]
    assert KEY not in events[0][1]["detail"]
    assert [v["version"] for v in llm_api.call("GET", f"{path}/versions").json()] == [1]
    report = llm_api.call("GET", f"/reports/{rid}").json()
    section = next(s for s in report["sections"] if s["id"] == "work_1")
    assert section["current_version"]["id"] == done["version_id"]


def test_llm_redraft_by_instruction_revises_the_current_text(
    llm_api: Api, llm: ScriptedLLM
) -> None:
    rid = llm_api.create()["id"]
    path = f"/reports/{rid}/sections/work_1"
    before = len(llm.chat_requests)
    events = llm_api.stream(f"{path}/draft", json={"instruction": "突出组织领导"})
    # Nothing to revise yet: the instruction goes into the draft prompt's points.
    prompt = llm.chat_requests[before].body["messages"][1]["content"]
    assert prompt.startswith("请起草") and "（用户要求：突出组织领导）" in prompt
    first = dict(events)["done"]["version_id"]
    provenance = llm_api.call("GET", f"{path}/versions/{first}").json()["provenance"]
    assert provenance["mode"] == "draft" and provenance["instruction_applied"] is True
    llm.script(Reply(text="县委召开常委会议12次〔F1〕。"))
    before = len(llm.chat_requests)
    events = llm_api.stream(f"{path}/draft", json={"instruction": "更简洁一些"})
    done = dict(events)["done"]
    assert done["version"] == 2
    prompt = llm.chat_requests[before].body["messages"][1]["content"]
    assert prompt.startswith("请按用户的要求修改") and "更简洁一些" in prompt
    # The current text goes back with its citation markers, so the model can keep them.
    assert "县委召开常委会议12次，派出巡回指导组6个〔F1、F2〕。" in prompt
    version = llm_api.call("GET", f"{path}/versions/{done['version_id']}").json()
    assert version["text"] == "县委召开常委会议12次。"
    assert version["provenance"]["prompt"] == "revise_section"
    assert version["provenance"]["instruction_applied"] is True
    diff = llm_api.call("GET", f"{path}/versions").json()[0]["diff"]
    assert "+县委召开常委会议12次。" in diff


def test_a_revision_opening_on_a_layer_is_checked_under_its_heading(
    llm_api: Api, llm: ScriptedLLM
) -> None:
    rid = llm_api.create()["id"]
    path = f"/reports/{rid}/sections/work_1"
    llm_api.stream(f"{path}/draft", json={})
    llm.script(Reply(text="（一）强化组织领导。县委召开常委会议12次〔F1〕。"))
    done = dict(llm_api.stream(f"{path}/draft", json={"instruction": "分层写"}))["done"]
    version = llm_api.call("GET", f"{path}/versions/{done['version_id']}").json()
    assert version["provenance"]["prompt"] == "revise_section"
    # 一、 above it, （一） is the next level down, as in a draft or an edit of the same text
    assert not [i for i in version["issues"] if i["rule"] == "BD001"], version["issues"]


def test_round_trip_on_each_database(client: TestClient) -> None:
    """Create, draft a fixed section, edit and list: on SQLite and on PostgreSQL."""
    h = login(client, "dora")
    r = client.post("/api/v1/reports", json=SHEET, headers=h)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    r = client.post(f"/api/v1/reports/{rid}/sections/closing/draft", headers=h)
    events = parse_events(r.text)
    assert events[0] == ("token", {"section": "closing", "text": "汇报完毕，谢谢。"})
    assert events[-1][0] == "done" and events[-1][1]["engine"] == "template"
    r = client.put(
        f"/api/v1/reports/{rid}/sections/closing", json={"text": "汇报完毕。"}, headers=h
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    versions = client.get(f"/api/v1/reports/{rid}/sections/closing/versions", headers=h).json()
    assert [v["kind"] for v in versions] == ["edit", "draft"]


# -- the SSE bridge ------------------------------------------------------------------------------


def test_the_worker_stops_when_the_client_goes_away() -> None:
    emitted: list[int] = []
    stopped = threading.Event()

    def work(emit: Emit) -> None:
        try:
            for n in range(10_000):
                emit("token", {"n": n})
                emitted.append(n)
        except Cancelled:
            stopped.set()
            raise

    async def consume() -> list[str]:
        stream = events_from_thread(work, max_pending=4)
        got = [await anext(stream), await anext(stream)]
        time.sleep(0.2)  # the worker fills the queue and waits: backpressure, not memory
        assert len(emitted) <= 2 + 4 + 1
        await stream.aclose()  # what the response does when the client hangs up
        return got

    got = asyncio.run(consume())
    assert got[0] == 'event: token\ndata: {"n": 0}\n\n'
    assert stopped.wait(5) and len(emitted) < 10


def test_a_crash_in_the_worker_is_an_error_event_without_details() -> None:
    def work(emit: Emit) -> None:
        emit("token", {"text": "甲"})
        raise RuntimeError("secret internals")

    async def consume() -> list[str]:
        return [event async for event in events_from_thread(work)]

    events = parse_events("".join(asyncio.run(consume())))
    assert events == [
        ("token", {"text": "甲"}),
        ("error", {"detail": "internal error", "code": "internal"}),
    ]


def test_event_stream_is_quiet_with_keepalive_comments() -> None:
    def work(emit: Emit) -> None:
        time.sleep(0.3)
        emit("done", {})

    async def consume() -> list[str]:
        return [event async for event in events_from_thread(work, keepalive=0.1)]

    out = asyncio.run(consume())
    assert out[0] == ": keep-alive\n\n" and out[-1] == "event: done\ndata: {}\n\n"


def test_the_reviewer_names_a_form_may_offer(api: Api) -> None:
    names = {u["username"]: u["role"] for u in api.call("GET", "/reviewers").json()}
    assert names.get("rita") == "reviewer"
    assert "dan" not in names and "dora" not in names  # drafters are no reviewers
    assert "ada" not in names  # an admin is not offered as a reviewer (the walk-through)
    assert api.client.get("/api/v1/reviewers").status_code == 401


def test_the_audit_log_names_a_section_by_its_heading(api: Api) -> None:
    rid = int(api.create()["id"])
    r = api.call("POST", f"/reports/{rid}/sections/work_1/draft", json={})
    assert r.status_code == 200, r.text
    heading = next(
        s["heading"]
        for s in api.call("GET", f"/reports/{rid}").json()["sections"]
        if s["id"] == "work_1"
    )
    entries = api.call("GET", f"/reports/{rid}/audit").json()
    named = [e["detail"] for e in entries if (e.get("detail") or {}).get("section") == "work_1"]
    assert named and all(d["section_heading"] == heading for d in named), named


def test_the_title_sections_words_are_the_reports_title_everywhere(api: Api) -> None:
    # walk-through: after a Word import changed the title, the list and header kept the old one
    report = api.create()
    title = "中共青川县委关于2024年度主题教育工作情况的汇报"
    r = api.call("PUT", f"/reports/{report['id']}/sections/title", json={"text": title})
    assert r.status_code == 200, r.text
    assert api.call("GET", f"/reports/{report['id']}").json()["meta"]["title"] == title
    listed = {x["id"]: x for x in api.call("GET", "/reports").json()}[report["id"]]
    assert title in str(listed)
