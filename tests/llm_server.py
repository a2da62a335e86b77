"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, run in a thread for tests.

    with ScriptedLLM(api_key="sk-test") as llm:
        llm.script(Reply(status=429), Reply(text="你好"))
        client = openai.OpenAI(base_url=llm.base_url, api_key="sk-test", max_retries=2)
        ...
        assert len(llm.chat_requests) == 2

Endpoints: ``POST /v1/chat/completions`` (streaming and not) and ``GET /v1/models``.
Each chat request consumes one scripted :class:`Reply` (``reply_fn`` first, then the queue,
then ``default``). Streams use chunked transfer encoding, so a dropped connection is visible
to the client as an incomplete body rather than a clean end of stream.

A reply may carry tool calls (``Reply.calls(Call("facts"), Call("revise", {...}))``): not
streamed they are ``message.tool_calls`` with finish_reason ``tool_calls``; streamed, each call
is one delta with its id and name and then its arguments in ``chunk_chars``-sized fragments, as
OpenAI sends them. ``Reply.tools_unsupported()`` is the HTTP 400 of a server without tool support.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Bad request", "invalid_request_error", None),
    401: ("Incorrect API key provided", "invalid_request_error", "invalid_api_key"),
    404: ("Not found", "invalid_request_error", "not_found"),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


@dataclass
class Call:
    """One tool call of a scripted reply; ``args`` as a string is sent as is (malformed JSON)."""

    name: str
    args: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None  # default call_<n>, n its position in the reply

    def arguments(self) -> str:
        if isinstance(self.args, str):
            return self.args
        return json.dumps(self.args, ensure_ascii=False)


@dataclass
class Reply:
    """What the server answers to one chat request."""

    text: str = "ok"  # with tool_calls: the content beside them, "" for none (null)
    status: int = 200
    chunk_chars: int = 8
    delay_first: float = 0.0  # seconds before the first byte of the response
    delay_between: float = 0.0  # seconds between stream chunks
    malformed: bool = False  # stream: one good chunk, then `data: {"choices": [`, then end
    drop_after: int | None = None  # close the connection after N content chunks, no [DONE]
    retry_after: float = 0.0  # value of the Retry-After header on 429
    tool_calls: list[Call] | None = None
    error: str | None = None  # the error message of a status != 200, instead of the stock one

    @classmethod
    def calls(cls, *calls: Call, text: str = "", **kw: Any) -> Reply:
        """A reply that is tool calls (and ``text`` beside them, usually none)."""
        return cls(text=text, tool_calls=list(calls), **kw)

    @classmethod
    def tools_unsupported(cls) -> Reply:
        """What an endpoint without tool calling answers a request with ``tools`` (Ollama's
        wording; vLLM's and others' are alike): HTTP 400."""
        return cls(status=400, error="registry.ollama.ai/library/scripted does not support tools")

    def wire_calls(self) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id or f"call_{n}",
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments()},
            }
            for n, c in enumerate(self.tool_calls or [])
        ]


class Recorded(NamedTuple):
    """One request the server received; header names are lower-cased."""

    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None for an empty or unparsable body


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    llm: ScriptedLLM


