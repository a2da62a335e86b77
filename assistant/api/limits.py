"""Request body limit, enforced on the bytes actually received (chunked bodies included).

One limit for every request, and larger ones for the few paths that take files (uploads).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.refusal import refuse
from assistant.errors import TooLarge
from assistant.ingest.names import safe_filename
from assistant.uploads.service import over_limit

_READ = 64 * 1024


async def read_upload(file: UploadFile, limit: int, *, kind: str) -> bytes:
    """An uploaded file's bytes, counted as they come (a declared size is never trusted): 413
    naming the file (as ``kind`` when it has no usable name) once it passes ``limit``."""
    data = bytearray()
    while chunk := await file.read(_READ):
        data += chunk
        if len(data) > limit:
            name = safe_filename(file.filename, kind)
            raise TooLarge(f"{name}: {over_limit(limit)}")
    return bytes(data)


class _TooLarge(Exception):
    pass


# Room for the multipart envelope around an uploaded file: boundaries, part headers, fields.
MULTIPART_OVERHEAD = 64 * 1024


class BodyLimit:
    """Answer 413 to a body over ``limit`` bytes, whether or not Content-Length says so.

    ``per_path`` gives paths their own limit (``{"/api/v1/documents": 20 MB}``); a key that
    starts with ``^`` is a regular expression (``^/api/v1/reports/\\d+/import\\.docx$``). The
    route behind such a path still counts what it reads, this only bounds what reaches it.
    """

    def __init__(self, app: ASGIApp, limit: int, per_path: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.per_path = {k: v for k, v in (per_path or {}).items() if not k.startswith("^")}
        self.patterns = [
            (re.compile(k), v) for k, v in (per_path or {}).items() if k.startswith("^")
        ]

    def limit_for(self, path: str) -> int:
        if path in self.per_path:
            return self.per_path[path]
        return next((v for pattern, v in self.patterns if pattern.match(path)), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await refuse(send, 413, f"request body over {limit} bytes")
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await refuse(send, 413, f"request body over {limit} bytes")
