"""The PDF loader: the text layer of every page, page numbers dropped, paragraphs rejoined."""

from __future__ import annotations

import io
import re

from assistant.domain import Block
from assistant.ingest.cleaning import split_paragraphs
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import ParseLimits, TextBudget

_PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d{1,4}[—–\-－\s]*$")


def load_pdf(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    if not data.startswith(b"%PDF"):
        raise IngestError(source, "not a PDF file (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(source, "encrypted PDF (a password is required)")
        budget = TextBudget(source, limits.max_chars)
        pages = [budget.take(page.extract_text() or "") for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:
        if "decrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise IngestError(source, "encrypted PDF (cannot be decrypted)") from exc
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__})") from exc
    lines = [ln for page in pages for ln in _without_page_number(page.split("\n"))]
    if not any(ln.strip() for ln in lines):
        raise IngestError(source, "PDF has no text layer (a scanned image needs OCR first)")
    return [Block(text=p) for p in split_paragraphs("\n".join(lines))]


def _without_page_number(lines: list[str]) -> list[str]:
    """Drop a page number (“— 3 —”, “3”) standing as the first or last line of a page."""
    lines = [ln for ln in lines if ln.strip()]
    if lines and _PAGE_NUMBER.match(lines[-1]):
        lines = lines[:-1]
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines = lines[1:]
    return lines