class ScriptedLLM:
    """Context manager running the scripted server; see the module docstring."""

    def __init__(
        self,
        api_key: str = "sk-test",
        *,
        replies: list[Reply] | None = None,
        default: Reply | None = None,
        reply_fn: Callable[[Any], Reply | None] | None = None,
    ) -> None:
        self.api_key = api_key
        self.default = default if default is not None else Reply()
        self.reply_fn = reply_fn
        self.requests: list[Recorded] = []
        self._queue: deque[Reply] = deque(replies or [])
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -----------------------------------------------------------------------
    def script(self, *replies: Reply) -> None:
        """Append replies to the queue; each chat request consumes one."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == CHAT_PATH]

    def _next_reply(self, body: Any) -> Reply:
        if self.reply_fn is not None:
            reply = self.reply_fn(body)
            if reply is not None:
                return reply
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedLLM:
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.llm = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in delay_first / delay_between
        server.shutdown()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:  # wakes handlers blocked reading an idle keep-alive connection
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for t in threads:
            t.join(timeout=2)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _sleep(self, seconds: float) -> bool:
        """Sleep; False if the server is stopping."""
        return seconds <= 0 or not self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections end on their own
    server: _Server

    @property
    def llm(self) -> ScriptedLLM:
        return self.server.llm

    def setup(self) -> None:
        super().setup()
        with self.llm._lock:
            self.llm._conns.add(self.connection)
            self.llm._threads.add(threading.current_thread())

    def handle(self) -> None:
        # A client that hangs up (timeout, retry, closed keep-alive) is normal here, not an error.
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.llm._lock:
            self.llm._conns.discard(self.connection)
            self.llm._threads.discard(threading.current_thread())

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- plumbing ------------------------------------------------------------------------
    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _record(self, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.llm._lock:
            self.llm.requests.append(Recorded(self.path, headers, body))

    def _authorized(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {self.llm.api_key}"

    def _send_json(
        self,
        status: int,
        payload: Any,
        extra: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, status: int, reply: Reply | None = None) -> None:
        message, type_, code = _ERRORS.get(status, (f"HTTP {status}", "server_error", None))
        if reply is not None and reply.error is not None:
            message = reply.error
        extra = {}
        if status == 429:
            extra["Retry-After"] = f"{reply.retry_after if reply else 0:g}"
        body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
        self._send_json(status, body, extra)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    # -- endpoints -----------------------------------------------------------------------
    def do_GET(self) -> None:
        self._guard(self._get)

    def do_POST(self) -> None:
        self._guard(self._post)

    def _guard(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True

    def _get(self) -> None:
        self._record(None)
        if not self._authorized():
            self._send_error(401)
        elif self.path.rstrip("/") == MODELS_PATH:
            models = [{"id": "scripted", "object": "model", "created": 0, "owned_by": "tests"}]
            self._send_json(200, {"object": "list", "data": models})
        else:
            self._send_error(404)

    def _post(self) -> None:
        body = self._read_body()
        self._record(body)
        if not self._authorized():
            self._send_error(401)
            return
        if self.path.rstrip("/") != CHAT_PATH:
            self._send_error(404)
            return
        if not isinstance(body, dict):
            self._send_error(400)
            return
        reply = self.llm._next_reply(body)
        if not self.llm._sleep(reply.delay_first):
            self.close_connection = True
            return
        if reply.status != 200:
            self._send_error(reply.status, reply)
        elif body.get("stream"):
            self._stream(body, reply)
        else:
            self._complete(body, reply)

    def _complete(self, body: dict[str, Any], reply: Reply) -> None:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.tool_calls is not None:
            message = {
                "role": "assistant",
                "content": reply.text or None,
                "tool_calls": reply.wire_calls(),
            }
        payload = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or "scripted",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": _usage(body, reply),
        }
        if reply.malformed:
            self._send_json(200, None, raw=b'{"choices": [')
        elif reply.drop_after is not None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            self._send_json(200, payload)

    def _stream(self, body: dict[str, Any], reply: Reply) -> None:
        base = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model") or "scripted",
            "system_fingerprint": None,
        }

        def event(obj: Any) -> bytes:
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"

        def choice(delta: dict[str, Any], finish: str | None) -> bytes:
            c = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return event({**base, "choices": [c]})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        deltas = _deltas(reply)
        for n, delta in enumerate(deltas):
            if reply.drop_after is not None and n >= reply.drop_after:
                self.close_connection = True
                return  # no terminating chunk: the client sees an incomplete body
            if n and not self.llm._sleep(reply.delay_between):
                self.close_connection = True
                return
            self._chunk(choice(delta, None))
            if reply.malformed:
                self._chunk(b'data: {"choices": [\n\n')
                self._chunk(b"")
                return
        if reply.drop_after is not None:  # drop_after >= number of chunks
            self.close_connection = True
            return
        self._chunk(choice({}, "tool_calls" if reply.tool_calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self._chunk(event({**base, "choices": [], "usage": _usage(body, reply)}))
        self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")  # terminating zero-length chunk


def _pieces(text: str, size: int) -> list[str]:
    step = max(1, size)
    return [text[i : i + step] for i in range(0, len(text), step)]


def _deltas(reply: Reply) -> list[dict[str, Any]]:
    """The stream's deltas in order: the text in ``chunk_chars`` pieces, then per tool call one
    delta with index, id and name (arguments "") and its arguments in fragments. Only the first
    delta carries the role; a reply of tool calls alone sends no content delta."""
    deltas: list[dict[str, Any]] = [{"content": p} for p in _pieces(reply.text, reply.chunk_chars)]
    for index, wire in enumerate(reply.wire_calls()):
        fn = wire["function"]
        head = {"index": index, "id": wire["id"], "type": "function"}
        deltas.append({"tool_calls": [{**head, "function": {"name": fn["name"], "arguments": ""}}]})
        for fragment in _pieces(fn["arguments"], reply.chunk_chars):
            deltas.append({"tool_calls": [{"index": index, "function": {"arguments": fragment}}]})
    if not deltas:
        deltas = [{"content": ""}]
    if reply.tool_calls and "content" not in deltas[0]:
        deltas[0] = {"content": None, **deltas[0]}  # OpenAI: content null beside tool calls
    deltas[0] = {"role": "assistant", **deltas[0]}
    return deltas


def _usage(body: dict[str, Any], reply: Reply) -> dict[str, int]:
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages") or [])
    completion = len(reply.text) + sum(len(c.arguments()) for c in reply.tool_calls or [])
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
