"""``/api/v1/admin/…``: user administration and the overall audit log (admins); and
``/api/v1/auth/password``: everyone's own password change.

Thin: the rules (admins only, the last active admin stays, disabling ends sessions, every act
audited) live in :mod:`assistant.accounts.admin`, whose refusals carry ``{"code", "message"}``
(403 ``admin_only``, 409 ``last_admin`` …) and are answered by the app's one error handler.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.admin import TooManyTries, WrongPassword, require_admin
from assistant.accounts.public import UserPublic
from assistant.accounts.ratelimit import LoginLimiter
from assistant.accounts.service import Role
from assistant.api.audit_query import AuditParams, AuditPublic, audit_page
from assistant.api.deps import MAX_ID, CurrentUser, ObjectId, ServicesDep
from assistant.api.routes.auth import _backoff_keys as backoff_keys
from assistant.api.routes.auth import client_address
from assistant.api.session import MAX_TOKEN, bearer_token, session_token

router = APIRouter(prefix="/api/v1", tags=["admin"])
_ERRORS: dict[int | str, dict[str, Any]] = {403: {}, 404: {}, 409: {}, 422: {}}


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    role: Role = "drafter"


class UserUpdate(BaseModel):
    """What to change: the role, whether the account is disabled, or both."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    disabled: bool | None = None


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=256)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


@router.get("/admin/users", responses=_ERRORS)
async def list_users(user: CurrentUser, services: ServicesDep) -> list[UserPublic]:
    """Every user, disabled ones too, in the order they were made."""
    rows = await run_in_threadpool(services.users.list, user)
    return [u.public() for u in rows]


@router.post("/admin/users", status_code=201, responses=_ERRORS)
async def add_user(body: UserCreate, user: CurrentUser, services: ServicesDep) -> UserPublic:
    """A new user with an initial password (at least 10 characters) and a role."""
    made = await run_in_threadpool(
        lambda: services.users.add(
            user, username=body.username, password=body.password, role=body.role
        )
    )
    return made.public()


@router.patch("/admin/users/{user_id}", responses=_ERRORS)
async def update_user(
    user_id: ObjectId, body: UserUpdate, user: CurrentUser, services: ServicesDep
) -> UserPublic:
    """Change a role and/or disable or enable a user (disabling ends their sessions). The last
    active admin can be neither demoted nor disabled (409 ``last_admin``)."""

    info = await run_in_threadpool(
        lambda: services.users.update(user, user_id, role=body.role, disabled=body.disabled)
    )
    return info.public()


@router.post("/admin/users/{user_id}/password", status_code=204, responses=_ERRORS)
async def reset_password(
    user_id: ObjectId, body: PasswordReset, user: CurrentUser, services: ServicesDep
) -> None:
    """Set a user's password (they must log in again everywhere)."""
    await run_in_threadpool(
        lambda: services.users.reset_password(user, user_id, password=body.password)
    )


@router.get("/admin/audit", responses=_ERRORS)
def overall_audit(
    user: CurrentUser,
    services: ServicesDep,
    params: Annotated[AuditParams, Depends()],
    response: Response,
    report_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[AuditPublic]:
    """The whole audit log, newest first: filter by user, action (``user.`` for a family),
    report and time range; ``X-Total-Count`` holds the number of matches."""
    require_admin(user)
    f = params.for_report(report_id) if report_id is not None else params.filter
    with services.db.session() as s:
        return audit_page(s, f, params, response)


@router.post("/auth/password", status_code=204, responses=_ERRORS)
async def change_password(
    body: PasswordChange, request: Request, user: CurrentUser, services: ServicesDep
) -> None:
    """The caller's own password, given the old one; their other sessions end, this one stays."""
    token = bearer_token(request.headers.get("authorization")) or session_token(request)
    keep = token if token and len(token) <= MAX_TOKEN else None
    # An old password is a password guess: it shares the login's back-off (same keys), so a
    # stolen session cannot try passwords faster than the login form allows.
    limiter: LoginLimiter = request.app.state.login_limiter
    throttle = limiter.throttle(services.db)
    keys = backoff_keys(services.settings, user.username, client_address(request))
    refused = await run_in_threadpool(throttle.reserve, keys)
    if refused is not None:
        raise TooManyTries(refused.retry_after)
    try:
        await run_in_threadpool(
            lambda: services.users.change_own_password(
                user, old=body.old_password, new=body.new_password, keep_token=keep
            )
        )
    except WrongPassword:
        raise
    except BaseException:  # the old password was never judged wrong: not a failed guess
        await run_in_threadpool(throttle.give_back, [key for key, _ in keys])
        raise
    await run_in_threadpool(throttle.succeeded, keys[0][0], [keys[1][0]])
