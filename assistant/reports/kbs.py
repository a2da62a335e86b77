"""The names of reports' knowledge bases. Imports nothing: the CLI's search decides with
:func:`kb_report` whether a knowledge base is a report's without loading the database layer."""

from __future__ import annotations

import re

_REPORT_KB = re.compile(r"^report-(\d+)$")


def report_kb(report_id: int) -> str:
    """The knowledge base holding a report's uploads (its fact layer)."""
    return f"report-{report_id}"


def kb_report(kb: str) -> int | None:
    """The report whose uploads ``kb`` holds; None for the corpus and any other name."""
    m = _REPORT_KB.match(kb)
    return int(m.group(1)) if m else None
