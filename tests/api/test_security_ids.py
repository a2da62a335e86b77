"""Issue 18, item 1: a deleted report's id (and its sections', versions' …) is never handed out
again, so nothing of its history reaches the next report; the chat's fact proposals re-check the
report in the transaction that writes them.

On the old schema SQLite gave bob's new report carol's deleted id, and his audit log showed her
title, the reviewer's comment and her edits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.chat.service import ChatService
from assistant.drafting.extract import Extraction, FactExtractor
from assistant.reports.drafting import DraftService
from assistant.reports.service import ReportService
from assistant.services import Services
from assistant.storage.db import MIGRATIONS, Database
from assistant.storage.models import AuditEntry, ChatMessage, FactRow
from tests.api.conftest import PASSWORD, login
from tests.api.test_reports import SHEET

CAROL_TITLE = "中共白沙县委关于2024年巡察整改情况的报告"


@pytest.fixture
def people(client: TestClient, services: Services) -> dict[str, dict[str, str]]:
    services.accounts.add("carol", PASSWORD, "drafter")
    services.accounts.add("bob", PASSWORD, "drafter")
    return {name: login(client, name) for name in ("carol", "bob", "rita")}


def carols_report_with_history(client: TestClient, h: dict[str, dict[str, str]]) -> int:
    """A report with audit entries, a version and a reviewer's comment, as in the issue."""
    sheet = {**SHEET, "report": {**SHEET["report"], "title": CAROL_TITLE}, "reviewers": ["rita"]}
    r = client.post("/api/v1/reports", json=sheet, headers=h["carol"])
    assert r.status_code == 201, r.text
    rid: int = r.json()["id"]
    section = f"/api/v1/reports/{rid}/sections/work_1"
    assert client.put(section, json={"text": "召开常委会议12次。"}, headers=h["carol"]).is_success
    submit = client.post(f"{section}/review", json={"action": "submit"}, headers=h["carol"])
    assert submit.status_code == 200, submit.text
    comment = {"action": "request_changes", "comment": "白沙县的数字要核实"}
    assert client.post(f"{section}/review", json=comment, headers=h["rita"]).status_code == 200
    audit = client.get(f"/api/v1/reports/{rid}/audit", headers=h["carol"]).json()
    assert len(audit) >= 4
    return rid


def test_a_new_report_never_gets_a_deleted_reports_id_or_history(
    client: TestClient, services: Services, people: dict[str, dict[str, str]]
) -> None:
    old = carols_report_with_history(client, people)
    old_sections = client.get(f"/api/v1/reports/{old}", headers=people["carol"]).json()
    assert client.delete(f"/api/v1/reports/{old}", headers=people["carol"]).status_code == 204

    r = client.post("/api/v1/reports", json=SHEET, headers=people["bob"])
    assert r.status_code == 201
    new = r.json()
    assert new["id"] != old and new["id"] > old
    audit = client.get(f"/api/v1/reports/{new['id']}/audit", headers=people["bob"]).json()
    assert [e["action"] for e in audit] == ["create"]
    assert all(e["username"] == "bob" for e in audit)
    assert CAROL_TITLE not in str(audit) and "白沙县" not in str(audit)
    section = f"/api/v1/reports/{new['id']}/sections/work_1"
    assert client.get(f"{section}/reviews", headers=people["bob"]).json() == []
    assert client.get(f"{section}/versions", headers=people["bob"]).json() == []
    # bob's first edit is version 1 of a section that has nothing of carol's
    assert client.put(section, json={"text": "召开会议3次。"}, headers=people["bob"]).is_success
    versions = client.get(f"{section}/versions", headers=people["bob"]).json()
    assert [v["version"] for v in versions] == [1]
    old_version_ids = {
        s["current_version"]["id"] for s in old_sections["sections"] if s["current_version"]
    }
    assert versions[0]["id"] not in old_version_ids

    # The audit log keeps what happened to carol's report for the admin (it is not erased).
    ada = login(client, "ada")
    assert client.get(f"/api/v1/reports/{old}/audit", headers=ada).status_code == 404
    with services.db.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "report", AuditEntry.object_id == old
            )
        ).all()
        assert {e.action for e in entries} >= {"create", "report.delete"}


