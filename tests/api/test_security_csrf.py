"""Issue 18, item 2: a page on another port of 127.0.0.1 cannot act with the session cookie.

On the old main the cookie alone was enough: a ``text/plain`` body holding JSON created a report,
a form confirmed facts, a multipart post uploaded. Each test plays the foreign page (``Origin:
http://127.0.0.1:9999``) against the service at ``http://testserver`` and then the service's own
page, which sends JSON or ``X-Requested-With`` from its own origin.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.routes.web import WEB_DIR
from assistant.config import Settings
from assistant.services import Services
from tests.api.conftest import PASSWORD
from tests.api.test_reports import SHEET

OWN = "http://testserver"
FOREIGN = "http://127.0.0.1:9999"
PAGE = {"X-Requested-With": "gongwen"}


def cookie_login(client: TestClient, name: str = "dora") -> str:
    """Sign the "browser" in the way the page does; the client keeps the cookie."""
    r = client.post(
        "/api/v1/auth/login",
        json={"username": name, "password": PASSWORD},
        headers={"Origin": OWN},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def reports_of(client: TestClient, token: str) -> list[Any]:
    r = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token}"})
    result: list[Any] = r.json()
    return result


def refused(r: Any) -> None:
    assert r.status_code == 403, r.text
    assert "跨站请求伪造" in r.json()["detail"]


def test_cross_origin_text_plain_json_is_refused(client: TestClient) -> None:
    token = cookie_login(client)
    r = client.post(
        "/api/v1/reports",
        content=json.dumps(SHEET),
        headers={"Origin": FOREIGN, "Content-Type": "text/plain"},
    )
    refused(r)
    assert FOREIGN in r.json()["detail"]
    assert reports_of(client, token) == []


def test_cross_origin_form_and_multipart_posts_are_refused(client: TestClient) -> None:
    token = cookie_login(client)
    rid = client.post("/api/v1/reports", json=SHEET, headers={"Origin": OWN, **PAGE}).json()["id"]
    form = client.post(
        f"/api/v1/reports/{rid}/sections/work_1/draft",
        data={"instruction": "x"},
        headers={"Origin": FOREIGN},
    )
    refused(form)
    upload = client.post(
        "/api/v1/documents",
        data={"report_id": str(rid)},
        files={"file": ("a.txt", "召开会议3次。".encode(), "text/plain")},
        headers={"Origin": FOREIGN},
    )
    refused(upload)
    delete = client.delete(f"/api/v1/reports/{rid}", headers={"Origin": FOREIGN})
    refused(delete)
    # a custom header does not help a foreign page (it cannot send one without a preflight
    # anyway), nor does JSON
    as_json = client.post("/api/v1/reports", json=SHEET, headers={"Origin": FOREIGN, **PAGE})
    refused(as_json)
    assert [r["id"] for r in reports_of(client, token)] == [rid]


def test_a_missing_or_null_origin_is_refused_with_the_cookie(client: TestClient) -> None:
    cookie_login(client)
    refused(client.post("/api/v1/reports", json=SHEET))  # neither Origin nor Referer
    refused(client.post("/api/v1/reports", json=SHEET, headers={"Origin": "null"}))
    referer = client.post(
        "/api/v1/reports", json=SHEET, headers={"Referer": f"{FOREIGN}/evil.html"}
    )
    refused(referer)
    own_referer = client.post("/api/v1/reports", json=SHEET, headers={"Referer": f"{OWN}/"})
    assert own_referer.status_code == 201


def test_same_origin_json_and_the_pages_upload_work(client: TestClient) -> None:
    cookie_login(client)
    r = client.post("/api/v1/reports", json=SHEET, headers={"Origin": OWN})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    # same origin but a form body without the page's header: still refused
    plain = client.post(
        "/api/v1/reports",
        content=json.dumps(SHEET),
        headers={"Origin": OWN, "Content-Type": "text/plain"},
    )
    refused(plain)
    upload = client.post(
        "/api/v1/documents",
        data={"report_id": str(rid)},
        files={"file": ("a.txt", "召开会议3次。".encode(), "text/plain")},
        headers={"Origin": OWN, **PAGE},
    )
    assert upload.status_code == 201, upload.text
    deleted = client.delete(f"/api/v1/reports/{rid}", headers={"Origin": OWN, **PAGE})
    assert deleted.status_code == 204
    out = client.post("/api/v1/auth/logout", headers={"Origin": OWN, **PAGE})
    assert out.status_code == 204


def test_a_bearer_token_needs_no_origin(client: TestClient) -> None:
    token = cookie_login(client)
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/v1/reports", json=SHEET, headers=bearer)
    assert r.status_code == 201
    # not even with a cookie beside it, or a foreign Origin: a browser never adds the header
    cookie_login(client)
    r = client.post(
        "/api/v1/reports",
        content=json.dumps(SHEET),
        headers={**bearer, "Origin": FOREIGN, "Content-Type": "text/plain"},
    )
    assert r.status_code == 201


def test_a_login_from_a_foreign_page_is_refused(client: TestClient) -> None:
    body = {"username": "dora", "password": PASSWORD}
    refused(client.post("/api/v1/auth/login", json=body, headers={"Origin": FOREIGN}))
    assert (
        "set-cookie"
        not in client.post("/api/v1/auth/login", json=body, headers={"Origin": FOREIGN}).headers
    )
    assert client.post("/api/v1/auth/login", json=body).status_code == 200  # a script
    assert client.cookies  # and again with that cookie: the password signs in, not the cookie
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
    assert client.post("/api/v1/auth/login", json=body, headers={"Origin": OWN}).is_success


def test_configured_public_url_and_allowed_origins(settings: Settings, services: Services) -> None:
    services.accounts.add("dora", PASSWORD, "drafter")
    configured = settings.model_copy(
        update={
            "public_url": "https://gongwen.example.org/",
            "allowed_origins": "http://127.0.0.1:3000, https://Other.Example.org:443",
        }
    )
    with TestClient(create_app(configured, services)) as client:
        cookie_login(client)
        for origin in (
            "https://gongwen.example.org",
            "http://127.0.0.1:3000",
            "https://other.example.org",
        ):
            r = client.post("/api/v1/reports", json=SHEET, headers={"Origin": origin})
            assert r.status_code == 201, (origin, r.text)
        refused(client.post("/api/v1/reports", json=SHEET, headers={"Origin": FOREIGN}))


def test_the_cookie_over_https_is_host_prefixed_secure_and_strict(
    settings: Settings, services: Services
) -> None:
    services.accounts.add("dora", PASSWORD, "drafter")
    with TestClient(create_app(settings, services), base_url="https://testserver") as client:
        r = client.post("/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-gongwen_session=")
        assert "Secure" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert "Domain" not in cookie and "HttpOnly" in cookie
        assert client.get("/api/v1/auth/me").json()["username"] == "dora"
        # over https the unprefixed cookie (which any host could have set) signs nobody in
        token = client.cookies["__Host-gongwen_session"]
        client.cookies.clear()
        client.cookies.set("gongwen_session", token)
        assert client.get("/api/v1/auth/me").status_code == 401
    with TestClient(create_app(settings, services)) as client:  # plain http: no Secure
        cookie = client.post(
            "/api/v1/auth/login", json={"username": "dora", "password": PASSWORD}
        ).headers["set-cookie"]
        assert cookie.startswith("gongwen_session=") and "Secure" not in cookie


@pytest.mark.parametrize("trusted", ["", "testclient"])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(
    settings: Settings, services: Services, trusted: str
) -> None:
    services.accounts.add("dora", PASSWORD, "drafter")
    app = create_app(settings.model_copy(update={"trusted_proxies": trusted}), services)
    with TestClient(app) as client:  # TestClient's peer address is "testclient"
        r = client.post(
            "/api/v1/auth/login",
            json={"username": "dora", "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
        )
        cookie = r.headers["set-cookie"]
    if trusted:
        assert cookie.startswith("__Host-gongwen_session=") and "Secure" in cookie
    else:
        assert cookie.startswith("gongwen_session=") and "Secure" not in cookie


def test_the_page_sends_its_header_with_every_call() -> None:
    js = (WEB_DIR / "api.js").read_text(encoding="utf-8")
    assert '"X-Requested-With": "gongwen"' in js
    # every fetch of every module carries it (api.js's calls spread PAGE; a module that builds
    # its own multipart request names the header)
    for module in sorted(WEB_DIR.glob("*.js")):
        text = module.read_text(encoding="utf-8")
        for at in [i for i in range(len(text)) if text.startswith("fetch(", i)]:
            call = text[max(0, at - 200) : at + 400]  # its init may be built just before
            assert "...PAGE" in call or '"X-Requested-With": "gongwen"' in call, (
                module.name,
                call[:120],
            )
        for at in [i for i in range(len(text)) if text.startswith("xhr.open(", i)]:
            assert "setRequestHeader(name, value)" in text[at : at + 300], module.name
    assert js.count("...PAGE") >= 2
    assert "xhr.setRequestHeader(name, value)" in js  # the multipart upload
