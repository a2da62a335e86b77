"""The loader registry: every file type we read, by suffix, with its loader and what is kept.

One table serves ``assistant index`` (by suffix), uploads (by the kind their content is sniffed
as, :mod:`assistant.uploads.sniff`) and the Word round trip (:func:`as_modern` then the .docx
reader). A legacy or WPS type names no loader of its own but the conversion that turns it into
a type that has one (:mod:`assistant.ingest.legacy`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.domain import Block
from assistant.ingest.errors import IngestError
from assistant.ingest.legacy import to_modern
from assistant.ingest.limits import ParseLimits
from assistant.ingest.ofd import load_ofd
from assistant.ingest.office import load_docx, load_xlsx
from assistant.ingest.pdf import load_pdf
from assistant.ingest.plain import load_csv, load_md, load_txt
from assistant.ingest.scan import load_image
from assistant.ingest.slides import load_pptx

Parsed = tuple[dict[str, object], list[Block]]
Loader = Callable[[bytes, str, ParseLimits], Parsed]
Converter = Callable[[bytes, str, str, ParseLimits], tuple[bytes, str]]


def _blocks(fn: Callable[[bytes, str, ParseLimits], list[Block]]) -> Loader:
    def load(data: bytes, source: str, limits: ParseLimits) -> Parsed:
        return {}, fn(data, source, limits)

    return load


@dataclass(frozen=True)
class Format:
    suffix: str
    name: str  # what a person calls it
    kept: str  # what of it reaches the index (README lists these)
    load: Loader | None = None
    convert: Converter | None = None  # legacy types: to a suffix that has a loader
    table: bool = False  # a sheet: its rows are proposed as facts
    ocr: bool = False  # read by OCR only (an image): slow, within the OCR limits
    checkable: bool = False  # `assistant check FILE` reads it (checks/checker.read_checkable)


_WORD_KEPT = "paragraphs, heading styles, bold lead phrases, tables (by LibreOffice, as .docx)"
_SHEET_KEPT = "every sheet's rows, labelled by their headers (by LibreOffice, as .xlsx)"
_SLIDES_KEPT = "the text of each slide, its first paragraph a heading (by LibreOffice, as .pptx)"
_IMAGE_KEPT = "text read by OCR, in reading order rejoined into paragraphs, tables; its page"

FORMATS: dict[str, Format] = {
    f.suffix: f
    for f in (
        Format(
            ".txt",
            "plain text",
            "paragraphs; UTF-8, UTF-16, GB18030/GBK",
            load_txt,
            checkable=True,
        ),
        Format(
            ".md",
            "Markdown",
            "headings, bold lead phrases, front matter",
            load_md,
            checkable=True,
        ),
        Format(
            ".docx",
            "Word",
            "paragraphs, heading styles, bold lead phrases, tables",
            _blocks(load_docx),
            checkable=True,
        ),
        Format(
            ".pdf",
            "PDF",
            "the text layer, page numbers dropped; pages without one (scans) read by OCR",
            _blocks(load_pdf),
        ),
        Format(
            ".xlsx",
            "Excel",
            "every sheet's rows, labelled by their headers",
            _blocks(load_xlsx),
            table=True,
        ),
        Format(".csv", "CSV", "rows labelled by their headers", _blocks(load_csv), table=True),
        Format(
            ".pptx",
            "PowerPoint",
            "the text of each slide in order, its first paragraph a heading",
            _blocks(load_pptx),
        ),
        Format(
            ".ofd",
            "OFD (GB/T 33190)",
            "text in reading order rejoined into paragraphs, the DocInfo title",
            load_ofd,
        ),
        Format(".png", "PNG image (a scan, a photo)", _IMAGE_KEPT, _blocks(load_image), ocr=True),
        Format(".jpg", "JPEG image (a scan, a photo)", _IMAGE_KEPT, _blocks(load_image), ocr=True),
        Format(".jpeg", "JPEG image (a scan, a photo)", _IMAGE_KEPT, _blocks(load_image), ocr=True),
        Format(".tif", "TIFF image (every page)", _IMAGE_KEPT, _blocks(load_image), ocr=True),
        Format(".tiff", "TIFF image (every page)", _IMAGE_KEPT, _blocks(load_image), ocr=True),
        Format(".doc", "Word 97–2003", _WORD_KEPT, convert=to_modern),
        Format(".wps", "WPS text", _WORD_KEPT, convert=to_modern),
        Format(".xls", "Excel 97–2003", _SHEET_KEPT, convert=to_modern, table=True),
        Format(".et", "WPS sheet", _SHEET_KEPT, convert=to_modern, table=True),
        Format(".ppt", "PowerPoint 97–2003", _SLIDES_KEPT, convert=to_modern),
        Format(".dps", "WPS slides", _SLIDES_KEPT, convert=to_modern),
    )
}
SUPPORTED = tuple(FORMATS)


def format_of(suffix: str, source: str) -> Format:
    """The format of ``suffix`` (``.doc``), or :class:`IngestError` listing what we read."""
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise IngestError(
            source, f"unsupported file type '{suffix}' (supported: {', '.join(SUPPORTED)})"
        )
    return fmt


def as_modern(data: bytes, source: str, suffix: str, limits: ParseLimits) -> tuple[bytes, str]:
    """``data`` as a type with a loader: a legacy or WPS file converted, any other unchanged."""
    fmt = format_of(suffix, source)
    if fmt.convert is None:
        return data, fmt.suffix
    return fmt.convert(data, source, fmt.suffix, limits)


def parse(data: bytes, source: str, suffix: str, limits: ParseLimits) -> Parsed:
    """Front matter (if any) and blocks of ``data`` read as a ``suffix`` file."""
    data, suffix = as_modern(data, source, suffix, limits)
    load = format_of(suffix, source).load
    assert load is not None  # every conversion ends in a type with a loader
    return load(data, source, limits)
