"""Dependencies shared by routes: the services built at start-up and the signed-in user.

A request is authenticated by a bearer token (``Authorization: Bearer …``, for scripts) or by
the HttpOnly session cookie the login sets (for the web page, see :mod:`assistant.api.session`);
both are opaque tokens checked against the database.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from assistant.accounts.service import Principal
from assistant.api.session import MAX_TOKEN, bearer_token, session_token
from assistant.services import Services

_bearer = HTTPBearer(auto_error=False)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def current_user(
    request: Request,
    # Only for the OpenAPI page's "Authorize" button: the header is read by bearer_token below,
    # the same way logout and the CSRF guard read it.
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = bearer_token(request.headers.get("authorization"))
    token = token or session_token(request)
    user = None
    if token and len(token) <= MAX_TOKEN:
        services = get_services(request)
        user = await run_in_threadpool(services.accounts.resolve, token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="not signed in: log in at POST /api/v1/auth/login and send the token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


async def admin_user(user: Annotated[Principal, Depends(current_user)]) -> Principal:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="this needs the admin role")
    return user


MAX_ID = 2**31 - 1  # ids are database integers: larger ones cannot exist (422, not a crash)
ServicesDep = Annotated[Services, Depends(get_services)]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
CurrentUser = Annotated[Principal, Depends(current_user)]
AdminUser = Annotated[Principal, Depends(admin_user)]
