"""Per-user entries under a token the page chose, kept a while for the page to poll.

Long requests (an upload read by OCR, a knowledge-base run) answer only at the end, so the page
names its run with a token and asks how far it has got. This table owns what both progress
tables share: entries by (user, token), so no one reads another's; at most so many, the oldest
dropped first; forgotten a while after they were last touched; thread-safe, since the runs go
through the thread pool. It lives in the serving process (another process answers "not found").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar


class _Entry(Protocol):
    touched: float

    def public(self) -> dict[str, Any]: ...


E = TypeVar("E", bound=_Entry)
Key = tuple[int, str]


class TokenTable(Generic[E]):
    def __init__(self, *, keep_seconds: float, max_entries: int) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Key, E] = {}
        self._keep = keep_seconds
        self._max = max_entries

    def put(self, user_id: int, token: str, entry: E) -> Key:
        """A new entry for (user, token), replacing an old one of the same key."""
        with self._lock:
            self._expire()
            if len(self._entries) >= self._max:
                oldest = min(self._entries, key=lambda k: self._entries[k].touched)
                del self._entries[oldest]
            entry.touched = time.monotonic()
            self._entries[(user_id, token)] = entry
        return (user_id, token)

    def change(self, key: Key, how: Callable[[E], None]) -> None:
        """Apply ``how`` to the entry under ``key`` (gone: nothing), and touch it."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                how(entry)
                entry.touched = time.monotonic()

    def get(self, user_id: int, token: str) -> dict[str, Any] | None:
        with self._lock:
            self._expire()
            entry = self._entries.get((user_id, token))
            return entry.public() if entry is not None else None

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, e in self._entries.items() if now - e.touched > self._keep]:
            del self._entries[key]
