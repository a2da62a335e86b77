"""Word export in GB/T 9704-2012 format (党政机关公文格式) and its format verifier.

``model`` says what a report contains, ``gbt9704`` lays it out (with ``layout``, ``styles``,
``titles``, ``footer``, ``notes`` and ``ooxml``), ``verify`` checks a .docx against the standard.
``write_report`` is the older (title, sections) entry point, kept as a thin wrapper.
"""

from __future__ import annotations

from assistant.export.footer import DRAFT_MARK
from assistant.export.gbt9704 import DOCX_MEDIA_TYPE, write_docx
from assistant.export.minimal import write_report
from assistant.export.model import (
    ExportCitation,
    ExportComment,
    ExportInputError,
    ExportReport,
    ExportSection,
    from_draft_json,
)
from assistant.export.styles import FontNames

__all__ = [
    "DOCX_MEDIA_TYPE",
    "DRAFT_MARK",
    "ExportCitation",
    "ExportComment",
    "ExportInputError",
    "ExportReport",
    "ExportSection",
    "FontNames",
    "from_draft_json",
    "write_docx",
    "write_report",
]
