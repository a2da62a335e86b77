"""At most a few argon2 hashes at once in this process; the rest wait briefly or are turned away.

One argon2 verification takes 64 MiB and about half a second of both cores here. A flood of
logins that pass the back-off (many accounts, many forwarded addresses) used to run one hash per
thread of the pool: RSS went from 345 MB to 1.3 GB and every other request waited for a thread.

- Hashes run on a few threads of their own (``slots``), never on the shared pool, and on Linux
  at a lower CPU priority, so other users' requests are served first when both cores hash.
- A login waits for one on the event loop (an asyncio semaphore), holding neither memory nor a
  thread, and at most ``wait_s``; then :class:`Busy`.
- At most ``queue`` logins may be inside the gate at all (:meth:`HashGate.place`, taken before
  the database is touched); beyond that the answer is :class:`Busy` at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from assistant.errors import Unavailable

P = ParamSpec("P")
T = TypeVar("T")
NICE = 10  # how much lower the hashing threads run (Linux: per thread)


class Busy(Unavailable, code="busy"):
    """No hash slot within the wait: a login refused before its password was judged (→ 503
    with ``Retry-After``); the page shows the message."""

    RETRY_AFTER = 1  # seconds: a slot frees within one hash

    def __init__(self) -> None:
        super().__init__(f"登录请求过多，服务器繁忙，请 {self.RETRY_AFTER} 秒后再试")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.RETRY_AFTER)}


def _lower_priority() -> None:
    # On Linux a thread has its own nice value, and the threads argon2 starts for its lanes
    # inherit it. Elsewhere the call would renice the whole process: not done there.
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


class HashGate:
    def __init__(self, slots: int = 2, wait_s: float = 2.0, queue: int | None = None) -> None:
        self.slots = slots
        self.wait_s = wait_s
        self.queue = slots + 8 * slots if queue is None else queue
        self._sem = asyncio.Semaphore(slots)
        self._inside = 0
        # Threads start on first use and end when the gate is garbage-collected.
        self._threads = ThreadPoolExecutor(
            slots, thread_name_prefix="argon2", initializer=_lower_priority
        )

    @contextlib.contextmanager
    def place(self) -> Iterator[None]:
        """A place in the gate for the whole login; :class:`Busy` at once when all are taken."""
        if self._inside >= self.queue:
            raise Busy
        self._inside += 1
        try:
            yield
        finally:
            self._inside -= 1

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn`` on a hashing thread once a slot is free; :class:`Busy` after ``wait_s``."""
        try:
            await asyncio.wait_for(self._sem.acquire(), self.wait_s)
        except TimeoutError:
            raise Busy from None
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads, functools.partial(fn, *args, **kwargs))
        finally:
            self._sem.release()
