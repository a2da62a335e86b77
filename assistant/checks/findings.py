"""What a logic check reports: a span, and optionally its own message and suggestion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    message: str | None = None  # None: the rule's own message
    suggestion: str | None = None
