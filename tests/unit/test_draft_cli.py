"""`assistant draft` as a user runs it: offline and LLM modes, outputs, exit codes, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import ROOT, write
from tests.llm_server import Reply, ScriptedLLM

runner = CliRunner()

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
  - {key: 中心组学习, value: 8, unit: 次}
  - {key: 专题研讨, value: 10, unit: 次}
  - {key: 民生实事, value: 30, unit: 件}
"""
SECTIONS = [
    "title",
    "salutation",
    "opening",
    "overview",
    "work_1",
    "work_2",
    "work_3",
    "problems_plans",
    "closing",
]
FIXED = {"title", "salutation", "closing"}
ANSWER = "县委召开常委会议12次〔F2〕，理论学习中心组学习8次〔F3〕。"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus indexed once through the CLI; drafting only reads the index."""
    data = tmp_path_factory.mktemp("draft-cli") / "data"
    env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDINGS_PROVIDER": "fake"}
    result = runner.invoke(app, ["index", str(ROOT / "corpus")], env=env)
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return write(tmp_path / "facts.yaml", FACTS)


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedLLM]:
    with ScriptedLLM(api_key="sk-test", default=Reply(text=ANSWER)) as server:
        monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-test")
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "scripted-model")
        monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "2")
        monkeypatch.setenv("ASSISTANT_LLM_MAX_RETRIES", "0")
        yield server


def test_offline_report_to_markdown(facts: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the report went to the file
    assert "离线范文模式" in result.stderr and f"wrote {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 中共青川县委关于2024年主题教育工作情况的汇报"
    assert "市委第二巡回指导组：" in lines
    for heading in (
        "## 一、加强组织领导，推动主题教育各项部署落地见效",
        "## 二、聚焦重点任务，扎实推进主题教育各项工作",
        "## 三、注重实际成效，推动主题教育工作取得新进展",
        "## 四、正视短板不足，谋划下步工作",
    ):
        assert heading in lines
    assert "汇报完毕，谢谢。" in lines
    assert lines[-1].startswith("<!-- 起草方式：离线范文模式；核查：")
    assert "〔F" not in text  # markers became citations


def test_offline_report_to_json(facts: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["template"] == "工作情况汇报"
    assert doc["report"]["organization"] == "中共青川县委"
    assert [f["key"] for f in doc["facts"]][:2] == ["参学党员", "常委会议"]
    assert [s["id"] for s in doc["outline"]["sections"]] == SECTIONS
    assert [s["section_id"] for s in doc["sections"]] == SECTIONS
    for s in doc["sections"]:
        engine = s["provenance"]["engine"]
        assert engine == ("template" if s["section_id"] in FIXED else "offline"), s["section_id"]
        assert {"text", "citations", "issues", "heading"} <= set(s)
        assert "total_ms" in s["provenance"]["timings"]
    work_1 = doc["sections"][SECTIONS.index("work_1")]
    assert work_1["provenance"]["engine_label"] == "离线范文模式"
    assert work_1["provenance"]["facts_used"] == work_1["provenance"]["facts"]


def test_one_section_as_json(facts: Path) -> None:
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--section", "work_1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (section,) = doc["sections"]
    assert section["section_id"] == "work_1"
    assert section["heading"] == "一、加强组织领导，推动主题教育各项部署落地见效"
    assert section["provenance"]["engine"] == "offline"
    assert section["text"]


def test_llm_mode_one_section(facts: Path, llm: ScriptedLLM) -> None:
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--section", "work_1", "--json"])
    assert result.exit_code == 0, result.output
    assert "scripted-model" in result.stderr
    (section,) = json.loads(result.stdout)["sections"]
    assert section["text"] == "县委召开常委会议12次，理论学习中心组学习8次。"
    assert section["citations"][0]["targets"] == ["fact:常委会议", "fact:中心组学习"]
    p = section["provenance"]
    assert p["engine"] == "llm" and p["model"] == "scripted-model"
    assert p["prompt"] == "draft_section" and len(p["prompt_sha256"]) == 64
    (request,) = llm.chat_requests
    assert request.body["model"] == "scripted-model"


def test_llm_mode_whole_report_to_markdown(facts: Path, tmp_path: Path, llm: ScriptedLLM) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 中共青川县委关于2024年主题教育工作情况的汇报\n")
    assert "<!-- 起草方式：scripted-model；" in text
    assert len(llm.chat_requests) == len(SECTIONS) - len(FIXED)


def test_wrong_llm_key_exits_1_and_writes_nothing(
    facts: Path, tmp_path: Path, llm: ScriptedLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-not-the-right-one")
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "refused the API key (401)" in result.stderr
    assert "nothing was written" in result.stderr
    assert "sk-not-the-right-one" not in result.output
    assert not out.exists()


OUTLINE_FACT_TWICE = """template: 工作情况汇报
sections:
  - {id: work_1, heading: 一、组织领导, facts: [常委会议]}
  - {id: work_2, heading: 二、重点任务, facts: [常委会议]}
