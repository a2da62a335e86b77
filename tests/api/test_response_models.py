"""Typed answers at the API boundary (issue 13): the OpenAPI schema names every field a client
reads, and an answer is what its model says — for reports, sections, versions, facts, the
structure, the outline, keys, users, the chat history and search."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import login

# Routes that answer with something other than one JSON shape: Server-Sent Events, a health
# probe, and the upload and knowledge-base routes whose answers are not typed yet.
UNTYPED = {
    ("get", "/health"),
    ("post", "/api/v1/reports/{report_id}/sections/{section_id}/draft"),
    ("post", "/api/v1/reports/{report_id}/draft"),
    ("post", "/v1/chat/completions"),
    ("get", "/v1/models"),
    ("get", "/v1/models/{model_id}"),
    ("post", "/api/v1/reports/{report_id}/import.docx"),
    ("get", "/api/v1/knowledge/documents"),
    ("post", "/api/v1/knowledge/documents"),
    ("post", "/api/v1/knowledge/documents/{file_id}/reindex"),
    ("post", "/api/v1/knowledge/reindex"),
    ("get", "/api/v1/knowledge/progress/{token}"),
}


def _named(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    return False


def test_every_json_answer_but_the_listed_ones_has_a_named_model(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    untyped = set()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for code, answer in op.get("responses", {}).items():
                body = answer.get("content", {}).get("application/json")
                if code.startswith("2") and body is not None and not _named(body["schema"]):
                    untyped.add((method, path))
    assert untyped <= UNTYPED, sorted(untyped - UNTYPED)  # a new route comes with its model
    report = spec["components"]["schemas"]["ReportPublic"]
    assert {"id", "sections", "facts", "structure_etag"} <= set(report["required"])


def test_answers_follow_their_models(client: TestClient) -> None:
    auth = login(client, "dora")
    sheet = {
        "report": {
            "template": "工作情况汇报",
            "title": "县医院工作汇报",
            "organization": "县人民医院",
        },
        "facts": [{"key": "门诊人次", "value": 12000, "unit": "人次"}],
    }
    made = client.post("/api/v1/reports", json=sheet, headers=auth)
    assert made.status_code == 201, made.text
    report = made.json()
    fact = report["facts"][0]
    # One fact shape everywhere (it was two): confirmed facts say so, and where they came from.
    assert fact["status"] == "confirmed" and fact["value"] == 12000 and fact["confidence"] == 1.0
    first = report["sections"][0]
    assert first["current_version"] is None and first["approved_version_id"] is None
    sid = first["id"]
    saved = client.put(
        f"/api/v1/reports/{report['id']}/sections/{sid}",
        json={"text": "县人民医院全年门诊12000人次。"},
        headers=auth,
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert set(body) == {"version_id", "version", "unchanged", "issues", "summary"}
    assert body["summary"]["characters"] == len("县人民医院全年门诊12000人次。")
    assert saved.headers["ETag"] == f'"{body["version"]}"'
    history = client.get(f"/api/v1/reports/{report['id']}/sections/{sid}/versions", headers=auth)
    (only,) = history.json()
    assert only["changes"] == [{"op": "insert", "text": "县人民医院全年门诊12000人次。"}]
    assert only["issues_summary"]["blocking"] is False
    listed = client.get("/api/v1/reports", headers=auth).json()
    assert listed[0]["sections"]["drafted"] == 1
    structure = client.get(f"/api/v1/reports/{report['id']}/structure", headers=auth)
    assert structure.headers["ETag"] == f'"{structure.json()["etag"]}"'
    outline = client.get(f"/api/v1/reports/{report['id']}/outline", headers=auth).json()
    assert outline["template"] == "工作情况汇报" and outline["edited"] is False
