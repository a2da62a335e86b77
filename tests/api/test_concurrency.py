"""Concurrent changes to one section: a stale base is 409 with the current version, version
numbers never collide, concurrent drafts end saved, unchanged or 409 — never a 500.

Threads start together at a barrier and hit the app through the TestClient (its requests run
concurrently on the app's event loop and thread pool) and through real uvicorn workers on
127.0.0.1, two of them over one database as the scale-out set-up runs. Each test runs on SQLite
and, marked slow, on a throwaway PostgreSQL server (``tests/api/conftest.py``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services, build_services
from tests.api.conftest import PASSWORD, USERS, login
from tests.api.test_reports import SHEET, parse_events
from tests.integration.servers import free_port, together

pytestmark = pytest.mark.timeout(180)
T = TypeVar("T")
SECTION = "work_1"


def new_report(client: TestClient | httpx.Client, h: dict[str, str]) -> int:
    r = client.post("/api/v1/reports", json=SHEET, headers=h)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def section_path(rid: int) -> str:
    return f"/api/v1/reports/{rid}/sections/{SECTION}"


def text(i: int) -> str:
    return f"县委召开常委会议12次，派出巡回指导组6个。第{i + 1}稿补充了组织领导的做法。"


def numbers(client: TestClient | httpx.Client, h: dict[str, str], rid: int) -> list[int]:
    versions = client.get(f"{section_path(rid)}/versions", headers=h).json()
    return sorted(v["version"] for v in versions)


@pytest.fixture
def dora(client: TestClient) -> dict[str, str]:
    return login(client, "dora")


def test_sixteen_edits_from_one_base_one_wins_the_rest_are_409(
    client: TestClient, dora: dict[str, str]
) -> None:
    rid = new_report(client, dora)
    first = client.put(section_path(rid), json={"text": text(100)}, headers=dora)
    assert first.status_code == 200 and first.json()["version"] == 1
    assert first.headers["ETag"] == '"1"'

    def edit(i: int) -> httpx.Response:
        body = {"text": text(i), "base_version": 1}
        return client.put(section_path(rid), json=body, headers=dora)

    answers = together(16, edit)
    assert Counter(r.status_code for r in answers) == {200: 1, 409: 15}
    (won,) = [r for r in answers if r.status_code == 200]
    assert won.json()["version"] == 2 and won.json()["unchanged"] is False
    for r in answers:
        if r.status_code == 409:
            detail = r.json()["detail"]
            assert detail["code"] == "stale_base" and detail["base_version"] == 1
            assert detail["current_version"] == 2
            assert detail["current_version_id"] == won.json()["version_id"]
            assert detail["message"] == "该部分已被他人修改（当前第2版），请刷新后再改"
    assert numbers(client, dora, rid) == [1, 2]


def test_edits_each_from_a_fresh_base_are_all_kept(
    client: TestClient, dora: dict[str, str]
) -> None:
    rid = new_report(client, dora)

    def edit_until_saved(i: int) -> list[int]:
        conflicts = []
        while True:
            report = client.get(f"/api/v1/reports/{rid}", headers=dora).json()
            section = next(s for s in report["sections"] if s["id"] == SECTION)
            base = section["current_version"]["version"] if section["current_version"] else 0
            r = client.put(
                section_path(rid), json={"text": text(i)}, headers={**dora, "If-Match": f'"{base}"'}
            )
            if r.status_code == 200:
                return [r.json()["version"], len(conflicts)]
            assert r.status_code == 409, r.text
            conflicts.append(r.json()["detail"]["current_version"])

    saved = together(8, edit_until_saved)
    assert sorted(v for v, _ in saved) == list(range(1, 9))
    assert numbers(client, dora, rid) == list(range(1, 9))
    versions = client.get(f"{section_path(rid)}/versions", headers=dora).json()
    texts = {
        client.get(f"{section_path(rid)}/versions/{v['id']}", headers=dora).json()["text"]
        for v in versions
    }
    assert texts == {text(i) for i in range(8)}  # no edit was lost


def test_edits_without_a_base_all_get_their_own_number(
    client: TestClient, dora: dict[str, str]
) -> None:
    """Old clients name no base: last writer wins, as before, but never a 500."""
    rid = new_report(client, dora)
    answers = together(
        12, lambda i: client.put(section_path(rid), json={"text": text(i)}, headers=dora)
    )
    assert [r.status_code for r in answers] == [200] * 12
    assert sorted(r.json()["version"] for r in answers) == list(range(1, 13))


def test_a_bad_or_disagreeing_base_is_422(client: TestClient, dora: dict[str, str]) -> None:
    rid = new_report(client, dora)
    r = client.put(section_path(rid), json={"text": "甲。"}, headers={**dora, "If-Match": "abc"})
    assert r.status_code == 422 and "If-Match" in r.json()["detail"]
    r = client.put(
        section_path(rid),
        json={"text": "甲。", "base_version": 0},
        headers={**dora, "If-Match": '"1"'},
    )
    assert r.status_code == 422 and "disagree" in r.json()["detail"]
    r = client.put(section_path(rid), json={"text": "甲。", "base_version": -1}, headers=dora)
    assert r.status_code == 422
    r = client.put(section_path(rid), json={"text": "甲。", "base_version": 3}, headers=dora)
    assert r.status_code == 409 and r.json()["detail"]["current_version"] == 0
    r = client.put(section_path(rid), json={"text": "甲。", "base_version": 0}, headers=dora)
    assert r.status_code == 200 and r.json()["version"] == 1


def draft_outcome(r: httpx.Response) -> str:
    """``saved`` | ``unchanged`` | ``conflict`` — or what went wrong, for the assertion."""
    if r.status_code == 409:
        return "conflict"
    if r.status_code != 200:
        return f"HTTP {r.status_code}: {r.text[:200]}"
    name, data = parse_events(r.text)[-1]
    if name == "done":
        return "unchanged" if data["unchanged"] else "saved"
    if name == "error" and data.get("status") == 409:
        assert data["code"] == "stale_base" and data["detail"].startswith("该部分已被他人修改")
        return "conflict"
    return f"{name}: {data}"


def test_ten_concurrent_drafts_of_one_section_save_once(
    client: TestClient, dora: dict[str, str]
) -> None:
    rid = new_report(client, dora)
    answers = together(
        10, lambda i: client.post(f"{section_path(rid)}/draft", json={}, headers=dora)
    )
    outcomes = Counter(draft_outcome(r) for r in answers)
    assert set(outcomes) <= {"saved", "unchanged", "conflict"}, outcomes
    assert outcomes["saved"] == 1
    assert all("internal error" not in r.text for r in answers)
    assert numbers(client, dora, rid) == [1]


def test_drafts_racing_edits_never_500(client: TestClient, dora: dict[str, str]) -> None:
    rid = new_report(client, dora)

    def work(i: int) -> httpx.Response:
        if i % 2:
            return client.post(f"{section_path(rid)}/draft", json={"overwrite": True}, headers=dora)
        return client.put(section_path(rid), json={"text": text(i)}, headers=dora)

    answers = together(10, work)
    assert all(r.status_code in (200, 409) for r in answers), [r.status_code for r in answers]
    assert all("internal error" not in r.text for r in answers)
    got = numbers(client, dora, rid)
    assert got == list(range(1, len(got) + 1))


# -- real workers -----------------------------------------------------------------------------


class Worker:
    """An ``assistant serve`` worker in a thread: uvicorn on a free port of 127.0.0.1."""

    def __init__(self, settings: Settings, services: Services) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(settings, services), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}")

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        for _ in range(400):
            if self.server.started:
                break
            self.thread.join(0.05)
        assert self.server.started, "uvicorn did not start"
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def workers(settings: Settings, services: Services) -> Iterator[list[httpx.Client]]:
    """Two workers, each with its own services (engine, pool), on one state database."""
    for name, role in USERS.items():
        services.accounts.add(name, PASSWORD, role)
    other = build_services(settings)
    try:
        with Worker(settings, services) as a, Worker(settings, other) as b:
            yield [a, b]
    finally:
        other.close()


def test_across_two_workers_one_base_one_winner_and_drafts_never_500(
    workers: list[httpx.Client],
) -> None:
    a, b = workers
    r = a.post("/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
    h = {"Authorization": f"Bearer {r.json()['access_token']}"}
    rid = new_report(a, h)
    assert b.put(section_path(rid), json={"text": text(100)}, headers=h).status_code == 200

    def edit(i: int) -> httpx.Response:
        worker = workers[i % 2]
        return worker.put(section_path(rid), json={"text": text(i), "base_version": 1}, headers=h)

    answers = together(16, edit)
    assert Counter(r.status_code for r in answers) == {200: 1, 409: 15}
    assert {r.json()["detail"]["current_version"] for r in answers if r.status_code == 409} == {2}

    rid = new_report(b, h)
    drafts: list[Any] = together(
        10, lambda i: workers[i % 2].post(f"{section_path(rid)}/draft", json={}, headers=h)
    )
    outcomes = Counter(draft_outcome(r) for r in drafts)
    assert set(outcomes) <= {"saved", "unchanged", "conflict"} and outcomes["saved"] == 1, outcomes
    assert numbers(a, h, rid) == [1]
