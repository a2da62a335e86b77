from pathlib import Path

from assistant.domain import Block, BlockKind, DocMeta, Document
from assistant.ingest.chunking import chunk_document
from assistant.ingest.headings import NUMBERED, detect_heading
from assistant.ingest.loaders import load_file
from assistant.ingest.sentences import fit, sentences
from tests.conftest import SEED


def doc(*paragraphs: str, title: str = "测试文件") -> Document:
    return Document(
        source="t.txt", meta=DocMeta(title=title), blocks=[Block(p) for p in paragraphs]
    )


def test_heading_levels() -> None:
    cases = {
        "一、提高政治站位": 1,
        "（二）深化改革": 2,
        "3.加强监督": 3,
        "（4）完善台账": 4,
        "第三章 会议制度": 1,
        "第二节 职责": 2,
    }
    for text, level in cases.items():
        h = detect_heading(text)
        assert h is not None and h.level == NUMBERED + level, text
    assert detect_heading("1.4万亿斤粮食") is None
    assert detect_heading("2024年工作回顾") is None
    assert detect_heading("一、二季度全县生产总值增长5%。") is None


def test_run_in_heading_is_split_from_its_body() -> None:
    h = detect_heading(
        "一、提高政治站位，持续增强责任感使命感。第一时间学习贯彻。主题教育开展以来……"
    )
    assert h is not None
    assert h.text == "一、提高政治站位，持续增强责任感使命感"
    # nothing is lost: the body keeps the heading sentence too
    assert h.body.startswith("一、提高政治站位") and "第一时间学习贯彻。" in h.body


def test_sentences_never_split_inside_quotes_or_titles() -> None:
    text = "他说：“要抓紧。要抓实。”印发《关于加强。管理的通知》。完成了。"
    assert sentences(text) == ["他说：“要抓紧。要抓实。”印发《关于加强。管理的通知》。", "完成了。"]


def test_over_long_sentence_is_cut_at_semicolons_then_commas_never_in_a_number() -> None:
    text = "；".join(f"第{i}项指标完成12345.67万元" for i in range(30)) + "。"
    parts = fit(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert "".join(parts) == text
    assert all(p.endswith(("；", "。")) for p in parts)
    digits = "1234567890" * 30
    cut = fit(digits + "，" + digits, 200)
    assert "".join(cut) == digits + "，" + digits


def test_heading_path_and_lead_phrases_on_the_seed(shared_data: Path) -> None:
    document = load_file(SEED, max_bytes=10**7)
    chunks = chunk_document(document, doc_id="seed", size=400)
    assert all(len(c.text) <= 500 for c in chunks)
    first_section = [c for c in chunks if c.heading_path and c.heading_path[0].startswith("一、")]
    assert first_section, [c.heading for c in chunks]
    section = "一、提高政治站位，持续增强做好主题教育的责任感使命感"
    assert first_section[0].heading_path == (section,)
    assert first_section[0].text.startswith(section + "。第一时间学习贯彻。")
    # a later lead phrase starts, and names, a chunk of its own
    assert (section, "第一时间制定方案") in [c.heading_path for c in first_section]
    assert all(c.has_placeholder for c in first_section)
    text = "".join(c.text for c in chunks)
    assert "##paid" not in text
    # every sentence of the source survives chunking
    assert "汇报完毕，谢谢。" in text


def test_numbered_one_sentence_items_stay_in_the_text() -> None:
    d = doc(
        "二、有关要求",
        "1.各单位务必于2024年12月20日前报送。",
        "2.联系人：张三，电话：0838-1234567。",
        "3.逾期未报送的予以通报。",
        "青川县人民政府办公室",
    )
    text = "".join(c.text for c in chunk_document(d, doc_id="d"))
    for phrase in ("12月20日", "0838-1234567", "逾期未报送", "青川县人民政府办公室"):
        assert phrase in text


def test_styled_headings_rank_above_numbered_ones() -> None:
    d = Document(
        source="t.docx",
        meta=DocMeta(title="t"),
        blocks=[
            Block("防汛工作", kind=BlockKind.HEADING, level=1),
            Block("（一）监测预警", kind=BlockKind.HEADING, level=3),
            Block("1.发布预警信息42期。"),
        ],
    )
    (chunk,) = chunk_document(d, doc_id="d")
    assert chunk.heading_path == ("防汛工作", "（一）监测预警", "1.发布预警信息42期")


def test_unbalanced_quote_does_not_swallow_the_paragraph() -> None:
    text = "围绕“学习专题，扎实开展研讨。调研课题突出实字。领导班子成员带着课题深入一线。"
    assert len(sentences(text)) == 3


def test_a_short_statement_of_fact_is_not_a_lead_phrase() -> None:
    d = doc("居民消费价格上涨0.2%。城镇调查失业率平均值为5.1%。")
    (chunk,) = chunk_document(d, doc_id="d")
    assert chunk.heading_path == ()


def test_chunks_do_not_cross_numbered_headings() -> None:
    d = doc("一、工作回顾", "过去一年成绩显著。", "二、工作任务", "今年要做好三件事。")
    chunks = chunk_document(d, doc_id="d")
    assert [(c.heading, c.text) for c in chunks] == [
        ("一、工作回顾", "过去一年成绩显著。"),
        ("二、工作任务", "今年要做好三件事。"),
    ]
    assert [c.heading for c in chunk_document(doc("一、总则。", "第一句。"), doc_id="e")] == [
        "一、总则"
    ]


def test_articles_pack_together_under_their_chapter() -> None:
    d = doc("第一章 总则", "第一条 为了规范工作，制定本规则。", "第二条 本规则适用于全体人员。")
    chunks = chunk_document(d, doc_id="d")
    assert len(chunks) == 1
    assert chunks[0].heading_path == ("第一章 总则", "第一条")


def test_table_rows_keep_their_header_and_context() -> None:
    d = Document(
        source="t.xlsx",
        meta=DocMeta(title="统计"),
        blocks=[
            Block("指标：学习次数；数值：12", kind=BlockKind.TABLE_ROW, context="Sheet1"),
        ],
    )
    (chunk,) = chunk_document(d, doc_id="d")
    assert chunk.heading == "Sheet1" and chunk.text == "指标：学习次数；数值：12"


def test_every_corpus_document_chunks_within_bounds(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    for f in sorted((ROOT / "corpus").glob("*.md")):
        if f.name == "README.md":
            continue
        d = load_file(f, max_bytes=10**7)
        chunks = chunk_document(d, doc_id="x", size=400)
        assert chunks, f
        assert max(len(c.text) for c in chunks) <= 500, f
        assert d.meta.title and d.meta.genre and d.meta.year, f
