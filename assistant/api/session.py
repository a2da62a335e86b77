"""How a request carries its login: a bearer token (scripts) or the session cookie (the page).

Over HTTPS the cookie is ``__Host-gongwen_session``: the browser then keeps it only if it is
``Secure``, has ``Path=/`` and no ``Domain``, so no other host (a sibling subdomain, a plain-HTTP
page) can set or overwrite it. Over plain HTTP (127.0.0.1 during development) the prefix cannot
be used and the cookie keeps its old name. It is always ``HttpOnly`` and ``SameSite=Strict``.
The scheme is the request's own, or X-Forwarded-Proto from a trusted proxy
(``ASSISTANT_TRUSTED_PROXIES``, applied before the app sees the request).
"""

from __future__ import annotations

import datetime as dt

from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import Response

from assistant.accounts.service import TOKEN_TTL

SESSION_COOKIE = "gongwen_session"
HOST_SESSION_COOKIE = "__Host-gongwen_session"
MAX_TOKEN = 512  # longer is no token of ours; not worth a database look-up


def bearer_token(authorization: str | None) -> str | None:
    """The token of ``Authorization: Bearer …``; the scheme in any case (RFC 7235)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def cookie_name(scheme: str) -> str:
    return HOST_SESSION_COOKIE if scheme == "https" else SESSION_COOKIE


def session_token(request: Request) -> str | None:
    """The session cookie of this scheme (an https request ignores the unprefixed one)."""
    return request.cookies.get(cookie_name(request.url.scheme)) or None


def has_session_cookie(headers: Headers) -> bool:
    cookies = cookie_parser(headers.get("cookie", ""))
    return bool(cookies.get(SESSION_COOKIE) or cookies.get(HOST_SESSION_COOKIE))


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        cookie_name(request.url.scheme),
        token,
        max_age=int(TOKEN_TTL / dt.timedelta(seconds=1)),
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    secure = request.url.scheme == "https"
    # A __Host- cookie is only replaced by one with the same attributes, Secure included.
    response.delete_cookie(
        cookie_name(request.url.scheme), path="/", secure=secure, httponly=True, samesite="strict"
    )
