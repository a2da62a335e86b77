"""One readable line for a pydantic validation error: where (``facts[1].key``) and what."""

from __future__ import annotations

from pydantic import ValidationError


def first_error(exc: ValidationError, *, whole: str) -> str:
    """``facts[1].key: Field required``; ``whole`` names the document when the error is global."""
    first = exc.errors()[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
    # Our own validators' messages are complete sentences; pydantic prefixes them.
    msg = str(first["msg"]).removeprefix("Value error, ")
    return f"{loc or whole}: {msg}"
