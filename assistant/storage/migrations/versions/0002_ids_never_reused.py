"""ids never reused: SQLite tables whose rows are named after deletion become AUTOINCREMENT

Without AUTOINCREMENT SQLite hands out max(id)+1, so deleting the newest report gave its id to
the next one, and with it the deleted report's audit log, review comments and chat proposals.
SQLite cannot change a table's key in place: each table is copied into a new one declared
AUTOINCREMENT (Alembic batch mode), its rows, indexes and foreign keys kept; copying the rows
starts the sequence above the highest id in use (an id deleted before this cannot be known).
PostgreSQL sequences never hand an id out twice: nothing to do there. ``Database.migrate``
turns SQLite's foreign keys off around this (a dropped parent table would otherwise cascade into
its children) and checks them afterwards.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Every table with an integer id that something names after the row is gone (auth_tokens and
# report_reviewers are never referred to by id). Parents before children, so each copy's
# foreign keys point at a table that already has its final shape.
TABLES = (
    "users",
    "reports",
    "facts",
    "sections",
    "section_versions",
    "uploads",
    "chat_sessions",
    "chat_messages",
    "review_decisions",
    "audit_log",
)


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
