"""The staff web page: ``/`` and its static assets from ``assistant/web`` (no build step).

The page needs no sign-in to load; it signs in through the API, whose session cookie the page's
``fetch`` calls then carry. Only the files that exist in the package and end in .js or .css are
served under ``/static``; everything gets a strict Content-Security-Policy (no inline script or
style, nothing from another origin) and ``nosniff``.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from assistant.errors import NotFound

router = APIRouter(include_in_schema=False)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(?:js|css)$")


@router.get("/")
async def index() -> FileResponse:
    return FileResponse(
        WEB_DIR / "index.html", media_type="text/html; charset=utf-8", headers=HEADERS
    )


@router.get("/static/{name}")
async def static(name: str) -> FileResponse:
    path = WEB_DIR / name
    if not _NAME.match(name) or not path.is_file():
        raise NotFound("not found")
    return FileResponse(path, media_type=TYPES[path.suffix], headers=HEADERS)
