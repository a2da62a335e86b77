"""Knowledge-base files: what admins add to the corpus from the page, kept for re-indexing

One row per file given to a knowledge base through ``/api/v1/knowledge`` (indexed or failed),
with its bytes, so it can be re-indexed or a failure retried (``assistant/knowledge/``).

Revision ID: 0006_kb
Revises: 0005
Create Date: 2026-12-04 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_kb"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table: plain CREATE TABLE, AUTOINCREMENT as 0002 made every named table (the
    # audit log names knowledge files by id after they are removed).
    op.create_table(
        "knowledge_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kb", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["uploads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_knowledge_files_kb_sha", "knowledge_files", ["kb", "sha256"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_files_kb_sha", table_name="knowledge_files")
    op.drop_table("knowledge_files")
