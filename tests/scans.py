"""Scanned 公文 pages generated from known text, as a scanner or a phone would give them.

Pages are A4 laid out the way a 公文 is (GB/T 9704): the title in 二号 bold, centred; body in
三号 (Noto Serif CJK standing in for 仿宋) with the first line of a paragraph indented two
characters, 28 characters to a line and 22 lines to a page. A page can be rendered at any dpi,
turned by a small angle (a sheet fed crooked) and carry a red stamp (公章) over the text, as the
last page of a signed document does. Pillow only; the fonts are Debian's fonts-noto-cjk.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SERIF, SANS_BOLD = "NotoSerifCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
SC = 2  # the Simplified Chinese face in each collection
PAGE_MM = (210.0, 297.0)
LEFT, TOP, WIDTH, PITCH, LINES = 28.0, 37.0, 156.0, 10.0, 22
BODY_PT, TITLE_PT = 16.0, 22.0
PER_LINE = 28
RED = (215, 25, 30)

TITLE = "关于2024年度城市建设工作情况的报告"
PARAGRAPHS = [
    "2024年，全市上下认真落实市委、市政府决策部署，城市建设各项工作取得新进展。全年完成城建投资286.4亿元，同比增长7.3%，占固定资产投资的比重达到31.5%。",
    "一、基础设施建设提速",
    "新建和改造城市道路58.6公里，新增停车泊位12400个，建成地下综合管廊9.2公里。中心城区路网密度达到每平方公里6.8公里，较上年提高0.4个百分点。",
    "二、住房保障持续加强",
    "筹集保障性租赁住房8600套，开工改造老旧小区137个，惠及居民4.3万户。发放住房公积金贷款42.7亿元，支持1.2万名职工购房。",
    "三、人居环境明显改善",
    "新增城市绿地面积156公顷，建成口袋公园48个，城市污水集中处理率达到98.2%，生活垃圾无害化处理率保持100%。空气质量优良天数327天，比上年增加11天。",
    "2025年，我们将继续加大投入，计划完成城建投资300亿元以上，推动城市高质量发展。",
]
# A second document, a 通知 over two pages: dates, money in 万元, counts of people and places.
NOTICE_TITLE = "关于做好2025年防汛救灾工作的通知"
NOTICE = [
    "各区县人民政府，市有关部门：",
    "据气象部门预测，今年汛期我市降水偏多二至三成，可能出现区域性洪涝。为切实做好防汛救灾工作，现将有关事项通知如下。",
    "一、压实防汛责任",
    "各地要在2025年5月15日前完成防汛责任人调整公布，全市共落实行政责任人1286名、巡查责任人4730名，覆盖河道312条、水库47座。",
    "二、加强物资储备",
    "市级财政安排防汛专项资金3850万元，储备编织袋26万条、救生衣1.8万件、冲锋舟64艘。各区县物资储备不得低于上年的120%。",
    "三、开展隐患排查",
    "6月1日前完成山洪灾害危险区排查，重点检查地质灾害隐患点239处、低洼易涝点158处，整改完成率须达到100%。",
    "四、做好应急值守",
    "主汛期实行24小时值班和领导带班制度，遇有险情须在30分钟内报告。全市组建抢险队伍215支、9600人，开展演练不少于3次。",
    "各地要以对人民群众生命财产安全高度负责的态度，扎实做好各项准备工作，确保安全度汛。",
]
# A figure: a number with its unit (亿元, %, 个百分点 …), as the accuracy measure counts them.
FIGURE = re.compile(
    r"\d+(?:\.\d+)?(?:个百分点|亿元|万元|万户|万名|万条|万件|公里|公顷|小时|分钟|个|套|天|名|条|座|艘|处|支|人|次|%|年|月|日)"
)


def figures(text: str) -> list[str]:
    return FIGURE.findall(text)


@cache
def _font(name: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), px, index=SC)


@dataclass(frozen=True)
class Line:
    text: str
    x_mm: float
    y_mm: float
    pt: float
    bold: bool = False


def layout(paragraphs: list[str], title: str = "") -> list[list[Line]]:
    """Pages of lines: the title centred, then paragraphs wrapped at 28 characters."""
    lines: list[Line] = []
    row = 0
    if title:
        width = len(title) * TITLE_PT * 0.3528
        lines.append(Line(title, (PAGE_MM[0] - width) / 2, TOP, TITLE_PT, bold=True))
        row = 2
    for para in paragraphs:
        heading = re.match(r"^[一二三四五六七八九十]+、", para) is not None
        rest = para
        first = True
        while rest:
            take = _break(rest, PER_LINE - 2 if first else PER_LINE)
            part, rest = rest[:take], rest[take:]
            indent = 2 * WIDTH / PER_LINE if first else 0.0
            lines.append(Line(part, LEFT + indent, TOP + row * PITCH, BODY_PT, bold=heading))
            row += 1
            first = False
    pages: list[list[Line]] = []
    for line in lines:
        index = int((line.y_mm - TOP) // (PITCH * LINES))
        while len(pages) <= index:
            pages.append([])
        y = line.y_mm - index * PITCH * LINES
        pages[index].append(Line(line.text, line.x_mm, y, line.pt, line.bold))
    return pages


_NO_LINE_START = "，。、；：？！）》”%"
_NUMBER = "0123456789.%"


def _break(text: str, width: int) -> int:
    """Where a line of ``width`` characters ends, as Word sets Chinese (避头尾): a closing mark
    or % never starts a line (it is squeezed onto the one before), and a number is not cut."""
    if len(text) <= width:
        return len(text)
    end = width
    while end < len(text) and text[end] in _NO_LINE_START and end < width + 2:
        end += 1
    if end == width and text[end - 1] in _NUMBER and text[end] in _NUMBER:
        start = end
        while start > 0 and text[start - 1] in _NUMBER:
            start -= 1
        if start > width // 2:
            end = start
    return end


def render(lines: list[Line], *, dpi: int, angle: float = 0.0, stamp: bool = False) -> Image.Image:
    """One page as an RGB image at ``dpi``; ``angle`` degrees anticlockwise; a red stamp."""
    px = dpi / 25.4
    size = (round(PAGE_MM[0] * px), round(PAGE_MM[1] * px))
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    for line in lines:
        font = _font(SANS_BOLD if line.bold else SERIF, round(line.pt * 0.3528 * px))
        pitch = WIDTH / PER_LINE * px if not line.bold or line.pt == BODY_PT else None
        x, y = line.x_mm * px, line.y_mm * px
        if pitch is None:
            draw.text((x, y), line.text, font=font, fill="black")
            continue
        # 公文 sets every Chinese character on a fixed pitch; a run of digits takes its width.
        for run in re.findall(r"[\u2e80-\uffff]|[^\u2e80-\uffff]+", line.text):
            draw.text((x, y), run, font=font, fill="black")
            x += pitch if len(run) == 1 and ord(run) >= 0x2E80 else font.getlength(run)
    if stamp:
        page = _stamp(page, lines, px)
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
    return page


def _stamp(page: Image.Image, lines: list[Line], px: float) -> Image.Image:
    """A 42 mm round red seal over the last lines of text, its ink multiplied into the page."""
    last = lines[-1]
    cx, cy = (LEFT + WIDTH * 0.62) * px, (last.y_mm - PITCH * 0.6) * px
    r = 21 * px
    ink = Image.new("L", page.size, 0)
    d = ImageDraw.Draw(ink)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(2, round(1.2 * px)))
    star = [
        (
            cx + (6 if i % 2 == 0 else 2.4) * px * math.sin(i * math.pi / 5),
            cy - (6 if i % 2 == 0 else 2.4) * px * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    d.polygon(star, fill=255)
    seal = _font(SANS_BOLD, round(4.2 * px))
    name = "某某市住房和城乡建设局"
    for i, ch in enumerate(name):
        a = math.radians(-120 + 240 * i / (len(name) - 1))
        x, y = cx + 0.75 * r * math.sin(a), cy - 0.75 * r * math.cos(a)
        glyph = Image.new("L", (round(5 * px), round(5 * px)), 0)
        ImageDraw.Draw(glyph).text((0, 0), ch, font=seal, fill=255)
        glyph = glyph.rotate(-math.degrees(a), expand=True)
        ink.paste(255, (round(x - glyph.width / 2), round(y - glyph.height / 2)), glyph)
    red = Image.new("RGB", page.size, RED)
    from PIL import ImageChops

    inked = ImageChops.multiply(page, red)
    return Image.composite(inked, page, ink.point(lambda v: v * 85 // 100))


def page_text(lines: list[Line]) -> str:
    return "".join(line.text for line in lines)


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def scanned_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """A PDF of page images with no text layer, as a scanner writes it."""
    buf = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(buf, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return buf.getvalue()


DOCUMENTS = {"report": (TITLE, PARAGRAPHS), "notice": (NOTICE_TITLE, NOTICE)}


def pages(
    dpi: int, *, angle: float = 0.0, stamp: bool = False, document: str = "report"
) -> list[tuple[str, Image.Image]]:
    """A known document's pages: (their text, their image); the stamp on the last page."""
    title, paragraphs = DOCUMENTS[document]
    laid = layout(paragraphs, title)
    return [
        (page_text(p), render(p, dpi=dpi, angle=angle, stamp=stamp and i == len(laid) - 1))
        for i, p in enumerate(laid)
    ]


