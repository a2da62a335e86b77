"""Which knowledge bases a user may search or add to, and whether a report has one yet
(assistant.reports.access), over a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.domain import CORPUS
from assistant.errors import Forbidden, Invalid, NotFound
from assistant.reports.access import kb_report, knowledge_base, report_kb, uploads_kb
from assistant.storage.db import Database
from assistant.storage.models import Report, ReportReviewer, User

ROLES = {"dora": "drafter", "rita": "reviewer", "ada": "admin", "dan": "drafter"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Session, dict[str, Principal], int]]:
    db = Database(f"sqlite:///{tmp_path / 'state.db'}")
    db.migrate()
    with db.session() as s:
        users = {}
        for name, role in ROLES.items():
            row = User(username=name, password_hash="-", role=role)
            s.add(row)
            s.flush()
            users[name] = Principal(row.id, name, role)
        report = Report(owner_id=users["dora"].id, template="工作情况汇报")
        s.add(report)
        s.flush()
        s.add(ReportReviewer(report_id=report.id, user_id=users["rita"].id))
        s.flush()
        yield s, users, report.id
    db.close()


def test_a_report_is_searched_by_its_readers_and_added_to_by_its_writers(
    world: tuple[Session, dict[str, Principal], int],
) -> None:
    s, u, rid = world
    for name in ("dora", "rita", "ada"):
        assert knowledge_base(s, u[name], report_id=rid, kb=None) == report_kb(rid)
    with pytest.raises(NotFound):
        knowledge_base(s, u["dan"], report_id=rid, kb=None)  # not disclosed
    assert knowledge_base(s, u["dora"], report_id=rid, kb=None, write=True) == report_kb(rid)
    with pytest.raises(Forbidden):
        knowledge_base(s, u["rita"], report_id=rid, kb=None, write=True)


def test_the_corpus_is_everyones_to_search_and_admins_to_add_to(
    world: tuple[Session, dict[str, Principal], int],
) -> None:
    s, u, _ = world
    for name in ROLES:
        assert knowledge_base(s, u[name], report_id=None, kb=None) == CORPUS
        assert knowledge_base(s, u[name], report_id=None, kb=CORPUS) == CORPUS
    assert knowledge_base(s, u["ada"], report_id=None, kb=None, write=True) == CORPUS
    with pytest.raises(Forbidden, match="only admins"):
        knowledge_base(s, u["dora"], report_id=None, kb=CORPUS, write=True)


def test_other_knowledge_bases_are_admins_to_search_and_nobodys_to_add_to(
    world: tuple[Session, dict[str, Principal], int],
) -> None:
    s, u, rid = world
    assert knowledge_base(s, u["ada"], report_id=None, kb="policies") == "policies"
    with pytest.raises(NotFound, match="unknown knowledge base 'policies'"):
        knowledge_base(s, u["dora"], report_id=None, kb="policies")
    # By name a report's knowledge base is only an admin's to search, never anyone's to add to.
    with pytest.raises(NotFound):
        knowledge_base(s, u["dora"], report_id=None, kb=report_kb(rid))
    with pytest.raises(Invalid, match="kb may only be 'corpus'"):
        knowledge_base(s, u["ada"], report_id=None, kb=report_kb(rid), write=True)


def test_a_report_has_a_knowledge_base_once_something_was_indexed() -> None:
    assert uploads_kb(7, [CORPUS]) is None
    assert uploads_kb(7, [CORPUS, report_kb(7)]) == "report-7"
    assert kb_report(report_kb(7)) == 7
    assert kb_report(CORPUS) is None and kb_report("report-x") is None
