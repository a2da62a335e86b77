"""A JSON refusal sent straight through ASGI, by the middlewares that answer before a route
runs (CSRF, body limits): the same ``{"detail": …}`` shape the app's error handler gives."""

from __future__ import annotations

import json

from starlette.types import Send


async def refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
