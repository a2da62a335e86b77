"""Scans and images read by OCR: reading order and paragraphs, limits, provenance, bad input.

The layout is tested on boxes made by hand (no engine); the rest on pages rendered from known
text by tests/scans.py and read by the real engine (a page takes a few seconds). Accuracy over
dpi, tilt and stamps is measured in test_ocr_accuracy.py.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
import time
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from PIL import Image

from assistant.domain import BlockKind, DocMeta, Document, Passage
from assistant.ingest import scan
from assistant.ingest.chunking import chunk_document
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import OverLimit, ParseLimits
from assistant.ingest.loaders import load_bytes
from assistant.ingest.ocr import OcrLine
from assistant.ingest.ocr_layout import Placed, full_width, join_pages, page_items
from assistant.ingest.progress import reporting
from assistant.ingest.scan import OcrTimeout, TooManyPages
from assistant.retrieval.indexer import IndexEvents, chunk_metadata
from assistant.services import Services
from tests import scans

pytestmark = pytest.mark.skipif(
    not (scans.FONT_DIR / scans.SERIF).exists(), reason="needs fonts-noto-cjk (.ci/run installs it)"
)
CHAR = 40.0  # px: one character of body text in the hand-made boxes


def _box(text: str, x: float, y: float, *, size: float = CHAR, tilt: float = 0.0) -> OcrLine:
    w = len(text) * size
    corners = [(x, y), (x + w, y), (x + w, y + size), (x, y + size)]
    c, s = math.cos(tilt), math.sin(tilt)
    turned = tuple((px * c - py * s, px * s + py * c) for px, py in corners)
    return OcrLine(text, turned, 0.99)


def _page(tilt: float = 0.0) -> list[OcrLine]:
    """A title, an indented paragraph over three lines, a heading, a paragraph, a page number."""
    left, pitch = 200.0, 70.0
    lines = [
        _box("关于全年工作情况的报告", 400, 100, size=CHAR * 1.4, tilt=tilt),
        _box("今年以来，全市上下认真落实决策部署，经济运行", left + 2 * CHAR, 250, tilt=tilt),
        _box("稳中有进，地区生产总值完成1234.5亿元，同比增长", left, 250 + pitch, tilt=tilt),
        _box("6.2%。", left, 250 + 2 * pitch, tilt=tilt),
        _box("一、基础设施建设", left + 2 * CHAR, 250 + 3 * pitch, tilt=tilt),
        _box(
            "新建城市道路58.6公里,新增停车泊位12400个。",
            left + 2 * CHAR,
            250 + 4 * pitch,
            tilt=tilt,
        ),
        _box("— 2 —", 900, 2000, tilt=tilt),
    ]
    random.Random(7).shuffle(lines)  # the engine gives them in no particular order
    return lines


EXPECTED = [
    "关于全年工作情况的报告",
    "今年以来，全市上下认真落实决策部署，经济运行稳中有进，地区生产总值完成1234.5亿元，同比增长6.2%。",
    "一、基础设施建设",
    "新建城市道路58.6公里，新增停车泊位12400个。",
]


@pytest.mark.parametrize("tilt", [0.0, math.radians(1.5), math.radians(-2.0)])
def test_lines_are_read_in_order_and_rejoined_into_paragraphs(tilt: float) -> None:
    items = page_items(_page(tilt), page=3)
    assert [p.item for p in items] == EXPECTED
    assert {p.page for p in items} == {3}


def test_western_punctuation_inside_chinese_is_set_back_to_full_width() -> None:
    assert full_width("增长6.2%,占比31.5%;详见(附件)") == "增长6.2%，占比31.5%；详见（附件）"
    assert full_width("共12,400个, 10:30召开") == "共12,400个， 10:30召开"


def test_a_paragraph_cut_by_a_page_break_is_joined_and_keeps_its_first_page() -> None:
    one = [Placed(1, "标题"), Placed(1, "全年完成投资286.4亿元，同比")]
    two = [Placed(2, "增长7.3%。"), Placed(2, "二、住房保障")]
    three = [Placed(3, "（一）保障性住房"), Placed(3, "筹集8600套。")]
    joined = join_pages([one, two, three])
    assert [(p.page, p.item) for p in joined] == [
        (1, "标题"),
        (1, "全年完成投资286.4亿元，同比增长7.3%。"),
        (2, "二、住房保障"),
        (3, "（一）保障性住房"),
        (3, "筹集8600套。"),
    ]


def test_rows_of_cells_far_apart_are_a_table() -> None:
    rows = [("指标", "单位", "数值"), ("城建投资", "亿元", "286.4"), ("新建道路", "公里", "58.6")]
    lines = [
        _box(cell, 200 + col * 500, 300 + row * 70)
        for row, cells in enumerate(rows)
        for col, cell in enumerate(cells)
    ]
    blocks = scan.ocr_blocks(page_items(lines, page=2))
    assert all(b.kind is BlockKind.TABLE_ROW and b.ocr_page == 2 for b in blocks)
    assert any("城建投资" in b.text and "286.4" in b.text for b in blocks)


def test_a_chunk_and_a_passage_from_ocr_say_so_with_their_page() -> None:
    doc = Document(
        source="upload:扫描件.pdf",
        meta=DocMeta(title="扫描件"),
        blocks=scan.ocr_blocks([Placed(3, "新建城市道路58.6公里。")]),
        file_hash="0" * 64,
    )
    chunk = chunk_document(doc, doc_id="d1")[0]
    assert chunk.ocr_page == 3
    meta = chunk_metadata("report-1", doc, chunk)
    assert meta["ocr_page"] == 3
    passage = Passage("c", "d1", "t", "upload:扫描件.pdf", "", chunk.text, 1.0, ocr_page=3)
    assert passage.provenance == "upload:扫描件.pdf#p3"
    public = passage.public(server_paths=False)
    assert public["provenance"] == "upload:扫描件.pdf#p3" and public["ocr_page"] == 3
    plain = Passage("c", "d1", "t", "a.docx", "", "x", 1.0).public()
    assert "ocr_page" not in plain and "provenance" not in plain


# ---- bad input: refused before the engine runs, each naming the limit ----


def _png(size: tuple[int, int] = (400, 300)) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 255).save(buf, format="PNG")
    return buf.getvalue()


def test_a_corrupt_image_is_refused() -> None:
    with pytest.raises(IngestError, match="corrupt image"):
        load_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300, path=Path("scan.png"))
    whole = scans.png(scans.pages(150)[0][1])
    with pytest.raises(IngestError, match="corrupt image"):
        load_bytes(whole[: len(whole) // 2], path=Path("scan.png"))  # cut short in transfer


def test_an_oversized_image_is_413_naming_the_limit() -> None:
    limits = ParseLimits(image_pixels=1_000_000)
    with pytest.raises(OverLimit, match=r"2000×1000 pixels.*limit of 1 million.*MEGAPIXELS"):
        load_bytes(_png((2000, 1000)), path=Path("scan.png"), limits=limits)


def test_too_many_pages_are_refused_before_the_first_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*_: object) -> list[OcrLine]:
        raise AssertionError("no page may be read")

    monkeypatch.setattr(scan, "read_lines", never)
    frames = [Image.new("L", (300, 400), 255)] * 3
    limits = ParseLimits(ocr_pages=2)
    with pytest.raises(TooManyPages, match=r"3 pages.*limit of 2 pages.*ASSISTANT_OCR_MAX_PAGES"):
        load_bytes(scans.tiff(frames, 150), path=Path("scan.tif"), limits=limits)
    with pytest.raises(TooManyPages, match="3 pages"):
        load_bytes(scans.scanned_pdf(frames, 150), path=Path("scan.pdf"), limits=limits)
    assert TooManyPages.status == 413


def test_the_time_limit_stops_ocr_between_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(image: Image.Image, source: str) -> list[OcrLine]:
        time.sleep(0.3)
        return [_box("一页", 100, 100)]

    monkeypatch.setattr(scan, "read_lines", slow)
    frames = [Image.new("L", (300, 400), 255)] * 4
    limits = ParseLimits(ocr_seconds=0.5)
    with pytest.raises(OcrTimeout, match=r"longer than 0.5 s.*ASSISTANT_OCR_TIMEOUT.*2 of 4"):
        load_bytes(scans.tiff(frames, 150), path=Path("scan.tiff"), limits=limits)
    assert OcrTimeout.status == 422


# ---- the real engine ----


def test_an_image_is_read_with_its_title_paragraphs_and_page() -> None:
    _, image = scans.pages(150, angle=0.8, stamp=True)[0]
    seen: list[tuple[int, int, str]] = []
    with reporting(lambda *a: seen.append(a)):
        doc = load_bytes(scans.png(image), path=Path("扫描件.png"))
    assert doc.meta.title == scans.TITLE and doc.meta.year == 2024
    # One block per paragraph of the known text, each read nearly as written (a character may
    # be misread: the measure of how many is test_ocr_accuracy.py's).
    assert len(doc.blocks) == len(scans.PARAGRAPHS)
    for block, known in zip(doc.blocks, scans.PARAGRAPHS, strict=True):
        assert SequenceMatcher(None, block.text, known).ratio() > 0.95, (block.text, known)
    assert doc.blocks[1].text == "一、基础设施建设提速"
    assert {b.ocr_page for b in doc.blocks} == {1}
    assert seen == [(0, 1, "ocr"), (1, 1, "ocr")]


def test_a_mixed_pdf_uses_the_text_layer_where_it_has_one() -> None:
    _, image = scans.pages(150)[0]
    data = scans.mixed_pdf(["第一页是文字层。", "它不经过OCR。"], image, 150)
    doc = load_bytes(data, path=Path("混合.pdf"))
    layer = [b for b in doc.blocks if b.ocr_page is None]
    ocr = [b for b in doc.blocks if b.ocr_page is not None]
    assert "第一页是文字层" in layer[0].text
    assert {b.ocr_page for b in ocr} == {2}
    assert any(scans.PARAGRAPHS[2] == b.text for b in ocr)


def test_a_multipage_tiff_is_read_page_by_page() -> None:
    first = scans.pages(150)[0][1]
    lines = scans.layout(["二、住房保障持续加强", "筹集保障性租赁住房8600套。"])[0]
    second = scans.render(lines, dpi=150)
    doc = load_bytes(scans.tiff([first, second], 150), path=Path("两页.tif"))
    assert doc.blocks[-1].text == "筹集保障性租赁住房8600套。" and doc.blocks[-1].ocr_page == 2


def test_a_jpeg_photo_with_compression_noise_is_read() -> None:
    _, image = scans.pages(150, angle=-1.0)[0]
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=60)
    doc = load_bytes(buf.getvalue(), path=Path("照片.jpg"))
    assert doc.meta.title == scans.TITLE
    read = "".join(b.text for b in doc.blocks)
    assert scans.char_accuracy("".join(scans.PARAGRAPHS), read) > 0.97


def test_assistant_index_reads_a_scan_within_the_settings_limits(
    tmp_path: Path, services: Services
) -> None:
    image = scans.pages(150)[0][1]
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "扫描件.tif").write_bytes(scans.tiff([image], 150))
    (folder / "三页.tif").write_bytes(scans.tiff([image] * 3, 150))
    services.indexer.limits = dataclasses.replace(services.indexer.limits, ocr_pages=2)
    seen: list[tuple[str, int, int]] = []
    failed: list[tuple[str, str]] = []
    report = services.indexer.index(
        [folder],
        kb="scans",
        events=IndexEvents(page=lambda *a: seen.append(a), failed=lambda *a: failed.append(a)),
    )
    assert report.indexed == 1
    assert [(Path(s).name, d, t) for s, d, t in seen] == [
        ("扫描件.tif", 0, 1),
        ("扫描件.tif", 1, 1),
    ]
    assert len(failed) == 1 and "limit of 2 pages" in failed[0][1]
    hits = services.searcher.search("保障性租赁住房", kb="scans", k=1)
    assert hits and hits[0].ocr_page == 1 and hits[0].provenance.endswith("扫描件.tif#p1")


def test_a_scanned_table_proposes_facts_named_by_page_and_cell() -> None:
    from assistant.uploads.reading import ReadBounds, parse_upload

    rows = [["指标", "单位", "数值"], ["城建投资", "亿元", "286.4"], ["新建道路", "公里", "58.6"]]
    image = scans.table_page(rows, dpi=150, title="2024年主要指标完成情况")
    limits = ReadBounds(worker=None).limits
    _, facts = parse_upload(scans.png(image), "指标表.png", "png", True, limits)
    by_source = {f.fact.source: f for f in facts}
    assert "upload:指标表.png#p1!C2" in by_source, sorted(by_source)
    fact = by_source["upload:指标表.png#p1!C2"]
    assert fact.fact.key == "城建投资" and fact.fact.value == 286.4 and fact.fact.unit == "亿元"
    assert fact.origin.startswith("OCR 识别") and fact.confidence < 0.9


def ocr_that_hangs(seconds: float) -> None:
    """A parse that starts OCR (reports its first page) and then never finishes a page."""
    from assistant.ingest.progress import page_done

    page_done(0, 1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def test_ocr_that_hangs_inside_a_page_is_stopped_by_the_worker() -> None:
    from assistant.ingest.worker import ParseTimeout, WorkerBounds, run_bounded

    pages: list[tuple[int, int, str]] = []
    started = time.monotonic()
    with pytest.raises(ParseTimeout, match=r"parsing and OCR took longer than 1 \+ 1 s"):
        run_bounded(
            ocr_that_hangs,
            60.0,
            source="scan.png",
            bounds=WorkerBounds(seconds=1, ocr_seconds=1),
            on_page=lambda *a: pages.append(a),
        )
    assert pages == [(0, 1, "ocr")]
    assert time.monotonic() - started < 10
