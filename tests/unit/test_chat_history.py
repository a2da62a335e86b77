"""Chat history: a bounded window of recent messages, older ones folded into a summary."""

from __future__ import annotations

from assistant.chat.history import WINDOW, append, session_for, window
from assistant.services import Services
from assistant.storage.models import Report


def test_window_is_bounded_and_older_messages_are_summarised(services: Services) -> None:
    user = services.accounts.add("dora", "long-enough-pw", "drafter")
    with services.db.session() as s:
        report = Report(owner_id=user.id, template="工作情况汇报")
        s.add(report)
        s.flush()
        chat = session_for(s, report_id=report.id, user_id=user.id)
        for i in range(WINDOW + 4):
            append(s, chat, role="user", content=f"第{i}条：起草第一部分")
            append(
                s,
                chat,
                role="assistant",
                content="好的",
                meta={"action": "draft", "section": "work_1"},
            )
        turns = window(s, chat)
        assert len(turns) == WINDOW
        assert turns[-1].role == "assistant"
        assert "用户：第0条" in chat.summary and "助手：draft（work_1）" in chat.summary
        assert len(chat.summary) <= 600
        # the same session is found again for the same report and user
        assert session_for(s, report_id=report.id, user_id=user.id).id == chat.id
