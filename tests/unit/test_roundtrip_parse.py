"""The Word round trip's reading side: a .docx parsed into paragraphs with roles and bookmarks,
and those paragraphs matched to a report's sections by bookmark, heading or position.

Documents are built here with python-docx (styles named as the GB/T 9704 writer names them, or
none at all), so these tests pin the contract without depending on the writer's layout.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from assistant.reports.roundtrip import (
    Para,
    SectionRef,
    UnreadableDocx,
    canonical_lines,
    heading_key,
    match_sections,
    parse_docx,
    same_text,
)

TITLE = "中共青川县委关于2024年主题教育工作情况的汇报"
OPENING = "首先，我代表县委对指导组莅临指导表示欢迎！"
OVERVIEW = "2024年4月以来，县委坚决贯彻落实上级部署，召开常委会议12次。"
WORK_1 = "第一时间学习贯彻。县委召开常委会议12次。\n（一）领导带头。县级领导干部带头学习。"
WORK_2 = "深入开展调查研究。形成调研报告8篇。"
PLANS = "一是持续深化理论武装。二是抓好调研成果转化。"
SECTIONS = [
    SectionRef("title", "", "title", TITLE),
    SectionRef("salutation", "", "salutation", "市委第二巡回指导组："),
    SectionRef("opening", "", "opening", OPENING),
    SectionRef("overview", "", "overview", OVERVIEW),
    SectionRef("work_1", "一、提高政治站位，扎实推动各项部署落地见效", "body", WORK_1),
    SectionRef("work_2", "二、严格标准要求，全面抓实抓细重点任务", "body", WORK_2),
    SectionRef("plans", "三、正视短板不足，谋划下步工作", "plans", PLANS),
    SectionRef("closing", "", "closing", "汇报完毕，谢谢。"),
]
Spec = tuple[str | None, str, str | None]  # (style, text, bookmark)


def _bookmark(p: Paragraph, name: str, n: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(n))
    ppr = p._p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p._p.insert(0, start)
    p._p.append(end)


def build(specs: Sequence[Spec]) -> docx.document.Document:
    doc = docx.Document()
    for n, (style, text, mark) in enumerate(specs):
        if style and style not in [s.name for s in doc.styles]:
            doc.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
        lines = text.split("\n")
        p = doc.add_paragraph(style=style)
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        if mark:
            _bookmark(p, mark, n)
    return doc


def save(doc: docx.document.Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def exported(**changes: str | None) -> list[Spec]:
    """Paragraphs as the GB/T 9704 writer lays the report out; ``changes`` replace a spec
    (``None`` drops the paragraph), keyed by a short name."""
    specs: dict[str, Spec] = {
        "mark": ("GW Mark", "讨论稿", None),
        "title": ("GW Title", "中共青川县委关于2024年\n主题教育工作情况的汇报", "gw_title"),
        "recipient": ("GW Recipient", "市委第二巡回指导组：", "gw_salutation"),
        "opening": ("GW Body", OPENING, "gw_opening"),
        "overview": ("GW Body", OVERVIEW, "gw_overview"),
        "h1": ("GW Heading 1", SECTIONS[4].heading, "gw_work_1"),
        "w1a": ("GW Body", "第一时间学习贯彻。县委召开常委会议12次。", None),
        "w1b": ("GW Heading 2", "（一）领导带头。县级领导干部带头学习。", None),
        "h2": ("GW Heading 1", SECTIONS[5].heading, "gw_work_2"),
        "w2": ("GW Body", WORK_2, None),
        "h3": ("GW Heading 1", SECTIONS[6].heading, "gw_plans"),
        "p": ("GW Body", PLANS, None),
        "closing": ("GW Body", "汇报完毕，谢谢。", "gw_closing"),
        "signature": ("GW Signature", "中共青川县委", None),
        "date": ("GW Date", "2024年8月20日", None),
    }
    out = []
    for key, spec in specs.items():
        if key in changes:
            replaced = changes[key]
            if replaced is None:
                continue
            spec = (spec[0], replaced, spec[2])
        out.append(spec)
    return out


def by_id(specs: Sequence[Spec]) -> dict[str, tuple[str, str]]:
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), SECTIONS)
    return {f.id: (f.by, f.text) for f in matching.found}


# -- parsing --------------------------------------------------------------------------------------


def test_roles_come_from_the_writers_style_names() -> None:
    paras = parse_docx(save(build(exported())), "r.docx")
    roles = [(p.role, p.text[:6]) for p in paras]
    assert roles[:5] == [
        ("ignored", "讨论稿"),
        ("title", "中共青川县委"),
        ("recipient", "市委第二巡回"),
        ("body", OPENING[:6]),
        ("body", OVERVIEW[:6]),
    ]
    assert ("heading", "一、提高政治") in roles
    assert ("body", "（一）领导带") in roles  # sub-headings are part of the text
    assert roles[-2:] == [("ignored", "中共青川县委"), ("ignored", "2024年8")]
    assert paras[1].bookmarks == ("gw_title",)
    assert paras[1].lines() == ["中共青川县委关于2024年", "主题教育工作情况的汇报"]


def test_word_builtin_headings_and_outline_levels_count_as_headings() -> None:
    doc = docx.Document()
    doc.add_heading("报告标题", level=0)
    doc.add_heading("一、第一部分", level=1)
    doc.add_heading("（一）小标题", level=2)
    p = doc.add_paragraph("二、按大纲级别的标题")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(outline)
    doc.add_paragraph("正文。")
    roles = [(p.role, p.text) for p in parse_docx(save(doc), "r.docx")]
    assert roles == [
        ("title", "报告标题"),
        ("heading", "一、第一部分"),
        ("body", "（一）小标题"),
        ("heading", "二、按大纲级别的标题"),
        ("body", "正文。"),
    ]


def test_a_users_style_based_on_ours_keeps_its_role() -> None:
    doc = build([("GW Heading 1", "一、甲", None)])
    mine = doc.styles.add_style("我的标题", WD_STYLE_TYPE.PARAGRAPH)
    mine.base_style = doc.styles["GW Heading 1"]
    doc.add_paragraph("二、乙", style="我的标题")
    assert [p.role for p in parse_docx(save(doc), "r.docx")] == ["heading", "heading"]


def test_plain_paragraphs_are_read_by_their_words() -> None:
    specs: list[Spec] = [
        (None, TITLE, None),
        (None, "一、主要工作", None),
        (None, "一、这是正文里的句子。后面还有一句。", None),
        (None, "附件：1. 统计表", None),
        (None, "2. 名单", None),
        (None, "中共青川县委", None),
        (None, "2024年8月20日", None),
    ]
    roles = [p.role for p in parse_docx(save(build(specs)), "r.docx")]
    assert roles == ["body", "heading", "body", "ignored", "ignored", "ignored", "ignored"]


def test_tracked_changes_read_as_accepted_and_comments_are_not_text() -> None:
    doc = build([("GW Body", "全年召开会议", None)])
    p = doc.paragraphs[0]
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "1")
    deleted.set(qn("w:author"), "审核人")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = "12次"
    run.append(text)
    deleted.append(run)
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "2")
    inserted.set(qn("w:author"), "审核人")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "15次。"
    run.append(text)
    inserted.append(run)
    p._p.append(deleted)
    p._p.append(inserted)
    doc.add_comment(p.runs, text="数字请核实", author="审核人")
    doc.sections[0].header.paragraphs[0].text = "页眉文字"
    assert [x.text for x in parse_docx(save(doc), "r.docx")] == ["全年召开会议15次。"]


def test_tables_become_lines_and_loose_bookmarks_go_to_the_next_paragraph() -> None:
    doc = build([("GW Body", "前文。", None)])
    table = doc.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "完成"), ("会议", "12次")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "9")
    start.set(qn("w:name"), "gw_work_1")
    table._tbl.addnext(start)
    doc.add_paragraph("后文。")
    doc.add_paragraph("")  # spacing: dropped
    paras = parse_docx(save(doc), "r.docx")
    assert [(p.text, p.bookmarks) for p in paras] == [
        ("前文。", ()),
        ("指标\t完成", ()),
        ("会议\t12次", ()),
        ("后文。", ("gw_work_1",)),
    ]


def test_an_empty_paragraph_keeps_its_section_bookmark() -> None:
    paras = parse_docx(save(build([("GW Body", "", "gw_opening")])), "r.docx")
    assert paras == [Para("", "body", ("gw_opening",), "GW Body")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"just some text, renamed to .docx", "corrupt .docx (not a valid zip package)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "corrupt .doc file"),
    ],
)
def test_what_is_not_a_docx_is_refused_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocx, match=r"^报告\.docx: ") as exc:
        parse_docx(data, "报告.docx")
    assert reason in str(exc.value)


def test_a_zip_that_is_not_a_word_file_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hello")
    with pytest.raises(UnreadableDocx, match=r"^a\.docx: not a readable \.docx"):
        parse_docx(out.getvalue(), "a.docx")
    truncated = save(build(exported()))[:2000]
    with pytest.raises(UnreadableDocx, match=r"^b\.docx: "):
        parse_docx(truncated, "b.docx")


# -- comparing ------------------------------------------------------------------------------------


def test_what_word_changes_on_its_own_is_not_a_change() -> None:
    old = "县委召开“第一议题”学习12次，形成调研报告8篇。\n二是抓好转化——逐条销号……"
    assert same_text(
        old, '县委召开"第一议题"学习 12 次,形成调研报告8篇。\n二是抓好转化--逐条销号......'
    )
    assert same_text(old, "  " + old.replace("\n", "\n\u3000\u3000") + "\n\n")
    assert not same_text(old, old.replace("12次", "15次"))
    assert not same_text(old, old.replace("\n", ""))  # merging paragraphs is an edit
    assert canonical_lines("（一）甲，乙") == ["(一)甲,乙"]


def test_heading_keys_ignore_numbering_spaces_and_punctuation() -> None:
    assert heading_key("一、提高政治站位，扎实推动") == "提高政治站位扎实推动"
    assert heading_key("三 、 提高政治站位扎实推动。") == heading_key(
        "（三）提高政治站位，扎实推动"
    )
    assert heading_key("1. 基本情况") == heading_key("基本情况")


# -- matching -------------------------------------------------------------------------------------


def test_an_untouched_export_matches_every_section_by_bookmark_and_says_the_same() -> None:
    found = by_id(exported())
    assert {sid: by for sid, (by, _) in found.items()} == {s.id: "bookmark" for s in SECTIONS}
    for section in SECTIONS:
        assert same_text(found[section.id][1], section.text), section.id


def test_lost_bookmarks_fall_back_to_heading_then_position() -> None:
    specs = [(style, text, None) for style, text, _ in exported()]
    renamed = [
        (s, "二、严格标准要求，全面抓实各项重点任务", None)
        if t == SECTIONS[5].heading
        else (s, t, None)
        for s, t, _ in specs
    ]
    found = by_id(renamed)
    assert {sid: by for sid, (by, _) in found.items()} == {
        "title": "position",
        "salutation": "position",
        "opening": "position",
        "overview": "position",
        "work_1": "heading",
        "work_2": "heading",
        "plans": "heading",
        "closing": "position",
    }
    assert found["opening"][1] == OPENING and found["overview"][1] == OVERVIEW
    assert found["title"][1] == TITLE and found["work_1"][1] == WORK_1
    assert found["plans"][1] == PLANS and found["closing"][1] == "汇报完毕，谢谢。"


def test_a_new_heading_is_unmatched_with_its_text() -> None:
    specs = exported()
    at = specs.index(("GW Heading 1", SECTIONS[6].heading, "gw_plans"))
    specs[at:at] = [("GW Heading 1", "三、加强宣传引导", None), ("GW Body", "营造良好氛围。", None)]
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), SECTIONS)
    assert [(u.heading, u.text) for u in matching.unmatched] == [
        ("三、加强宣传引导", "营造良好氛围。")
    ]
    assert next(f for f in matching.found if f.id == "work_2").text == WORK_2


def test_front_paragraphs_are_shared_by_similarity_when_bookmarks_are_gone() -> None:
    added = "同时，县委注重统筹推进各项工作。"
    specs = [(s, t, None) for s, t, _ in exported(overview=OVERVIEW + "\n" + added)]
    # The added line became its own paragraph (a line break is read as one).
    found = by_id(specs)
    assert found["opening"][1] == OPENING
    assert found["overview"][1] == OVERVIEW + "\n" + added


def test_one_remaining_bookmark_pins_its_section() -> None:
    specs = exported()
    specs = [(s, t, m if m == "gw_overview" else None) for s, t, m in specs]
    specs.insert(3, ("GW Body", "新增的开头段落。", None))  # between recipient and opening
    found = by_id(specs)
    assert found["opening"] == ("position", "新增的开头段落。\n" + OPENING)
    assert found["overview"] == ("bookmark", OVERVIEW)


def test_a_document_typed_from_scratch_matches_by_heading_and_position() -> None:
    specs: list[Spec] = [
        (None, TITLE, None),
        (None, "市委第二巡回指导组：", None),
        (None, OPENING, None),
        (None, OVERVIEW.replace("12次", "13次"), None),
        (None, "一、提高政治站位，扎实推动各项部署落地见效", None),
        *[(None, line, None) for line in WORK_1.split("\n")],
        (None, "二、严格标准要求，全面抓实抓细重点任务", None),
        (None, WORK_2, None),
        (None, "三、正视短板不足、谋划下步工作", None),
        (None, PLANS, None),
        (None, "汇报完毕，谢谢。", None),
        (None, "中共青川县委", None),
        (None, "2024年8月20日", None),
    ]
    found = by_id(specs)
    assert {sid: by for sid, (by, _) in found.items()} == {
        "title": "position",
        "salutation": "position",
        "opening": "position",
        "overview": "position",
        "work_1": "heading",
        "work_2": "heading",
        "plans": "heading",
        "closing": "position",
    }
    assert found["overview"][1] == OVERVIEW.replace("12次", "13次")
    assert found["plans"][1] == PLANS  # 落款 and date are not the plans' text


def test_without_salutation_a_colon_line_is_the_opening() -> None:
    sections = [s for s in SECTIONS if s.id not in ("salutation", "overview")]
    specs: list[Spec] = [
        (None, TITLE, None),
        (None, "现将有关情况汇报如下：", None),
        (None, "一、提高政治站位，扎实推动各项部署落地见效", None),
        (None, "正文。", None),
    ]
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), sections)
    found = {f.id: f.text for f in matching.found}
    assert found == {"title": TITLE, "opening": "现将有关情况汇报如下：", "work_1": "正文。"}


def test_never_drafted_front_sections_take_paragraphs_in_order() -> None:
    sections = [
        SectionRef("title", "", "title"),
        SectionRef("opening", "", "opening"),
        SectionRef("overview", "", "overview"),
        SectionRef("work_1", "一、主要工作", "body"),
    ]
    specs: list[Spec] = [
        (None, "关于工作情况的报告", None),
        (None, "第一段。", None),
        (None, "第二段。", None),
        (None, "第三段。", None),
        (None, "一、主要工作", None),
        (None, "正文。", None),
    ]
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), sections)
    found = {f.id: f.text for f in matching.found}
    assert found["title"] == "关于工作情况的报告"
    assert (found["opening"], found["overview"]) in {
        ("第一段。", "第二段。\n第三段。"),
        ("第一段。\n第二段。", "第三段。"),
    }
    assert matching.unmatched == []


def test_a_deleted_section_is_simply_not_found() -> None:
    specs = exported(h2=None, w2=None)
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), SECTIONS)
    assert "work_2" not in {f.id for f in matching.found}
    assert next(f for f in matching.found if f.id == "work_1").text == WORK_1


def test_a_heading_like_line_of_a_sections_own_text_stays_in_it() -> None:
    text = "总体情况良好。\n一、理论学习方面\n学习12次。"
    sections = [SectionRef("overview", "", "overview", text), *SECTIONS[4:5]]
    specs: list[Spec] = [
        ("GW Body", "总体情况良好。", "gw_overview"),
        ("GW Heading 1", "一、理论学习方面", None),  # the writer styles it as a heading
        ("GW Body", "学习12次。", None),
        ("GW Heading 1", SECTIONS[4].heading, "gw_work_1"),
        ("GW Body", "正文。", None),
    ]
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), sections)
    assert {f.id: f.text for f in matching.found} == {"overview": text, "work_1": "正文。"}
    assert matching.unmatched == []


def test_a_recipient_line_with_no_salutation_part_does_not_hide_the_overview() -> None:
    """A 工作总结 has no 称谓 part, but the export prints its 主送机关 from the report's details:
    that line is set apart, and the 总体情况 paragraph after it is found (it had come back
    unmatched with the recipient, and an edit to it was lost)."""
    sections = [s for s in SECTIONS if s.id not in ("salutation", "opening", "closing")]
    specs: list[Spec] = [
        ("GW Title", TITLE, "gw_title"),
        ("GW Recipient", "区人民政府：", None),
        ("GW Body", OVERVIEW + "全区市场主体总量达到5.6万户。", "gw_overview"),
        ("GW Heading 1", "一、提高政治站位，扎实推动各项部署落地见效", "gw_work_1"),
        ("GW Body", WORK_1, None),
    ]
    matching = match_sections(parse_docx(save(build(specs)), "r.docx"), sections)
    found = {f.id: f.text for f in matching.found}
    assert found["overview"].endswith("全区市场主体总量达到5.6万户。")
    assert matching.unmatched == [] and matching.recipient == "区人民政府："
