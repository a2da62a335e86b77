"""The first admin when workers start at once on a new database: one creates it, none fails.

Each worker finds no users and goes to create ``admin``; the other worker's admin appears in
between (here: while this one hashes the password, or between its count and its insert). The
loser must start without an admin of its own instead of dying on the unique user name
(``tests/integration/test_scale_out.py`` runs the real thing: two ``assistant serve`` on one
PostgreSQL database).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.accounts import service
from assistant.accounts.service import Accounts
from assistant.storage.db import Database


@pytest.fixture
def two_workers(tmp_path: Path) -> tuple[Accounts, Accounts]:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    first, second = Database(url), Database(url)
    first.migrate()
    return Accounts(first), Accounts(second)


def _usernames(accounts: Accounts) -> list[str]:
    return [p.username for p, _, _ in accounts.list()]


def test_the_other_worker_inserts_admin_while_this_one_hashes(
    two_workers: tuple[Accounts, Accounts], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, other = two_workers
    real = service._hasher
    won: list[tuple[str, str] | None] = []

    class Racing:
        """The real hasher; its first hash lets the other worker create the admin first."""

        raced = False

        def hash(self, password: str) -> str:
            if not self.raced:
                self.raced = True  # before: the other worker's own hash comes through here
                won.append(other.ensure_admin())
            return real.hash(password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(service, "_hasher", Racing())
    assert mine.ensure_admin() is None  # its insert lost on the unique name: no error
    assert won[0] is not None and won[0][0] == "admin"
    assert _usernames(mine) == ["admin"]
    assert mine.authenticate("admin", won[0][1]) is not None  # the winner's password holds


def test_the_other_worker_commits_admin_between_count_and_insert(
    two_workers: tuple[Accounts, Accounts],
) -> None:
    _, other = two_workers
    won: list[tuple[str, str] | None] = []

    class Late(Accounts):
        def count(self) -> int:
            if not won:  # this worker counted no users; then the other one made the admin
                won.append(other.ensure_admin())
                return 0
            return super().count()

    mine = Late(other.db)
    assert mine.ensure_admin() is None  # "user 'admin' exists": no error either
    assert won[0] is not None and _usernames(mine) == ["admin"]


def test_a_real_failure_to_create_the_admin_still_raises(
    two_workers: tuple[Accounts, Accounts], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, _ = two_workers

    def refuse(*_: object, **__: object) -> None:
        raise service.AccountError("refused")

    monkeypatch.setattr(mine, "add", refuse)
    with pytest.raises(service.AccountError, match="refused"):
        mine.ensure_admin()
