"""`assistant check` as a user runs it: JSON contract, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import write

runner = CliRunner()
FACTS = """report:
  template: 工作情况汇报
  title: 中共青川县委关于2023年主题教育工作情况的汇报
  period: 2023年9月以来
  date: 2023-12-15
facts:
  - {key: 常委会议, value: 12, unit: 次}
  - {key: 参学党员, value: 3560, unit: 名}
"""


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")


def test_json_contract_and_non_zero_exit_on_an_error(tmp_path: Path) -> None:
    draft = write(
        tmp_path / "d.txt", "县委召开十二次常委会议，覆盖3560名党员，另有4600名群众参与。"
    )
    facts = write(tmp_path / "f.yaml", FACTS)
    result = runner.invoke(app, ["check", str(draft), "--facts", str(facts), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    (issue,) = [i for i in data["issues"] if i["rule"] == "GR001"]
    assert set(issue) == {
        "rule",
        "category",
        "severity",
        "start",
        "end",
        "text",
        "message",
        "suggestion",
    }
    assert issue["text"] == "4600名" and issue["severity"] == "error"
    assert data["summary"]["blocking"] is True
    assert data["summary"]["numbers"] == {"fact": 2, "unsupported": 1}


def test_clean_draft_exits_zero(tmp_path: Path) -> None:
    draft = write(
        tmp_path / "d.md", "---\ntitle: x\n---\n县委召开十二次常委会议，覆盖3560名党员。\n"
    )
    facts = write(tmp_path / "f.yaml", FACTS)
    result = runner.invoke(app, ["check", str(draft), "--facts", str(facts)])
    assert result.exit_code == 0, result.output
    assert "errors: 0" in result.stdout


def test_docx_is_checked(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("县委召开13次常委会议。")
    d.save(str(tmp_path / "d.docx"))
    facts = write(tmp_path / "f.yaml", FACTS)
    result = runner.invoke(
        app, ["check", str(tmp_path / "d.docx"), "--facts", str(facts), "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["issues"][0]["text"] == "13次"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("e.txt", b"", "empty file"),
        ("b.txt", b"\x00\x01" * 40, "binary content"),
        ("x.pdf", b"%PDF-1.4", "cannot check '.pdf'"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = runner.invoke(app, ["check", str(tmp_path / name)])
    assert result.exit_code == 2 and reason in result.stderr


def test_oversize_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "0.01")
    write(tmp_path / "big.txt", "字" * 10_000)
    result = runner.invoke(app, ["check", str(tmp_path / "big.txt")])
    assert result.exit_code == 2 and "over the" in result.stderr


def test_bad_fact_sheet_names_the_location(tmp_path: Path) -> None:
    draft = write(tmp_path / "d.txt", "正文。")
    facts = write(tmp_path / "f.yaml", "facts:\n  - {key: 常委会议, value: 12}\n  - {value: 3}\n")
    result = runner.invoke(app, ["check", str(draft), "--facts", str(facts)])
    assert result.exit_code == 2 and "facts[1].key" in result.stderr


def test_without_facts_only_proofreading_runs(tmp_path: Path) -> None:
    # A hand-written paragraph: every figure and even 10月 would be "没有出处" against nothing.
    draft = write(tmp_path / "d.txt", "10月，县委召开常委会议12次，组织3560名党员参加集中学习。")
    result = runner.invoke(app, ["check", str(draft), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not [i for i in data["issues"] if i["rule"].startswith("GR")]
    assert data["summary"]["grounding"] == "skipped"
    assert "未核对数字" in data["summary"]["note"]
    human = runner.invoke(app, ["check", str(draft)])
    assert human.exit_code == 0 and "未提供事实表" in human.stdout


def test_without_facts_a_proofreading_error_still_blocks(tmp_path: Path) -> None:
    draft = write(tmp_path / "d.txt", "2023年2月30日，县委召开常委会议12次。")
    result = runner.invoke(app, ["check", str(draft), "--json"])
    assert result.exit_code == 1
    rules = {i["rule"] for i in json.loads(result.stdout)["issues"]}
    assert rules and not any(r.startswith("GR") for r in rules)


def test_with_facts_markers_and_foreign_names_are_checked(tmp_path: Path) -> None:
    draft = write(tmp_path / "d.txt", "县委召开常委会议13次〔F1〕，学习借鉴云州市委的做法。")
    facts = write(tmp_path / "f.yaml", FACTS + "  - {key: 调研, value: 云州市委调研组来县}\n")
    result = runner.invoke(app, ["check", str(draft), "--facts", str(facts), "--json"])
    data = json.loads(result.stdout)
    assert data["summary"]["grounding"] == "checked"
    (mis,) = [i for i in data["issues"] if i["rule"] == "GR010"]
    assert mis["text"] == "13次" and "常委会议：12次" in mis["message"]
    assert not [i for i in data["issues"] if i["rule"] in ("GR006", "GR008")]  # 云州 is in a fact
    assert result.exit_code == 1
