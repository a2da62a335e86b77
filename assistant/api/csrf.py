"""Cross-site request forgery: a state-changing request signed in by the session cookie must come
from the service's own page.

Cookies are not bound to a port, so a page served by any other program on the same host (or a
page the user opens elsewhere, in older browsers) can make the browser send ``gongwen_session``
with a form, a ``text/plain`` "JSON" body or a multipart upload. A POST, PUT, PATCH or DELETE
that carries the cookie and no bearer token is therefore refused (403) unless

1. its ``Origin`` (or, without one, its ``Referer``) is the service's own origin: the request's
   scheme://host:port, ``ASSISTANT_PUBLIC_URL``, or one of ``ASSISTANT_ALLOWED_ORIGINS``; and
2. it is JSON, or carries ``X-Requested-With`` / ``X-CSRF-Token`` (what the page's uploads send):
   a page on another origin can send neither without a CORS preflight, which this service never
   answers.

A bearer token is never sent by a browser on its own, so scripts using one are not affected. The
login is checked too when it names an origin: a foreign page must not sign the browser in.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.refusal import refuse
from assistant.api.session import bearer_token, has_session_cookie

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN_PATH = "/api/v1/auth/login"
PAGE_HEADERS = ("x-requested-with", "x-csrf-token")
_DEFAULT_PORTS = {"http": "80", "https": "443"}

NO_ORIGIN = (
    "已拒绝（防跨站请求伪造）：凭登录 Cookie 的修改请求须带 Origin 或 Referer 请求头。"
    "脚本请改用 Authorization: Bearer 令牌。"
)
NOT_JSON = (
    "已拒绝（防跨站请求伪造）：凭登录 Cookie 的修改请求须为 JSON"
    "（Content-Type: application/json），或带 X-Requested-With 请求头。"
)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` in lower case, the default port left out; None if not a URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    shown = "" if port is None or str(port) == _DEFAULT_PORTS[scheme] else f":{port}"
    return f"{scheme}://{host}{shown}"


def claimed_origin(headers: Headers) -> str | None:
    """Where the browser says the request comes from: Origin, else the Referer's origin.

    ``Origin: null`` (sandboxed frames, file: pages) is a claim too, and never matches.
    """
    origin = headers.get("origin")
    if origin is not None:
        return origin_of(origin) or "null"
    referer = headers.get("referer")
    if referer:
        return origin_of(referer) or "null"
    return None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class CSRFGuard:
    """Pure ASGI (streams and uploads pass through untouched); refuses before any route runs."""

    def __init__(self, app: ASGIApp, *, origins: Iterable[str] = ()) -> None:
        self.app = app
        self.origins = {o for o in (origin_of(x) for x in origins if x.strip()) if o}

    def own_origins(self, scope: Scope, headers: Headers) -> set[str]:
        own = set(self.origins)
        host = headers.get("host")
        if host:
            mine = origin_of(f"{scope.get('scheme', 'http')}://{host}")
            if mine:
                own.add(mine)
        return own

    def problem(self, scope: Scope) -> str | None:
        """Why this request is refused, or None."""
        if scope["type"] != "http" or scope["method"] not in STATE_CHANGING:
            return None
        headers = Headers(scope=scope)
        claimed = claimed_origin(headers)
        if scope["path"] == LOGIN_PATH:
            # Signed in by the password in the body, whatever cookie comes along: only a page
            # of another origin is refused (it must not sign the browser in as someone else).
            if claimed is None:
                return None
            return self._foreign(claimed, self.own_origins(scope, headers))
        if bearer_token(headers.get("authorization")) is not None:
            return None  # the token, not the cookie, signs this request in
        if not has_session_cookie(headers):
            return None  # signed out: the route answers 401
        if claimed is None:
            return NO_ORIGIN
        foreign = self._foreign(claimed, self.own_origins(scope, headers))
        if foreign is not None:
            return foreign
        if _is_json(headers.get("content-type", "")):
            return None
        if any(headers.get(name) for name in PAGE_HEADERS):
            return None
        return NOT_JSON

    @staticmethod
    def _foreign(claimed: str, own: set[str]) -> str | None:
        if claimed in own:
            return None
        return (
            f"已拒绝（防跨站请求伪造）：请求来自其他网页（{claimed}），不是本服务"
            f"（{'、'.join(sorted(own)) or '未知'}）。如经反向代理或其他地址访问本服务，"
            "请设置 ASSISTANT_PUBLIC_URL 或 ASSISTANT_ALLOWED_ORIGINS。"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = self.problem(scope)
        if problem is None:
            await self.app(scope, receive, send)
            return
        await refuse(send, 403, problem)
