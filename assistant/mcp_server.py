"""The assistant as an MCP server (official ``mcp`` SDK): ``assistant mcp`` over stdio, and
streamable HTTP at ``/mcp`` under the service (:mod:`assistant.api.mcp_http`).

Over stdio it acts for the owner of one personal API key (``ASSISTANT_MCP_KEY``); over HTTP for
the owner of the key each request carries. Either way with that user's rights narrowed by the
key's scope: each tool is a function of :class:`assistant.compat.mcp_tools.McpTools`, chosen per
call by ``tools_for(ctx)``. A refusal (a report the user may not see, a read-only key asked to
draft, a bad argument) is the tool's error result with its message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from assistant.compat.mcp_tools import McpTools
from assistant.errors import AssistantError
from assistant.masking import mask_secrets

INSTRUCTIONS = (
    "公文写作助手：检索范文和政策文件，查看报告的事实表和各部分，起草或修改某一部分，"
    "检查文字中的数字、名称和错别字，列出报告还缺的材料，导出讨论稿。报告以 report_id 指定"
    "（见 list_reports），部分以 section 指定（见 read_report 的 sections[].id）。"
)


ToolsFor = Callable[[Context], McpTools]


async def _call(
    tools_for: ToolsFor, ctx: Context, name: str, /, *args: Any, **kw: Any
) -> dict[str, Any]:
    """The tool ``name`` of the caller's :class:`McpTools`, in a worker thread (the database,
    the checker and the engines are synchronous); a refusal becomes the tool's error."""

    def run() -> dict[str, Any]:
        result: dict[str, Any] = getattr(tools_for(ctx), name)(*args, **kw)
        return result

    try:
        return await anyio.to_thread.run_sync(run)
    except AssistantError as exc:
        if exc.status == 500:
            raise
        raise ToolError(mask_secrets(str(exc))) from exc


def _new_server() -> MCPServer:
    """The SDK's server, without its ``logging.basicConfig`` on the root logger (INFO and a
    console handler for the whole process): the service's and the CLI's logging stay theirs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        return MCPServer(name="gongwen-assistant", title="公文写作助手", instructions=INSTRUCTIONS)
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


def build_server(tools_for: ToolsFor) -> MCPServer:
    server = _new_server()

    @server.tool()
    async def search_corpus(query: str, ctx: Context, k: int = 5) -> dict[str, Any]:
        """检索范文与政策文件库：返回最相关的段落（标题、小标题、文件名、正文）。"""
        return await _call(tools_for, ctx, "search_corpus", query, k)

    @server.tool()
    async def list_reports(ctx: Context) -> dict[str, Any]:
        """列出您可以查看的报告（编号、标题、模板、起草进度）。"""
        return await _call(tools_for, ctx, "list_reports")

    @server.tool()
    async def read_report(report_id: int, ctx: Context) -> dict[str, Any]:
        """读取一份报告：报告信息、事实表和各部分（编号、标题、当前正文、状态）。"""
        return await _call(tools_for, ctx, "read_report", report_id)

    @server.tool()
    async def draft_section(
        report_id: int, section: str, ctx: Context, instruction: str = "", overwrite: bool = False
    ) -> dict[str, Any]:
        """起草或按要求修改报告的某一部分，保存为新版本并返回正文和检查结果。
        instruction：修改要求（可选；未配置大模型时只执行写明改法的要求，如把“A”改成“B”、
        删掉第三条、最后加一句：……，结果中 instruction_applied 说明是否执行）；
        overwrite：确认替换人工修改或已批准的文本。"""
        return await _call(
            tools_for,
            ctx,
            "draft_section",
            report_id,
            section,
            instruction=instruction,
            overwrite=overwrite,
        )

    @server.tool()
    async def check_text(text: str, ctx: Context, report_id: int | None = None) -> dict[str, Any]:
        """检查一段文字：错别字、不规范提法；给出 report_id 时还核对数字和名称是否有出处。"""
        return await _call(tools_for, ctx, "check_text", text, report_id)

    @server.tool()
    async def report_gaps(report_id: int, ctx: Context) -> dict[str, Any]:
        """列出报告各部分还缺的事实和【待补充】处。"""
        return await _call(tools_for, ctx, "report_gaps", report_id)

    @server.tool()
    async def export_draft(report_id: int, ctx: Context) -> dict[str, Any]:
        """把报告的当前各部分导出为讨论稿（.docx，base64 编码）。"""
        return await _call(tools_for, ctx, "export_draft", report_id)

    return server
