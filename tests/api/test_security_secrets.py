"""Issue 18, item 7: credentials in an endpoint URL never reach a user, a log line or ``info``.

The LLM is configured with a user, a password and an ``api_key`` query value in its base URL and
points at a closed port on 127.0.0.1, so every draft fails with an error that names the endpoint:
the error events of the draft and the chat streams must name it without its secrets.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app as cli_app
from assistant.config import Settings
from assistant.masking import mask_secrets, mask_url
from assistant.services import build_services
from tests.api.test_reports import Api, start

pytestmark = pytest.mark.timeout(60)

SECRETS = ("bob", "hunter2", "KEY-IN-URL", "sk-in-query")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


def secret_url(port: int) -> str:
    return f"http://bob:hunter2@127.0.0.1:{port}/v1?api_key=KEY-IN-URL&token=sk-in-query"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("secrets") / "data",
        embeddings_provider="fake",
        llm_base_url=secret_url(closed_port()),
        llm_api_key="sk-configured",
        llm_model="m",
        llm_timeout=2,
        llm_max_retries=0,
        _env_file=None,
    )
    yield from start(settings, build_services(settings))


def assert_masked(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {text!r}"


def errors(events: list[tuple[str, Any]]) -> list[str]:
    return [json.dumps(data, ensure_ascii=False) for name, data in events if name == "error"]


def test_a_draft_error_event_names_the_endpoint_without_its_secrets(api: Api) -> None:
    rid = api.create()["id"]
    events = api.stream(f"/reports/{rid}/sections/work_1/draft")
    found = errors(events)
    assert found, events
    assert "127.0.0.1" in found[0] and "********" in found[0]  # still says where
    assert_masked(json.dumps(events, ensure_ascii=False))


def test_a_chat_draft_error_event_is_masked_too(api: Api) -> None:
    rid = api.create()["id"]
    r = api.call("POST", "/chat", json={"report_id": rid, "message": "起草第一部分"})
    assert r.status_code == 200
    assert "event: error" in r.text
    assert_masked(r.text)


def test_log_lines_are_masked(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    url = secret_url(9)
    with caplog.at_level(logging.INFO):
        logging.getLogger("assistant.test").warning("cannot reach %s", url)
        try:
            raise ConnectionError(f"refused by {url}")
        except ConnectionError:
            logging.getLogger("httpx").exception("request failed")
    assert "cannot reach http://********@127.0.0.1:9/v1" in caplog.text
    assert_masked(caplog.text)
    assert_masked("\n".join(r.exc_text or "" for r in caplog.records))


def test_info_masks_the_query_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", secret_url(9))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    result = CliRunner().invoke(cli_app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)["llm_base_url"]
    assert shown.startswith("http://********@127.0.0.1:9/v1?") and "api_key=********" in shown
    assert_masked(result.stdout)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("https://u:p@h/v1", "https://********@h/v1"),
        ("https://sk-abc@h/v1", "https://********@h/v1"),  # a key in the user part
        ("https://h/v1?key=s&model=x", "https://h/v1?key=********&model=x"),
        ("https://h/v1?X-Api-Key=s", "https://h/v1?X-Api-Key=********"),
        ("https://h/v1?model=x", "https://h/v1?model=x"),
        ("postgresql://app:p@ss@db/x", "postgresql://********@db/x"),
    ],
)
def test_mask_url(raw: str, masked: str) -> None:
    assert mask_url(raw) == masked


def test_mask_secrets_in_sentences() -> None:
    text = "无法连接 http://u:pw@h:9/v1?access_token=t1：请检查。password=abc; ok"
    assert mask_secrets(text) == (
        "无法连接 http://********@h:9/v1?access_token=********：请检查。password=********; ok"
    )