def tiff(images: list[Image.Image], dpi: int) -> bytes:
    """A multi-page TIFF (a scanner's other format), one frame a page."""
    buf = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(buf, format="TIFF", dpi=(dpi, dpi), save_all=True, append_images=rest)
    return buf.getvalue()


def mixed_pdf(text: list[str], scan: Image.Image, dpi: int) -> bytes:
    """Page 1 with a text layer (``text``, one line each), page 2 a scan with none."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 14)
    y = A4[1] - 100
    for line in text:
        c.drawString(80, y, line)
        y -= 24
    c.showPage()
    c.drawImage(ImageReader(scan), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return buf.getvalue()


def char_accuracy(known: str, read: str) -> float:
    """1 − edit distance / length of the known text, whitespace ignored on both sides."""
    a, b = "".join(known.split()), "".join(read.split())
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return max(0.0, 1 - row[len(b)] / max(1, len(a)))


def figures_found(known: str, read: str) -> tuple[int, int]:
    """(figures of the known text read exactly, figures in it), each occurrence counted."""
    left = figures("".join(read.split()))
    found = 0
    for fig in figures(known):
        if fig in left:
            left.remove(fig)
            found += 1
    return found, len(figures(known))


VARIANTS = {"straight": (0.0, False), "rotated": (1.2, False), "stamped": (-0.6, True)}


def read_png(data: bytes) -> str:
    """What the loader reads from a PNG upload: its blocks' text, joined."""
    from assistant.ingest.limits import DEFAULT_LIMITS
    from assistant.ingest.scan import load_image

    return "".join(b.text for b in load_image(data, "scan.png", DEFAULT_LIMITS))


