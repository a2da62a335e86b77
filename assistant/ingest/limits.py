"""Bounds on parsing one file: what a hostile upload within the byte limit may cost us.

A few megabytes of zip can expand to hundreds of megabytes of XML, and python-docx or openpyxl
then build a tree of it (ten minutes and 1.5 GB for 186 MB of XML). Every bound here is checked
before or while the part is parsed, never after, and a refusal names the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.ingest.errors import IngestError

MB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    max_part_bytes: int = 50 * MB  # one zip part after decompression (word/document.xml)
    max_total_bytes: int = 200 * MB  # all parts of one package after decompression
    max_ratio: int = 100  # the whole package's expansion (a zip bomb has thousands)
    max_cells: int = 500_000  # cells of all sheets of one workbook
    max_shared_strings: int = 200_000  # xl/sharedStrings.xml entries (read before any cell)
    max_chars: int | None = None  # text of one file; None: no limit (assistant index)
    convert_seconds: float = 60.0  # LibreOffice converting one legacy or WPS file
    ocr_pages: int = 30  # pages of one file read by OCR (a scan, an image's frames)
    ocr_seconds: float = 300.0  # OCR of one file, all its pages
    image_pixels: int = 60_000_000  # one page image (A4 at 600 dpi is 35 million)
    # The LibreOffice command (None: $ASSISTANT_SOFFICE, else soffice on PATH); carried here
    # because a parse worker's environment is the fork server's, not the caller's.
    converter: str | None = None


DEFAULT_LIMITS = ParseLimits()


class OverLimit(IngestError, status=413, code="too_large"):
    """The file is refused for exceeding one of the bounds (→ 413 for an upload)."""


class TooMuchText(OverLimit, status=422, code="too_much_text"):
    """More text than may be indexed; refused while parsing, before the rest is read (→ 422)."""


class TextBudget:
    """Counts the characters read so far and stops the parse at the first one over the limit."""

    def __init__(self, source: str, limit: int | None) -> None:
        self.source = source
        self.limit = limit
        self.used = 0

    def take(self, text: str) -> str:
        self.used += len(text)
        if self.limit is not None and self.used > self.limit:
            raise TooMuchText(
                self.source,
                f"more than {self.limit:,} characters of text, over the limit of {self.limit:,}",
            )
        return text
