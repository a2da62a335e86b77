"""Slow clients: a deadline for a request's headers and another for its body.

uvicorn closes an idle keep-alive connection (``timeout_keep_alive``) but otherwise waits as
long as the client likes: for a new connection's first byte, for headers trickled a byte at a
time (slowloris) and for a body that never ends. Each such connection holds a socket and its
buffers, and enough of them exhaust the worker's file descriptors.

This module owns the two deadlines. Its protocol classes are uvicorn's own (httptools when it
is installed, else h11, as uvicorn's ``auto`` chooses), passed as ``http=`` to uvicorn, with one
timer per connection: ``header_timeout`` seconds from the connection (or from the first byte of
a later request on it) to the end of the request's headers, then ``body_timeout`` seconds to
the end of its body. At a deadline the client gets 408 if no response is under way, and the
connection is closed either way; the app sees the request as disconnected.

The body deadline is kept here rather than around the app's ``receive``: a body the app never
reads (after an early 401 or 413) still arrives over the same connection, and every byte of it
cancels uvicorn's keep-alive timer. The body deadline also runs while uvicorn has paused reading
because the app is not consuming the body yet: a bound on the whole request, not on the client.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
from typing import Any, ClassVar, Literal, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

log = logging.getLogger("assistant")

Phase = Literal["headers", "body"]
Implementation = Literal["auto", "h11", "httptools"]


class _Deadlines:
    """The timer both protocol classes share; each says when its parser starts or ends a phase.

    The attributes below are uvicorn's, set by the protocol class this is mixed into.
    """

    header_timeout: ClassVar[float] = 10.0
    body_timeout: ClassVar[float] = 60.0

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    client: tuple[str, int] | None
    server_state: ServerState
    cycle: Any  # the current (or last) request's RequestResponseCycle, None before the first

    _timer: asyncio.TimerHandle | None = None
    _phase: Phase | None = None
    _timed: object = None  # the cycle current when the phase began: a new one is a new request

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm("headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self, phase: Phase) -> None:
        """Start ``phase``'s deadline, unless it is already running for this request."""
        if self._timer is not None and (self._phase, self._timed) == (phase, self.cycle):
            return
        self._disarm()
        seconds = self.header_timeout if phase == "headers" else self.body_timeout
        self._phase, self._timed = phase, self.cycle
        self._timer = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._phase, self._timed = None, None, None

    def _responding(self) -> bool:
        """Whether a response is under way on the connection (a 408 would break into it)."""
        cycle = self.cycle
        if cycle is None:
            return False
        if self._phase == "headers":  # the cycle is the previous request's
            return not cycle.response_complete
        return bool(cycle.response_started)

    def _expired(self) -> None:
        phase = self._phase or "headers"
        seconds = self.header_timeout if phase == "headers" else self.body_timeout
        self._timer = None
        if self.transport.is_closing():
            return
        where = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.info(
            "closing the connection of %s: request %s not received in %g s", where, phase, seconds
        )
        if not self._responding():
            self.transport.write(
                self._timeout_response(f"request {phase} not received in {seconds:g} s")
            )
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            # Whatever the app still sends is dropped; its receive() says the client has gone.
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()

    def _timeout_response(self, message: str) -> bytes:
        body = json.dumps({"detail": message}).encode()
        lines = [b"HTTP/1.1 408 Request Timeout"]
        lines += [name + b": " + value for name, value in self.server_state.default_headers]
        lines += [
            b"content-type: application/json",
            b"content-length: " + str(len(body)).encode(),
            b"connection: close",
        ]
        return b"\r\n".join(lines) + b"\r\n\r\n" + body


class H11Deadlines(_Deadlines, H11Protocol):
    """uvicorn's h11 protocol with the deadlines: h11's state after each batch of events says
    which phase the request is in."""

    def handle_events(self) -> None:
        super().handle_events()
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm("body")
        elif state is h11.IDLE and (self._phase == "headers" or self.conn.trailing_data[0]):
            self._arm("headers")  # bytes of a new request wait for the rest of its headers
        else:  # the request is in (or the connection idles under uvicorn's keep-alive timer)
            self._disarm()


def _httptools_class() -> type[asyncio.Protocol] | None:
    if importlib.util.find_spec("httptools") is None:
        return None
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HttpToolsDeadlines(_Deadlines, HttpToolsProtocol):
        """uvicorn's httptools protocol with the deadlines, driven by the parser's callbacks."""

        def _responding(self) -> bool:
            return bool(self.pipeline) or super()._responding()  # an earlier request's reply

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm("headers")

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self._arm("body")  # a new cycle, so a new deadline

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._disarm()

        def handle_websocket_upgrade(self) -> None:
            self._disarm()  # the connection belongs to another protocol from here on
            super().handle_websocket_upgrade()

    return HttpToolsDeadlines


def protocol(
    header_timeout: float, body_timeout: float, implementation: Implementation = "auto"
) -> type[asyncio.Protocol]:
    """The class to pass as ``http=`` to uvicorn: its parser, with these deadlines (seconds)."""
    found = None if implementation == "h11" else _httptools_class()
    if found is None and implementation == "httptools":
        raise RuntimeError("httptools is not installed")
    base = found or H11Deadlines
    timeouts = {"header_timeout": header_timeout, "body_timeout": body_timeout}
    return cast(type[asyncio.Protocol], type(base.__name__, (base,), timeouts))
