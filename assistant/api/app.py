"""The FastAPI app factory. Services are built once in the lifespan, never at import time.

It also owns the one mapping from errors to responses: an :class:`~assistant.errors.AssistantError`
answers with its own status and ``{"detail": exc.public(), "code": exc.code}`` (masked), so routes
only raise. Every other error answer carries a ``code`` too (:func:`~assistant.errors.http_code`),
so the page can say in Chinese what to do without parsing messages."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.accounts.ratelimit import LoginLimiter
from assistant.api.csrf import CSRFGuard
from assistant.api.lanes import Lanes
from assistant.api.limits import MULTIPART_OVERHEAD, BodyLimit
from assistant.api.mcp_http import MCP_PATH, McpHttp
from assistant.api.routes import (
    admin,
    auth,
    chat,
    docs,
    documents,
    keys,
    openai_compat,
    outline,
    reports,
    review,
    roundtrip,
    search,
    web,
)
from assistant.api.routes import knowledge as knowledge_routes  # the 知识库 (issue 15)
from assistant.api.routes import structure as structure_routes  # sections per report (issue 15)
from assistant.config import Settings
from assistant.errors import VALIDATION_CODE, AssistantError, http_code
from assistant.masking import install_log_masking, mask_data
from assistant.services import Services, build_services

log = logging.getLogger("assistant")
MAX_BODY_BYTES = 1024 * 1024


ADMIN_PASSWORD_FILE = "initial-admin-password"


def note_first_admin(services: Services, settings: Settings, first: tuple[str, str] | None) -> None:
    """The first admin's random password goes to a file only its owner can read, never to the
    console or a log (a serve log is kept and read by others); once the password has been
    changed, the file is removed at the next start."""
    path = settings.data_dir / ADMIN_PASSWORD_FILE
    if first is not None:
        name, password = first
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(password + "\n")
        print(
            f"\n  First start: created user {name!r}; its password is in {path}\n"
            f"  (readable only by this account; change it with: assistant users passwd {name})\n",
            flush=True,
        )
    elif path.is_file():
        password = path.read_text(encoding="utf-8").strip()
        if services.accounts.authenticate("admin", password) is None:
            path.unlink(missing_ok=True)  # changed since: the file tells nothing any more


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings()
    install_log_masking()  # here, not at import: no import-time side effects

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built = services or build_services(settings)
        first = built.accounts.ensure_admin()  # also applies the database migrations
        note_first_admin(built, settings, first)
        try:
            # A kill -9 between an upload's chunks and its row leaves orphans: remove them.
            built.reconcile_uploads()
        except Exception:  # the store may be down; searches still ignore orphan chunks
            log.exception("could not reconcile uploads with the store at start-up")
        app.state.services = built
        app.state.login_limiter = LoginLimiter()
        async with mcp.running():  # the MCP server's HTTP sessions (/mcp)
            yield
        if services is None:
            built.close()

    mcp = McpHttp(lambda: app.state.services)
    app = FastAPI(
        title="公文写作助手",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from the package by routes/docs.py: no CDN on an intranet
        redoc_url=None,
    )
    # Heavy work (uploads, imports, drafts) in lanes of its own: cheap requests never queue
    # behind it (issue 17).
    app.state.lanes = Lanes.from_settings(settings)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Details may quote an exception's text (and so an endpoint's URL): masked for users.
        detail = mask_data(exc.detail)
        body = {"detail": detail, "code": http_code(exc.status_code)}
        return JSONResponse(body, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            # type: pydantic's machine-readable reason, which the page words in Chinese
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors, "code": VALIDATION_CODE}, 422)

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse({"detail": "internal error", "code": "internal"}, 500)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def out_of_range(_: Request, exc: Exception) -> JSONResponse:
        # A value the database cannot hold (an id past 64 bits) names nothing that exists.
        log.info("value out of range for the database: %s", type(exc).__name__)
        return JSONResponse({"detail": "value out of range", "code": "invalid"}, 422)

    @app.exception_handler(AssistantError)
    async def refused(_: Request, exc: AssistantError) -> JSONResponse:
        if exc.status == 500:
            raise exc  # a fault of the installation, not a refusal: answered like any crash
        # Messages may quote an exception's text (and so an endpoint's URL): masked for users.
        body = {"detail": mask_data(exc.public()), "code": exc.code}
        return JSONResponse(body, exc.status, exc.headers())

    app.include_router(auth.router)
    app.include_router(search.router)
    app.include_router(reports.router)
    app.include_router(outline.router)
    app.include_router(review.router)
    app.include_router(roundtrip.router)
    app.include_router(documents.router)
    app.include_router(chat.router)
    app.include_router(keys.router)
    app.include_router(openai_compat.router)
    app.router.routes.append(Route(MCP_PATH, mcp, methods=["GET", "POST", "DELETE"]))
    app.include_router(knowledge_routes.router)  # the 知识库 (issue 15)
    app.include_router(web.router)
    app.include_router(docs.router)
    # User administration and the overall audit log (admins); own password change (everyone).
    app.include_router(admin.router)
    # A report's numbered parts added, removed, renamed, reordered (issue 15).
    app.include_router(structure_routes.router)
    origins = [settings.public_url or "", *settings.allowed_origins.split(",")]
    app.add_middleware(CSRFGuard, origins=origins)
    app.add_middleware(
        BodyLimit,
        limit=MAX_BODY_BYTES,
        per_path={
            documents.UPLOAD_PATH: settings.max_file_bytes + MULTIPART_OVERHEAD,
            roundtrip.IMPORT_PATTERN: settings.max_file_bytes + MULTIPART_OVERHEAD,
            knowledge_routes.UPLOAD_PATH: settings.max_file_bytes + MULTIPART_OVERHEAD,
        },
    )
    if settings.trusted_proxies.strip():
        # Outermost, so the scheme (Secure cookie, own origin) and the client address (login
        # limits) are the proxy's word only when the proxy is one we were told to trust.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
