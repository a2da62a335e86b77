"""``/api/v1/auth``: log in (token and session cookie), log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.hashgate import Busy
from assistant.accounts.ratelimit import LoginLimiter, client_key, user_key
from assistant.accounts.throttle import Backoff
from assistant.api.deps import CurrentUser, ServicesDep
from assistant.api.session import (
    MAX_TOKEN,
    bearer_token,
    clear_session_cookie,
    session_token,
    set_session_cookie,
)
from assistant.config import Settings
from assistant.errors import RateLimited, Unauthenticated

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


def client_address(request: Request) -> str:
    """The peer's address. X-Forwarded-For has already been applied by the proxy middleware,
    and only when the peer is one of ASSISTANT_TRUSTED_PROXIES (app.py); uvicorn's own
    forwarded-header handling is off (cli.py), so a header from anyone else changes nothing."""
    return request.client.host if request.client else "unknown"


def _backoff_keys(settings: Settings, username: str, client: str) -> list[tuple[str, Backoff]]:
    cap, forget = settings.login_backoff_cap_s, settings.login_forget_after_s
    return [
        (user_key(username), Backoff(settings.login_free_attempts, cap, forget)),
        (client_key(client), Backoff(settings.login_free_attempts_per_client, cap, forget)),
    ]


def _too_many(seconds: int) -> RateLimited:
    return RateLimited(f"登录尝试过于频繁，请 {seconds} 秒后再试", retry_after=seconds)


@router.post("/login", responses={401: {}, 429: {}, 503: {}})
async def login(
    body: Login, request: Request, response: Response, services: ServicesDep
) -> TokenOut:
    limiter = _limiter(request)
    settings = services.settings
    throttle = limiter.throttle(services.db)
    gate = limiter.gate(settings.login_hash_concurrency, settings.login_hash_wait_s)
    keys = _backoff_keys(settings, body.username, client_address(request))
    # A full gate answers Busy (503, Retry-After) before the database is touched.
    with gate.place():
        # Counted before the password is looked at: simultaneous guesses cannot all pass.
        refused = await run_in_threadpool(throttle.reserve, keys)
        if refused is not None:
            raise _too_many(refused.retry_after)
        try:
            user = await gate.run(services.accounts.authenticate, body.username, body.password)
        except Busy:
            # The password was never judged: the attempt does not count against its owner.
            await run_in_threadpool(throttle.give_back, [key for key, _ in keys])
            raise
    if user is None:
        raise Unauthenticated("wrong username or password")
    # The owner proved who they are: the account's streak ends; the address gets this one back
    # (its other failures stay, so one address spraying many accounts is still limited).
    await run_in_threadpool(throttle.succeeded, keys[0][0], [keys[1][0]])
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