"""

OUTLINE_WITH_UNKNOWN_FACT = """template: 工作情况汇报
sections:
  - {id: work_1, heading: 一、组织领导, facts: [常委会议, 没有这条]}
"""


@pytest.mark.parametrize(
    ("sheet", "extra", "message"),
    [
        ("report: [unclosed\n", [], "not valid YAML"),
        (
            "report: {template: 工作情况汇报}\nfacts:\n"
            "  - {key: 常委会议, value: 12, unit: 次}\n"
            "  - {key: 常委会议, value: 13, unit: 次}\n",
            [],
            "duplicate key '常委会议'",
        ),
        ("facts:\n  - {key: 常委会议, value: [12], unit: 次}\n", [], "facts[0].value"),
        (
            "facts:\n  - {key: 参学党员, value: 3560, unit: 名}\n"
            "  - {key: 常委会议, value: 很多, unit: 次}\n",
            [],
            "facts[1]: value '很多' is not a number, but unit '次' says it counts",
        ),
        (FACTS, ["--outline", "{twice}"], "fact '常委会议' is already given to section 'work_1'"),
        (FACTS, ["--template", "不存在的模板"], "unknown template '不存在的模板'"),
        ("facts: []\n", [], "no template given"),
        (FACTS, ["--section", "nope"], "no section 'nope'"),
        (FACTS, ["--outline", "{outline}"], "sections[0].facts[1]: no fact '没有这条'"),
        (FACTS, ["--outline", "{missing}"], "cannot read"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, sheet: str, extra: list[str], message: str
) -> None:
    facts = write(tmp_path / "facts.yaml", sheet)
    outline = write(tmp_path / "outline.yaml", OUTLINE_WITH_UNKNOWN_FACT)
    twice = write(tmp_path / "twice.yaml", OUTLINE_FACT_TWICE)
    extra = [
        a.format(outline=outline, twice=twice, missing=tmp_path / "no-such-outline.yaml")
        for a in extra
    ]
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not out.exists() and result.stdout == ""


@pytest.mark.parametrize(("name", "hint"), [("x.txt", "use .md or .json"), ("x.pdf", ".docx")])
def test_unsupported_output_format_exits_2(
    facts: Path, tmp_path: Path, name: str, hint: str
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 2 and hint in result.stderr
    assert not out.exists()


def test_outline_only_round_trips_through_outline(facts: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--outline-only"])
    assert result.exit_code == 0, result.output
    proposed = yaml.safe_load(result.stdout)
    assert proposed["template"] == "工作情况汇报"
    assert [s["id"] for s in proposed["sections"]] == SECTIONS
    assert sorted(k for s in proposed["sections"] for k in s["facts"]) == sorted(
        ["参学党员", "常委会议", "中心组学习", "专题研讨", "民生实事"]
    )

    # unchanged, the printed outline is accepted back
    path = write(tmp_path / "outline.yaml", result.stdout)
    again = runner.invoke(
        app, ["draft", "--facts", str(facts), "--outline", str(path), "--outline-only"]
    )
    assert again.exit_code == 0, again.output
    assert again.stdout == result.stdout

    # edited: a section dropped and a heading changed
    edited = dict(proposed)
    edited["sections"] = [s for s in proposed["sections"] if s["id"] != "problems_plans"]
    edited["sections"][SECTIONS.index("work_1")]["heading"] = "一、抓好组织领导"
    write(path, yaml.safe_dump(edited, allow_unicode=True, sort_keys=False))
    out = tmp_path / "x.json"
    drafted = runner.invoke(
        app, ["draft", "--facts", str(facts), "--outline", str(path), "--out", str(out)]
    )
    assert drafted.exit_code == 0, drafted.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [s["section_id"] for s in doc["sections"]] == [
        s for s in SECTIONS if s != "problems_plans"
    ]
    assert doc["sections"][SECTIONS.index("work_1")]["heading"] == "一、抓好组织领导"
    assert doc["outline"] == edited


def test_word_output_is_a_verified_discussion_draft(facts: Path, tmp_path: Path) -> None:
    from assistant.export.verify import verify_docx

    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["draft", "--facts", str(facts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert verify_docx(data) == []
    import io

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "讨论稿" in text and "市委第二巡回指导组：" in text
