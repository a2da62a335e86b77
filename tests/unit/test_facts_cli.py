"""`assistant facts`: proposals are printed with provenance; only confirmed ones reach the sheet."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import write
from tests.legacy import legacy_xls

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    for row in (["指标", "数值", "单位"], ["常委会议", 9, "次"], ["参学党员", 3560, "名"]):
        ws.append(row)
    wb.save(path)
    return path


def test_spreadsheet_proposals_as_json_carry_cell_provenance(tmp_path: Path) -> None:
    result = runner.invoke(app, ["facts", str(_xlsx(tmp_path / "数据.xlsx")), "--json"])
    assert result.exit_code == 0, result.output
    got = {p["key"]: (p["value"], p["unit"], p["source"]) for p in json.loads(result.stdout)}
    assert got == {
        "常委会议": (9, "次", "upload:数据.xlsx#汇总!B2"),
        "参学党员": (3560, "名", "upload:数据.xlsx#汇总!B3"),
    }


def test_only_confirmed_proposals_are_added_and_existing_keys_kept(tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "facts.yaml",
        "report: {template: 工作情况汇报}\nfacts:\n  - {key: 常委会议, value: 12, unit: 次}\n",
    )
    # answers: 常委会议 yes (but it exists: kept), 参学党员 no
    result = runner.invoke(
        app, ["facts", str(_xlsx(tmp_path / "a.xlsx")), "--into", str(sheet)], input="y\nn\n"
    )
    assert result.exit_code == 0, result.output
    assert "added 0, replaced 0, kept 1 existing" in result.stderr
    data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    assert data["facts"] == [{"key": "常委会议", "value": 12, "unit": "次"}]


def test_a_sentence_is_read_by_rule_without_an_llm(tmp_path: Path) -> None:
    sheet = tmp_path / "new.yaml"
    result = runner.invoke(
        app, ["facts", "召开常委会议十二次，办实事120件", "--into", str(sheet), "--yes"]
    )
    assert result.exit_code == 0, result.output
    facts = yaml.safe_load(sheet.read_text(encoding="utf-8"))["facts"]
    assert [(f["key"], f["value"], f["unit"], f["source"]) for f in facts] == [
        ("常委会议", 12, "次", "chat:cli"),
        ("办实事", 120, "件", "chat:cli"),
    ]


def test_a_corrupt_spreadsheet_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(app, ["facts", str(bad)])
    assert result.exit_code == 2
    assert "坏.xlsx" in result.stderr


def test_a_legacy_or_wps_sheet_is_converted_first(tmp_path: Path) -> None:
    sheet = tmp_path / "数据.et"
    sheet.write_bytes(legacy_xls())
    result = runner.invoke(app, ["facts", str(sheet), "--json"])
    assert result.exit_code == 0, result.output
    got = {p["key"]: (p["value"], p["source"]) for p in json.loads(result.stdout)}
    assert got["参学党员"] == (156, "upload:数据.et#指标!B2")
