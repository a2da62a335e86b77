"""OFD packages (GB/T 33190) generated from text, laid out the way a 公文 is on A4.

The title is set large and centred (over two lines when long), the 发文字号 centred under a
letterhead, body paragraphs in 三号 with the first line indented two characters, 28 characters
to a line, pages of 22 lines. Text objects are written in a shuffled order so that a reader has
to sort them by position, as it must for real producers.
"""

from __future__ import annotations

import io
import random
import zipfile
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
LEFT, WIDTH, TOP, PITCH, LINES = 28.0, 156.0, 37.0, 10.0, 22
BODY, TITLE = 5.6, 7.7


def _chunks(text: str, first: int, rest: int) -> list[str]:
    out = [text[:first]]
    text = text[first:]
    while text:
        out.append(text[:rest])
        text = text[rest:]
    return out


Table = list[list[str]]


def layout(
    paragraphs: list[str],
    *,
    title: str = "",
    doc_no: str = "",
    letterhead: str = "",
    tables: dict[int, Table] | None = None,
) -> list[list[tuple[float, float, float, str]]]:
    """Pages of (x, y, size, text) runs; ``tables[i]`` is set after paragraph ``i``, each cell
    a run at its column."""
    lines: list[list[tuple[float, float, str]]] = []  # runs of x, size, text (y assigned below)
    per_line = int(WIDTH // BODY)

    def centred(text: str, size: float) -> None:
        lines.append([(LEFT + (WIDTH - size * len(text)) / 2, size, text)])

    if letterhead:
        centred(letterhead, TITLE)
    if doc_no:
        centred(doc_no, BODY)
    if title:
        for part in _chunks(title, 18, 18):
            centred(part, TITLE)
    for n, para in enumerate(paragraphs):
        for i, part in enumerate(_chunks(para, per_line - 2, per_line)):
            lines.append([(LEFT + (2 * BODY if i == 0 else 0.0), BODY, part)])
        for row in (tables or {}).get(n, []):
            column = WIDTH / len(row)
            lines.append([(LEFT + k * column, BODY, cell) for k, cell in enumerate(row) if cell])
    pages: list[list[tuple[float, float, float, str]]] = []
    for n, runs in enumerate(lines):
        if n % LINES == 0:
            pages.append([])
        pages[-1].extend((x, TOP + (n % LINES) * PITCH, size, text) for x, size, text in runs)
    return pages


def make_ofd(
    paragraphs: list[str],
    *,
    title: str = "",
    doc_no: str = "",
    letterhead: str = "",
    info_title: str = "",
    tables: dict[int, Table] | None = None,
    seed: int = 7,
) -> bytes:
    """An OFD package holding the text, laid out (see the module docstring)."""
    pages = layout(paragraphs, title=title, doc_no=doc_no, letterhead=letterhead, tables=tables)
    rng = random.Random(seed)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        info = f"<ofd:Title>{escape(info_title)}</ofd:Title>" if info_title else ""
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
            f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID>{info}'
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        refs = "".join(
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
            for i in range(len(pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
            "<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            f"</ofd:PageArea></ofd:CommonData><ofd:Pages>{refs}</ofd:Pages></ofd:Document>",
        )
        for i, page in enumerate(pages):
            objects = [
                f'<ofd:TextObject ID="{i}{j}" Boundary="{x:.2f} {y - size:.2f} '
                f'{size * len(text):.2f} {size * 1.2:.2f}" Font="1" Size="{size}">'
                f'<ofd:TextCode X="0" Y="{size:.2f}" DeltaX="g {len(text) - 1} {size}">'
                f"{escape(text)}</ofd:TextCode></ofd:TextObject>"
                for j, (x, y, size, text) in enumerate(page)
            ]
            rng.shuffle(objects)
            zf.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">'
                f"<ofd:Content><ofd:Layer>{''.join(objects)}</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return out.getvalue()
