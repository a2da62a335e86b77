"""The structure changes on both database backends (SQLite, and PostgreSQL when marked slow):
the filtered section list, the fresh ids, the renumbering, the stale etag and the deletion of a
report whose removed part still has versions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import login

pytestmark = pytest.mark.timeout(120)

SHEET = {
    "report": {"template": "工作总结", "title": "柳河区水利局2025年工作总结", "period": "2025年"},
    "facts": [{"key": "河道清淤", "value": 52, "unit": "公里"}],
}


def test_add_remove_reorder_and_delete_on_this_backend(client: TestClient) -> None:
    h = login(client, "dora")
    base = "/api/v1/reports"
    rid = client.post(base, json=SHEET, headers=h).json()["id"]
    etag = client.get(f"{base}/{rid}/structure", headers=h).json()["etag"]
    r = client.post(
        f"{base}/{rid}/structure/sections",
        json={"heading": "亮点特色", "kind": "body", "position": 1, "etag": etag},
        headers=h,
    )
    assert r.status_code == 201, r.text
    new = next(s["id"] for s in r.json()["sections"] if s["added"])
    r = client.put(
        f"{base}/{rid}/sections/achievements", json={"text": "全年清淤52公里。"}, headers=h
    )
    assert r.status_code == 200, r.text
    r = client.request(
        "DELETE",
        f"{base}/{rid}/structure/sections/achievements",
        json={"etag": client.get(f"{base}/{rid}/structure", headers=h).json()["etag"]},
        headers=h,
    )
    assert r.status_code == 200, r.text
    numbered = [(s["id"], s["heading"][:2]) for s in r.json()["sections"] if s["numbered"]]
    assert numbered == [(new, "一、"), ("problems", "二、"), ("plans", "三、")]
    r = client.put(
        f"{base}/{rid}/structure/order",
        json={"order": ["plans", new, "problems"], "etag": etag},
        headers=h,
    )
    assert r.status_code == 409 and r.json()["code"] == "stale_structure"
    r = client.put(f"{base}/{rid}/sections/achievements", json={"text": "再改"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "section_removed"
    assert client.delete(f"{base}/{rid}", headers=h).status_code == 204
