"""Issue 18, item 8 (the smaller findings): logout with a lowercase ``bearer`` ends the token; a
deeply nested JSON body is a 4xx, not a 500; search results name files, not server paths; the
report's audit log shows uploads, their removal and facts confirmed or rejected.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.json_body import too_deep
from assistant.services import Services
from tests.api.conftest import PASSWORD
from tests.api.test_documents import STATS, upload, xlsx_bytes
from tests.api.test_reports import SHEET
from tests.conftest import ROOT


def token_of(client: TestClient, name: str) -> str:
    r = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    client.cookies.clear()
    return str(r.json()["access_token"])


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer", "bEaReR"])
def test_logout_in_any_case_of_the_scheme_revokes_the_token(
    client: TestClient, scheme: str
) -> None:
    token = token_of(client, "dora")
    h = {"Authorization": f"{scheme} {token}"}
    assert client.get("/api/v1/auth/me", headers=h).status_code == 200  # accepted as it is
    assert client.post("/api/v1/auth/logout", headers=h).status_code == 204
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [40, 5000, 200_000])
def test_deeply_nested_json_is_a_client_error(client: TestClient, levels: int) -> None:
    h = {"Authorization": f"Bearer {token_of(client, 'dora')}"}
    json_type = {**h, "Content-Type": "application/json"}
    body = '{"report": {"template": "工作情况汇报"}, "facts": ' + deep(levels) + "}"
    r = client.post("/api/v1/reports", content=body, headers=json_type)
    assert r.status_code == 422, r.text
    rid = client.post("/api/v1/reports", json=SHEET, headers=h).json()["id"]
    r = client.put(f"/api/v1/reports/{rid}/facts", content=body, headers=json_type)
    assert r.status_code == 422
    # bodies FastAPI parses for a model: 400 or 422, never a 500
    for path, method in (("/api/v1/chat", "POST"), (f"/api/v1/reports/{rid}/reviewers", "PUT")):
        wrapped = '{"report_id": 1, "message": ' + deep(levels) + "}"
        r = client.request(method, path, content=wrapped, headers=json_type)
        assert r.status_code in (400, 422), (path, r.status_code, r.text)


def test_the_depth_count_ignores_brackets_in_strings() -> None:
    assert not too_deep(json.dumps({"text": "[" * 100}).encode())
    assert not too_deep(json.dumps({"t": '\\"' + "{" * 100}).encode())
    assert too_deep(deep(33).encode()) and not too_deep(deep(32).encode())


def test_search_results_name_the_file_not_the_server_path(
    client: TestClient, services: Services
) -> None:
    corpus = ROOT / "corpus"
    assert services.indexer.index([corpus.resolve()], kb="corpus").ok  # absolute paths stored
    h = {"Authorization": f"Bearer {token_of(client, 'dora')}"}
    hits = client.get("/api/v1/search", params={"q": "防汛", "k": 5}, headers=h).json()
    assert hits
    for hit in hits:
        assert "/" not in hit["source"] and "\\" not in hit["source"]
        assert (corpus / hit["source"]).is_file()
    assert str(corpus) not in json.dumps(hits, ensure_ascii=False)
    # the chat's search answers the same way
    rid = client.post("/api/v1/reports", json=SHEET, headers=h).json()["id"]
    r = client.post("/api/v1/chat", json={"report_id": rid, "message": "查一下防汛"}, headers=h)
    assert r.status_code == 200 and '"source"' in r.text
    assert str(corpus) not in r.text


def test_uploads_and_fact_decisions_are_in_the_reports_audit_log(client: TestClient) -> None:
    dora = {"Authorization": f"Bearer {token_of(client, 'dora')}"}
    rid = client.post(
        "/api/v1/reports", json={**SHEET, "facts": [], "reviewers": ["rita"]}, headers=dora
    ).json()["id"]
    table = upload(client, dora, "统计.xlsx", xlsx_bytes(STATS), report_id=rid)
    assert table.status_code == 201, table.text
    proposed = {f["key"]: f["id"] for f in table.json()["proposed_facts"]}
    base = f"/api/v1/reports/{rid}/facts"
    assert client.post(f"{base}/{proposed['参学党员']}/confirm", headers=dora).status_code == 200
    assert (
        client.delete(f"{base}/{proposed['高标准农田建设面积']}", headers=dora).status_code == 204
    )
    assert client.delete(f"/api/v1/documents/{table.json()['id']}", headers=dora).status_code == 204

    # the reviewer reads the same history as the owner
    rita = {"Authorization": f"Bearer {token_of(client, 'rita')}"}
    entries = client.get(f"/api/v1/reports/{rid}/audit", headers=rita).json()
    by_action = {e["action"]: e for e in entries}
    assert [e["action"] for e in reversed(entries)] == [
        "create",
        "upload",
        "fact.confirm",
        "fact.reject",
        "upload.delete",
    ]
    assert by_action["upload"]["detail"]["filename"] == "统计.xlsx"
    assert by_action["upload"]["detail"]["upload_id"] == table.json()["id"]
    assert by_action["upload.delete"]["username"] == "dora"
    assert by_action["fact.confirm"]["detail"]["fact_id"] == proposed["参学党员"]
    assert by_action["fact.confirm"]["detail"]["source"] == "upload:统计.xlsx#统计!B3"
    assert by_action["fact.reject"]["detail"]["key"] == "高标准农田建设面积"
