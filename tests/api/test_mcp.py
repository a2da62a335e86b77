"""``assistant mcp`` driven by the official SDK's own client over stdio: the tools act for the
key's owner with their rights (another user's report is not found, a read-only key cannot
draft), and every call is a use of the key in the audit log."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import select

from assistant.config import Settings
from assistant.reports.service import ReportService
from assistant.services import build_services
from assistant.storage.models import AuditEntry
from tests.api.test_reports import SHEET
from tests.conftest import ROOT

mcp_client = pytest.importorskip("mcp.client.client")
from mcp.client.stdio import StdioServerParameters  # noqa: E402

ASSISTANT = str(Path(sys.executable).with_name("assistant"))


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data, embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]


def _params(data: Path, key: str) -> StdioServerParameters:
    env = {
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_EMBEDDINGS_PROVIDER": "fake",
        "ASSISTANT_MCP_KEY": key,
    }
    return StdioServerParameters(command=ASSISTANT, args=["mcp"], env=env, cwd=str(data.parent))


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return dict(result.structured_content)
    return dict(json.loads(result.content[0].text))


async def _session(
    params: StdioServerParameters, calls: list[tuple[str, dict[str, Any]]]
) -> list[Any]:
    out = []
    with anyio.fail_after(120):
        async with mcp_client.Client(params) as client:
            tools = await client.list_tools()
            out.append(sorted(t.name for t in tools.tools))
            for name, args in calls:
                out.append(await client.call_tool(name, args))
    return out


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    data = tmp_path / "data"
    services = build_services(_settings(data))
    assert services.indexer.index([ROOT / "corpus"]).ok
    dora = services.accounts.add("dora", "correct-horse-battery", "drafter")
    dan = services.accounts.add("dan", "correct-horse-battery", "drafter")
    reports = ReportService(services.db, services.templates)
    mine = reports.create(dora, SHEET).id
    theirs = reports.create(dan, SHEET).id
    draft_info, draft_key = services.api_keys.create(dora, name="mcp", scope="draft")
    _, read_key = services.api_keys.create(dora, name="mcp-read", scope="read")
    services.close()
    return {
        "data": data,
        "mine": mine,
        "theirs": theirs,
        "draft": draft_key,
        "read": read_key,
        "dora": dora,
        "draft_id": draft_info.id,
    }


def test_the_tools_over_stdio_with_the_owners_rights(world: dict[str, Any]) -> None:
    mine, theirs = world["mine"], world["theirs"]
    calls = [
        ("list_reports", {}),
        ("read_report", {"report_id": mine}),
        ("search_corpus", {"query": "主题教育", "k": 3}),
        ("draft_section", {"report_id": mine, "section": "work_1"}),
        ("check_text", {"text": "县委召开常委会议99次。", "report_id": mine}),
        ("report_gaps", {"report_id": mine}),
        ("export_draft", {"report_id": mine}),
        ("read_report", {"report_id": theirs}),
    ]
    out = anyio.run(_session, _params(world["data"], world["draft"]), calls)
    names, listed, read, found, drafted, checked, missing, exported, other = out
    assert names == sorted(
        [
            "search_corpus",
            "list_reports",
            "read_report",
            "draft_section",
            "check_text",
            "report_gaps",
            "export_draft",
        ]
    )
    assert [r["id"] for r in _data(listed)["reports"]] == [mine]  # not dan's
    assert {f["key"] for f in _data(read)["facts"]} >= {"常委会议"}
    assert len(_data(found)["passages"]) == 3
    d = _data(drafted)
    assert d["ok"] and d["version"] == 1 and "常委会议12次" in d["text"]
    assert any("99" in i["text"] for i in _data(checked)["issues"])  # not the fact's 12
    assert isinstance(_data(missing)["sections"], list)
    docx = base64.b64decode(_data(exported)["docx_base64"])
    assert docx[:2] == b"PK"
    assert other.is_error and "no report" in other.content[0].text

    services = build_services(_settings(world["data"]))
    with services.db.session() as s:
        uses = s.scalars(select(AuditEntry).where(AuditEntry.action == "api_key.use")).all()
        paths = [u.detail["path"] for u in uses]
    services.close()
    assert paths[0] == "mcp:connect" and "mcp:draft_section" in paths and len(paths) == 9


def test_a_read_only_key_cannot_draft_and_a_bad_key_cannot_start(world: dict[str, Any]) -> None:
    calls = [("draft_section", {"report_id": world["mine"], "section": "work_1"})]
    _, refused = anyio.run(_session, _params(world["data"], world["read"]), calls)
    assert refused.is_error and "只读" in refused.content[0].text

    async def bad() -> None:
        with anyio.fail_after(60):
            async with mcp_client.Client(_params(world["data"], "gwk_" + "x" * 43)) as client:
                await client.list_tools()

    with pytest.raises(Exception):  # noqa: B017 - the server exits before the handshake
        anyio.run(bad)


def test_an_instruction_offline_is_applied_when_exact_and_reported_when_not(
    world: dict[str, Any],
) -> None:
    mine = world["mine"]
    added = "全县上下形成了比学赶超的良好氛围。"
    calls = [
        ("draft_section", {"report_id": mine, "section": "work_1"}),
        (
            "draft_section",
            {"report_id": mine, "section": "work_1", "instruction": f"最后加一句：{added}"},
        ),
        ("draft_section", {"report_id": mine, "section": "work_1", "instruction": "写得具体一些"}),
    ]
    _, first, exact, vague = anyio.run(_session, _params(world["data"], world["draft"]), calls)
    d1, d2, d3 = _data(first), _data(exact), _data(vague)
    assert d2["instruction_applied"] is True and d2["version"] == d1["version"] + 1
    assert d2["text"].rstrip().endswith(added) and d2["text"].startswith(d1["text"].rstrip()[:20])
    assert d3["instruction_applied"] is False and d3["version"] == d2["version"]
    assert "离线" in d3["message"] and d3["text"] == d2["text"]


def test_a_key_revoked_while_connected_stops_working_at_the_next_call(
    world: dict[str, Any],
) -> None:
    async def run() -> tuple[Any, Any]:
        with anyio.fail_after(120):
            async with mcp_client.Client(_params(world["data"], world["draft"])) as client:
                before = await client.call_tool("list_reports", {})
                services = build_services(_settings(world["data"]))
                try:
                    services.api_keys.revoke(world["dora"], world["draft_id"])
                finally:
                    services.close()
                after = await client.call_tool("list_reports", {})
        return before, after

    before, after = anyio.run(run)
    assert [r["id"] for r in _data(before)["reports"]] == [world["mine"]]
    assert after.is_error and "已吊销" in after.content[0].text
    assert "reports" not in (after.structured_content or {})


# -- streamable HTTP under the service ----------------------------------------------------------


async def _http_session(url: str, key: str, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    out = []
    auth = {"Authorization": f"Bearer {key}"}
    with anyio.fail_after(120):
        async with (
            httpx2.AsyncClient(headers=auth, timeout=60) as http,
            mcp_client.Client(streamable_http_client(url, http_client=http)) as client,
        ):
            for name, args in calls:
                out.append(await client.call_tool(name, args))
    return out


def test_the_tools_over_http_with_the_same_keys(world: dict[str, Any]) -> None:
    import httpx

    from tests.api.test_openai_compat import Server

    settings = _settings(world["data"])
    services = build_services(settings)
    try:
        with Server(settings, services) as server:
            url = f"{server.url}/mcp"
            mine, theirs = world["mine"], world["theirs"]
            listed, other, drafted = anyio.run(
                _http_session,
                url,
                world["draft"],
                [
                    ("list_reports", {}),
                    ("read_report", {"report_id": theirs}),
                    ("draft_section", {"report_id": mine, "section": "work_1"}),
                ],
            )
            assert [r["id"] for r in _data(listed)["reports"]] == [mine]
            assert other.is_error and "no report" in other.content[0].text
            assert _data(drafted)["ok"] is True
            [refused] = anyio.run(
                _http_session,
                url,
                world["read"],
                [("draft_section", {"report_id": mine, "section": "work_1"})],
            )
            assert refused.is_error and "只读" in refused.content[0].text
            hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
            r = httpx.post(url, json=hello)
            assert r.status_code == 401 and "API 密钥" in r.json()["error"]["message"]
            r = httpx.post(url, json=hello, headers={"Authorization": "Bearer gwk_" + "x" * 43})
            assert r.status_code == 401
            with services.db.session() as s:
                uses = s.scalars(select(AuditEntry).where(AuditEntry.action == "api_key.use")).all()
                http_uses = [u.detail for u in uses if u.detail.get("transport") == "http"]
            assert {u["path"] for u in http_uses} == {
                "mcp:list_reports",
                "mcp:read_report",
                "mcp:draft_section",
            }
    finally:
        services.close()
