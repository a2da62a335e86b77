"""Personal API keys: made, listed and revoked by their owner (API and command line), shown
once, stored hashed, optionally expiring, scoped read-only or read-and-draft; an admin revokes
any; accepted as bearer tokens on /api/v1; keys cannot manage keys; the page's cookie still
needs CSRF proof to make one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.config import Settings
from assistant.services import Services, build_services
from assistant.storage.models import ApiKey, AuditEntry
from tests.api.conftest import PASSWORD, login
from tests.api.test_reports import SHEET


def make(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    r = client.post("/api/v1/keys", json={"name": "脚本", **body}, headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, object] = r.json()
    return out


def bearer(key: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_is_shown_once_and_stored_hashed(client: TestClient, services: Services) -> None:
    dora = login(client, "dora")
    made = make(client, dora, scope="draft", expires_days=30)
    key = str(made["key"])
    assert key.startswith("gwk_") and len(key) > 40 and made["scope"] == "draft"
    assert made["prefix"] == key[:12] and made["status"] == "active"
    expires = dt.datetime.fromisoformat(str(made["expires_at"]))
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    listed = client.get("/api/v1/keys", headers=dora).json()
    assert [k["id"] for k in listed] == [made["id"]] and "key" not in listed[0]
    assert key not in json.dumps(listed)
    with services.db.session() as s:
        row = s.scalars(select(ApiKey)).one()
        assert row.key_hash != key and len(row.key_hash) == 64 and key[12:] not in row.key_hash
    # the key signs in on /api/v1 with its owner's rights
    r = client.post("/api/v1/reports", json=SHEET, headers=bearer(key))
    assert r.status_code == 201 and r.json()["owner"] == "dora"


def test_keys_are_their_owners_and_an_admin_revokes_any(client: TestClient) -> None:
    dora, dan, ada = (login(client, n) for n in ("dora", "dan", "ada"))
    mine = make(client, dora)
    theirs = make(client, dan)
    assert [k["id"] for k in client.get("/api/v1/keys", headers=dora).json()] == [mine["id"]]
    # another user's key does not exist for dora: not listed, not revocable
    assert client.delete(f"/api/v1/keys/{theirs['id']}", headers=dora).status_code == 404
    assert client.get("/api/v1/keys?all=true", headers=dora).status_code == 403
    everyone = client.get("/api/v1/keys?all=true", headers=ada).json()
    assert {k["owner"] for k in everyone} == {"dora", "dan"}
    r = client.delete(f"/api/v1/keys/{theirs['id']}", headers=ada)
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert client.get("/api/v1/reports", headers=bearer(theirs["key"])).status_code == 401
    assert client.get("/api/v1/reports", headers=bearer(mine["key"])).status_code == 200
    # revoking twice changes nothing; the revoked key stays listed as revoked
    assert client.delete(f"/api/v1/keys/{theirs['id']}", headers=dan).status_code == 200
    assert client.get("/api/v1/keys", headers=dan).json()[0]["status"] == "revoked"


def test_a_key_cannot_manage_keys(client: TestClient) -> None:
    dora = login(client, "dora")
    key = make(client, dora, scope="draft")
    h = bearer(key["key"])
    assert client.post("/api/v1/keys", json={"name": "x"}, headers=h).status_code == 403
    assert client.get("/api/v1/keys", headers=h).status_code == 403
    assert client.delete(f"/api/v1/keys/{key['id']}", headers=h).status_code == 403


def test_a_read_only_key_only_reads(client: TestClient) -> None:
    dora = login(client, "dora")
    rid = client.post("/api/v1/reports", json=SHEET, headers=dora).json()["id"]
    h = bearer(make(client, dora)["key"])  # read is the default scope
    assert client.get(f"/api/v1/reports/{rid}", headers=h).status_code == 200
    assert client.get("/api/v1/reports", headers=h).json()[0]["id"] == rid
    for method, path in [
        ("PUT", f"/api/v1/reports/{rid}/facts"),
        ("DELETE", f"/api/v1/reports/{rid}"),
        ("POST", f"/api/v1/reports/{rid}/sections/work_1/draft"),
    ]:
        r = client.request(method, path, json=SHEET, headers=h)
        assert r.status_code == 403 and "只读" in r.json()["detail"], (method, path, r.text)
    assert client.get(f"/api/v1/reports/{rid}", headers=dora).status_code == 200


def test_expired_and_unknown_keys_get_401(client: TestClient, services: Services) -> None:
    dora = login(client, "dora")
    key = make(client, dora, expires_days=1)
    with services.db.session() as s:
        row = s.get(ApiKey, key["id"])
        assert row is not None
        row.expires_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=1)
    r = client.get("/api/v1/reports", headers=bearer(key["key"]))
    assert r.status_code == 401
    assert client.get("/api/v1/keys", headers=dora).json()[0]["status"] == "expired"
    assert client.get("/api/v1/reports", headers=bearer("gwk_" + "A" * 43)).status_code == 401
    # a key is a bearer token only: as the session cookie it signs nobody in
    client.cookies.set("gongwen_session", str(make(client, dora)["key"]))
    assert client.get("/api/v1/reports").status_code == 401
    client.cookies.clear()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "", "scope": "read"}, "name"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "expires_days": 0}, "expires_days"),
        ({"name": "x", "expires_days": 4000}, "expires_days"),
    ],
)
def test_bad_requests_for_a_key_are_422(
    client: TestClient, body: dict[str, object], fragment: str
) -> None:
    r = client.post("/api/v1/keys", json=body, headers=login(client, "dora"))
    assert r.status_code == 422 and fragment in r.text


def test_the_page_cookie_makes_keys_only_with_csrf_proof(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
    assert r.status_code == 200 and client.cookies
    body = {"name": "页面"}
    # a cookie-signed POST with no Origin (a form on another site, a curl replay) is refused
    assert client.post("/api/v1/keys", json=body).status_code == 403
    foreign = {"Origin": "http://evil.example"}
    assert client.post("/api/v1/keys", json=body, headers=foreign).status_code == 403
    own = {"Origin": "http://testserver"}
    r = client.post("/api/v1/keys", json=body, headers=own)
    assert r.status_code == 201 and r.json()["key"].startswith("gwk_")
    assert client.delete(f"/api/v1/keys/{r.json()['id']}").status_code == 403
    page = {**own, "X-Requested-With": "gongwen"}  # what the page sends with a bodiless call
    assert client.delete(f"/api/v1/keys/{r.json()['id']}", headers=page).status_code == 200
    client.cookies.clear()


def test_making_and_revoking_are_in_the_audit_log(client: TestClient, services: Services) -> None:
    dora, ada = login(client, "dora"), login(client, "ada")
    key = make(client, dora)
    client.get("/api/v1/reports", headers=bearer(key["key"]))
    client.delete(f"/api/v1/keys/{key['id']}", headers=ada)
    with services.db.session() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "api_key", AuditEntry.object_id == key["id"])
            .order_by(AuditEntry.id)
        ).all()
    assert [r.action for r in rows] == ["api_key.create", "api_key.use", "api_key.revoke"]
    assert rows[1].detail == {"method": "GET", "path": "/api/v1/reports", "scope": "read"}
    assert rows[0].user_id == rows[1].user_id != rows[2].user_id  # the admin revoked it


# -- the command line ---------------------------------------------------------------------------


runner = CliRunner()


def test_cli_create_list_revoke(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    services = build_services(Settings(_env_file=None))  # type: ignore[call-arg]
    services.accounts.add("dora", PASSWORD, "drafter")
    r = runner.invoke(cli, ["keys", "create", "dora", "--name", "Open WebUI", "--scope", "draft"])
    assert r.exit_code == 0, r.output
    key = next(line for line in r.stdout.splitlines() if line.startswith("gwk_"))
    assert "shown only now" in r.stdout
    assert services.api_keys.resolve(key) is not None
    r = runner.invoke(cli, ["keys", "list", "--json"])
    [listed] = json.loads(r.stdout)
    assert listed["owner"] == "dora" and listed["scope"] == "draft" and "key" not in listed
    assert key not in r.stdout
    r = runner.invoke(
        cli, ["keys", "create", "dora", "--name", "x", "--expires-days", "7", "--json"]
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["expires_at"]
    r = runner.invoke(cli, ["keys", "revoke", str(listed["id"])])
    assert r.exit_code == 0 and "revoked" in r.stdout
    assert services.api_keys.resolve(key) is None
    r = runner.invoke(cli, ["keys", "create", "nobody", "--name", "x"])
    assert r.exit_code == 2 and "nobody" in r.output
    r = runner.invoke(cli, ["keys", "create", "dora", "--name", "x", "--scope", "all"])
    assert r.exit_code == 2
    services.close()
