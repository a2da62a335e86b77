"""Tables: users and their tokens, reports with facts, sections and versions, uploads, chat,
review decisions and the audit log. Plain SQLAlchemy 2.0 typed mappings; JSON columns hold
structures the domain already defines (provenance, citations, issues)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Ids are never handed out twice: the audit log, review decisions, chat-sourced facts
# (``chat:<message id>``) and knowledge bases (``report-<id>``) name rows that may be deleted,
# and a new row taking a deleted one's id would inherit its history. SQLite reuses the highest
# id after a delete unless the table is AUTOINCREMENT; PostgreSQL sequences never go back.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # drafter | reviewer | admin
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class AuthToken(Base):
    """An opaque bearer or session token; only its SHA-256 is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    expires_at: Mapped[dt.datetime]


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    template: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the fact sheet's report part
    # The user's changes to the proposed outline (assistant/reports/outline.py), or None.
    outline: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now, onupdate=now)

    # The live sections: one the user removed keeps its row (status ``removed``, for the audit
    # log and its versions) but is no longer part of the report (assistant/reports/structure.py).
    sections: Mapped[list[Section]] = relationship(
        back_populates="report",
        order_by="Section.ord",
        cascade="all, delete-orphan",
        primaryjoin="and_(Report.id == Section.report_id, Section.status != 'removed')",
    )
    facts: Mapped[list[FactRow]] = relationship(
        order_by="FactRow.ord", cascade="all, delete-orphan"
    )


class ReportReviewer(Base):
    __tablename__ = "report_reviewers"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class FactRow(Base):
    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("report_id", "key", "status"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    ord: Mapped[int]
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[dict[str, Any]]  # {"v": 12} so strings and numbers keep their type
    unit: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="user")
    status: Mapped[str] = mapped_column(String(16), default="confirmed")  # confirmed | proposed
    origin: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(default=1.0)


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("report_id", "section_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    section_id: Mapped[str] = mapped_column(String(64))
    ord: Mapped[int]
    heading: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(24), default="empty")
    current_version_id: Mapped[int | None] = mapped_column(default=None)
    approved_version_id: Mapped[int | None] = mapped_column(default=None)

    report: Mapped[Report] = relationship(back_populates="sections")


class SectionVersion(Base):
    __tablename__ = "section_versions"
    __table_args__ = (UniqueConstraint("section_pk", "number"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_pk: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # draft | edit | import
    engine: Mapped[str] = mapped_column(String(16), default="")
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    citations: Mapped[list[Any]] = mapped_column(default=list)
    issues: Mapped[list[Any]] = mapped_column(default=list)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class Upload(Base):
    __tablename__ = "uploads"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), default=None
    )
    kb: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    chunks: Mapped[int] = mapped_column(default=0)
    doc_id: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class ChatSession(Base):
    __tablename__ = "chat_sessions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # user | assistant
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class ReviewDecision(Base):
    __tablename__ = "review_decisions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    section_pk: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("section_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(24))  # submit | approve | request_changes
    comment: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    user_id: Mapped[int | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(24))
    object_id: Mapped[int | None] = mapped_column(default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ApiKey(Base):
    """A personal API key for machine clients (``gwk_…``); only its SHA-256 is stored.

    Revoked keys stay as rows (``revoked_at``) so the audit log's ``api_key`` entries keep
    naming something; ``scope`` is ``read`` or ``draft`` (assistant/accounts/api_keys.py)."""

    __tablename__ = "api_keys"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(8))  # read | draft
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[int | None] = mapped_column(default=None)


class KnowledgeFile(Base):
    """A file an admin gave a knowledge base through the API (assistant/knowledge/): its bytes
    (kept so it can be re-indexed, and a failed one retried, without asking for it again),
    what indexing made of it, and why it failed.

    An indexed file also has its :class:`Upload` row (``upload_id``), which the store's chunks
    are reconciled against; deleting that row deletes this one. ``version`` detects two admins
    re-indexing or removing the same file at once (SQLAlchemy's version counter: 409).
    """

    __tablename__ = "knowledge_files"
    __table_args__ = (Index("ix_knowledge_files_kb_sha", "kb", "sha256"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    kb: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(8), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    characters: Mapped[int] = mapped_column(default=0)
    chunks: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16))  # indexed | failed
    code: Mapped[str] = mapped_column(String(32), default="")  # why the last attempt failed
    reason: Mapped[str] = mapped_column(Text, default="")  # the same, in Chinese for the page
    detail: Mapped[str] = mapped_column(Text, default="")  # the parser's own words, for admins
    upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="CASCADE"), default=None
    )
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    indexed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as is)


# The login back-off's counts (assistant/accounts/throttle.py reads and writes them): a plain
# table on the same metadata, here so that storage and its migrations import nothing above them.
login_throttle = Table(
    "login_throttle",
    Base.metadata,
    Column("key", String(255), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_ms", BigInteger, nullable=False, index=True),  # epoch ms of the last attempt
)
