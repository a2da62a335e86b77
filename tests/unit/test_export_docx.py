"""The GB/T 9704 writer, read back with python-docx: page, styles and fonts by role, title lines,
recipient, signature and date, footers, bookmarks, the 讨论稿 mark, footnotes and comments, and
hostile input. Every document written here also passes the verifier."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from assistant.export import (
    ExportCitation,
    ExportComment,
    ExportInputError,
    ExportReport,
    ExportSection,
    FontNames,
    from_draft_json,
    write_docx,
    write_report,
)
from assistant.export.layout import (
    CHARS_PER_LINE,
    CONDENSE,
    LINE_PITCH,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    chars_per_line,
    signature_indents,
)
from assistant.export.titles import title_lines
from assistant.export.verify import verify_docx
from assistant.retrieval.tokenize import load_jieba

TITLE = "中共青溪县委关于2025年学习贯彻习近平新时代中国特色社会主义思想主题教育工作情况的汇报"
WORK = (
    "县委召开常委会议9次，专题研究主题教育工作。\n"
    "（一）加强组织领导。县委成立领导小组，书记任组长。\n"
    "1.健全工作机制\n"
    "（1）建立周调度制度。每周召开一次调度会。\n"
    "全县参学党员8650名。"
)


def sample_report(**changes: Any) -> ExportReport:
    """A report using every part of the layout."""
    fields: dict[str, Any] = {
        "title": TITLE,
        "recipient": "市委第三巡回指导组",
        "organization": "中共青溪县委",
        "date": dt.date(2025, 8, 5),
        "sections": [
            ExportSection("opening", "", "首先，对指导组各位领导表示欢迎。"),
            ExportSection(
                "work_1",
                "一、提高政治站位，扎实推动部署落地",
                WORK,
                [
                    ExportCitation(
                        "县委召开常委会议9次，专题研究主题教育工作。",
                        ("F1",),
                        (),
                        "事实“常委会议”：9次",
                    ),
                    ExportCitation("全县参学党员8650名。", ("F2",), (), "事实“参学党员”：8650名"),
                ],
            ),
            ExportSection("work_2", "二、严格标准要求", "深入开展调查研究。\n\n形成调研报告。"),
            ExportSection("closing", "", "汇报完毕，谢谢。"),
        ],
        "attachments": ["主题教育工作台账。", "调研课题清单"],
        "comments": [
            ExportComment("work_2", "形成调研报告。", "审核人", "请补充数量"),
            ExportComment("work_1", "（不在文中的句子）", "核查", "无法定位时挂在本节开头"),
        ],
    }
    fields.update(changes)
    return ExportReport(**fields)


def export(report: ExportReport, **kwargs: Any) -> docx.document.Document:
    data = write_docx(report, **kwargs)
    assert verify_docx(data, fonts=kwargs.get("fonts")) == []
    return docx.Document(io.BytesIO(data))


def styled(doc: docx.document.Document, name: str) -> list[Any]:
    return [p for p in doc.paragraphs if p.style is not None and p.style.name == name]


@pytest.fixture(scope="module")
def doc() -> docx.document.Document:
    return export(sample_report())


def test_page_is_a4_with_the_standard_margins_and_a_22_line_grid(doc: Any) -> None:
    s = doc.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    margins = (s.top_margin.mm, s.bottom_margin.mm, s.left_margin.mm, s.right_margin.mm)
    assert [round(m, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and int(grid.get(qn("w:linePitch"))) == LINE_PITCH


def test_layout_arithmetic_gives_22_lines_of_28_characters() -> None:
    assert LINE_PITCH * 22 <= TEXT_HEIGHT < LINE_PITCH * 23
    assert chars_per_line(TEXT_WIDTH, 16 * 20 + CONDENSE) == CHARS_PER_LINE == 28
    assert chars_per_line(TEXT_WIDTH, 16 * 20 + CONDENSE + 1) == 27  # −5 twips is the least


@pytest.mark.parametrize(
    ("style", "east_asia", "pt"),
    [
        ("GW Title", "方正小标宋简体", 22),
        ("GW Recipient", "仿宋_GB2312", 16),
        ("GW Heading 1", "黑体", 16),
        ("GW Heading 2", "楷体_GB2312", 16),
        ("GW Heading 3", "仿宋_GB2312", 16),
        ("GW Heading 4", "仿宋_GB2312", 16),
        ("GW Body", "仿宋_GB2312", 16),
        ("GW Signature", "仿宋_GB2312", 16),
        ("GW Date", "仿宋_GB2312", 16),
        ("GW Attachment", "仿宋_GB2312", 16),
    ],
)
def test_each_role_has_its_style_font_and_size(
    doc: Any, style: str, east_asia: str, pt: int
) -> None:
    st = doc.styles[style]
    fonts = st.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == east_asia
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    assert st.font.size.pt == pt
    assert styled(doc, style), f"no paragraph uses {style}"
    fmt = st.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.twips == LINE_PITCH


@pytest.mark.parametrize("style", ["GW Body", "GW Heading 1", "GW Heading 2", "GW Heading 3"])
def test_body_and_headings_indent_the_first_line_two_characters(doc: Any, style: str) -> None:
    ind = doc.styles[style].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"


def test_document_order_and_heading_levels(doc: Any) -> None:
    got = [(p.style.name, p.text) for p in doc.paragraphs]
    assert got[0][0] == "GW Title"
    assert got[1] == ("GW Recipient", "市委第三巡回指导组：")
    assert ("GW Heading 1", "一、提高政治站位，扎实推动部署落地") in got
    assert ("GW Heading 2", "（一）加强组织领导。县委成立领导小组，书记任组长。") in got
    assert ("GW Heading 3", "1.健全工作机制") in got
    assert ("GW Heading 4", "（1）建立周调度制度。每周召开一次调度会。") in got
    assert ("GW Body", "形成调研报告。") in got  # the blank line between paragraphs is dropped
    assert got[-4:] == [
        ("GW Attachment", "附件：1. 主题教育工作台账"),
        ("GW Attachment", "2. 调研课题清单"),
        ("GW Signature", "中共青溪县委"),
        ("GW Date", "2025年8月5日"),
    ]


def test_a_run_in_heading_sets_its_lead_in_the_heading_font_and_the_rest_as_body(doc: Any) -> None:
    (p,) = [p for p in styled(doc, "GW Heading 2")]
    lead, rest = p.runs[0], p.runs[1]
    assert lead.text == "（一）加强组织领导。" and lead._r.rPr is None  # the style's 楷体
    assert (
        rest.text.startswith("县委成立")
        and rest._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    )


def test_long_title_breaks_between_words_into_centred_lines(doc: Any) -> None:
    (title,) = styled(doc, "GW Title")
    assert title.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert doc.styles["GW Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    lines = title.text.split("\n")
    assert "".join(lines) == TITLE and len(lines) >= 2
    assert all(len(line) <= 20 for line in lines)
    bounds, pos = set(), 0
    for word in load_jieba().lcut(TITLE):
        pos += len(word)
        bounds.add(pos)
    assert all(sum(map(len, lines[: i + 1])) in bounds for i in range(len(lines) - 1))


@pytest.mark.parametrize(
    "title",
    [
        "中共青溪县委关于2025年主题教育工作情况的汇报",
        "国务院关于印发《新一代人工智能发展规划》的通知",
        "临江市水务局关于2024年工作情况的汇报",
    ],
)
def test_title_lines_are_balanced_and_keep_numbers_with_units(title: str) -> None:
    lines = title_lines(title)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert not any(line[0] in "，。、》）年" for line in lines)
    if len(lines) == 2:
        assert abs(len(lines[0]) - len(lines[1])) <= 8


def test_recipient_gets_exactly_one_full_width_colon() -> None:
    d = export(sample_report(recipient="县委主题教育领导小组:"))
    assert styled(d, "GW Recipient")[0].text == "县委主题教育领导小组："
    assert styled(d, "GW Recipient")[0].paragraph_format.first_line_indent in (None, 0)


def test_signature_sits_over_a_date_four_characters_from_the_right(doc: Any) -> None:
    (sig,), (date,) = styled(doc, "GW Signature"), styled(doc, "GW Date")
    assert date.text == "2025年8月5日"  # Arabic numerals, no leading zeros
    date_ind = date._p.pPr.find(qn("w:ind"))
    assert date_ind.get(qn("w:rightChars")) == "400"
    # 中共青溪县委 and 2025年8月5日 are both six characters wide (digits count half).
    assert signature_indents("中共青溪县委", "2025年8月5日") == (4, 4)
    assert doc.styles["GW Date"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert sig._p.pPr.find(qn("w:spacing")).get(qn("w:before")) == str(LINE_PITCH)


def test_a_long_organisation_keeps_two_characters_and_centres_the_date_under_it() -> None:
    org_right, date_right = signature_indents("中共东湖市水务集团有限公司委员会", "2024年12月20日")
    assert org_right == 2 and date_right > org_right


def footer_of(doc: Any, kind: str) -> Any:
    ref = next(
        r
        for r in doc.sections[0]._sectPr.findall(qn("w:footerReference"))
        if r.get(qn("w:type")) == kind
    )
    return doc.part.related_parts[ref.get(qn("r:id"))].element


@pytest.mark.parametrize(
    ("kind", "side", "number"), [("default", "right", "1"), ("even", "left", "2")]
)
def test_page_numbers_are_page_fields_right_on_odd_and_left_on_even_pages(
    doc: Any, kind: str, side: str, number: str
) -> None:
    assert doc.settings.odd_and_even_pages_header_footer
    footer = footer_of(doc, kind)
    (p,) = footer.findall(qn("w:p"))
    assert "".join(t.text for t in p.iter(qn("w:t"))) == f"— {number} —"
    assert [t.text.strip() for t in p.iter(qn("w:instrText"))] == ["PAGE"]
    assert p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
    assert p.pPr.find(qn("w:ind")).get(qn(f"w:{side}Chars")) == "100"  # 空一字
    for r in p.iter(qn("w:r")):
        assert r.rPr.find(qn("w:sz")).get(qn("w:val")) == "28"  # 4号
        assert r.rPr.rFonts.get(qn("w:eastAsia")) == r.rPr.rFonts.get(qn("w:ascii")) == "宋体"


def test_every_section_starts_with_its_bookmark(doc: Any) -> None:
    marks = {}
    for p in doc.paragraphs:
        for b in p._p.findall(qn("w:bookmarkStart")):
            marks[b.get(qn("w:name"))] = p.text
    assert marks["gw_title"].replace("\n", "") == TITLE
    assert marks["gw_salutation"] == "市委第三巡回指导组："
    assert marks["gw_opening"].startswith("首先")
    assert marks["gw_work_1"] == "一、提高政治站位，扎实推动部署落地"
    assert marks["gw_work_2"] == "二、严格标准要求"
    assert marks["gw_closing"] == "汇报完毕，谢谢。"


def test_the_draft_mark_appears_only_on_drafts(doc: Any) -> None:
    texts = [p.text for p in doc.paragraphs]
    headers = [
        p.text
        for h in (doc.sections[0].header, doc.sections[0].even_page_header)
        for p in h.paragraphs
    ]
    assert not any("讨论稿" in t for t in texts + headers)
    draft = export(sample_report(draft=True))
    assert draft.paragraphs[0].text == "讨论稿" and draft.paragraphs[0].style.name == "GW Mark"
    assert "讨论稿" in draft.sections[0].header.paragraphs[0].text
    assert "讨论稿" in draft.sections[0].even_page_header.paragraphs[0].text


def footnotes_xml(doc: Any) -> Any:
    part = doc.part.part_related_by(RT.FOOTNOTES)
    return docx.oxml.parse_xml(part.blob)


def test_citations_become_footnotes_only_when_asked(doc: Any) -> None:
    with pytest.raises(KeyError):
        doc.part.part_related_by(RT.FOOTNOTES)
    d = export(sample_report(), footnotes=True)
    notes = [n for n in footnotes_xml(d).findall(qn("w:footnote")) if int(n.get(qn("w:id"))) > 0]
    assert ["".join(t.text for t in n.iter(qn("w:t"))).strip() for n in notes] == [
        "事实“常委会议”：9次",
        "事实“参学党员”：8650名",
    ]
    refs = [(p.text, r) for p in d.paragraphs for r in p._p.iter(qn("w:footnoteReference"))]
    assert [text for text, _ in refs] == [
        "县委召开常委会议9次，专题研究主题教育工作。",
        "全县参学党员8650名。",
    ]
    assert d.settings.element.find(qn("w:footnotePr")) is not None


def test_comments_become_word_comments_only_when_asked(doc: Any) -> None:
    assert len(list(doc.comments)) == 0
    d = export(sample_report(), comments=True)
    got = {c.text: c.author for c in d.comments}
    assert got == {"请补充数量": "审核人", "无法定位时挂在本节开头": "核查"}
    body = d.element.body
    starts = body.findall(".//" + qn("w:commentRangeStart"))
    assert len(starts) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"sections": []},
        {"sections": [ExportSection("empty", "", ""), ExportSection("blank", "  ", "\n \n")]},
        {"title": "标题" * 150},  # 300 characters
        {"title": ""},
        {"title": "A&B <公司> \"引号\" 'x' 😀 关于\x07工作的汇报\ud800"},
        {
            "sections": [
                ExportSection(
                    "x", "一、R&D <研发>", "数据 < 10 & > 5 😀\x07\x00\x1f，结束\ufffe。"
                ),
            ],
            "recipient": "<领导>&\x0b",
            "organization": "😀单位\x01",
            "attachments": ["<附件>&", "", "\x07"],
            "comments": [ExportComment("x", "😀", "<审核>", "&意见\x08")],
        },
    ],
)
def test_hostile_input_still_gives_a_valid_document(change: dict[str, Any]) -> None:
    report = sample_report(**change)
    for kwargs in ({}, {"footnotes": True, "comments": True}, {"footnotes": True}):
        d = export(report, **kwargs)
        text = "\n".join(p.text for p in d.paragraphs)
        assert "\x07" not in text and "\x00" not in text and "\ud800" not in text
    if "title" in change and change["title"].startswith("A&B"):
        assert "A&B <公司>" in text and "😀" in text


def test_an_empty_section_keeps_its_bookmark() -> None:
    d = export(sample_report(sections=[ExportSection("empty", "", "")]))
    names = [b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))]
    assert "gw_empty" in names


def test_font_names_are_configurable() -> None:
    fonts = FontNames(body="宋体", heading1="方正黑体_GBK", title="华文中宋")
    data = write_docx(sample_report(), fonts=fonts)
    assert verify_docx(data, fonts=fonts) == []
    d = docx.Document(io.BytesIO(data))
    assert d.styles["GW Body"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert d.styles["GW Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "华文中宋"
    # Against the standard's fonts the body and title are wrong; 方正黑体_GBK is 黑体.
    rules = {(v.rule, v.expected) for v in verify_docx(data)}
    assert ("font", "仿宋_GB2312") in rules and ("font", "方正小标宋简体") in rules
    assert ("font", "黑体") not in rules


def test_font_names_from_settings_fall_back_to_the_standard() -> None:
    class S:
        export_font_body = "仿宋"

    assert FontNames.from_settings(S()) == FontNames(body="仿宋")
    assert FontNames.from_settings(object()) == FontNames()


def test_write_report_keeps_its_old_signature() -> None:
    d = docx.Document(io.BytesIO(write_report("标题", [("一、情况", "正文。")], draft=False)))
    assert [(p.style.name, p.text) for p in d.paragraphs] == [
        ("GW Title", "标题"),
        ("GW Heading 1", "一、情况"),
        ("GW Body", "正文。"),
    ]


def draft_json(**changes: Any) -> dict[str, Any]:
    """What `assistant draft --out x.json` writes (assistant.drafting.render.to_json)."""
    section = {"citations": [], "issues": [], "provenance": {"engine": "offline", "passages": []}}
    data: dict[str, Any] = {
        "template": "工作情况汇报",
        "report": {
            "template": "工作情况汇报",
            "title": "旧标题",
            "organization": "中共青溪县委",
            "recipient": "备用主送",
            "date": "2025-08-20",
            "attachments": ["台账"],
        },
        "facts": [{"key": "常委会议", "value": 9, "unit": "次", "note": "", "source": "user"}],
        "outline": None,
        "sections": [
            {
                **section,
                "section_id": "title",
                "heading": "",
                "text": "中共青溪县委关于工作情况的汇报",
            },
            {**section, "section_id": "salutation", "heading": "", "text": "市委第三巡回指导组："},
            {
                **section,
                "section_id": "work_1",
                "heading": "一、提高政治站位",
                "text": "县委召开常委会议9次。【待补充：数量】",
                "citations": [
                    {
                        "start": 0,
                        "end": 10,
                        "sentence": "县委召开常委会议9次。",
                        "refs": ["F1"],
                        "targets": ["fact:常委会议"],
                    }
                ],
                "issues": [
                    {
                        "rule": "ZW005",
                        "category": "占位符",
                        "severity": "error",
                        "start": 11,
                        "end": 19,
                        "text": "【待补充：数量】",
                        "message": "遗留的待补充标记",
                        "suggestion": "",
                    }
                ],
            },
            {**section, "section_id": "closing", "heading": "", "text": "汇报完毕，谢谢。"},
        ],
    }
    data.update(changes)
    return data


def test_from_draft_json_maps_template_kinds() -> None:
    r = from_draft_json(draft_json())
    assert (r.title, r.recipient, r.organization, r.date) == (
        "中共青溪县委关于工作情况的汇报",
        "市委第三巡回指导组",
        "中共青溪县委",
        dt.date(2025, 8, 20),
    )
    assert [s.id for s in r.sections] == ["work_1", "closing"]  # the closing stays body text
    assert r.sections[0].citations[0].note == "事实“常委会议”：9次"
    assert r.comments == [ExportComment("work_1", "【待补充：数量】", "核查", "遗留的待补充标记")]
    assert r.attachments == ["台账"] and not r.draft
    assert (r.title_id, r.recipient_id) == ("title", "salutation")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected an object"),
        ({"template": "不存在", "sections": []}, "unknown template"),
        ({"sections": []}, "no template given"),
        (draft_json(sections=[]), "no sections"),
        (draft_json(sections="x"), "sections: expected a list"),
        (draft_json(sections=[{"section_id": "a", "text": 3}]), "sections[0].text: expected text"),
        (draft_json(sections=[{"text": "x"}]), "sections[0].section_id: missing"),
        (draft_json(report={"date": "2025-13-01"}), "report.date"),
    ],
)
def test_from_draft_json_names_the_bad_place(data: Any, message: str) -> None:
    with pytest.raises(ExportInputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        from_draft_json(data)
