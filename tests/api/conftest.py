"""API fixtures: an app over a test data dir with three users, and a login helper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services

PASSWORD = "correct-horse-battery"
USERS = {"ada": "admin", "dora": "drafter", "dan": "drafter", "rita": "reviewer"}


@pytest.fixture
def client(settings: Settings, services: Services, tmp_path: Path) -> Iterator[TestClient]:
    for name, role in USERS.items():
        services.accounts.add(name, PASSWORD, role)
    with TestClient(create_app(settings, services)) as c:
        yield c


def login(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": name, "password": password})
    assert r.status_code == 200, r.text
    client.cookies.clear()  # tests authenticate by header unless they test the cookie
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
