"""Server-Sent Events from synchronous work: a worker thread's events to an async stream.

Drafting is synchronous (the engines, the checker, the database), so it runs in its own thread
and hands events to the response through a bounded queue: a slow client slows the worker down
instead of piling tokens up in memory. When the client goes away the worker's next ``emit``
raises :class:`Cancelled`, so an abandoned draft stops at its next token and saves nothing.
A comment line is sent when nothing happened for a while, so proxies keep the connection and a
vanished client is noticed even while the model thinks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from assistant.masking import mask_data

log = logging.getLogger("assistant.sse")

Emit = Callable[[str, dict[str, Any]], None]
MAX_PENDING = 256  # events the worker may be ahead of the client
KEEPALIVE_SECONDS = 15.0
_POLL = 0.25  # how often a blocked worker looks whether the client is gone


class Cancelled(Exception):
    """The client went away; raised inside the worker to stop it."""


def format_event(event: str, data: Any) -> str:
    # JSON escapes newlines, so one data line always holds the whole payload.
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def events_from_thread(
    work: Callable[[Emit], None],
    *,
    max_pending: int = MAX_PENDING,
    keepalive: float = KEEPALIVE_SECONDS,
    name: str = "sse-worker",
    turns: threading.Semaphore | None = None,
) -> AsyncIterator[str]:
    """Run ``work(emit)`` in a new thread and yield what it emits, formatted as SSE.

    An exception other than :class:`Cancelled` escaping ``work`` is logged and becomes an
    ``error`` event without details (no stack trace reaches the client). Every ``error``
    event's text is masked (:func:`assistant.masking.mask_data`). With ``turns`` (the drafts
    lane of :mod:`assistant.api.lanes`) the work starts once it holds one of them.
    """
    pairs = pairs_from_thread(
        work, max_pending=max_pending, keepalive=keepalive, name=name, turns=turns
    )
    async with contextlib.aclosing(pairs):
        async for item in pairs:
            yield ": keep-alive\n\n" if item is None else format_event(*item)


async def pairs_from_thread(
    work: Callable[[Emit], None],
    *,
    max_pending: int = MAX_PENDING,
    keepalive: float = KEEPALIVE_SECONDS,
    name: str = "sse-worker",
    turns: threading.Semaphore | None = None,
) -> AsyncGenerator[tuple[str, dict[str, Any]] | None, None]:
    """What :func:`events_from_thread` streams, unformatted: ``(event, data)`` pairs, and
    ``None`` where nothing happened for ``keepalive`` seconds (for other wire formats, such as
    OpenAI's chat-completion chunks)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()
    slots = threading.BoundedSemaphore(max_pending)
    gone = threading.Event()

    def deliver(item: tuple[str, dict[str, Any]] | None) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError as exc:  # the event loop closed: the server is stopping
            raise Cancelled from exc

    def emit(event: str, data: dict[str, Any]) -> None:
        if event == "error":
            # Error texts name endpoints (the LLM's URL); whoever reads the stream must not
            # get its password or API key. One place for every stream: draft, chat, imports.
            data = mask_data(data)
        while not slots.acquire(timeout=_POLL):
            if gone.is_set():
                raise Cancelled
        if gone.is_set():
            raise Cancelled
        deliver((event, data))

    def my_turn() -> bool:
        # Waiting for a turn, the stream sends keep-alives; a client that leaves stops waiting.
        while turns is not None and not turns.acquire(timeout=_POLL):
            if gone.is_set():
                return False
        return True

    def run() -> None:
        if not my_turn():
            log.info("client went away before its turn; %s not started", name)
            return
        try:
            work(emit)
        except Cancelled:
            log.info("client went away; %s stopped", name)
        except Exception:
            log.exception("%s failed", name)
            with contextlib.suppress(Cancelled):
                emit("error", {"detail": "internal error", "code": "internal"})
        finally:
            if turns is not None:
                turns.release()
            with contextlib.suppress(Cancelled):
                deliver(None)

    threading.Thread(target=run, name=name, daemon=True).start()
    try:
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), keepalive)
            except TimeoutError:
                yield None
                continue
            if item is None:
                return
            slots.release()
            yield item
    finally:
        gone.set()


class EventStream(StreamingResponse):
    """A ``text/event-stream`` response that treats a client hanging up as normal."""

    media_type = "text/event-stream"

    # ``status_code`` is in the signature because FastAPI reads the default of a route's
    # response class to document it; without one /openapi.json fails.
    def __init__(self, events: AsyncIterator[str], status_code: int = 200) -> None:
        super().__init__(
            events,
            status_code=status_code,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self._events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except (ClientDisconnect, OSError):
            log.info("event stream closed by the client")
        finally:
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None:  # stops the worker at once, not when collected
                await aclose()
