"""Dependencies shared by routes: the services built at start-up and the signed-in user.

Routes build no service themselves: each feature service is built once by the composition root
(:class:`assistant.services.Services`) and handed to a route by its alias below (``ReportsDep``,
``DraftsDep`` …), so a test that gives the app other services changes what every route calls.

A request is authenticated by a bearer token (``Authorization: Bearer …``, for scripts) or by
the HttpOnly session cookie the login sets (for the web page, see :mod:`assistant.api.session`);
both are opaque tokens checked against the database. A bearer token may also be a personal API
key (``gwk_…``, :mod:`assistant.accounts.api_keys`): a read-only one may only read here (and
chat, where the chat itself refuses to write for it); a key is never accepted as a cookie.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from assistant.accounts.api_keys import looks_like_key
from assistant.accounts.service import Principal
from assistant.api.session import MAX_TOKEN, bearer_token, session_token
from assistant.chat.service import ChatService
from assistant.compat.completion import Completions
from assistant.knowledge.service import Knowledge
from assistant.reports.drafting import DraftService
from assistant.reports.outline import OutlineService
from assistant.reports.roundtrip import WordImport
from assistant.reports.sections import SectionService
from assistant.reports.service import ReportService
from assistant.reports.structure import StructureService
from assistant.review.service import ReviewService
from assistant.services import Services
from assistant.uploads.service import Uploads

_bearer = HTTPBearer(auto_error=False)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHAT = frozenset({"/api/v1/chat", "/v1/chat/completions"})  # they refuse writes themselves
READ_ONLY = "此 API 密钥为只读：只能查看、检索、提问和检查，不能修改。"
# Routes that write a key's use in the transaction of their own work (one write, not two);
# :class:`assistant.api.openai_errors.OpenAIRoute` writes it for them if they did not.
DEFERRED_USE = frozenset({"/v1/chat/completions"})


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def current_user(
    request: Request,
    # Only for the OpenAPI page's "Authorize" button: the header is read by bearer_token below,
    # the same way logout and the CSRF guard read it.
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    bearer = bearer_token(request.headers.get("authorization"))
    token = bearer or session_token(request)
    user = None
    if token and len(token) <= MAX_TOKEN:
        services = get_services(request)
        if bearer and looks_like_key(bearer):
            secret, path = bearer, request.url.path
            defer = path in DEFERRED_USE and request.method == "POST"
            user = await run_in_threadpool(
                lambda: services.api_keys.resolve(
                    secret, method=request.method, path=path, record=not defer
                )
            )
            if defer:  # the route writes the use with its work, or its wrapper without
                request.state.key_use = user
        elif not looks_like_key(token):
            user = await run_in_threadpool(services.accounts.resolve, token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="not signed in: log in at POST /api/v1/auth/login and send the token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if user.read_only and request.method not in READ_METHODS and request.url.path not in CHAT:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=READ_ONLY)
    return user


async def admin_user(user: Annotated[Principal, Depends(current_user)]) -> Principal:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="this needs the admin role")
    return user


MAX_ID = 2**31 - 1  # ids are database integers: larger ones cannot exist (422, not a crash)
ServicesDep = Annotated[Services, Depends(get_services)]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
CurrentUser = Annotated[Principal, Depends(current_user)]
AdminUser = Annotated[Principal, Depends(admin_user)]


# -- the composition root's feature services, one alias each (routes never build their own) -----


def _service(name: str) -> Any:
    """The dependency handing a route the root's service ``name`` (a :class:`Services`
    property): built on first use, then shared by every request."""

    def service(services: ServicesDep) -> Any:
        return getattr(services, name)

    service.__name__ = f"{name}_service"
    return Depends(service)


ReportsDep = Annotated[ReportService, _service("reports")]
SectionsDep = Annotated[SectionService, _service("sections")]
DraftsDep = Annotated[DraftService, _service("drafts")]
OutlinesDep = Annotated[OutlineService, _service("outlines")]
ImporterDep = Annotated[WordImport, _service("importer")]
UploadsDep = Annotated[Uploads, _service("uploads")]
KnowledgeDep = Annotated[Knowledge, _service("knowledge")]
ChatDep = Annotated[ChatService, _service("chat")]
CompletionsDep = Annotated[Completions, _service("completions")]
ReviewsDep = Annotated[ReviewService, _service("reviews")]
StructureDep = Annotated[StructureService, _service("structure")]
