"""API fixtures: an app over a test data dir with three users, and a login helper.

Every test that builds settings runs twice: on SQLite (``[sqlite]``, the default) and on a
fresh database of a throwaway PostgreSQL server on 127.0.0.1 (``[postgresql]``, marked slow:
it starts a server; see ``tests/postgres.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services
from tests.postgres import postgres_cluster, postgres_url

__all__ = ["PASSWORD", "USERS", "login", "postgres_cluster", "postgres_url"]

PASSWORD = "correct-horse-battery"
USERS = {"ada": "admin", "dora": "drafter", "dan": "drafter", "rita": "reviewer"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(settings: Settings, db_backend: str, request: pytest.FixtureRequest) -> Settings:
    """The shared test settings, with the state database on the backend under test."""
    if db_backend == "sqlite":
        return settings
    url = request.getfixturevalue("postgres_url")  # the server starts only when needed
    return settings.model_copy(update={"database_url": url})


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


# -- a setting changed in place during a test (issue 13: the root builds each service once) -----


def settings_changed(services: Services) -> None:
    """After a test changes ``services.settings`` in place: the services that copied limits from
    the settings at their building (uploads, the knowledge base, the Word import) are built again
    on their next use. In production the settings are read once, at start."""
    for name in ("uploads", "knowledge", "importer"):
        services.__dict__.pop(name, None)
