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

from assistant.errors import Invalid
from assistant.storage.db import Database
from assistant.storage.models import AuthToken, User, now

Role = Literal["drafter", "reviewer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
MIN_PASSWORD = 10
TOKEN_TTL = dt.timedelta(hours=12)
_hasher = PasswordHasher()


class AccountError(Invalid, code="account"):
    """A user cannot be created or changed; the message says why."""


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
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, username: str, password: str, role: str) -> Principal:
        username = username.strip()
        if not username or len(username) > 64 or not username.isprintable():
            raise AccountError("username must be 1–64 printable characters")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        check_password(password)
        with self.db.session() as s:
            if s.scalar(select(User).where(User.username == username)) is not None:
                raise AccountError(f"user {username!r} exists")
            user = User(username=username, password_hash=_hasher.hash(password), role=role)
            s.add(user)
            s.flush()
            return _principal(user)

    def list(self) -> list[tuple[Principal, dt.datetime, bool]]:
        with self.db.session() as s:
            users = s.scalars(select(User).order_by(User.username)).all()
            return [(_principal(u), u.created_at, u.disabled) for u in users]

    def count(self) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(User.id)).all())

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountError(f"no user {username!r}")
            user.password_hash = _hasher.hash(password)
            s.execute(delete(AuthToken).where(AuthToken.user_id == user.id))  # log out everywhere

    def authenticate(self, username: str, password: str) -> Principal | None:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or user.disabled:
                _hasher.hash(password)  # same work either way: no user enumeration by timing
                return None
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
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
            self.add("admin", password, "admin")
        except (IntegrityError, AccountError):
            if self.count():
                return None
            raise
        return "admin", password
