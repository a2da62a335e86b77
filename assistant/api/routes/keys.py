"""``/api/v1/keys``: a user's personal API keys — make one (its secret is in this answer only),
list them, revoke one. An admin lists (``?all=true``) and revokes anyone's. Managed with the
user's own login (page or login token), never with a key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.api_keys import MAX_DAYS, MAX_NAME, Scope, expiry
from assistant.accounts.public import KeyCreatedPublic, KeyPublic
from assistant.accounts.service import Principal
from assistant.api.deps import CurrentUser, ObjectId, ServicesDep
from assistant.errors import Forbidden

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])


async def signed_in(user: CurrentUser) -> Principal:
    if user.key_id is not None:
        raise Forbidden("API 密钥不能用来管理密钥：请登录后操作")
    return user


LoggedIn = Annotated[Principal, Depends(signed_in)]


class KeyCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    scope: Scope = "read"
    expires_days: Annotated[int | None, Field(ge=1, le=MAX_DAYS)] = None


@router.get("")
async def list_keys(
    user: LoggedIn,
    services: ServicesDep,
    everyone: Annotated[bool, Query(alias="all")] = False,
) -> list[KeyPublic]:
    """The caller's keys, newest first (never their secrets); ``all=true``: everyone's
    (admins)."""
    keys = await run_in_threadpool(services.api_keys.list, user, everyone=everyone)
    return [k.public() for k in keys]


@router.post("", status_code=201)
async def create_key(body: KeyCreate, user: LoggedIn, services: ServicesDep) -> KeyCreatedPublic:
    """A new key; ``key`` holds its secret, shown this once (only its hash is kept)."""
    info, secret = await run_in_threadpool(
        lambda: services.api_keys.create(
            user, name=body.name, scope=body.scope, expires_at=expiry(body.expires_days)
        )
    )
    return KeyCreatedPublic(**dict(info.public()), key=secret)


@router.delete("/{key_id}")
async def revoke_key(key_id: ObjectId, user: LoggedIn, services: ServicesDep) -> KeyPublic:
    """Revoke a key (the caller's own; an admin's: anyone's). It stops working at once."""
    info = await run_in_threadpool(services.api_keys.revoke, user, key_id)
    return info.public()
