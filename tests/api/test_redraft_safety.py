"""Redrafts never destroy work: a redraft over a hand-edited, imported or approved text asks
first (409 until ``overwrite: true``; in the chat, a message to confirm), any earlier version
can be restored as a new one, and a text identical to the current one is not stored again.

One app with the sample corpus indexed (fake embeddings, offline engine) for the module; every
test creates its own report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.config import Settings
from assistant.services import build_services
from tests.api.test_reports import Api, parse_events, start
from tests.conftest import ROOT
from tests.llm_server import Reply, ScriptedLLM

pytestmark = pytest.mark.timeout(120)
WORK = "work_1"
EDITED = "县委召开常委会议12次，派出巡回指导组6个，参学党员3560名。"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("redraft") / "data",
        embeddings_provider="fake",
        llm_model=None,
        llm_base_url=None,
        llm_api_key=None,
        _env_file=None,
    )
    services = build_services(settings)
    assert services.indexer.index([ROOT / "corpus"]).ok
    yield from start(settings, services)


def path(rid: int, sid: str = WORK) -> str:
    return f"/reports/{rid}/sections/{sid}"


def done_of(api: Api, rid: int, sid: str = WORK, **body: Any) -> dict[str, Any]:
    events = api.stream(f"{path(rid, sid)}/draft", json=body)
    name, data = events[-1]
    assert name == "done", events[-3:]
    result: dict[str, Any] = data
    return result


def versions(api: Api, rid: int, sid: str = WORK) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = api.call("GET", f"{path(rid, sid)}/versions").json()
    return got


def section(api: Api, rid: int, sid: str = WORK) -> dict[str, Any]:
    report = api.call("GET", f"/reports/{rid}").json()
    found: dict[str, Any] = next(s for s in report["sections"] if s["id"] == sid)
    return found


def approve(api: Api, rid: int, sid: str) -> None:
    r = api.call("POST", f"{path(rid, sid)}/review", json={"action": "submit"})
    assert r.status_code == 200, r.text
    r = api.call(
        "POST",
        f"{path(rid, sid)}/review",
        "rita",
        json={"action": "approve", "override_reason": "先行通过"},
    )
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text


def test_a_redraft_over_a_hand_edit_asks_first(api: Api) -> None:
    rid = api.create()["id"]
    first = done_of(api, rid)
    # Over an engine's draft a redraft needs no confirming (the same text is not stored).
    assert done_of(api, rid, base_version=1)["version_id"] == first["version_id"]
    r = api.call("PUT", path(rid), json={"text": EDITED, "base_version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2

    r = api.call("POST", f"{path(rid)}/draft", json={"base_version": 2})
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail["code"] == "confirm_overwrite"
    assert detail["sections"] == [
        {"section": WORK, "version": 2, "reason": detail["sections"][0]["reason"]}
    ]
    assert "第2版是人工修改的文本" in detail["message"] and "overwrite" in detail["message"]
    assert len(versions(api, rid)) == 2  # nothing was drafted

    redrafted = done_of(api, rid, base_version=2, overwrite=True)
    assert redrafted["version"] == 3 and redrafted["unchanged"] is False
    assert section(api, rid)["current_version"]["kind"] == "draft"


def test_a_stale_base_is_refused_before_drafting(api: Api) -> None:
    rid = api.create()["id"]
    api.call("PUT", path(rid), json={"text": EDITED})
    r = api.call("POST", f"{path(rid)}/draft", json={"base_version": 0, "overwrite": True})
    assert r.status_code == 409
    assert r.json()["detail"]["code"] == "stale_base"
    assert r.json()["detail"]["current_version"] == 1
    r = api.client.post(
        f"/api/v1{path(rid)}/draft",
        json={"overwrite": True},
        headers={**api.headers["dora"], "If-Match": '"0"'},
    )
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == 1


def test_a_redraft_over_an_approved_text_asks_first(api: Api) -> None:
    rid = api.create(reviewers=["rita"])["id"]
    done_of(api, rid, "closing")  # the template's fixed closing: no issues
    approve(api, rid, "closing")
    r = api.call("POST", f"{path(rid, 'closing')}/draft", json={})
    assert r.status_code == 409
    assert "已经审核通过" in r.json()["detail"]["message"]
    # Confirmed, it writes the same words: nothing stored, and the approval stands.
    again = done_of(api, rid, "closing", overwrite=True)
    assert again["unchanged"] is True and again["version"] == 1
    assert section(api, rid, "closing")["status"] == "approved"


def test_the_whole_report_asks_for_every_protected_section(api: Api) -> None:
    rid = api.create()["id"]
    api.call("PUT", path(rid), json={"text": EDITED})
    api.call("PUT", path(rid, "closing"), json={"text": "汇报完毕。"})
    r = api.call("POST", f"/reports/{rid}/draft", json={})
    assert r.status_code == 409
    assert [s["section"] for s in r.json()["detail"]["sections"]] == [WORK, "closing"]
    r = api.call("POST", f"/reports/{rid}/draft", json={"overwrite": True})
    assert r.status_code == 200 and parse_events(r.text)[-1][0] == "done"
    assert section(api, rid)["current_version"]["version"] == 2


def test_an_identical_edit_is_not_stored_again(api: Api) -> None:
    rid = api.create()["id"]
    first = api.call("PUT", path(rid), json={"text": EDITED}).json()
    same = api.call("PUT", path(rid), json={"text": EDITED + "\n", "base_version": 1})
    assert same.status_code == 200 and same.headers["ETag"] == '"1"'
    body = same.json()
    assert body["unchanged"] is True and body["version_id"] == first["version_id"]
    assert body["version"] == 1 and body["summary"]["errors"] == 0
    assert len(versions(api, rid)) == 1
    # Someone else already saved these very words: nothing is lost, so no conflict either.
    api.call("PUT", path(rid), json={"text": "县委召开常委会议12次。", "base_version": 1})
    same = api.call("PUT", path(rid), json={"text": "县委召开常委会议12次。", "base_version": 1})
    assert same.status_code == 200
    assert same.json()["unchanged"] is True and same.json()["version"] == 2


def test_an_earlier_version_is_restored_as_a_new_checked_version(api: Api) -> None:
    rid = api.create()["id"]
    v1 = api.call("PUT", path(rid), json={"text": EDITED}).json()
    v2 = api.call(
        "PUT", path(rid), json={"text": "县委召开常委会议99次。", "base_version": 1}
    ).json()
    assert v2["summary"]["errors"] == 1  # 99次 is no fact

    r = api.call(
        "POST", f"{path(rid)}/versions/{v1['version_id']}/restore", json={"base_version": 1}
    )
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == 2
    r = api.call(
        "POST", f"{path(rid)}/versions/{v1['version_id']}/restore", json={"base_version": 2}
    )
    assert r.status_code == 200, r.text
    restored = r.json()
    assert restored["version"] == 3 and restored["unchanged"] is False
    assert restored["summary"]["errors"] == 0 and r.headers["ETag"] == '"3"'
    v3 = api.call("GET", f"{path(rid)}/versions/{restored['version_id']}").json()
    assert v3["text"] == EDITED and v3["kind"] == "restore"
    assert v3["engine_label"] == "恢复第1版（人工编辑）"
    assert v3["provenance"]["restored_from"] == {"version_id": v1["version_id"], "version": 1}
    assert [v["version"] for v in versions(api, rid)] == [3, 2, 1]
    assert "+县委召开常委会议12次" in versions(api, rid)[0]["diff"]

    # Restoring what is current stores nothing; another section's version is not found.
    again = api.call("POST", f"{path(rid)}/versions/{v1['version_id']}/restore", json={}).json()
    assert again["unchanged"] is True and again["version"] == 3
    r = api.call("POST", f"{path(rid, 'closing')}/versions/{v1['version_id']}/restore")
    assert r.status_code == 404
    r = api.call("POST", f"{path(rid)}/versions/{v1['version_id']}/restore", "rita")
    assert r.status_code == 404  # not a reviewer of this report
    # A restored text is a person's choice: a redraft over it asks first.
    assert api.call("POST", f"{path(rid)}/draft", json={}).status_code == 409


def chat(api: Api, rid: int, message: str) -> list[tuple[str, Any]]:
    r = api.call("POST", "/chat", json={"report_id": rid, "message": message})
    assert r.status_code == 200, r.text
    return parse_events(r.text)


def test_the_chat_asks_before_redrafting_a_hand_edit(api: Api) -> None:
    rid = api.create()["id"]
    api.call("PUT", path(rid), json={"text": EDITED})
    events = chat(api, rid, "重写第一部分")
    reply = "".join(d["text"] for name, d in events if name == "token")
    assert "人工修改" in reply and "“确认重写第一部分”" in reply
    done = events[-1][1]
    assert done["needs_confirmation"] is True and done["section"] == WORK
    assert len(versions(api, rid)) == 1

    events = chat(api, rid, "确认重写第一部分")
    done = events[-1][1]
    assert done["action"] == "draft" and done.get("needs_confirmation") is None
    assert done["version_id"] and done["unchanged"] is False
    assert section(api, rid)["current_version"]["kind"] == "draft"
    assert len(versions(api, rid)) == 2


@pytest.fixture(scope="module")
def llm_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with ScriptedLLM(api_key="sk-test", default=Reply(text="县委召开常委会议12次〔F1〕。")) as llm:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=tmp_path_factory.mktemp("redraft-llm") / "data",
            embeddings_provider="fake",
            llm_base_url=llm.base_url,
            llm_api_key="sk-test",
            llm_model="scripted-model",
            llm_timeout=5,
            llm_max_retries=0,
            _env_file=None,
        )
        yield from start(settings, build_services(settings))


def test_a_revision_by_instruction_of_a_hand_edit_needs_no_confirming(llm_api: Api) -> None:
    """It rewrites the person's own text (the LLM gets it), so nothing of theirs is thrown away."""
    rid = llm_api.create()["id"]
    llm_api.call("PUT", path(rid), json={"text": EDITED})
    done = done_of(llm_api, rid, instruction="更简洁一些", base_version=1)
    assert done["version"] == 2 and done["engine"] == "llm"
    version = llm_api.call("GET", f"{path(rid)}/versions/{done['version_id']}").json()
    assert version["provenance"]["mode"] == "revise"
    # Without an instruction it would be a fresh draft: that asks first.
    llm_api.call("PUT", path(rid), json={"text": EDITED})
    r = llm_api.call("POST", f"{path(rid)}/draft", json={"base_version": 3})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "confirm_overwrite"
