from pathlib import Path

from assistant.domain import Block, BlockKind, DocMeta, Document
from assistant.ingest.chunking import chunk_document
from assistant.ingest.headings import detect_heading
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
        assert h is not None and h.level == level, text
    assert detect_heading("1.4万亿斤粮食") is None
    assert detect_heading("2024年工作回顾") is None


def test_run_in_heading_is_split_from_its_body() -> None:
    h = detect_heading(
        "一、提高政治站位，持续增强责任感使命感。第一时间学习贯彻。主题教育开展以来……"
    )
    assert h is not None
    assert h.text == "一、提高政治站位，持续增强责任感使命感"
    assert h.body.startswith("第一时间学习贯彻。")


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


def test_heading_path_and_lead_phrases_on_the_seed() -> None:
    document = load_file(SEED, max_bytes=10**7)
    chunks = chunk_document(document, doc_id="seed", size=400)
    assert all(len(c.text) <= 500 for c in chunks)
    first_section = [c for c in chunks if c.heading_path and c.heading_path[0].startswith("一、")]
    assert first_section, [c.heading for c in chunks]
    assert first_section[0].heading_path == (
        "一、提高政治站位，持续增强做好主题教育的责任感使命感",
        "第一时间学习贯彻",
    )
    assert any(c.heading_path[-1] == "第一时间制定方案" for c in first_section)
    assert all(c.has_placeholder for c in first_section)
    text = "".join(c.text for c in chunks)
    assert "##paid" not in text
    # every sentence of the source survives chunking
    assert "汇报完毕，谢谢。" in text


def test_chunks_do_not_cross_numbered_headings() -> None:
    d = doc("一、工作回顾", "过去一年成绩显著。", "二、工作任务", "今年要做好三件事。")
    chunks = chunk_document(d, doc_id="d")
    assert [(c.heading, c.text) for c in chunks] == [
        ("一、工作回顾", "过去一年成绩显著。"),
        ("二、工作任务", "今年要做好三件事。"),
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
