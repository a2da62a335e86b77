"""OCR accuracy on scanned 公文 pages rendered from known text (tests/scans.py), the issue's floors.

Two documents (a report of one page, a notice of two), each page rendered at 150 and 300 dpi
straight, turned 1.2°, and turned −0.6° with a red 公章 stamped over its last lines; the loader
reads each as an uploaded PNG. Character accuracy is 1 − edit distance / length against the
known text, weighted by page length; a figure (a number with its unit: 286.4亿元, 7.3%,
0.4个百分点, 5月15日) counts only when read exactly. About 5 s a page: marked slow.
"""

from __future__ import annotations

import pytest

from tests import scans

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (scans.FONT_DIR / scans.SERIF).exists(), reason="needs fonts-noto-cjk"),
]
FLOORS = {300: 0.97, 150: 0.93}
FIGURES_FLOOR = 0.98


def test_ocr_accuracy_meets_the_floors() -> None:
    everything = []
    for dpi, floor in FLOORS.items():
        rows = scans.measure(dpi)
        everything += rows
        accuracy, figures = scans.overall(rows)
        detail = "\n".join(
            f"{r.dpi} dpi {r.document} {r.variant}: {r.accuracy:.4f}, "
            f"figures {r.figures[0]}/{r.figures[1]}"
            for r in rows
        )
        print(f"\n{dpi} dpi: characters {accuracy:.4f}, figures {figures:.4f}\n{detail}")
        assert accuracy >= floor, detail
    assert scans.overall(everything)[1] >= FIGURES_FLOOR
