"""``POST /api/v1/chat``: one message to the chat bound to a report, answered as SSE."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import MAX_ID, ChatDep, CurrentUser
from assistant.api.sse import EventStream, events_from_thread
from assistant.chat.service import MAX_MESSAGE

router = APIRouter(prefix="/api/v1", tags=["chat"])


class ChatIn(BaseModel):
    report_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    message: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE)]


@router.post(
    "/chat",
    response_class=EventStream,
    responses={200: {"content": {"text/event-stream": {}}}, 404: {}, 422: {}},
)
async def chat(body: ChatIn, user: CurrentUser, service: ChatDep) -> EventStream:
    """Events: ``token`` (reply text), ``citations``, ``facts`` (proposed), ``checks``,
    ``done`` ({action, section, version_id, message_id}) or ``error``."""
    job = await run_in_threadpool(service.prepare, user, body.report_id, body.message)
    return EventStream(events_from_thread(lambda emit: service.run(job, emit), name="chat"))


class ChatMessagePublic(BaseModel):
    id: int
    role: str  # user | assistant
    content: str
    actions: list[dict[str, Any]]  # what an assistant reply did (the ``done`` event's actions)
    created_at: str


class ChatHistoryPublic(BaseModel):
    messages: list[ChatMessagePublic]


@router.get("/reports/{report_id}/chat", responses={404: {}})
async def chat_history(
    report_id: Annotated[int, Path(ge=1, le=MAX_ID)], user: CurrentUser, service: ChatDep
) -> ChatHistoryPublic:
    """The caller's own conversation about the report, oldest first, so it is there again
    when the report is reopened."""
    messages = await run_in_threadpool(service.history, user, report_id)
    return ChatHistoryPublic.model_validate({"messages": messages})
