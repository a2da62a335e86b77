"""Accounts: users with a role, argon2 password hashes, opaque login tokens.

A token is 32 random bytes shown once to the client; only its SHA-256 is stored, so a copy of
the database cannot be used to log in. There is no default password anywhere: the first start
with no users creates an admin with a random password that is printed once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.errors import Conflict, Invalid, WithCode
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import AuthToken, User, now

Role = Literal["drafter", "reviewer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
MIN_PASSWORD = 10
TOKEN_TTL = dt.timedelta(hours=12)
_hasher = PasswordHasher()


ROLE_LABELS = {"drafter": "起草人", "reviewer": "审核人", "admin": "管理员"}


class AccountError(WithCode, Invalid, code="account"):
    """A user cannot be created or changed; the message says why."""


class UserExists(WithCode, Conflict, code="user_exists"):
    """The user name is taken (names are unique, also against disabled users)."""


@dataclass(frozen=True)
class Principal:
    """The user behind a request: what authorisation decisions need."""

    id: int
    username: str
    role: str
    # Signed in by a personal API key (assistant/accounts/api_keys.py): which one, and whether
    # its scope is read-only (then nothing may be written, whatever the role allows).
    key_id: int | None = None
    read_only: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _principal(user: User) -> Principal:
    return Principal(user.id, user.username, user.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD} 个字符")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(
            f"角色须为 {'、'.join(f'{r}（{ROLE_LABELS[r]}）' for r in ROLES)}，不能是 {role!r}"
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def create_user(s: Session, username: str, password: str, role: str) -> User:
    """A new user row in ``s`` (checked: name, role, password length, name not taken)."""
    username = username.strip()
    if not username or len(username) > 64 or not username.isprintable():
        raise AccountError("用户名须为 1–64 个可打印字符")
    check_role(role)
    check_password(password)
    if s.scalar(select(User).where(User.username == username)) is not None:
        raise UserExists(f"用户名 {username!r} 已存在，请换一个")
    user = User(username=username, password_hash=hash_password(password), role=role)
    s.add(user)
    try:
        s.flush()
    except IntegrityError as exc:  # taken meanwhile by another writer: the same answer
        raise UserExists(f"用户名 {username!r} 已存在，请换一个") from exc
    return user


def end_sessions(s: Session, user_id: int, *, keep: str | None = None) -> int:
    """Delete the user's login tokens (page sessions and bearer tokens), but ``keep``'s."""
    where = AuthToken.user_id == user_id
    if keep is not None:
        where = where & (AuthToken.token_hash != _token_hash(keep))
    result = s.execute(delete(AuthToken).where(where))
    return int(getattr(result, "rowcount", 0) or 0)


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, username: str, password: str, role: str, *, by: str = "cli") -> Principal:
        """A user made outside the API (the command line, the first start): audited as such."""
        with self.db.session() as s:
            user = create_user(s, username, password, role)
            record(
                s,
                user_id=None,
                action="user.add",
                object_type="user",
                object_id=user.id,
                detail={"username": user.username, "role": role, "by": by},
            )
            return _principal(user)

    def list(self) -> list[tuple[Principal, dt.datetime, bool]]:
        with self.db.session() as s:
            users = s.scalars(select(User).order_by(User.username)).all()
            return [(_principal(u), u.created_at, u.disabled) for u in users]

    def count(self) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(User.id)).all())

    def set_password(self, username: str, password: str, *, by: str = "cli") -> None:
        check_password(password)
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountError(f"没有用户 {username!r}")
            user.password_hash = hash_password(password)
            ended = end_sessions(s, user.id)  # log out everywhere
            record(
                s,
                user_id=None,
                action="user.password_reset",
                object_type="user",
                object_id=user.id,
                detail={"username": user.username, "sessions_ended": ended, "by": by},
            )

    def authenticate(self, username: str, password: str) -> Principal | None:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or user.disabled:
                _hasher.hash(password)  # same work either way: no user enumeration by timing
                return None
            if not password_matches(user, password):
                return None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            return _principal(user)

    def issue_token(self, user: Principal, ttl: dt.timedelta = TOKEN_TTL) -> str:
        token = secrets.token_urlsafe(32)
        with self.db.session() as s:
            s.execute(delete(AuthToken).where(AuthToken.expires_at < now()))
            s.add(AuthToken(user_id=user.id, token_hash=_token_hash(token), expires_at=now() + ttl))
        return token

    def resolve(self, token: str) -> Principal | None:
        with self.db.session() as s:
            row = s.scalar(select(AuthToken).where(AuthToken.token_hash == _token_hash(token)))
            if row is None or row.expires_at < now():
                return None
            user = s.get(User, row.user_id)
            if user is None or user.disabled:
                return None
            return _principal(user)

    def revoke(self, token: str) -> None:
        with self.db.session() as s:
            s.execute(delete(AuthToken).where(AuthToken.token_hash == _token_hash(token)))

    def ensure_admin(self) -> tuple[str, str] | None:
        """On a first start with no users, an admin with a random password: (name, password).

        Workers starting at once on a new database all find no users: the one whose insert
        loses to another's (user names are unique) finds the admin made and returns None.
        """
        if self.count():
            return None
        password = secrets.token_urlsafe(12)
        try:
            self.add("admin", password, "admin", by="first_start")
        except (IntegrityError, AccountError, UserExists):
            if self.count():
                return None
            raise
        return "admin", password
