"""Report templates: the five shipped ones load, the seed's structure, loud errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.drafting.templates import TemplateError, load_templates

NAMES = {"工作情况汇报", "工作总结", "述职报告", "整改情况报告", "调研报告"}


def test_the_shipped_templates_load() -> None:
    templates = load_templates()
    assert set(templates) == NAMES
    for t in templates.values():
        assert t.sections[0].kind == "title"
        assert all(s.length[0] <= s.length[1] for s in t.sections)


def test_work_report_follows_the_seed() -> None:
    t = load_templates()["工作情况汇报"]
    kinds = [s.kind for s in t.sections]
    assert kinds == [
        "title",
        "salutation",
        "opening",
        "overview",
        "body",
        "body",
        "body",
        "plans",
        "closing",
    ]
    assert "现将工作开展情况汇报如下：" in t.section("overview").guidance
    assert t.numbered_heading("work_1").startswith("一、")
    assert t.numbered_heading("problems_plans").startswith("四、")
    assert t.numbered_heading("closing") == ""
    with pytest.raises(KeyError, match="has no section 'nope'"):
        t.section("nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: x\ngenre: 报告\nsections: []\n", "sections"),
        (
            "name: x\ngenre: 报告\nsections:\n  - {id: a, kind: body, purpose: p, length: [300, 100]}\n",
            "sections[0]",
        ),
        (
            "name: x\ngenre: 报告\nsections:\n  - {id: a, kind: poem, purpose: p, length: [1, 2]}\n",
            "sections[0].kind",
        ),
        (
            "name: x\ngenre: 报告\nsections:\n  - {id: a, kind: body, purpose: p, length: [1, 2]}\n"
            "  - {id: a, kind: body, purpose: q, length: [1, 2]}\n",
            "duplicate section ids: a",
        ),
        ("name: [\n", "cannot read"),
    ],
)
def test_malformed_templates_name_the_file_and_field(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_templates(tmp_path)
    assert str(info.value).startswith("bad.yaml") and message in str(info.value)


def test_cli_lists_and_shows_templates() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["templates", "--json"])
    assert listed.exit_code == 0
    assert {t["name"] for t in json.loads(listed.stdout)} == NAMES
    shown = runner.invoke(app, ["templates", "工作情况汇报"])
    assert shown.exit_code == 0 and "二、聚焦重点任务" in shown.stdout
    assert runner.invoke(app, ["templates", "诗歌"]).exit_code == 2
