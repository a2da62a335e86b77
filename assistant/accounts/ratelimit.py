"""Login attempts, limited per username and per client address (sliding window, in memory).

Per worker: with N workers an attacker gets at most N times the budget, still far from a
guessing rate. A success does not reset the address's count, so spraying many accounts from one
address is limited too.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginLimiter:
    def __init__(self, attempts: int = 5, window_s: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window_s
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, at: float) -> deque[float]:
        q = self._seen[key]
        while q and at - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> float:
        """Seconds until another attempt is allowed for all ``keys``; 0 when allowed now."""
        at = time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                q = self._prune(key, at)
                if len(q) >= self.attempts:
                    waits.append(self.window - (at - q[0]))
            return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        at = time.monotonic()
        with self._lock:
            for key in keys:
                self._prune(key, at).append(at)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._seen.pop(username_key, None)
