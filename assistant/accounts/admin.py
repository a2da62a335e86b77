"""User administration: what an admin does to accounts, and what everyone does to their own
password. Each act is checked, done and written to the audit log in one transaction.

The guard rail: there is always an active admin. Demoting or disabling one first takes the
write lock on every active admin's row (:func:`lock_admins`), so two admins demoting each other
at once are served one after the other and the second is refused (409), on SQLite and
PostgreSQL alike. Disabling a user ends their sessions and login tokens at once (their API keys
stop working while they are disabled: :mod:`assistant.accounts.api_keys` refuses a disabled
owner). A password reset ends the user's sessions; changing one's own ends the others but keeps
the one it was made from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.accounts.public import UserPublic
from assistant.accounts.service import (
    ROLE_LABELS,
    AccountError,
    Principal,
    check_password,
    check_role,
    create_user,
    end_sessions,
    hash_password,
    password_matches,
)
from assistant.errors import AssistantError, Conflict, Forbidden, Invalid, NotFound, WithCode
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import User


class AdminOnly(WithCode, Forbidden, code="admin_only"):
    """The act needs the admin role."""

    def __init__(self, message: str = "只有管理员可以管理用户和查看审计日志，请联系管理员") -> None:
        super().__init__(message)


class LoginNeeded(WithCode, Forbidden, code="login_needed"):
    """Accounts are managed with a person's login, never with an API key."""


class LastAdmin(WithCode, Conflict, code="last_admin"):
    """The act would leave no active admin."""


class WrongPassword(WithCode, Invalid, code="wrong_password"):
    """The old password given with a password change is not the user's."""


