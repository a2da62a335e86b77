"""Lanes for heavy work, so that cheap requests never queue behind it (issue 17, item 2).

FastAPI runs a route's synchronous work on anyio's worker threads, under one default limiter
(40 threads) that every route shares: forty uploads being embedded would leave none for an edit.
Two lanes keep the heavy work apart:

- **files** — an upload (parsing, LibreOffice conversion, OCR, embedding), a Word import, adding
  to or re-indexing the knowledge base. These run on ``ASSISTANT_HEAVY_JOBS`` threads of their
  own, so they never hold one of the shared 40, and at most that many run at once (the rest wait
  for a turn without a thread). On 2 cores a third embedding or OCR job only slows the others
  down and takes the CPU that edits and searches need. The threads run at a lower CPU priority
  (Linux: nice 10 per thread, as the login's hashing threads do), and so do what they start: the
  parsing child process, LibreOffice, OCR and the embedding engine's worker threads.
- **drafts** — a drafting stream (a section, the whole report) runs in a thread of its own
  (:mod:`assistant.api.sse`); at most ``ASSISTANT_DRAFT_JOBS`` run at once (unset: 4 offline,
  no limit with an LLM, whose streams mostly wait for the model). A stream waiting
  for its turn keeps its connection (keep-alive comments) and stops waiting when the client goes.

``0`` for either setting means no limit: every job runs at once, as before these lanes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings

P = ParamSpec("P")
T = TypeVar("T")
NICE = 10  # how much lower heavy work runs than requests (Linux: per thread)


def _lower_priority() -> None:
    # A Linux thread has its own nice value; children and threads it starts inherit it.
    # Elsewhere the call would renice the whole process: not done there.
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


class Lanes:
    """The heavy-work limits of one API process (built in the app factory)."""

    def __init__(self, *, heavy_jobs: int, draft_jobs: int) -> None:
        self.heavy_jobs = heavy_jobs
        self.draft_jobs = draft_jobs
        # Threads start on first use; queued jobs wait without one.
        self._files = (
            ThreadPoolExecutor(heavy_jobs, thread_name_prefix="heavy", initializer=_lower_priority)
            if heavy_jobs
            else None
        )
        self.draft_slots = threading.BoundedSemaphore(draft_jobs) if draft_jobs else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Lanes:
        return cls(heavy_jobs=settings.heavy_jobs, draft_jobs=settings.effective_draft_jobs)

    async def heavy(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` on a thread of the files lane, once one is free."""
        if self._files is None:
            return await run_in_threadpool(fn, *args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._files, functools.partial(fn, *args, **kwargs))


def lanes(request: Request) -> Lanes:
    """The app's lanes (a dependency; the app factory puts them on ``app.state``)."""
    return request.app.state.lanes  # type: ignore[no-any-return]


LanesDep = Annotated[Lanes, Depends(lanes)]
