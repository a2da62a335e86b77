"""Word export: a report's sections as a .docx.

``minimal`` writes a plain document (title, headings, paragraphs) until the GB/T 9704-2012 writer
replaces it behind the same ``write_report`` signature.
"""

from __future__ import annotations

from assistant.export.minimal import DOCX_MEDIA_TYPE, DRAFT_MARK, write_report

__all__ = ["DOCX_MEDIA_TYPE", "DRAFT_MARK", "write_report"]
