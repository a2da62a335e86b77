"""Lanes for heavy work, so that cheap requests never queue behind it (issue 17, item 2).

FastAPI runs a route's synchronous work on anyio's worker threads, under one default limiter
(40 threads) that every route shares: forty uploads being embedded would leave none for an edit.
Two lanes keep the heavy work apart:

- **files** — an upload (parsing, LibreOffice conversion, OCR, embedding), a Word import, adding
  to or re-indexing the knowledge base. These run under their own limiter of
  ``ASSISTANT_HEAVY_JOBS`` threads, so they never hold one of the shared 40, and at most that
  many run at once (the rest wait for a turn without a thread). On 2 cores a third embedding or
  OCR job only slows the others down and takes the CPU that edits and searches need.
- **drafts** — a drafting stream (a section, the whole report, the chat) runs in a thread of its
  own (:mod:`assistant.api.sse`); at most ``ASSISTANT_DRAFT_JOBS`` run at once. A stream waiting
  for its turn keeps its connection (keep-alive comments) and stops waiting when the client goes.

``0`` for either setting means no limit: every job runs at once, as before these lanes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings

P = ParamSpec("P")
T = TypeVar("T")


class Lanes:
    """The heavy-work limits of one API process (built in the app factory)."""

    def __init__(self, *, heavy_jobs: int, draft_jobs: int) -> None:
        self.heavy_jobs = heavy_jobs
        self.draft_jobs = draft_jobs
        self._files = CapacityLimiter(heavy_jobs) if heavy_jobs else None
        self.draft_slots = threading.BoundedSemaphore(draft_jobs) if draft_jobs else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Lanes:
        return cls(heavy_jobs=settings.heavy_jobs, draft_jobs=settings.draft_jobs)

    async def heavy(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in a worker thread of the files lane."""
        if self._files is None:
            return await run_in_threadpool(fn, *args, **kwargs)
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs), limiter=self._files
        )

    @property
    def heavy_running(self) -> int:
        return int(self._files.borrowed_tokens) if self._files is not None else 0


def lanes(request: Request) -> Lanes:
    """The app's lanes (a dependency; the app factory puts them on ``app.state``)."""
    return request.app.state.lanes  # type: ignore[no-any-return]


LanesDep = Annotated[Lanes, Depends(lanes)]
