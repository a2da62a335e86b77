"""Section versions over a real SQLite database: numbering, reopening, audit, diffs; fact sheets
as the API reads them; citations carried over an edit or put back for a revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.drafting.revise import with_markers
from assistant.drafting.templates import load_templates
from assistant.facts.sheet import FactSheet
from assistant.reports.facts import Invalid, parse_sheet
from assistant.reports.sections import carry_citations
from assistant.reports.versions import add_version, diff, history, issues_summary, sentences
from assistant.storage.db import Database
from assistant.storage.models import AuditEntry, Report, Section, User

TEMPLATES = load_templates()


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'state.sqlite'}")
    database.migrate()
    return database


@pytest.fixture
def section_pk(db: Database) -> int:
    with db.session() as s:
        user = User(username="dora", password_hash="x", role="drafter")
        s.add(user)
        s.flush()
        report = Report(owner_id=user.id, template="工作情况汇报")
        s.add(report)
        s.flush()
        section = Section(report_id=report.id, section_id="work_1", ord=0, heading="一、…")
        s.add(section)
        s.flush()
        return section.id


def test_sentences_are_the_units_and_paragraph_ends_are_marked() -> None:
    text = "第一时间学习贯彻。召开常委会议12次。\n领导带头。"
    assert sentences(text) == ["第一时间学习贯彻。", "召开常委会议12次。¶", "领导带头。"]


def test_diff_shows_only_the_changed_sentence() -> None:
    old = "第一时间学习贯彻。召开常委会议12次。领导带头示范。部署有力。"
    new = "第一时间学习贯彻。召开常委会议9次。领导带头示范。部署有力。"
    lines = diff(old, new, old_label="v1", new_label="v2").splitlines()
    assert lines[:2] == ["--- v1", "+++ v2"]
    assert "-召开常委会议12次。" in lines and "+召开常委会议9次。" in lines
    assert "部署有力。" not in "".join(lines)  # beyond one sentence of context
    assert diff(old, old) == ""


def test_versions_are_numbered_made_current_reopened_and_logged(
    db: Database, section_pk: int
) -> None:
    with db.session() as s:
        section = s.get(Section, section_pk)
        assert section is not None
        first = add_version(s, section, text="甲。", kind="draft", author_id=1, engine="offline")
        section.approved_version_id = first.id
        section.status = "approved"
        second = add_version(
            s,
            section,
            text="甲。乙。",
            kind="edit",
            author_id=1,
            engine="human",
            issues=[{"severity": "error"}, {"severity": "warning"}],
        )
        assert (first.number, second.number) == (1, 2)
        assert section.current_version_id == second.id
        assert section.approved_version_id is None and section.status == "draft"
    with db.session() as s:
        section = s.get(Section, section_pk)
        assert section is not None
        listed = [v.model_dump() for v in history(s, section)]
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["draft", "edit"]
    assert [v["version"] for v in listed] == [2, 1]  # newest first
    assert listed[0]["author"] == "dora" and listed[0]["engine_label"] == "人工编辑"
    assert listed[0]["issues_summary"] == {"errors": 1, "warnings": 1, "infos": 0, "blocking": True}
    assert listed[0]["diff"].splitlines()[-1] == "+乙。"
    assert listed[1]["diff"].splitlines()[-1] == "+甲。"
    assert listed[0]["created_at"].endswith("+00:00")


def test_issues_summary_counts_severities() -> None:
    assert issues_summary([]) == {"errors": 0, "warnings": 0, "infos": 0, "blocking": False}


def test_fact_sheet_errors_name_their_place() -> None:
    def error(data: object) -> str:
        with pytest.raises(Invalid) as info:
            parse_sheet(data, TEMPLATES)
        return str(info.value)

    ok = {"report": {"template": "工作情况汇报"}, "facts": [{"key": "甲", "value": 1}]}
    assert parse_sheet(ok, TEMPLATES).facts[0].value == 1
    assert error([]).startswith("body: expected a JSON object")
    bad_value = {**ok, "facts": [{"key": "甲", "value": 1}, {"key": "乙", "value": [1]}]}
    assert error(bad_value) == "facts[1].value: must be text or a number"
    counted = {**ok, "facts": [{"key": "甲", "value": "很多", "unit": "次"}]}
    assert error(counted).startswith("facts[0]: value '很多' is not a number")
    assert error({**ok, "facts": [{"key": "甲", "value": 1, "colour": "red"}]}).startswith(
        "facts[0].colour:"
    )
    assert error({"report": {"template": "不存在"}}).startswith(
        "report.template: unknown template '不存在'"
    )
    assert error({"facts": []}).startswith("report.template: required")
    assert error({"report": {"template": "工作情况汇报", "date": "昨天"}}).startswith(
        "report.date:"
    )
    long_unit = {**ok, "facts": [{"key": "甲", "value": 1, "unit": "次" * 40}]}
    assert error(long_unit) == "facts[0].unit: at most 32 characters"
    with pytest.raises(Invalid, match="cannot change"):
        parse_sheet({"report": {"template": "述职报告"}}, TEMPLATES, template="工作情况汇报")


def test_citations_survive_an_edit_only_where_the_sentence_did() -> None:
    old = [
        {"start": 0, "end": 10, "sentence": "召开常委会议12次。", "refs": ["F1"]},
        {"start": 10, "end": 20, "sentence": "派出指导组6个。", "refs": ["F2"]},
    ]
    kept = carry_citations(old, "第一时间学习贯彻。召开常委会议12次。派出指导组7个。")
    assert kept == [{"start": 9, "end": 19, "sentence": "召开常委会议12次。", "refs": ["F1"]}]


def test_markers_are_put_back_for_a_revision_with_the_current_labels() -> None:
    sheet = FactSheet.model_validate(
        {
            "facts": [
                {"key": "参学党员", "value": 3560, "unit": "名"},
                {"key": "常委会议", "value": 12, "unit": "次"},
            ]
        }
    )
    text = "召开常委会议12次。\n派出指导组6个。"
    citations = [
        {"start": 0, "end": 11, "targets": ["fact:常委会议"]},
        {"start": 11, "end": 19, "targets": ["fact:已删除", "chunk:abc"]},
    ]
    assert with_markers(text, citations, sheet) == "召开常委会议12次〔F2〕。\n派出指导组6个。"
