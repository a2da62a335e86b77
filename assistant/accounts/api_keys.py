"""Personal API keys: what machine clients (Open WebUI, Chatbox, scripts) sign in with.

A key is ``gwk_`` and 32 random bytes, shown once when it is made; only its SHA-256 is stored
(it has the entropy of a login token, so a slow password hash would buy nothing). It belongs to
one user and acts with that user's rights, narrowed by its scope: ``read`` (look, search, ask,
check: nothing is written) or ``draft`` (everything the user's role allows). It may expire; its
owner or an admin revokes it, which keeps the row so the audit log still names it. Every
request signed in by a key is written to the audit log (``api_key.use``, with method and path).
Keys do not manage keys: making or revoking one needs the user's own login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.accounts.public import KeyPublic
from assistant.accounts.service import Principal
from assistant.errors import Forbidden, Invalid, NotFound
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import ApiKey, User, now

Scope = Literal["read", "draft"]
SCOPES: tuple[str, ...] = get_args(Scope)
SCOPE_LABELS = {"read": "只读", "draft": "读取和起草"}
KEY_PREFIX = "gwk_"
SHOWN_PREFIX = 12  # characters of the key kept in clear, so a list can tell keys apart
MAX_NAME = 64
MAX_KEYS = 50  # live keys per user
MAX_DAYS = 3650


class ApiKeyError(Invalid, code="api_key"):
    """A key cannot be made as asked; the message says why."""


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    """Whether a bearer token is meant as an API key (else it is a login token)."""
    return token.startswith(KEY_PREFIX)


def expiry(days: int | None, *, start: dt.datetime | None = None) -> dt.datetime | None:
    """The moment a key made now with ``days`` of life expires; ``None``: never."""
    if days is None:
        return None
    if not 1 <= days <= MAX_DAYS:
        raise ApiKeyError(f"有效期须为 1 到 {MAX_DAYS} 天，或不设")
    return (start or now()) + dt.timedelta(days=days)


def _iso(at: dt.datetime | None) -> str | None:
    return at.replace(tzinfo=dt.UTC).isoformat() if at is not None else None


@dataclass(frozen=True)
class KeyInfo:
    """A key as its owner (or an admin) sees it: never the secret."""

    id: int
    name: str
    prefix: str
    scope: str
    owner: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now():
            return "expired"
        return "active"

    def public(self) -> KeyPublic:
        return KeyPublic(
            id=self.id,
            name=self.name,
            prefix=self.prefix,
            scope=self.scope,
            owner=self.owner,
            status=self.status,
            created_at=_iso(self.created_at),
            expires_at=_iso(self.expires_at),
            last_used_at=_iso(self.last_used_at),
            revoked_at=_iso(self.revoked_at),
        )


def _info(row: ApiKey, owner: str) -> KeyInfo:
    return KeyInfo(
        row.id,
        row.name,
        row.prefix,
        row.scope,
        owner,
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked_at,
    )


class ApiKeys:
    def __init__(self, db: Database) -> None:
        self.db = db

    def owner(self, username: str) -> Principal:
        """The user a key is made for by name (the command line)."""
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"没有用户 {username!r}")
            return Principal(user.id, user.username, user.role)

    def create(
        self, owner: Principal, *, name: str, scope: str, expires_at: dt.datetime | None = None
    ) -> tuple[KeyInfo, str]:
        """A new key of ``owner``'s: its listing and the secret, which is shown this once."""
        if owner.key_id is not None:
            raise Forbidden("API 密钥不能用来创建密钥：请登录后创建")
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME or not name.isprintable():
            raise ApiKeyError(f"密钥名称须为 1 到 {MAX_NAME} 个可打印字符")
        if scope not in SCOPES:
            raise ApiKeyError(f"权限范围须为 {' 或 '.join(SCOPES)}（只读 / 读取和起草）")
        if expires_at is not None and expires_at <= now():
            raise ApiKeyError("有效期须在将来")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.db.session() as s:
            live = s.scalar(
                select(func.count(ApiKey.id)).where(
                    ApiKey.user_id == owner.id, ApiKey.revoked_at.is_(None)
                )
            )
            if (live or 0) >= MAX_KEYS:
                raise ApiKeyError(f"每个用户最多 {MAX_KEYS} 个未吊销的密钥：请先吊销不用的")
            row = ApiKey(
                user_id=owner.id,
                name=name,
                prefix=secret[:SHOWN_PREFIX],
                key_hash=key_hash(secret),
                scope=scope,
                expires_at=expires_at,
            )
            s.add(row)
            s.flush()
            record(
                s,
                user_id=owner.id,
                action="api_key.create",
                object_type="api_key",
                object_id=row.id,
                detail={"name": name, "scope": scope, "expires_at": _iso(expires_at)},
            )
            return _info(row, owner.username), secret

    def list(self, viewer: Principal | None, *, everyone: bool = False) -> list[KeyInfo]:
        """The viewer's keys, newest first; with ``everyone`` (admins only) every user's.
        ``viewer`` None is the command line, run by whoever runs the service: every key."""
        if everyone and viewer is not None and not viewer.is_admin:
            raise Forbidden("只有管理员可以查看所有用户的密钥")
        with self.db.session() as s:
            query = select(ApiKey, User.username).join(User, User.id == ApiKey.user_id)
            if viewer is not None and not everyone:
                query = query.where(ApiKey.user_id == viewer.id)
            rows = s.execute(query.order_by(ApiKey.id.desc())).all()
            return [_info(row, username) for row, username in rows]

    def revoke(self, actor: Principal | None, key_id: int) -> KeyInfo:
        """Revoke a key: its owner's or, for an admin (or the command line, ``actor`` None),
        anyone's. Another user's key is :class:`NotFound` (its existence is not disclosed);
        revoking twice changes nothing."""
        if actor is not None and actor.key_id is not None:
            raise Forbidden("API 密钥不能用来吊销密钥：请登录后操作")
        with self.db.session() as s:
            row = s.get(ApiKey, key_id)
            allowed = (
                actor is None or actor.is_admin or (row is not None and row.user_id == actor.id)
            )
            if row is None or not allowed:
                raise NotFound(f"没有密钥 {key_id}")
            if row.revoked_at is None:
                row.revoked_at = now()
                row.revoked_by = actor.id if actor is not None else None
                record(
                    s,
                    user_id=actor.id if actor is not None else None,
                    action="api_key.revoke",
                    object_type="api_key",
                    object_id=row.id,
                    detail={
                        "name": row.name,
                        "owner_id": row.user_id,
                        "by": "cli" if actor is None else "api",
                    },
                )
            owner = s.get(User, row.user_id)
            return _info(row, owner.username if owner else "")

    def resolve(
        self, secret: str, *, method: str = "", path: str = "", record: bool = True
    ) -> Principal | None:
        """The user a live key signs in, narrowed by its scope; the use goes to the audit log
        unless ``record`` is false (the caller then writes it with :func:`record_use`, in the
        transaction of the work it does). ``None`` for an unknown, revoked or expired key, or a
        disabled user."""
        with self.db.session() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash(secret)))
            if row is None or row.revoked_at is not None:
                return None
            if row.expires_at is not None and row.expires_at <= now():
                return None
            user = s.get(User, row.user_id)
            if user is None or user.disabled:
                return None
            principal = Principal(
                user.id, user.username, user.role, key_id=row.id, read_only=row.scope == "read"
            )
            if record:
                record_use(s, principal, method=method, path=path)
            return principal

    def note_use(self, user: Principal, *, method: str, path: str, **detail: Any) -> None:
        """:func:`record_use` in a transaction of its own."""
        with self.db.session() as s:
            record_use(s, user, method=method, path=path, **detail)


def record_use(s: Session, user: Principal, *, method: str, path: str, **detail: Any) -> None:
    """One use of ``user``'s key: its ``last_used_at`` and an ``api_key.use`` audit row (method,
    path, scope and whatever the work adds, e.g. the report). Nothing for a login token."""
    if user.key_id is None:
        return
    row = s.get(ApiKey, user.key_id)
    if row is not None:
        row.last_used_at = now()
    record(
        s,
        user_id=user.id,
        action="api_key.use",
        object_type="api_key",
        object_id=user.key_id,
        detail={
            "method": method,
            "path": path[:200],
            "scope": "read" if user.read_only else "draft",
            **detail,
        },
    )
