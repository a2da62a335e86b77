"""Accounts over HTTP: login gives a bearer token and an HttpOnly session cookie; limits."""

from __future__ import annotations

import stat

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services
from tests.api.conftest import PASSWORD, login


def test_login_returns_a_bearer_token_and_a_session_cookie(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    # the cookie alone signs the browser in
    assert client.get("/api/v1/auth/me").json() == {"id": 2, "username": "dora", "role": "drafter"}
    client.cookies.clear()
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "dora"


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    a = client.post("/api/v1/auth/login", json={"username": "dora", "password": "wrong-password"})
    b = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong-pass"})
    assert a.status_code == b.status_code == 401
    assert (
        a.json()
        == b.json()
        == {
            "detail": "wrong username or password",
            "code": "unauthenticated",
        }
    )


def test_failed_logins_are_rate_limited(client: TestClient) -> None:
    # Frozen time: the first back-off is one second, which five real argon2 checks can outlast.
    client.app.state.login_limiter.clock = lambda: 1_800_000_000.0  # type: ignore[attr-defined]
    for _ in range(5):
        r = client.post("/api/v1/auth/login", json={"username": "dan", "password": "guess-guess"})
        assert r.status_code == 401
    r = client.post("/api/v1/auth/login", json={"username": "dan", "password": PASSWORD})
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert r.json()["detail"] == "登录尝试过于频繁，请 1 秒后再试"


def test_logout_revokes_the_token(client: TestClient) -> None:
    h = login(client, "rita")
    assert client.get("/api/v1/auth/me", headers=h).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=h).status_code == 204
    assert client.get("/api/v1/auth/me", headers=h).status_code == 401


def test_password_change_ends_open_sessions(client: TestClient, services: Services) -> None:
    h = login(client, "dora")
    services.accounts.set_password("dora", "another-long-password")
    assert client.get("/api/v1/auth/me", headers=h).status_code == 401
    login(client, "dora", "another-long-password")


@pytest.mark.parametrize(
    "body", [{}, {"username": "dora"}, {"username": "", "password": "x"}, ["dora", "pw"]]
)
def test_malformed_login_is_422(client: TestClient, body: object) -> None:
    assert client.post("/api/v1/auth/login", json=body).status_code == 422


def test_first_start_creates_an_admin_whose_password_never_reaches_the_console(
    settings: Settings, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(settings, services)) as c:
        printed = capsys.readouterr().out
        path = settings.data_dir / "initial-admin-password"
        assert "created user 'admin'" in printed and str(path) in printed
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        password = path.read_text(encoding="utf-8").strip()
        assert len(password) >= 12 and password not in printed
        login(c, "admin", password)
    with TestClient(create_app(settings, services)):
        assert "created user" not in capsys.readouterr().out  # only on the very first start
    assert path.is_file()  # still the password: kept until it is changed
    services.accounts.set_password("admin", "a-new-long-password-1")
    with TestClient(create_app(settings, services)):
        assert not path.exists()
    passwords = [u.username for u, _, _ in services.accounts.list()]
    assert passwords == ["admin"]
