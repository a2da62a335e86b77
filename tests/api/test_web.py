"""The staff web page: served at ``/`` with a strict CSP, its assets from ``/static``."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from assistant.api.routes.web import WEB_DIR


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def _imports(js: str) -> list[str]:
    return [f"/static/{m}" for m in re.findall(r'from "\./([^"]+)"', js)]


def test_index_is_served_with_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert '<html lang="zh-CN">' in html
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert re.search(r"<script[^>]*\bsrc=\"/static/app\.js\"", html)
    for needed in ("login-form", "reports-list", "facts-table", "chat-form", "section-editor"):
        assert f'id="{needed}"' in html


def test_every_asset_is_served_with_its_type_and_no_external_url(client: TestClient) -> None:
    html = client.get("/").text
    seen: set[str] = set()
    todo = _assets(html)
    assert "/static/app.js" in todo and "/static/style.css" in todo
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code == 200, url
        kind = "text/javascript" if url.endswith(".js") else "text/css"
        assert r.headers["content-type"].startswith(kind), url
        assert r.headers["x-content-type-options"] == "nosniff"
        if url.endswith(".js"):
            todo += _imports(r.text)
    # every module in the package is reachable from the page
    assert {f"/static/{p.name}" for p in WEB_DIR.glob("*.js")} <= seen
    for url in [*seen, "/"]:
        body = client.get(url).text
        assert "http://" not in body and "https://" not in body, url
        assert "@import" not in body and "url(" not in body, url


def test_unknown_or_odd_static_paths_are_404(client: TestClient) -> None:
    for url in (
        "/static/nope.js",
        "/static/index.html",
        "/static/__init__.py",
        "/static/..%2Fapi%2Fapp.py",
        "/static/../api/app.py",
        "/static/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_page_needs_no_login_but_the_api_does(client: TestClient) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/api/v1/reports").status_code == 401
