"""The database: engine, sessions, and migrations applied at start.

SQLite (the default, in the data dir) runs in WAL mode with foreign keys on, so readers never
wait for the writer; PostgreSQL is one URL away (``ASSISTANT_DATABASE_URL``). Alembic migrations
in ``migrations/`` run on start-up (``Database.migrate``): a new installation and an old one
end at the same schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x676F6E6777656E  # any constant shared by every worker ("gongwen")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")  # wait for the writer instead of failing at once
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the latest revision (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            with conn.begin():
                if sqlite:
                    # Migrations that copy a table (SQLite's only way to change a key) drop the
                    # old one, and with foreign keys on that deletes its children by cascade.
                    # The pragma works only outside a transaction: the first statement here.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                if conn.dialect.name == "postgresql":
                    # Several workers starting at once on a new database: one migrates, the
                    # others wait for it and then find nothing to do (released at commit).
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left rows without a parent: {broken[:5]}")
            if sqlite:  # this connection goes back to the pool: with foreign keys on again
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back when it raises."""
        with self._sessions() as s, s.begin():
            yield s

    def close(self) -> None:
        self.engine.dispose()
