"""The real drafting path over HTTP: Settings → build_services → Drafter → ChatOpenAI → server.

The server is tests/llm_server.py's ScriptedLLM; the index is empty (no exemplars), which the
drafter handles. Every failure must surface as an LLMError whose message says what to fix.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.domain import Draft
from assistant.drafting.llm import LLMError
from assistant.facts.sheet import FactSheet
from assistant.services import build_services
from tests.llm_server import Reply, ScriptedLLM

pytestmark = pytest.mark.timeout(30)

KEY = "sk-test"
ANSWER = "第一时间学习贯彻。县委召开常委会议12次〔F1〕，派出巡回指导组6个〔F2〕。"
SHEET = FactSheet.model_validate(
    {
        "report": {"template": "工作情况汇报", "organization": "中共青川县委"},
        "facts": [
            {"key": "常委会议", "value": 12, "unit": "次"},
            {"key": "巡回指导组", "value": 6, "unit": "个"},
        ],
    }
)


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    with ScriptedLLM(api_key=KEY, default=Reply(text=ANSWER, chunk_chars=5)) as server:
        yield server


def draft(
    tmp_path: Path, base_url: str, tokens: list[str] | None = None, **overrides: Any
) -> Draft:
    values: dict[str, Any] = {
        "llm_base_url": base_url,
        "llm_api_key": KEY,
        "llm_model": "scripted-model",
        "llm_timeout": 1,
        "llm_max_retries": 2,
        "embeddings_provider": "fake",
        "data_dir": tmp_path / "data",
        **overrides,
    }
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    services = build_services(settings)
    try:
        template = services.templates["工作情况汇报"]
        return services.drafter.draft_section(
            SHEET,
            template,
            "work_1",
            on_token=(lambda _, t: tokens.append(t)) if tokens is not None else None,
        )
    finally:
        services.close()


def test_normal_stream_assembles_the_draft(llm: ScriptedLLM, tmp_path: Path) -> None:
    tokens: list[str] = []
    result = draft(tmp_path, llm.base_url, tokens)
    assert len(tokens) > 1 and "".join(tokens) == ANSWER
    assert result.text == "第一时间学习贯彻。县委召开常委会议12次，派出巡回指导组6个。"
    assert [c.targets for c in result.citations] == [("fact:常委会议", "fact:巡回指导组")]
    assert result.provenance.engine == "llm" and result.provenance.model == "scripted-model"
    assert not result.blocking, result.issues
    (request,) = llm.chat_requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.body
    assert body["model"] == "scripted-model" and body["stream"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "- F1 常委会议：12次" in body["messages"][1]["content"]
    assert "中共青川县委" in body["messages"][0]["content"]


def test_rate_limit_then_success_is_retried(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.script(Reply(status=429, retry_after=0.01), Reply(text=ANSWER))
    result = draft(tmp_path, llm.base_url)
    assert "常委会议12次" in result.text
    assert len(llm.chat_requests) == 2


def test_rate_limit_until_retries_run_out(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.default = Reply(status=429, retry_after=0.01)
    with pytest.raises(LLMError, match=r"rate limiting \(429\)"):
        draft(tmp_path, llm.base_url, llm_max_retries=1)
    assert len(llm.chat_requests) == 2


def test_timeout_before_the_first_byte(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.script(Reply(text=ANSWER, delay_first=1.0))
    with pytest.raises(LLMError, match=r"did not answer in time after 0\.3 s") as info:
        draft(tmp_path, llm.base_url, llm_timeout=0.3, llm_max_retries=0)
    assert "ASSISTANT_LLM_TIMEOUT" in str(info.value)


def test_stall_mid_stream_is_reported_as_such(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.script(Reply(text=ANSWER, chunk_chars=5, delay_between=1.0))
    tokens: list[str] = []
    with pytest.raises(LLMError, match=r"stopped sending for more than 0\.3 s mid-answer"):
        draft(tmp_path, llm.base_url, tokens, llm_timeout=0.3, llm_max_retries=0)
    assert tokens == [ANSWER[:5]]


def test_malformed_chunk(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.script(Reply(text=ANSWER, malformed=True))
    with pytest.raises(LLMError, match="could not be read"):
        draft(tmp_path, llm.base_url)
    assert len(llm.chat_requests) == 1  # a failure after streaming began is not retried


def test_dropped_connection(llm: ScriptedLLM, tmp_path: Path) -> None:
    llm.script(Reply(text=ANSWER, chunk_chars=5, drop_after=2))
    tokens: list[str] = []
    with pytest.raises(LLMError, match="dropped the connection mid-answer"):
        draft(tmp_path, llm.base_url, tokens)
    assert "".join(tokens) == ANSWER[:10]
    assert len(llm.chat_requests) == 1


def test_wrong_key_is_named_but_not_shown(llm: ScriptedLLM, tmp_path: Path) -> None:
    secret = "sk-wrong-0123456789abcdef"
    with pytest.raises(LLMError, match=r"refused the API key \(401\)") as info:
        draft(tmp_path, llm.base_url, llm_api_key=secret)
    assert secret not in str(info.value) and secret[-8:] not in str(info.value)
    assert len(llm.chat_requests) == 1  # 401 is not retried


def test_unreachable_endpoint(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(LLMError, match="cannot reach the LLM endpoint") as info:
        draft(tmp_path, url, llm_max_retries=0)
    assert url in str(info.value)
