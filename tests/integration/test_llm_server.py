"""The scripted chat server in tests/llm_server.py, driven by the real openai and langchain clients."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import openai
import pytest
from langchain_openai import ChatOpenAI
from openai.types.chat import ChatCompletionMessageParam

from tests.llm_server import CHAT_PATH, Reply, ScriptedLLM

KEY = "sk-test"
TEXT = "县委先后召开常委会议12次，专题研究主题教育工作。Hello, streaming world!"
MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "你好"}]

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    with ScriptedLLM(api_key=KEY, default=Reply(text=TEXT)) as server:
        yield server


def client(
    llm: ScriptedLLM, *, key: str = KEY, retries: int = 0, timeout: float = 1.0
) -> openai.OpenAI:
    return openai.OpenAI(base_url=llm.base_url, api_key=key, max_retries=retries, timeout=timeout)


def stream_text(c: openai.OpenAI) -> str:
    stream = c.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
    parts = [ch.choices[0].delta.content or "" for ch in stream if ch.choices]
    return "".join(parts)


def test_stream_yields_the_full_text_and_records_the_request(llm: ScriptedLLM) -> None:
    assert llm.base_url.startswith("http://127.0.0.1:")
    assert stream_text(client(llm)) == TEXT
    path, headers, body = llm.requests[-1]
    assert path == CHAT_PATH
    assert headers["authorization"] == f"Bearer {KEY}"
    assert body["model"] == "gpt-test"
    assert body["messages"] == MESSAGES
    assert body["stream"] is True


def test_stream_chunks_and_usage(llm: ScriptedLLM) -> None:
    llm.script(Reply(text="abcdefghij", chunk_chars=3))
    stream = client(llm).chat.completions.create(
        model="gpt-test",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    contents = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert contents == ["abc", "def", "ghi", "j"]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 10


def test_non_streaming_completion(llm: ScriptedLLM) -> None:
    llm.script(Reply(text="一次回答"))
    c = client(llm)
    resp = c.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert resp.choices[0].message.content == "一次回答"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.model == "gpt-test"
    # keep-alive: a second request over the same client works and gets the default
    resp = c.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert resp.choices[0].message.content == TEXT


def test_models_endpoint(llm: ScriptedLLM) -> None:
    ids = [m.id for m in client(llm).models.list()]
    assert ids == ["scripted"]


def test_wrong_key_is_401(llm: ScriptedLLM) -> None:
    with pytest.raises(openai.AuthenticationError) as err:
        stream_text(client(llm, key="sk-wrong"))
    assert err.value.status_code == 401
    assert err.value.code == "invalid_api_key"
    assert llm.pending == 0  # a rejected request does not consume a reply


def test_429_without_retries_raises(llm: ScriptedLLM) -> None:
    llm.script(Reply(status=429))
    with pytest.raises(openai.RateLimitError):
        stream_text(client(llm))
    assert len(llm.chat_requests) == 1


def test_429_then_success_with_retries(llm: ScriptedLLM) -> None:
    # Retry-After: 0 makes the client fall back to its own backoff (~0.4-0.5 s); 0.01 s is quicker.
    llm.script(Reply(status=429, retry_after=0.01), Reply(text="after retry"))
    assert stream_text(client(llm, retries=2)) == "after retry"
    assert len(llm.chat_requests) == 2


def test_503_is_an_internal_server_error(llm: ScriptedLLM) -> None:
    llm.script(Reply(status=503))
    with pytest.raises(openai.InternalServerError) as err:
        stream_text(client(llm))
    assert err.value.status_code == 503


def test_delay_first_beyond_timeout_times_out(llm: ScriptedLLM) -> None:
    llm.script(Reply(delay_first=2.0))
    start = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        stream_text(client(llm, timeout=0.3))
    assert time.monotonic() - start < 1.5


def test_delay_between_chunks_is_slow_but_complete(llm: ScriptedLLM) -> None:
    llm.script(Reply(text="a" * 12, chunk_chars=4, delay_between=0.05))
    start = time.monotonic()
    assert stream_text(client(llm)) == "a" * 12
    assert time.monotonic() - start >= 0.1


def test_malformed_chunk_raises_json_decode_error(llm: ScriptedLLM) -> None:
    # The openai client json.loads every SSE data line and does not wrap the failure.
    llm.script(Reply(text=TEXT, malformed=True))
    with pytest.raises(json.JSONDecodeError):
        stream_text(client(llm))


def test_dropped_connection_raises_api_connection_error(llm: ScriptedLLM) -> None:
    # Chunked body cut short: httpx RemoteProtocolError, wrapped by openai.
    llm.script(Reply(text=TEXT, drop_after=2))
    with pytest.raises(openai.APIConnectionError):
        stream_text(client(llm))


def test_reply_fn_answers_dynamically(llm: ScriptedLLM) -> None:
    llm.reply_fn = lambda body: Reply(text=f"model={body['model']}")
    assert stream_text(client(llm)) == "model=gpt-test"


def test_langchain_chat_openai_streams(llm: ScriptedLLM) -> None:
    chat = ChatOpenAI(base_url=llm.base_url, api_key=KEY, model="gpt-lc", max_retries=0, timeout=1)  # type: ignore[arg-type]
    text = "".join(str(chunk.content) for chunk in chat.stream("你好"))
    assert text == TEXT
    body = llm.chat_requests[-1].body
    assert body["model"] == "gpt-lc"
    assert body["stream"] is True


def test_stop_does_not_hang_on_a_sleeping_handler() -> None:
    before = threading.active_count()
    with ScriptedLLM(api_key=KEY, default=Reply(delay_first=30)) as server:
        c = client(server, timeout=0.2)
        with pytest.raises(openai.APITimeoutError):
            stream_text(c)
        start = time.monotonic()
    assert time.monotonic() - start < 2
    deadline = time.monotonic() + 2
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() <= before
