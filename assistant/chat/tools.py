"""The tool planner: with an LLM configured, the chat's model chooses the steps by tool calling.

One tool per chat action (:data:`assistant.chat.plan.ACTIONS`), with typed arguments; the
``section`` argument is an enum of the bound report's section ids. The model is given only the
system prompt (``prompts/chat_tools.md``), the section list (id, label, drafted or not, heading),
the fact keys, the section last talked about, the recent user messages and the message itself —
never a section's text or an upload's, so nothing a document says can choose an action. The
reply's tool calls, in order, are the steps. Anything unusable — the endpoint fails or has no tool
support, no call, an unknown tool, arguments of the wrong shape, a section not in the report, a
call naming another report — makes :meth:`ToolPlanner.plan` return ``None`` and the rules choose
instead; a plan is taken whole or not at all.
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from assistant.chat.plan import ACTIONS, Action, ReportView, Step
from assistant.config import Settings
from assistant.drafting.llm import build_chat_model
from assistant.drafting.prompts import load_prompt

log = logging.getLogger(__name__)
MAX_STEPS = 6
PROMPT = "chat_tools"

# Per action: its arguments and whether each is required. Every tool also takes an optional
# integer report_id, which must be the bound report's (see _steps).
ARGS: dict[str, dict[str, bool]] = {
    "draft": {"section": True, "instruction": False, "confirmed": False},
    "draft_all": {"confirmed": False},
    "revise": {"section": True, "instruction": True, "passage": False, "confirmed": False},
    "facts": {},
    "answer": {"query": False, "section": False},
    "gaps": {"section": False},
    "check": {"section": False},
    "search": {"query": True},
    "sources": {"section": True},
    "ask": {},
    "help": {},
}

_TOOL_TEXT: dict[str, str] = {
    "draft": "起草报告的某一部分，或从头重写某一部分。",
    "draft_all": "起草整篇报告的所有部分。",
    "revise": "按用户要求修改某一部分的现有草稿，可只改其中一层或一段。",
    "facts": "把用户消息中说出的数字、日期、名称等事实提交为待确认的事实。",
    "answer": "回答用户关于报告数据或内容的问题。",
    "gaps": "列出报告还缺哪些数据、哪些部分没写或有【待补充】。",
    "check": "检查错别字、提法、标点、数字和出处；不给 section 即检查全文。",
    "search": "检索范文、政策文件和本报告的上传材料。",
    "sources": "说明某一部分中数字和表述的出处。",
    "ask": "用户指某一部分但无法判断是哪一部分时，请用户说明。",
    "help": "问候、询问功能，或与撰写本报告无关的消息。",
}
_ARG_TEXT: dict[str, str] = {
    "section": "报告部分的 id，取自部分列表",
    "instruction": "用户的修改或写作要求，尽量用用户原话",
    "passage": "用户用引号指出的原文，或所指那一层的开头语",
    "query": "要查找的内容或用户的问题，尽量用用户原话",
    "confirmed": "仅当用户本条消息明确确认重写或覆盖时为 true",
}
_STRINGS = ("instruction", "passage", "query")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


class _Unusable(Exception):
    """The reply cannot become a plan; the message says why, without the user's words."""


def tool_specs(view: ReportView) -> list[dict[str, Any]]:
    """The tools in OpenAI's format for this report (the section enum is its section ids)."""
    ids = [s.id for s in view.sections]
    specs = []
    for action in ACTIONS:
        properties: dict[str, Any] = {}
        for arg in ARGS[action]:
            if arg == "section":
                properties[arg] = {"type": "string", "enum": ids, "description": _ARG_TEXT[arg]}
            elif arg == "confirmed":
                properties[arg] = {"type": "boolean", "description": _ARG_TEXT[arg]}
            else:
                properties[arg] = {"type": "string", "description": _ARG_TEXT[arg]}
        properties["report_id"] = {"type": "integer", "description": "不要填写：报告由程序绑定"}
        specs.append(
            {
                "type": "function",
                "function": {
                    "name": action,
                    "description": _TOOL_TEXT[action],
                    "parameters": {
                        "type": "object",
                        "properties": properties,
                        "required": [a for a, required in ARGS[action].items() if required],
                        "additionalProperties": False,
                    },
                },
            }
        )
    return specs


def context(message: str, view: ReportView) -> str:
    """The one user message the model gets: what it may know of the report, then the message."""
    lines = ["报告的部分（id｜名称｜状态｜标题）："]
    for s in view.sections:
        state = "已起草" if s.drafted else "未起草"
        lines.append(f"- {s.id}｜{view.label(s.id)}｜{state}｜{s.heading or '（无标题）'}")
    lines.append("事实表中已有的事项：" + ("、".join(view.fact_keys) or "（无）"))
    last = view.last_section
    if last is not None and view.section(last) is not None:
        lines.append(f"上次谈到的部分：{last}（{view.label(last)}）")
    else:
        lines.append("上次谈到的部分：（无）")
    if view.history:
        lines.append("最近的消息（从早到晚，只用于理解指代，不要重复执行）：")
        lines.extend(f"{n}. {h}" for n, h in enumerate(view.history, start=1))
    lines += ["本条用户消息：", "<<<", message, ">>>"]
    return "\n".join(lines)