class TooManyTries(WithCode, AssistantError, status=429, code="too_many_attempts"):
    """Old passwords guessed too often: the login back-off applies here too."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"原密码错误次数过多，请 {retry_after} 秒后再试")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class SelfDisable(WithCode, Conflict, code="self_disable"):
    """An admin may not disable their own account (they would lock themselves out)."""


class NoSuchUser(WithCode, NotFound, code="no_such_user"):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"没有编号为 {user_id} 的用户，请刷新用户列表")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    disabled: bool
    created_at: dt.datetime

    def public(self) -> UserPublic:
        return UserPublic(
            id=self.id,
            username=self.username,
            role=self.role,
            role_label=ROLE_LABELS.get(self.role, self.role),
            disabled=self.disabled,
            created_at=self.created_at.replace(tzinfo=dt.UTC).isoformat(),
        )


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.role, user.disabled, user.created_at)


def require_admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise AdminOnly()


def require_login(actor: Principal) -> None:
    if actor.key_id is not None:
        raise LoginNeeded("API 密钥不能用来管理账户或修改密码：请在网页登录后操作")


def lock_admins(s: Session) -> None:
    """Take the write lock on the active admins' rows (PostgreSQL) or the database (SQLite).

    Setting a column to itself changes nothing, but it is a write: later statements of this
    transaction see every admin change committed before it, and none can commit meanwhile.
    """
    s.execute(
        update(User).where(User.role == "admin", User.disabled.is_(False)).values(role=User.role),
        execution_options={"synchronize_session": False},
    )


def _other_active_admins(s: Session, user_id: int) -> int:
    n = s.scalar(
        select(func.count(User.id)).where(
            User.role == "admin", User.disabled.is_(False), User.id != user_id
        )
    )
    return int(n or 0)


def _still_admin(s: Session, actor: Principal) -> None:
    """The actor's right checked again in the writing transaction: an admin demoted or disabled
    since the request was signed in (by another admin, a moment ago) acts no more."""
    row = s.get(User, actor.id)
    if row is None or row.role != "admin" or row.disabled:
        raise AdminOnly()


def _audit(s: Session, actor: Principal, action: str, user: User, **detail: Any) -> None:
    record(
        s,
        user_id=actor.id,
        action=action,
        object_type="user",
        object_id=user.id,
        detail={"username": user.username, "by": "api", **detail},
    )


class UserAdmin:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, actor: Principal) -> list[UserInfo]:
        require_admin(actor)
        with self.db.session() as s:
            return [_info(u) for u in s.scalars(select(User).order_by(User.id))]

    def add(self, actor: Principal, *, username: str, password: str, role: str) -> UserInfo:
        require_admin(actor)
        require_login(actor)
        with self.db.session() as s:
            _still_admin(s, actor)
            user = create_user(s, username, password, role)
            _audit(s, actor, "user.add", user, role=role)
            return _info(user)

    def _target(self, s: Session, user_id: int) -> User:
        user = s.get(User, user_id)
        if user is None:
            raise NoSuchUser(user_id)
        return user

    def update(
        self,
        actor: Principal,
        user_id: int,
        *,
        role: str | None = None,
        disabled: bool | None = None,
    ) -> UserInfo:
        """Change a role and/or disable or enable, in one transaction (all of it or none)."""
        require_admin(actor)
        require_login(actor)
        if role is not None:
            check_role(role)
        with self.db.session() as s:
            lock_admins(s)
            _still_admin(s, actor)
            user = self._target(s, user_id)
            if role is not None and role != user.role:
                self._set_role(s, actor, user, role)
            if disabled is not None and disabled != user.disabled:
                self._set_disabled(s, actor, user, disabled)
            return _info(user)

    def set_role(self, actor: Principal, user_id: int, *, role: str) -> UserInfo:
        return self.update(actor, user_id, role=role)

    def set_disabled(self, actor: Principal, user_id: int, *, disabled: bool) -> UserInfo:
        return self.update(actor, user_id, disabled=disabled)

    @staticmethod
    def _set_role(s: Session, actor: Principal, user: User, role: str) -> None:
        old = user.role
        if old == "admin" and not user.disabled and not _other_active_admins(s, user.id):
            raise LastAdmin(
                f"{user.username} 是唯一启用的管理员，不能改为{ROLE_LABELS[role]}："
                "请先把另一位用户设为管理员"
            )
        user.role = role
        _audit(s, actor, "user.role", user, old=old, new=role)

    @staticmethod
    def _set_disabled(s: Session, actor: Principal, user: User, disabled: bool) -> None:
        if not disabled:
            user.disabled = False
            _audit(s, actor, "user.enable", user)
            return
        if user.id == actor.id:
            raise SelfDisable("不能停用自己的账户：请由另一位管理员操作")
        if user.role == "admin" and not _other_active_admins(s, user.id):
            raise LastAdmin(
                f"{user.username} 是唯一启用的管理员，不能停用：请先把另一位用户设为管理员"
            )
        user.disabled = True
        ended = end_sessions(s, user.id)
        _audit(s, actor, "user.disable", user, sessions_ended=ended)

    def reset_password(self, actor: Principal, user_id: int, *, password: str) -> None:
        require_admin(actor)
        require_login(actor)
        check_password(password)
        hashed = hash_password(password)  # before the transaction: it takes a while
        with self.db.session() as s:
            _still_admin(s, actor)
            user = self._target(s, user_id)
            user.password_hash = hashed
            ended = end_sessions(s, user.id)
            _audit(s, actor, "user.password_reset", user, sessions_ended=ended)

    def change_own_password(
        self, actor: Principal, *, old: str, new: str, keep_token: str | None
    ) -> None:
        """The caller's own password, on the old one's proof; their other sessions end."""
        require_login(actor)
        # The new one is judged first: only a wrong old password counts as a failed guess.
        check_password(new)
        if old == new:
            raise AccountError("新密码不能与原密码相同，请换一个")
        with self.db.session() as s:
            user = self._target(s, actor.id)
            if not password_matches(user, old):
                raise WrongPassword("原密码不正确，请重新输入")
            user.password_hash = hash_password(new)
            ended = end_sessions(s, user.id, keep=keep_token)
            _audit(s, actor, "user.password_change", user, sessions_ended=ended)
