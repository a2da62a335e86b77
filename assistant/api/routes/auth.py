"""``/api/v1/auth``: log in (token and session cookie), log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.ratelimit import LoginLimiter
from assistant.api.deps import CurrentUser, ServicesDep
from assistant.api.session import (
    MAX_TOKEN,
    bearer_token,
    clear_session_cookie,
    session_token,
    set_session_cookie,
)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    id: int
    username: str
    role: str


def _limiter(request: Request) -> LoginLimiter:
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter


@router.post("/login", responses={401: {}, 429: {}})
async def login(
    body: Login, request: Request, response: Response, services: ServicesDep
) -> TokenOut:
    limiter = _limiter(request)
    client = request.client.host if request.client else "unknown"
    keys = (f"user:{body.username}", f"addr:{client}")
    wait = limiter.retry_after(*keys)
    if wait > 0:
        raise HTTPException(
            429,
            detail="too many failed logins; try again later",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    user = await run_in_threadpool(services.accounts.authenticate, body.username, body.password)
    if user is None:
        limiter.failed(*keys)
        raise HTTPException(401, detail="wrong username or password")
    limiter.succeeded(keys[0])
    token = await run_in_threadpool(services.accounts.issue_token, user)
    set_session_cookie(response, request, token)
    return TokenOut(access_token=token)


@router.post("/logout", status_code=204)
async def logout(request: Request, response: Response, services: ServicesDep) -> None:
    token = bearer_token(request.headers.get("authorization")) or session_token(request)
    if token and len(token) <= MAX_TOKEN:
        await run_in_threadpool(services.accounts.revoke, token)
    clear_session_cookie(response, request)


@router.get("/me")
async def me(user: CurrentUser) -> Me:
    return Me(id=user.id, username=user.username, role=user.role)
