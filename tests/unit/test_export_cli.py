"""`assistant export`, `assistant verify-docx` and `assistant draft --out x.docx` as a user runs
them: outputs, exit codes and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from typer.testing import CliRunner

from assistant.cli import app
from assistant.export.verify import verify_docx
from tests.conftest import write
from tests.unit.test_export_docx import draft_json

runner = CliRunner()


@pytest.fixture
def draft_file(tmp_path: Path) -> Path:
    return write(tmp_path / "draft.json", json.dumps(draft_json(), ensure_ascii=False))


def test_export_writes_a_docx_that_verifies(draft_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["export", str(draft_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    doc = docx.Document(str(out))
    assert [p.text for p in doc.paragraphs][:3] == [
        "中共青溪县委关于工作情况的汇报",
        "市委第三巡回指导组：",
        "一、提高政治站位",
    ]
    assert doc.paragraphs[-1].text == "2025年8月20日"
    assert not any("讨论稿" in p.text for p in doc.paragraphs)
    assert len(list(doc.comments)) == 0
    with pytest.raises(KeyError):
        doc.part.part_related_by(RT.FOOTNOTES)

    checked = runner.invoke(app, ["verify-docx", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "follows GB/T 9704-2012" in checked.stdout
    as_json = runner.invoke(app, ["verify-docx", str(out), "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == {"file": str(out), "ok": True, "violations": []}


def test_export_options_add_footnotes_comments_and_the_draft_mark(
    draft_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.docx"
    args = ["export", str(draft_file), "--out", str(out), "--footnotes", "--comments", "--draft"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == "讨论稿"
    assert [c.text for c in doc.comments] == ["遗留的待补充标记"]
    assert "常委会议" in doc.part.part_related_by(RT.FOOTNOTES).blob.decode("utf-8")
    assert verify_docx(out.read_bytes()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON (line 1"),
        ("[1, 2]", "expected an object"),
        (json.dumps({"template": "不存在", "sections": []}), "unknown template '不存在'"),
        (json.dumps(draft_json(sections=[{"section_id": "x", "text": 5}])), "sections[0].text"),
        (json.dumps(draft_json(report={"date": "someday"})), "report.date"),
    ],
)
def test_bad_draft_files_exit_2_and_write_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    src = write(tmp_path / "draft.json", content)
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["export", str(src), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not out.exists()


def test_binary_missing_and_wrong_output_exit_2(tmp_path: Path, draft_file: Path) -> None:
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    cases = [
        (["export", str(binary), "--out", str(tmp_path / "a.docx")], "not UTF-8"),
        (["export", str(tmp_path / "none.json"), "--out", str(tmp_path / "b.docx")], "cannot read"),
        (["export", str(draft_file), "--out", str(tmp_path / "c.pdf")], ".docx"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert message in result.stderr


def test_verify_docx_lists_violations_and_exits_1(draft_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    assert runner.invoke(app, ["export", str(draft_file), "--out", str(out)]).exit_code == 0
    doc = docx.Document(str(out))
    doc.sections[0].right_margin = Mm(20)
    broken = tmp_path / "broken.docx"
    doc.save(str(broken))
    result = runner.invoke(app, ["verify-docx", str(broken)])
    assert result.exit_code == 1
    assert "margin section 1 right: expected 26 mm, found 20.0 mm" in result.stdout
    assert "violation(s)" in result.stdout
    as_json = runner.invoke(app, ["verify-docx", str(broken), "--json"])
    assert as_json.exit_code == 1
    body = json.loads(as_json.stdout)
    assert body["ok"] is False and {"rule": "margin"}.items() <= body["violations"][0].items()


def test_verify_docx_on_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.docx", "plain text")
    result = runner.invoke(app, ["verify-docx", str(bad)])
    assert result.exit_code == 2 and "not a readable .docx" in result.stderr
    missing = runner.invoke(app, ["verify-docx", str(tmp_path / "none.docx")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


FACTS = """report:
  template: 工作情况汇报
  title: 中共青川县委关于2024年主题教育工作情况的汇报
  organization: 中共青川县委
  recipient: 市委第二巡回指导组
  period: 2024年4月以来
  date: 2024-08-20
facts:
  - {key: 参学党员, value: 3560, unit: 名}
  - {key: 常委会议, value: 12, unit: 次}
"""


def test_draft_writes_a_docx_marked_as_a_discussion_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    facts = write(tmp_path / "facts.yaml", FACTS)
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert verify_docx(data) == []
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [
        "讨论稿",
        "中共青川县委关于2024年\n主题教育工作情况的汇报",
        "市委第二巡回指导组：",
    ]
    assert texts[-2:] == ["中共青川县委", "2024年8月20日"]
    assert "汇报完毕，谢谢。" in texts
