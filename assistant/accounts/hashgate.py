"""At most a few argon2 hashes at once in this process; the rest wait briefly or are turned away.

One argon2 verification takes 64 MiB and about half a second of both cores here. A flood of
logins that pass the back-off (many accounts, many forwarded addresses) used to run one hash per
thread of the pool: RSS went from 345 MB to 1.3 GB and every other request waited for a thread.
Waiting happens on the event loop (an asyncio semaphore), not in a pool thread, so queued logins
hold neither memory nor threads; the queue itself is bounded, beyond it the answer is at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Busy(Exception):
    """No hash slot within the wait: the caller should answer 503 with ``Retry-After``."""


class HashGate:
    def __init__(self, slots: int = 2, wait_s: float = 2.0, queue: int | None = None) -> None:
        self.slots = slots
        self.wait_s = wait_s
        self.queue = 8 * slots if queue is None else queue
        self._sem = asyncio.Semaphore(slots)
        self._waiting = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the slots for the block; :class:`Busy` when none frees up in time."""
        if self._waiting >= self.queue:
            raise Busy
        self._waiting += 1
        try:
            await asyncio.wait_for(self._sem.acquire(), self.wait_s)
        except TimeoutError:
            raise Busy from None
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._sem.release()
