"""The PDF loader: the text layer of every page, page numbers dropped, paragraphs rejoined;
the pages that have no text layer (a scan, or scanned pages in a mixed file) read by OCR.

A page whose text layer holds nothing but a page number counts as having none. The pages that
need OCR are rendered by PDFium at the resolution the engine reads (2000 pixels on the long
side, at most 300 dpi) and read by :mod:`assistant.ingest.scan`, within its page and time
limits; the text-layer pages between them are read as before.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.domain import Block
from assistant.ingest.cleaning import split_paragraphs
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import ParseLimits, TextBudget
from assistant.ingest.ocr import LONG_SIDE
from assistant.ingest.ocr_layout import join_pages
from assistant.ingest.scan import ocr_blocks, read_pages

if TYPE_CHECKING:
    from PIL import Image

_PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d{1,4}[—–\-－\s]*$")
RENDER_MAX_DPI = 300


def load_pdf(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    if not data.startswith(b"%PDF"):
        raise IngestError(source, "not a PDF file (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedFile(source, "PDF")
        budget = TextBudget(source, limits.max_chars)
        pages = [budget.take(page.extract_text() or "") for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:
        if "decrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise EncryptedFile(source, "PDF") from exc
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__})") from exc
    texts = [_without_page_number(page.split("\n")) for page in pages]
    scanned = [i for i, lines in enumerate(texts) if not lines]
    if not scanned:
        return [Block(text=p) for p in split_paragraphs("\n".join(ln for t in texts for ln in t))]
    read = read_pages(_renderer(data, source), scanned, source, limits)
    by_page = dict(zip(scanned, read, strict=True))
    blocks: list[Block] = []
    i = 0
    while i < len(texts):  # runs of text-layer pages and runs of scanned pages, in order
        j = i
        while j < len(texts) and (i in by_page) == (j in by_page):
            j += 1
        if i in by_page:
            ocr = ocr_blocks(join_pages([by_page[k] for k in range(i, j)]))
            for block in ocr:
                budget.take(block.text)
            blocks.extend(ocr)
        else:
            lines = [ln for k in range(i, j) for ln in texts[k]]
            blocks.extend(Block(text=p) for p in split_paragraphs("\n".join(lines)))
        i = j
    if not blocks:
        raise IngestError(source, "no text found (the pages are images and OCR read nothing)")
    return blocks


def _renderer(data: bytes, source: str) -> Callable[[int], Image.Image]:
    """Page ``n`` of the PDF as an image, by PDFium (opened once, on the first page asked)."""
    opened: list[Any] = []

    def render(n: int) -> Image.Image:
        import pypdfium2 as pdfium

        try:
            if not opened:
                opened.append(pdfium.PdfDocument(data))
            page = opened[0][n]
            width, height = page.get_size()
            scale = min(RENDER_MAX_DPI / 72, LONG_SIDE / max(width, height, 1.0))
            image: Image.Image = page.render(scale=scale, grayscale=False).to_pil()
        except pdfium.PdfiumError as exc:
            reason = f"corrupt PDF: page {n + 1} cannot be rendered ({exc})"
            raise IngestError(source, reason) from exc
        return image

    return render


def _without_page_number(lines: list[str]) -> list[str]:
    """Drop a page number (“— 3 —”, “3”) standing as the first or last line of a page."""
    lines = [ln for ln in lines if ln.strip()]
    if lines and _PAGE_NUMBER.match(lines[-1]):
        lines = lines[:-1]
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines = lines[1:]
    return lines
