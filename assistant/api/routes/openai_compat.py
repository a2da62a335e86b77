"""``/v1/models`` and ``/v1/chat/completions``: the assistant as an OpenAI-compatible model.

Signed in only by ``Authorization: Bearer`` (a personal API key or a login token), never by
the page's cookie: OpenAI clients always send the header, and a browser never adds it by
itself. Errors come in OpenAI's shape (:mod:`assistant.api.openai_errors`). A stream is
OpenAI's: ``data: {chunk}`` lines ending with ``data: [DONE]``; a failure after the first byte is
a ``data: {"error": …}`` line, which the SDK raises as an error.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.service import Principal
from assistant.api.deps import CompletionsDep, ServicesDep, current_user
from assistant.api.openai_errors import OpenAIRoute, error_body
from assistant.api.session import bearer_token
from assistant.api.sse import EventStream, pairs_from_thread
from assistant.compat.completion import CompletionJob, Completions
from assistant.compat.models import model_list
from assistant.errors import Invalid, NotFound

router = APIRouter(prefix="/v1", tags=["openai"], route_class=OpenAIRoute)
MAX_MESSAGES = 1000


async def bearer_user(request: Request) -> Principal:
    """A key or a login token in the Authorization header; the cookie does not count here."""
    if bearer_token(request.headers.get("authorization")) is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    return await current_user(request, None)


BearerUser = Annotated[Principal, Depends(bearer_user)]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None


class CompletionIn(BaseModel):
    """OpenAI's request; what we do not use (temperature, tools, …) is accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str | None = None
    messages: Annotated[list[MessageIn], Field(min_length=1, max_length=MAX_MESSAGES)]
    stream: bool = False
    n: int | None = Field(default=None, ge=1)


@router.get("/models")
async def models(user: BearerUser, services: ServicesDep) -> dict[str, Any]:
    """The corpus model and one model per report the caller may read (``report-<id>``)."""
    data = await run_in_threadpool(model_list, services.db, services.templates, user)
    return {"object": "list", "data": data}


@router.get("/models/{model_id}")
async def model(model_id: str, user: BearerUser, services: ServicesDep) -> dict[str, Any]:
    data = await run_in_threadpool(model_list, services.db, services.templates, user)
    found = next((m for m in data if m["id"] == model_id), None)
    if found is None:
        raise NotFound(f"模型 {model_id[:80]!r} 不存在或您无权访问")
    return found


def _chunk(
    cid: str,
    model_id: str,
    created: int,
    delta: dict[str, Any],
    finish: str | None,
    extra: dict[str, Any] | None = None,
) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model_id,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        **(extra or {}),
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(
    service: Completions, job: CompletionJob, cid: str, created: int
) -> AsyncIterator[str]:
    pairs = pairs_from_thread(lambda emit: service.run(job, emit), name="openai-chat")
    yield _chunk(cid, job.model, created, {"role": "assistant", "content": ""}, None)
    async with contextlib.aclosing(pairs):  # a client gone stops the chat at its next event
        async for item in pairs:
            if item is None:
                yield ": keep-alive\n\n"
                continue
            event, data = item
            if event == "delta":
                yield _chunk(cid, job.model, created, {"content": data["text"]}, None)
            elif event == "finish":
                extra = {"gongwen": {"actions": data.get("actions", [])}}
                yield _chunk(cid, job.model, created, {}, str(data["reason"]), extra)
            elif event == "error":
                body = error_body(str(data.get("detail") or "服务内部错误"), 500, "internal")
                yield f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
                return
    yield "data: [DONE]\n\n"


async def _collect(service: Completions, job: CompletionJob) -> tuple[str, dict[str, Any]]:
    parts: list[str] = []
    finish: dict[str, Any] = {}
    pairs = pairs_from_thread(lambda emit: service.run(job, emit), name="openai-chat")
    async with contextlib.aclosing(pairs):
        async for item in pairs:
            if item is None:
                continue
            event, data = item
            if event == "delta":
                parts.append(str(data["text"]))
            elif event == "finish":
                finish = data
            elif event == "error":
                raise RuntimeError(str(data.get("detail")))
    return "".join(parts), finish


@router.post(
    "/chat/completions",
    response_model=None,
    responses={200: {"content": {"text/event-stream": {}}}, 400: {}, 401: {}, 404: {}},
)
async def chat_completions(
    body: CompletionIn, user: BearerUser, service: CompletionsDep, request: Request
) -> EventStream | JSONResponse:
    """The last user message to the chat of the report named by ``model`` (or a corpus
    search for ``corpus``); streamed when ``stream`` is true."""
    if body.n not in (None, 1):
        raise Invalid("n 只能为 1：每次只生成一个回复")
    messages = [m.model_dump() for m in body.messages]
    record = getattr(request.state, "key_use", None) is not None
    job = await run_in_threadpool(
        lambda: service.prepare(user, body.model, messages, record_use=record)
    )
    request.state.key_use = None  # written by prepare, with the report it reached
    cid = "chatcmpl-" + secrets.token_hex(12)
    created = int(time.time())
    if body.stream:
        return EventStream(_stream(service, job, cid, created))
    text, finish = await _collect(service, job)
    return JSONResponse(
        {
            "id": cid,
            "object": "chat.completion",
            "created": created,
            "model": job.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish.get("reason", "stop"),
                    "logprobs": None,
                }
            ],
            # No token counts: the chat's steps are not all model calls (offline none are), so
            # a usage figure would be invented. OpenAI's clients accept its absence.
            "gongwen": {"actions": finish.get("actions", [])},
        }
    )


@router.api_route(
    "/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def unknown(rest: str) -> None:
    raise NotFound(f"没有接口 /v1/{rest[:80]}：本服务提供 /v1/models 和 /v1/chat/completions")
