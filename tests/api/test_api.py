"""The HTTP service: health is open, everything else needs a signed-in user; JSON errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from assistant.api.limits import BodyLimit
from assistant.services import Services
from tests.api.conftest import login
from tests.conftest import write


@pytest.fixture
def indexed(client: TestClient, services: Services, tmp_path: Path) -> TestClient:
    write(
        tmp_path / "d" / "a.md",
        '---\ntitle: "防汛工作总结"\nyear: 2024\n---\n一、工作成效\n汛期发布预警信息42期。\n',
    )
    services.indexer.index([tmp_path / "d"])
    return client


def test_health_needs_no_token(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_search_needs_a_signed_in_user(indexed: TestClient) -> None:
    r = indexed.get("/api/v1/search", params={"q": "预警"})
    assert r.status_code == 401 and "not signed in" in r.json()["detail"]
    r = indexed.get("/api/v1/search", params={"q": "预警"}, headers={"Authorization": "Bearer no"})
    assert r.status_code == 401


def test_search_returns_the_contract(indexed: TestClient) -> None:
    r = indexed.get(
        "/api/v1/search", params={"q": "预警信息", "k": 3}, headers=login(indexed, "dora")
    )
    assert r.status_code == 200
    (hit,) = r.json()
    assert hit["title"] == "防汛工作总结" and "42期" in hit["text"]
    assert set(hit) == {"doc_id", "title", "source", "heading", "text", "score"}


def test_errors_are_json_with_the_right_status(indexed: TestClient) -> None:
    h = login(indexed, "ada")
    r = indexed.get("/api/v1/search", params={"q": "x", "kb": "nope"}, headers=h)
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    r = indexed.get("/api/v1/search", params={"q": "x", "k": 0}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "k"
    r = indexed.post("/api/v1/search", content=b"x" * (2 * 1024 * 1024), headers=h)
    assert r.status_code == 413


def test_odd_tokens_are_refused_cleanly(client: TestClient) -> None:
    for value in ("Bearer café".encode("latin-1"), b"Bearer " + b"x" * 5000):
        r = client.get("/api/v1/search", params={"q": "x"}, headers={"Authorization": value})
        assert r.status_code == 401


def test_body_limit_counts_streamed_bytes_not_the_header() -> None:
    echo = FastAPI()

    @echo.post("/echo")
    async def read(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    echo.add_middleware(BodyLimit, limit=1000)

    def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: chunked transfer
        for _ in range(3):
            yield b"x" * 600

    with TestClient(echo) as c:
        assert c.post("/echo", content=b"x" * 900).json() == {"bytes": 900}
        r = c.post("/echo", content=chunks())
        assert r.status_code == 413 and "over 1000 bytes" in r.json()["detail"]


def test_openapi_schema_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/auth/login", "/api/v1/reports", "/api/v1/chat"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_api_reference_pages_need_nothing_from_outside(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
        assert "http://" not in r.text and "https://" not in r.text  # no CDN
        for src in re.findall(r'(?:src|href)="([^"]+)"', r.text):
            asset = client.get(src)
            assert asset.status_code == 200 and len(asset.content) > 100, src
    assert client.get("/docs/assets/../app.py").status_code == 404
    assert client.get("/docs/assets/nope.js").status_code == 404
