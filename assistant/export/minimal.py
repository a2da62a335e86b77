"""The first writer's signature, ``write_report(title, sections, *, draft)``, kept for callers that
have only (heading, text) pairs; it lays them out with the GB/T 9704 writer."""

from __future__ import annotations

from assistant.export.footer import DRAFT_MARK
from assistant.export.gbt9704 import DOCX_MEDIA_TYPE, write_docx
from assistant.export.model import ExportReport, ExportSection

__all__ = ["DOCX_MEDIA_TYPE", "DRAFT_MARK", "write_report"]


def write_report(title: str, sections: list[tuple[str, str]], *, draft: bool) -> bytes:
    """``sections`` are (heading, text) pairs in order; an empty heading adds text only."""
    parts = [ExportSection(f"s{i}", heading, text) for i, (heading, text) in enumerate(sections, 1)]
    return write_docx(ExportReport(title=title, sections=parts, draft=draft))
