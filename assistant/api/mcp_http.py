"""``/mcp``: the MCP server over streamable HTTP, under the service, with the same keys.

Stateless (each POST is one exchange) with JSON answers, so any number of workers can serve it
behind a load balancer. A request needs ``Authorization: Bearer`` with a personal API key (or a
login token): without one, or with a wrong, revoked or expired one, it gets 401 before the MCP
layer sees it. Each tool call then acts for the key's owner (:mod:`assistant.mcp_server`),
looked up again from the call's own headers; the page's cookie signs nobody in here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from assistant.accounts.api_keys import looks_like_key
from assistant.accounts.service import Principal
from assistant.api.openai_errors import BAD_KEY, NO_KEY
from assistant.api.session import MAX_TOKEN, bearer_token
from assistant.compat.mcp_tools import McpTools
from assistant.mcp_server import build_server

if TYPE_CHECKING:
    from assistant.services import Services

MCP_PATH = "/mcp"


def _signed_in(services: Services, authorization: str | None) -> Principal | None:
    token = bearer_token(authorization)
    if token is None or len(token) > MAX_TOKEN:
        return None
    if looks_like_key(token):
        return services.api_keys.resolve(token, record=False)  # each tool call is recorded
    return services.accounts.resolve(token)


class McpHttp:
    """The ASGI endpoint at ``/mcp``; :meth:`running` goes in the app's lifespan."""

    def __init__(self, services: Callable[[], Services]) -> None:
        self._services = services
        self.server = build_server(self._tools_for)

    def _tools_for(self, ctx: Context) -> McpTools:
        headers = ctx.headers or {}
        services = self._services()
        user = _signed_in(services, headers.get("authorization"))
        if user is None:  # revoked since the request was let in
            raise ToolError(BAD_KEY)
        return McpTools(services, user, transport="http")

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        # A session manager runs once: a fresh one for every start of the app.
        self.server.streamable_http_app(stateless_http=True, json_response=True)
        async with self.server.session_manager.run():
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        authorization = headers.get("authorization")
        user = None
        if bearer_token(authorization) is not None:
            user = await run_in_threadpool(_signed_in, self._services(), authorization)
        if user is None:
            message = BAD_KEY if bearer_token(authorization) else NO_KEY
            body = json.dumps({"error": {"message": message, "code": 401}}, ensure_ascii=False)
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b"Bearer"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body.encode()})
            return
        await self.server.session_manager.handle_request(scope, receive, send)