class ToolPlanner:
    """Steps from one tool-calling round trip; ``None`` whenever the reply cannot be trusted."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        timeout: float | None = None,
        max_steps: int = MAX_STEPS,
        system: str | None = None,
    ) -> None:
        """``model``: any langchain chat model with tool support (``ChatOpenAI`` in production).
        ``timeout``: seconds for the whole call, retries included; past it the rules choose.
        ``system``: the system prompt, default ``prompts/chat_tools.md``."""
        self.model = model
        self.timeout = timeout
        self.max_steps = max_steps
        self.system = system if system is not None else load_prompt(PROMPT).render()

    @classmethod
    def from_settings(cls, settings: Settings) -> ToolPlanner:
        return cls(build_chat_model(settings), timeout=settings.llm_timeout)

    def messages(self, message: str, view: ReportView) -> list[BaseMessage]:
        return [SystemMessage(self.system), HumanMessage(context(message, view))]

    def plan(self, message: str, view: ReportView, *, report_id: int) -> list[Step] | None:
        try:
            bound = self.model.bind_tools(tool_specs(view))
            reply = _within(lambda: bound.invoke(self.messages(message, view)), self.timeout)
            steps = self._steps(reply, view, report_id)
        except _Unusable as exc:
            log.info("chat planner: the model's tool calls are unusable (%s); rules choose", exc)
            return None
        except Exception as exc:  # any endpoint or client failure: the rules still work
            log.info("chat planner: tool calling failed (%s); rules choose", _what(exc))
            return None
        log.info("chat planner: tools chose %s", [s.action for s in steps])
        return steps

    def _steps(self, reply: object, view: ReportView, report_id: int) -> list[Step]:
        if not isinstance(reply, AIMessage):
            raise _Unusable(f"reply is a {type(reply).__name__}")
        if reply.invalid_tool_calls:
            raise _Unusable("a tool call's arguments are not valid JSON")
        if reply.response_metadata.get("finish_reason") == "length":
            # Streamed arguments are parsed leniently (a cut-off JSON object is repaired to
            # its prefix), so a reply cut at the token limit is refused here.
            raise _Unusable("the reply was cut off at the length limit")
        if not reply.tool_calls:
            raise _Unusable("no tool call")
        steps = [_step(call["name"], call["args"], view, report_id) for call in reply.tool_calls]
        if len(steps) > self.max_steps:
            log.info("chat planner: %d tool calls, the first %d kept", len(steps), self.max_steps)
        return steps[: self.max_steps]


def _step(name: str, args: Mapping[str, Any], view: ReportView, report_id: int) -> Step:
    if name not in ARGS:
        shown = name if _NAME.match(name) else "<not an identifier>"
        raise _Unusable(f"unknown tool {shown}")
    if not isinstance(args, Mapping):
        raise _Unusable(f"{name}: arguments are not an object")
    allowed = ARGS[name]
    extra = sorted(k for k in args if k not in allowed and k != "report_id")
    if extra:
        raise _Unusable(f"{name}: unexpected arguments {', '.join(map(_safe_key, extra))}")
    # Models often send null for an optional argument they do not use; that is "not given".
    given = {k: v for k, v in args.items() if v is not None}
    if "report_id" in given:
        rid = given["report_id"]
        if isinstance(rid, bool) or not isinstance(rid, int):
            raise _Unusable(f"{name}: report_id is not an integer")
        if rid != report_id:
            log.warning(
                "chat planner: refused a %s call naming report %d; the chat is bound to %d",
                name,
                rid,
                report_id,
            )
            raise _Unusable(f"{name}: names another report")
    missing = [a for a, required in allowed.items() if required and a not in given]
    if missing:
        raise _Unusable(f"{name}: missing {', '.join(missing)}")
    section = given.get("section")
    if section is not None and (not isinstance(section, str) or view.section(section) is None):
        raise _Unusable(f"{name}: section is not one of the report's")
    texts: dict[str, str] = {}
    for arg in _STRINGS:
        if arg in given:
            value = given[arg]
            if not isinstance(value, str):
                raise _Unusable(f"{name}: {arg} is not a string")
            texts[arg] = value.strip()
            if allowed[arg] and not texts[arg]:
                raise _Unusable(f"{name}: {arg} is empty")
    confirmed = given.get("confirmed", False)
    if not isinstance(confirmed, bool):
        raise _Unusable(f"{name}: confirmed is not a boolean")
    return Step(cast(Action, name), section, confirmed=confirmed, **texts)


def _safe_key(key: str) -> str:
    return key if _NAME.match(key) else "<not an identifier>"


def _what(exc: Exception) -> str:
    """The failure without the response body (which may echo the prompt)."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}, HTTP {status}" if status else type(exc).__name__


def _within(call: Callable[[], object], timeout: float | None) -> object:
    """``call()`` with a wall-clock bound. The client's own timeout is per attempt and its
    retries multiply it; a planner has a fallback, so past ``timeout`` the rules go ahead and
    the abandoned request ends in its daemon thread when the client's timeout ends it."""
    if timeout is None:
        return call()
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["value"] = call()
        except Exception as exc:  # re-raised in the caller's thread
            out["error"] = exc

    # The caller's context (langchain callbacks, tracing) goes along with the call.
    ctx = contextvars.copy_context()
    worker = threading.Thread(target=ctx.run, args=(run,), name="chat-tool-planner", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"no plan within {timeout:g} s")
    if "error" in out:
        raise cast(Exception, out["error"])
    return out.get("value")
