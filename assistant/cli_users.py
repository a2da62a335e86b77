"""``assistant users add|list|passwd``: accounts from the command line (same database as serve)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from assistant.cli_common import fail, load_settings, out

users_app = typer.Typer(help="Manage user accounts (roles: drafter, reviewer, admin).")


UserName = Annotated[str, typer.Argument(help="User name.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from stdin.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(
    name: UserName,
    role: Annotated[str, typer.Option(help="drafter, reviewer or admin.")] = "drafter",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user; the password is asked for twice (or read from stdin)."""
    from assistant.accounts.service import AccountError, UserExists
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        try:
            user = services.accounts.add(name, _password(password_stdin), role)
        except (AccountError, UserExists) as exc:
            raise fail(str(exc)) from exc
    out.print(f"created {user.username} ({user.role})", highlight=False)


@users_app.command("list")
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List users and their roles."""
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        rows = services.accounts.list()
    if as_json:
        data = [
            {"username": u.username, "role": u.role, "created_at": at.isoformat(), "disabled": d}
            for u, at, d in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for u, at, disabled in rows:
        flag = "  (disabled)" if disabled else ""
        out.print(f"{u.username:24} {u.role:9} {at:%Y-%m-%d %H:%M}{flag}", highlight=False)


@users_app.command("passwd")
def passwd(name: UserName, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password; their open sessions end."""
    from assistant.accounts.service import AccountError
    from assistant.services import build_services

    with build_services(load_settings()) as services:
        try:
            services.accounts.set_password(name, _password(password_stdin))
        except AccountError as exc:
            raise fail(str(exc)) from exc
    out.print(f"password changed for {name}", highlight=False)
