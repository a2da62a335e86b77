"""A report's structure as data: headings numbered 一、二、… by position whatever the user typed,
and the template every stage reads built from the report's own sections."""

from __future__ import annotations

from assistant.drafting.templates import load_templates
from assistant.reports.structure import bare_heading, renumber, report_template
from assistant.storage.models import Report, Section


def test_numbered_parts_are_numbered_by_position_and_the_others_keep_their_words() -> None:
    parts = [
        (False, ""),  # the title: no heading of its own
        (True, "三、正视短板不足"),
        (False, "开头"),
        (True, "强化作风建设"),
        (True, "一、加强组织领导"),
    ]
    assert renumber(parts) == [
        "",
        "一、正视短板不足",
        "开头",
        "二、强化作风建设",
        "三、加强组织领导",
    ]
    assert renumber([(True, f"第{i}部分") for i in range(10)])[-1] == "十、第9部分"


def test_a_typed_number_is_not_part_of_the_heading() -> None:
    assert bare_heading("二、加强领导") == "加强领导"
    assert bare_heading(" 十 、 加强领导 ") == "加强领导"
    assert bare_heading("二.加强领导") == "加强领导"
    assert bare_heading("（二）加强领导") == "（二）加强领导"  # not a part's number
    assert bare_heading("二十四节气") == "二十四节气"


def _report(template: str, rows: list[tuple[str, str]]) -> Report:
    report = Report(template=template)
    report.sections = [
        Section(section_id=sid, ord=i, heading=heading, status="empty")
        for i, (sid, heading) in enumerate(rows)
    ]
    return report


def test_the_report_template_follows_the_reports_own_sections() -> None:
    template = load_templates()["工作总结"]
    same = _report("工作总结", [(s.id, s.heading) for s in template.sections])
    assert report_template(template, same) is template

    changed = _report(
        "工作总结",
        [
            ("title", ""),
            ("overview", ""),
            ("plans", "一、明年工作思路"),
            ("added_problems_41", "二、短板弱项"),
            ("achievements", "三、主要成绩"),
        ],
    )
    built = report_template(template, changed)
    assert [s.id for s in built.sections] == [
        "title",
        "overview",
        "plans",
        "added_problems_41",
        "achievements",
    ]
    assert (
        built.numbered_heading("achievements") == "三、" + template.section("achievements").heading
    )
    added = built.section("added_problems_41")
    assert (added.kind, added.numbered, added.heading) == ("problems", True, "短板弱项")
    assert added.takes == ["problem"]  # placement sends the problems there
    assert built.ordinal("added_problems_41") == 2
    assert [s.id for s in template.sections][2] == "achievements"  # the shared one is untouched
