"""Login back-off in the database: one row per user name or client address

Every worker on the database sees the same counts (``assistant/accounts/throttle.py``); before,
each process counted on its own, so two workers doubled an attacker's budget.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table: plain CREATE TABLE, nothing existing is copied (batch mode would lose the
    # AUTOINCREMENT of 0002).
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_ms", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_login_throttle_last_ms", "login_throttle", ["last_ms"])


def downgrade() -> None:
    op.drop_index("ix_login_throttle_last_ms", table_name="login_throttle")
    op.drop_table("login_throttle")
