"""A report's edited outline: the sections' points and fact assignment the user changed

Null until the user edits the outline; drafts then follow it (assistant/reports/outline.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would copy the table and lose its AUTOINCREMENT (0002).
    op.add_column("reports", sa.Column("outline", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("outline")
