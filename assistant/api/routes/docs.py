"""The API's reference pages, ``/docs`` (Swagger UI) and ``/redoc``, served from the package.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, which an intranet cannot reach (the
page stayed blank). Here the scripts and styles come from the ``fastapi-offline`` wheel's
static files under ``/docs/assets/``; the pages are ours, with their start-up script in a file
(no inline script). Like ``/`` they carry no data: the schema they read is ``/openapi.json``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from assistant.errors import NotFound

router = APIRouter(include_in_schema=False)

_VENDOR = Path(str(files("fastapi_offline") / "static"))
_OWN = Path(__file__).resolve().parents[2] / "web" / "docs"
ASSETS = {
    "swagger-ui-bundle.js": _VENDOR / "swagger-ui-bundle.js",
    "swagger-ui.css": _VENDOR / "swagger-ui.css",
    "redoc.standalone.js": _VENDOR / "redoc.standalone.js",
    "favicon.png": _VENDOR / "favicon.png",
    "swagger-init.js": _OWN / "swagger-init.js",
}
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}
# Swagger UI and ReDoc set styles at run time and ReDoc searches in a blob: worker.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
_HEAD = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="icon" href="/docs/assets/favicon.png">'
)

SWAGGER = (
    f"{_HEAD}<title>公文写作助手 API 文档</title>"
    '<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>'
    '<body><div id="swagger-ui"></div>'
    '<script src="/docs/assets/swagger-ui-bundle.js"></script>'
    '<script src="/docs/assets/swagger-init.js"></script></body></html>'
)
REDOC = (
    f"{_HEAD}<title>公文写作助手 API 参考</title></head>"
    '<body><redoc spec-url="/openapi.json"></redoc>'
    '<script src="/docs/assets/redoc.standalone.js"></script></body></html>'
)


@router.get("/docs")
async def swagger() -> HTMLResponse:
    return HTMLResponse(SWAGGER, headers=HEADERS)


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return HTMLResponse(REDOC, headers=HEADERS)


@router.get("/docs/assets/{name}")
async def asset(name: str) -> FileResponse:
    path = ASSETS.get(name)
    if path is None or not path.is_file():
        raise NotFound("not found")
    return FileResponse(
        path,
        media_type=TYPES[path.suffix],
        headers={**HEADERS, "Cache-Control": "public, max-age=86400"},
    )
