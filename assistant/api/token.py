"""The service's bearer token until user accounts land: from settings, or generated once.

There is no default secret: on a first start without ``ASSISTANT_API_TOKEN`` a random token is
written to ``<data dir>/api_token`` (mode 0600) and its location is logged, never its value.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from assistant.config import Settings


def token_path(settings: Settings) -> Path:
    return settings.data_dir / "api_token"


def ensure_token(settings: Settings) -> tuple[str, bool]:
    """The token, and whether it was created just now."""
    if settings.api_token is not None and settings.api_token.get_secret_value():
        return settings.api_token.get_secret_value(), False
    path = token_path(settings)
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token, False
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, True
