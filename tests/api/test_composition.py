"""The app built from a composition root of fakes only: every route calls the service it is given.

No database, store, embeddings or index is opened: each part of :class:`Services` is a stand-in
that fails the test if the app touches it, and the feature services are small fakes. So a route
that built its own service (``ReportService(services.db, …)``) instead of taking the root's
through :mod:`assistant.api.deps` fails here; and the CLI's ``with build_services(…)`` closes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.accounts.service import Principal
from assistant.api.app import create_app
from assistant.config import Settings
from assistant.errors import Forbidden, NotFound
from assistant.reports.public import (
    OutlinePublic,
    ReportBriefPublic,
    SectionCountsPublic,
    TemplatePublic,
)
from assistant.review.export import Readiness
from assistant.services import Services, build_services
from assistant.uploads.reconcile import Reconciled

TOKEN = "fake-session-token-for-dora"
DORA = Principal(id=2, username="dora", role="drafter")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Untouchable:
    """A part of the root the app must not reach for (it would open a real resource)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        raise AssertionError(f"the app used the real {self._name}.{attr}")


class FakeAccounts:
    def ensure_admin(self) -> None:
        return None

    def resolve(self, token: str) -> Principal | None:
        return DORA if token == TOKEN else None


class Recorder:
    """A fake service: answers from ``answers`` and writes down every call with its caller."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, Any]] = []

    def __getattr__(self, method: str) -> Any:
        if method not in self.answers:
            raise AttributeError(method)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((method, args[1:] if args and args[0] is DORA else args))
            answer = self.answers[method]
            if isinstance(answer, Exception):
                raise answer
            return answer

        return call


class FakeServices(Services):
    def reconcile_uploads(self) -> Reconciled:
        return Reconciled()

    def close(self) -> None:
        self.closed = True


PARTS = ("cache", "embeddings", "store", "keywords", "indexer", "searcher", "titles")


def fake_services(settings: Settings, **services: Any) -> FakeServices:
    root = FakeServices(settings, *(Untouchable(name) for name in PARTS))
    # The lazily built parts are cached properties: an instance attribute stands in for them.
    root.__dict__.update(db=Untouchable("db"), accounts=FakeAccounts(), **services)
    return root


HELLO = {
    "id": 1,
    "role": "user",
    "content": "你好",
    "actions": [],
    "created_at": "2026-12-07T00:00:00",
}
TEMPLATE = TemplatePublic(name="假模板", genre="汇报", description="", sections=[])
BRIEF = ReportBriefPublic(
    id=1,
    template="假模板",
    title="假报告",
    owner="ada",
    sections=SectionCountsPublic(total=0, drafted=0, approved=0),
    created_at="2026-12-07T00:00:00+00:00",
    updated_at="2026-12-07T00:00:00+00:00",
)


@pytest.fixture
def fakes() -> dict[str, Recorder]:
    return {
        "reports": Recorder(
            template_list=[TEMPLATE],
            list_reports=[BRIEF],
            get=NotFound("没有编号为 7 的报告"),
        ),
        "uploads": Recorder(list_uploads=[], read_by_ocr=set()),
        "outlines": Recorder(get=OutlinePublic(template="假模板", sections=[], edited=False)),
        "chat": Recorder(history=[HELLO]),
        "knowledge": Recorder(remove=None),
        "importer": Recorder(authorize=Forbidden("只有报告的起草人或管理员可以导入")),
        "reviews": Recorder(readiness=Readiness([], [], has_sections=True)),
    }


@pytest.fixture
def client(settings: Settings, fakes: dict[str, Recorder]) -> Iterator[TestClient]:
    with TestClient(create_app(settings, fake_services(settings, **fakes))) as c:
        yield c


def test_routes_call_the_services_of_the_root(
    client: TestClient, fakes: dict[str, Recorder]
) -> None:
    assert client.get("/api/v1/templates", headers=AUTH).json() == [TEMPLATE.model_dump()]
    assert client.get("/api/v1/reports", headers=AUTH).json() == [BRIEF.model_dump()]
    assert ("list_reports", ()) in fakes["reports"].calls
    assert client.get("/api/v1/documents", headers=AUTH).json() == []
    outline = client.get("/api/v1/reports/3/outline", headers=AUTH)
    assert outline.json() == {"template": "假模板", "sections": [], "edited": False}
    assert fakes["outlines"].calls == [("get", (3,))]
    history = client.get("/api/v1/reports/3/chat", headers=AUTH).json()
    assert history == {"messages": [HELLO]}
    removed = client.delete("/api/v1/knowledge/documents/5", headers=AUTH)
    assert removed.status_code == 204 and fakes["knowledge"].calls == [("remove", (5,))]
    status = client.get("/api/v1/reports/3/export-status", headers=AUTH).json()
    assert status == {"ready": True, "unapproved": [], "blocking": []}


def test_a_fake_service_refusal_is_answered_by_the_one_handler(client: TestClient) -> None:
    r = client.get("/api/v1/reports/7", headers=AUTH)
    assert (r.status_code, r.json()) == (
        404,
        {"detail": "没有编号为 7 的报告", "code": "not_found"},
    )
    files = {"file": ("a.docx", b"PK", "application/octet-stream")}
    r = client.post("/api/v1/reports/3/import.docx", headers=AUTH, files=files)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_nobody_signed_in_reaches_no_service(
    client: TestClient, fakes: dict[str, Recorder]
) -> None:
    assert client.get("/api/v1/reports").status_code == 401
    assert fakes["reports"].calls == []


def test_the_root_is_a_context_manager_that_closes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]
    with build_services(settings) as services:
        assert services.reports is services.reports  # built once, then shared
        assert services.chat.drafts is services.drafts  # the chat drafts as the API does
    with pytest.raises(sqlite3.ProgrammingError):  # closed on leaving the block
        services.cache.get_vectors("model", ["hash"])