def ocr_text(image: Image.Image) -> str:
    return read_png(png(image))


@dataclass(frozen=True)
class Measured:
    """One page read back: how well, and how fast."""

    document: str
    variant: str
    dpi: int
    chars: int
    accuracy: float
    figures: tuple[int, int]
    seconds: float
    cpu_seconds: float  # all the process's threads: what a page costs whatever else runs


def measure(dpi: int) -> list[Measured]:
    """Every page of every known document in every variant at ``dpi``, read by the loader."""
    import time

    out = []
    for document in DOCUMENTS:
        for variant, (angle, stamp) in VARIANTS.items():
            for known, image in pages(dpi, angle=angle, stamp=stamp, document=document):
                data = png(image)
                started, cpu = time.perf_counter(), time.process_time()
                read = read_png(data)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                out.append(
                    Measured(
                        document,
                        variant,
                        dpi,
                        len(known),
                        char_accuracy(known, read),
                        figures_found(known, read),
                        seconds,
                        cpu,
                    )
                )
    return out


def overall(rows: list[Measured]) -> tuple[float, float]:
    """(character accuracy weighted by page length, share of figures read exactly)."""
    chars = sum(r.chars for r in rows)
    accuracy = sum(r.accuracy * r.chars for r in rows) / chars
    found = sum(r.figures[0] for r in rows)
    return accuracy, found / max(1, sum(r.figures[1] for r in rows))


def table_page(rows: list[list[str]], *, dpi: int, title: str = "") -> Image.Image:
    """A page holding a table (a 统计表 as printed): cells in columns 45 mm apart."""
    lines = []
    if title:
        lines.append(Line(title, LEFT + 20, TOP, TITLE_PT, bold=True))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            lines.append(Line(cell, LEFT + c * 45.0, TOP + (r + 2) * PITCH, BODY_PT))
    return render(lines, dpi=dpi)
