"""The JSON shapes of accounts and API keys at the API boundary (the CLI prints the same)."""

from __future__ import annotations

from pydantic import BaseModel


class UserPublic(BaseModel):
    id: int
    username: str
    role: str
    role_label: str  # 起草人, 审核人, 管理员
    disabled: bool
    created_at: str


class KeyPublic(BaseModel):
    """A key as listed: never its secret, only the prefix that tells it apart."""

    id: int
    name: str
    prefix: str
    scope: str
    owner: str
    status: str  # active, expired, revoked
    created_at: str | None
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None


class KeyCreatedPublic(KeyPublic):
    key: str  # the secret, shown this once (only its hash is kept)