class DeletingExtractor:
    """The real extractor, but the report is deleted while it "thinks" (a slow LLM call)."""

    def __init__(self, inner: FactExtractor, delete: Any) -> None:
        self.inner = inner
        self.delete = delete

    def propose(self, message: str, *, message_id: str, template: str) -> Extraction:
        result = self.inner.propose(message, message_id=message_id, template=template)
        self.delete()
        return result


def test_chat_proposals_for_a_report_deleted_meanwhile_are_dropped(
    client: TestClient, services: Services, people: dict[str, dict[str, str]]
) -> None:
    carol = services.accounts.resolve(people["carol"]["Authorization"].split()[1])
    assert carol is not None
    rid = client.post("/api/v1/reports", json=SHEET, headers=people["carol"]).json()["id"]
    reports = ReportService(services.db, services.templates)

    def delete() -> None:
        reports.delete(carol, rid, drop_uploads=lambda kb: None)

    chat = ChatService(
        services.db,
        services.templates,
        DraftService(services.db, services.templates, services.drafter, store=services.store),
        DeletingExtractor(services.extractor, delete),  # type: ignore[arg-type]
        services.searcher,
        services.store,
        services.checker,
    )
    job = chat.prepare(carol, rid, "今年开了8次中心组学习，办实事120件")
    assert [s.action for s in chat.plan(job)[0]] == ["facts"]
    events: list[tuple[str, dict[str, Any]]] = []
    chat.run(job, lambda name, data: events.append((name, data)))

    with services.db.session() as s:
        assert s.scalars(select(FactRow).where(FactRow.report_id == rid)).all() == []
        assert s.scalars(select(ChatMessage)).all() == []  # its chat went with the report
    assert ("error", {"detail": "报告已被删除或您已无权访问，本条消息未保存。"}) in events
    assert events[-1][0] == "done" and events[-1][1]["proposed"] == []
    # and a new report, whatever its id, has no proposals from that message
    new = client.post("/api/v1/reports", json=SHEET, headers=people["bob"]).json()["id"]
    facts = client.get(f"/api/v1/reports/{new}/facts", headers=people["bob"]).json()
    assert facts["proposed"] == []


def test_the_migration_keeps_rows_and_makes_ids_never_reused(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:  # an installation from before: schema 0001 with data
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql(
            "INSERT INTO users (id, username, password_hash, role, disabled, created_at) "
            "VALUES (1, 'carol', 'x', 'drafter', 0, '2024-01-01')"
        )
        for rid in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO reports (id, owner_id, template, title, meta, created_at, "
                f"updated_at) VALUES ({rid}, 1, 't', 'r{rid}', '{{}}', '2024-01-01', "
                "'2024-01-01')"
            )
            conn.exec_driver_sql(
                "INSERT INTO sections (report_id, section_id, ord, heading, status) "
                f"VALUES ({rid}, 's', 0, '', 'empty')"
            )
    db.migrate()  # the app's own start-up path
    with db.engine.connect() as conn:
        # the copy kept every row (a dropped parent did not cascade into its children)
        assert conn.exec_driver_sql("SELECT count(*) FROM sections").scalar() == 2
        ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name='reports'").scalar()
        assert "AUTOINCREMENT" in str(ddl)
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM reports WHERE id = 2")  # cascades, as before
        assert conn.exec_driver_sql("SELECT count(*) FROM sections").scalar() == 1
        conn.exec_driver_sql(
            "INSERT INTO reports (owner_id, template, title, meta, created_at, updated_at) "
            "VALUES (1, 't', 'new', '{}', '2024-01-01', '2024-01-01')"
        )
        new_id = conn.exec_driver_sql("SELECT id FROM reports WHERE title='new'").scalar()
    assert new_id == 3
    db.migrate()  # idempotent
    db.close()
