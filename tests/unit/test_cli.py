"""The `assistant` command as a user runs it: exit codes, summary line, JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import write
from tests.legacy import legacy_doc
from tests.ofd_files import make_ofd

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    docs = tmp_path / "docs"
    write(
        docs / "a.md",
        '---\ntitle: "临江市水务局2024年工作总结"\nyear: 2024\n---\n一、主要工作\n全年新建供水管网86.5公里。\n',
    )
    write(docs / "b.txt", "关于做好防汛工作的通知\n各单位要落实防汛责任，汛期发布预警信息42期。\n")
    return docs


def test_info_masks_secrets(monkeypatch: pytest.MonkeyPatch, env: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://app:pw123@db/assistant")
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    values = json.loads(result.stdout)
    assert values["llm_api_key"] == "********" and values["llm_base_url"] == "http://127.0.0.1:9/v1"
    assert values["database_url"] == "postgresql://********@db/assistant"
    assert "sk-very-secret" not in result.output and "pw123" not in result.output
    assert values["embeddings_provider"] == "fake"


def test_assistant_prefix_wins_over_openai_fallback(
    monkeypatch: pytest.MonkeyPatch, env: Path
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://fallback/v1")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://primary/v1")
    values = json.loads(runner.invoke(app, ["info", "--json"]).stdout)
    assert values["llm_base_url"] == "http://primary/v1"


def test_invalid_setting_is_named(monkeypatch: pytest.MonkeyPatch, env: Path) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "word2vec")
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 2 and "embeddings_provider" in result.output


def test_index_summary_then_search_json(env: Path) -> None:
    result = runner.invoke(app, ["index", str(env)])
    assert result.exit_code == 0, result.output
    assert "files: 2 (indexed 2, unchanged 0, removed 0), chunks: 2" in result.stdout
    assert "failures: 0" in result.stdout
    again = runner.invoke(app, ["index", str(env)])
    assert "unchanged 2" in again.stdout
    found = runner.invoke(app, ["search", "供水管网", "-k", "1", "--json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)
    assert list(hits[0]) == ["doc_id", "title", "source", "heading", "text", "score"]
    assert hits[0]["source"] == str((env / "a.md").resolve())
    assert hits[0]["heading"] == "一、主要工作"
    assert "86.5公里" in hits[0]["text"]
    filtered = json.loads(runner.invoke(app, ["search", "工作", "--year", "2024", "--json"]).stdout)
    assert {h["title"] for h in filtered} == {"临江市水务局2024年工作总结"}


def test_index_failures_exit_non_zero_but_index_the_rest(env: Path) -> None:
    (env / "bad.pdf").write_bytes(b"%PDF-1.4 nonsense")
    result = runner.invoke(app, ["index", str(env), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 2
    assert summary["failures"][0]["source"].endswith("bad.pdf")
    assert "corrupt PDF" in summary["failures"][0]["reason"]
    assert "bad.pdf" in result.stderr


def test_search_rejects_unknown_mode(env: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--mode", "magic"])
    assert result.exit_code == 2


def test_info_masks_credentials_in_every_url(monkeypatch: pytest.MonkeyPatch, env: Path) -> None:
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://admin:hunter2@chroma.local:8000")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "https://u:pw@llm.local/v1")
    result = runner.invoke(app, ["info", "--json"])
    assert "hunter2" not in result.stdout and ":pw@" not in result.stdout
    assert json.loads(result.stdout)["chroma_url"] == "http://********@chroma.local:8000"


def test_index_reads_legacy_wps_and_ofd_files_and_names_a_broken_one(env: Path) -> None:
    (env / "纪要.wps").write_bytes(legacy_doc())
    (env / "报告.ofd").write_bytes(
        make_ofd(["全县新建5G基站326个，行政村实现全覆盖。"], title="关于数字乡村建设的报告")
    )
    (env / "坏.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = runner.invoke(app, ["index", str(env), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 4
    ((source, reason),) = [(f["source"], f["reason"]) for f in summary["failures"]]
    assert source.endswith("坏.doc") and "corrupt .doc file" in reason
    found = json.loads(runner.invoke(app, ["search", "5G基站", "-k", "1", "--json"]).stdout)
    assert found[0]["source"].endswith("报告.ofd") and "326个" in found[0]["text"]
    found = json.loads(runner.invoke(app, ["search", "中心组学习会", "-k", "1", "--json"]).stdout)
    assert found[0]["source"].endswith("纪要.wps")
