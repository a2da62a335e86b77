"""Errors on ``/v1`` in OpenAI's shape: ``{"error": {"message", "type", "param", "code"}}``.

OpenAI's clients (the ``openai`` SDK, LangChain, Open WebUI, Chatbox) read this shape and show
``message``; the rest of the API keeps ``{"detail": …}``. :class:`OpenAIRoute` is the route
class of the ``/v1`` router: whatever its dependencies or handler raise — a missing key, a
body that does not validate, one of :mod:`assistant.errors` — is answered here, with the status
it would have had (validation errors are 400, as OpenAI answers them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.accounts.service import Principal
from assistant.api.session import bearer_token
from assistant.errors import AssistantError
from assistant.masking import mask_data

log = logging.getLogger("assistant.openai")

NO_KEY = (
    "缺少 API 密钥：请在请求头 Authorization: Bearer 中提供个人 API 密钥"
    "（在页面的“API 密钥”中创建，或运行 assistant keys create）"
)
BAD_KEY = "API 密钥无效、已吊销或已过期"
_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    429: "rate_limit_error",
}
_CODES = {401: "invalid_api_key", 403: "permission_denied", 404: "not_found", 413: "too_large"}


def error_body(message: str, status: int, code: str | None = None) -> dict[str, Any]:
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def openai_error(
    message: str, status: int, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(str(mask_data(message)), status, code), status, headers)


def _validation(exc: RequestValidationError) -> JSONResponse:
    where = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
        where.append(f"{loc or '请求体'}：{e.get('msg', '')}")
    message = "请求格式不对（" + "；".join(where[:5]) + "）" if where else "请求格式不对"
    return openai_error(message, 400, "invalid_request")


def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 401:
        sent = bearer_token(request.headers.get("authorization")) is not None
        code = "invalid_api_key" if sent else "missing_api_key"
        return openai_error(BAD_KEY if sent else NO_KEY, 401, code, exc.headers)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return openai_error(detail, exc.status_code, _CODES.get(exc.status_code), exc.headers)


class OpenAIRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            response = await _answer(handler, request)
            await _unrecorded_use(request, response.status_code)
            return response

        return answer


async def _answer(
    handler: Callable[[Request], Coroutine[Any, Any, Response]], request: Request
) -> Response:
    try:
        return await handler(request)
    except RequestValidationError as exc:
        return _validation(exc)
    except StarletteHTTPException as exc:
        return _http(request, exc)
    except AssistantError as exc:
        if exc.status == 500:
            log.exception("/v1: fault of the installation")
            return openai_error("服务内部错误", 500, "internal")
        status = 400 if exc.status == 422 else exc.status
        return openai_error(str(exc), status, exc.code, exc.headers())
    except Exception:
        log.exception("/v1: unhandled error")
        return openai_error("服务内部错误", 500, "internal")


async def _unrecorded_use(request: Request, status: int) -> None:
    """A key's use the route was to write with its work (``request.state.key_use``) and did not
    get to (the request was refused first): written here, with the answer's status."""
    user: Principal | None = getattr(request.state, "key_use", None)
    if user is None:
        return
    request.state.key_use = None
    services = request.app.state.services
    await run_in_threadpool(
        lambda: services.api_keys.note_use(
            user, method=request.method, path=request.url.path, status=status
        )
    )
