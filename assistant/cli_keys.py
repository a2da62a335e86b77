"""``assistant keys create|list|revoke``: personal API keys from the command line (same database
as serve). Whoever runs these runs the service, so they may make a key for any user and list or
revoke anyone's; users manage their own on the page (``API 密钥``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assistant.cli_common import fail, load_settings, out

keys_app = typer.Typer(help="Personal API keys for OpenAI-compatible clients and scripts.")


@keys_app.command("create")
def create(
    user: Annotated[str, typer.Argument(help="The user the key acts for.")],
    name: Annotated[str, typer.Option(help="What the key is for (e.g. Open WebUI).")],
    scope: Annotated[
        str, typer.Option(help="read (look, search, ask, check) or draft (also write).")
    ] = "read",
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", help="Days until it expires (default never).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Make a key and print it. It is shown this once: only its hash is kept."""
    from assistant.accounts.api_keys import expiry
    from assistant.errors import AssistantError
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        try:
            owner = services.api_keys.owner(user)
            info, secret = services.api_keys.create(
                owner, name=name, scope=scope, expires_at=expiry(expires_days)
            )
        except AssistantError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print(
            json.dumps({**info.public().model_dump(), "key": secret}, ensure_ascii=False, indent=2)
        )
        return
    out.print(f"created key {info.id} ({info.scope}) for {info.owner}:", highlight=False)
    print(secret)
    out.print("It is shown only now; store it in the client.", highlight=False)


@keys_app.command("list")
def list_keys(
    user: Annotated[str | None, typer.Option(help="Only this user's keys.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List keys (never their secrets): id, owner, scope, status, name."""
    from assistant.errors import AssistantError
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        try:
            viewer = services.api_keys.owner(user) if user else None
            keys = services.api_keys.list(viewer)
        except AssistantError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print(json.dumps([k.public().model_dump() for k in keys], ensure_ascii=False, indent=2))
        return
    for k in keys:
        until = f"{k.expires_at:%Y-%m-%d}" if k.expires_at else "never"
        out.print(
            f"{k.id:5} {k.owner:16} {k.scope:6} {k.status:8} expires {until:10} "
            f"{k.prefix}…  {k.name}",
            highlight=False,
        )


@keys_app.command("revoke")
def revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see keys list).")]) -> None:
    """Revoke a key; clients using it get 401 from now on."""
    from assistant.errors import AssistantError
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        try:
            info = services.api_keys.revoke(None, key_id)
        except AssistantError as exc:
            raise fail(str(exc)) from exc
    out.print(f"revoked key {info.id} ({info.name}) of {info.owner}", highlight=False)


def mcp() -> None:
    """Run the MCP server over stdio, acting for the owner of the key in ASSISTANT_MCP_KEY."""
    import os

    import anyio
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver.exceptions import ToolError

    from assistant.api.openai_errors import BAD_KEY
    from assistant.compat.mcp_tools import McpTools
    from assistant.mcp_server import build_server
    from assistant.services import build_services

    secret = os.environ.get("ASSISTANT_MCP_KEY", "").strip()
    if not secret:
        raise fail("set ASSISTANT_MCP_KEY to a personal API key (assistant keys create …)")
    with build_services(load_settings()) as services:
        user = services.api_keys.resolve(secret, method="MCP", path="mcp:connect")
        if user is None:
            raise fail("ASSISTANT_MCP_KEY is not a valid key: unknown, revoked or expired")

        def tools_for(_ctx: Context) -> McpTools:
            # The key is checked again at every call, not only at connect: a key revoked or
            # expired (or its owner disabled) while the client stays connected stops working
            # at once, as it does over HTTP.
            now_user = services.api_keys.resolve(secret, record=False)
            if now_user is None:
                raise ToolError(BAD_KEY)
            return McpTools(services, now_user)

        anyio.run(build_server(tools_for).run_stdio_async)
