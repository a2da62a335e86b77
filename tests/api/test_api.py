"""The HTTP service: health is open, everything else needs the bearer token; JSON errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api.app import create_app
from assistant.api.limits import BodyLimit
from assistant.config import Settings
from assistant.services import Services
from tests.conftest import write


@pytest.fixture
def client(settings: Settings, services: Services, tmp_path: Path) -> Iterator[TestClient]:
    write(
        tmp_path / "d" / "a.md",
        '---\ntitle: "防汛工作总结"\nyear: 2024\n---\n一、工作成效\n汛期发布预警信息42期。\n',
    )
    services.indexer.index([tmp_path / "d"])
    with TestClient(create_app(settings, services)) as c:
        yield c


def auth(settings: Settings) -> dict[str, str]:
    token = (settings.data_dir / "api_token").read_text().strip()
    return {"Authorization": f"Bearer {token}"}


def test_health_needs_no_token(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_search_needs_the_token(client: TestClient, settings: Settings) -> None:
    r = client.get("/api/v1/search", params={"q": "预警"})
    assert r.status_code == 401 and r.json() == {"detail": "missing or invalid bearer token"}
    r = client.get("/api/v1/search", params={"q": "预警"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    token_file = settings.data_dir / "api_token"
    assert token_file.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_search_returns_the_contract(client: TestClient, settings: Settings) -> None:
    r = client.get("/api/v1/search", params={"q": "预警信息", "k": 3}, headers=auth(settings))
    assert r.status_code == 200
    (hit,) = r.json()
    assert hit["title"] == "防汛工作总结" and "42期" in hit["text"]
    assert set(hit) == {"doc_id", "title", "source", "heading", "text", "score"}


def test_errors_are_json_with_the_right_status(client: TestClient, settings: Settings) -> None:
    h = auth(settings)
    r = client.get("/api/v1/search", params={"q": "x", "kb": "nope"}, headers=h)
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    r = client.get("/api/v1/search", params={"q": "x", "k": 0}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "k"
    r = client.post("/api/v1/search", content=b"x" * (2 * 1024 * 1024), headers=h)
    assert r.status_code == 413


def test_configured_token_is_used(settings: Settings, services: Services, tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "防汛工作总结\n汛期发布预警信息42期。\n")
    services.indexer.index([tmp_path / "d"])
    configured = settings.model_copy(update={"api_token": SecretStr("configured-token-123")})
    with TestClient(create_app(configured, services)) as c:
        ok = c.get(
            "/api/v1/search",
            params={"q": "x"},
            headers={"Authorization": "Bearer configured-token-123"},
        )
        assert ok.status_code == 200
    assert not (settings.data_dir / "api_token").exists()


def test_odd_tokens_and_streamed_bodies_are_refused_cleanly(
    client: TestClient, settings: Settings
) -> None:
    r = client.get(
        "/api/v1/search",
        params={"q": "x"},
        headers={"Authorization": "Bearer café".encode("latin-1")},
    )
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
