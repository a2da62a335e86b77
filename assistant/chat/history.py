"""Chat history per report and user: a bounded window of recent messages plus a summary.

Older messages are folded into a short summary (what the user asked, what was done) instead of
being sent again and again, so a long conversation costs the same as a short one. The summary is
built by rule from the messages' recorded actions; it never contains an upload's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.storage.models import ChatMessage, ChatSession

WINDOW = 8  # messages kept verbatim
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class Turn:
    role: str
    content: str
    meta: dict[str, Any]


def session_for(s: Session, *, report_id: int, user_id: int) -> ChatSession:
    chat = s.scalar(
        select(ChatSession)
        .where(ChatSession.report_id == report_id, ChatSession.user_id == user_id)
        .order_by(ChatSession.id.desc())
    )
    if chat is None:
        chat = ChatSession(report_id=report_id, user_id=user_id)
        s.add(chat)
        s.flush()
    return chat


def append(
    s: Session, chat: ChatSession, *, role: str, content: str, meta: dict[str, Any] | None = None
) -> ChatMessage:
    msg = ChatMessage(session_id=chat.id, role=role, content=content[:20_000], meta=meta or {})
    s.add(msg)
    s.flush()
    _fold(s, chat)
    return msg


def _latest(s: Session, chat: ChatSession, limit: int, *, skip: int = 0) -> list[ChatMessage]:
    """The session's messages, newest first: ``limit`` of them after the ``skip`` newest."""
    newest_first = (
        select(ChatMessage).where(ChatMessage.session_id == chat.id).order_by(ChatMessage.id.desc())
    )
    return list(s.scalars(newest_first.offset(skip).limit(limit)).all())


def window(s: Session, chat: ChatSession) -> list[Turn]:
    return [Turn(m.role, m.content, m.meta) for m in reversed(_latest(s, chat, WINDOW))]


def _line(msg: ChatMessage) -> str:
    action = msg.meta.get("action", "")
    section = msg.meta.get("section") or ""
    if msg.role == "user":
        return f"用户：{msg.content[:40]}"
    return f"助手：{action}{('（' + section + '）') if section else ''}"


def _fold(s: Session, chat: ChatSession) -> None:
    """Messages beyond the window go into the summary, oldest first, then are left as records."""
    total = s.scalar(
        select(func.count()).select_from(ChatMessage).where(ChatMessage.session_id == chat.id)
    )
    if not total or total <= WINDOW:
        return
    for msg in _latest(s, chat, 1, skip=WINDOW):
        if msg.meta.get("folded"):
            continue
        chat.summary = (chat.summary + "；" + _line(msg)).strip("；")[-SUMMARY_CHARS:]
        msg.meta = {**msg.meta, "folded": True}


HISTORY_LIMIT = 200


def listing(s: Session, chat: ChatSession, *, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The conversation as the page shows it on reopening: the last ``limit`` messages, oldest
    first, each with the actions it did (an assistant reply's ``actions``)."""
    rows = _latest(s, chat, limit)
    return [
        {
            "id": m.id,
            "role": m.role,
            "content": m.content,
            "actions": list(m.meta.get("actions") or []),
            "created_at": m.created_at.isoformat(),
        }
        for m in reversed(rows)
    ]
