"""The state database on a real PostgreSQL server: migrations, accounts, masked credentials."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from assistant.accounts.service import Accounts
from assistant.cli import app
from assistant.config import Settings
from assistant.services import Services
from assistant.storage.db import Database
from assistant.storage.models import Base
from tests.postgres import Cluster


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _revision(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]


@pytest.mark.slow
def test_migrations_apply_from_empty_and_are_idempotent(postgres_url: str) -> None:
    db = Database(postgres_url)
    try:
        assert db.engine.dialect.name == "postgresql" and db.engine.driver == "psycopg"
        assert _tables(db) == set()
        db.migrate()
        expected = set(Base.metadata.tables) | {"alembic_version"}
        assert _tables(db) == expected
        head = _revision(db)
        assert len(head) == 1
        db.migrate()  # a second start, same process
        assert _tables(db) == expected and _revision(db) == head
    finally:
        db.close()
    again = Database(postgres_url)  # a restart: a new engine on the migrated database
    try:
        again.migrate()
        assert _tables(again) == expected and _revision(again) == head
    finally:
        again.close()


@pytest.mark.slow
def test_workers_starting_at_once_take_turns_to_migrate(postgres_url: str) -> None:
    import threading

    errors: list[BaseException] = []
    dbs = [Database(postgres_url) for _ in range(4)]

    def start(db: Database) -> None:
        try:
            db.migrate()
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        assert _tables(dbs[0]) == set(Base.metadata.tables) | {"alembic_version"}
        assert len(_revision(dbs[0])) == 1
    finally:
        for db in dbs:
            db.close()


@pytest.mark.slow
def test_users_and_tokens_round_trip(postgres_url: str) -> None:
    db = Database(postgres_url)
    db.migrate()
    try:
        accounts = Accounts(db)
        assert accounts.ensure_admin() is not None and accounts.ensure_admin() is None
        dora = accounts.add("dora", "correct-horse-battery", "drafter")
        accounts.add("丽塔", "correct-horse-battery", "reviewer")  # non-ASCII names survive
        listed = {p.username: (p.role, disabled) for p, _, disabled in accounts.list()}
        assert listed == {
            "admin": ("admin", False),
            "dora": ("drafter", False),
            "丽塔": ("reviewer", False),
        }
        assert accounts.authenticate("dora", "correct-horse-battery") == dora
        assert accounts.authenticate("dora", "wrong-password") is None

        token = accounts.issue_token(dora)
        assert accounts.resolve(token) == dora
        accounts.revoke(token)
        assert accounts.resolve(token) is None

        expired = accounts.issue_token(dora, ttl=dt.timedelta(seconds=-1))
        assert accounts.resolve(expired) is None
        live = accounts.issue_token(dora)
        accounts.set_password("dora", "another-long-password")  # ends open sessions
        assert accounts.resolve(live) is None
        assert accounts.authenticate("dora", "another-long-password") == dora
    finally:
        db.close()


@pytest.mark.slow
def test_the_server_wants_the_password(postgres_cluster: Cluster, postgres_url: str) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(postgres_cluster.url(database, password="not-it"), connect_timeout=10)


@pytest.mark.slow
def test_info_masks_the_database_password(
    postgres_cluster: Cluster, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = postgres_cluster.password
    assert f":{password}@" in postgres_url
    masked = Settings(database_url=postgres_url, _env_file=None).masked()  # type: ignore[call-arg]
    # the whole user info goes: a user name can be a key too (https://sk-…@host)
    assert masked["database_url"] == postgres_url.replace(f"assistant:{password}", "********")

    monkeypatch.setenv("ASSISTANT_DATABASE_URL", postgres_url)
    runner = CliRunner()
    for args in (["info"], ["info", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert password not in result.output and "//********@127.0.0.1" in result.output
    values = json.loads(runner.invoke(app, ["info", "--json"]).stdout)
    assert values["database_url"] == masked["database_url"]


def test_the_api_tests_run_on_the_backend_they_name(db_backend: str, services: Services) -> None:
    assert services.db.engine.dialect.name == db_backend
    assert (services.settings.database_url is None) == (db_backend == "sqlite")
