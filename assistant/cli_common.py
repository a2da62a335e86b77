"""What every CLI command shares: the two consoles and settings that fail with a clear message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from assistant.masking import mask_secrets

if TYPE_CHECKING:
    from assistant.config import Settings

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def load_settings() -> Settings:
    from assistant.config import Settings  # pydantic-settings: not needed for --help

    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError names the bad variable
        # pydantic quotes the bad value, which may be a URL with a password in it
        err.print(f"[red]invalid configuration:[/red] {mask_secrets(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr; raise the returned Exit."""
    err.print(f"[red]error:[/red] {mask_secrets(message)}", highlight=False)
    return typer.Exit(code)
