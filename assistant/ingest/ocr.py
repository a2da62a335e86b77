"""The OCR engine: the text lines of one page image, with where they stand.

RapidOCR (PP-OCRv4 Chinese detection and recognition, run by onnxruntime) is loaded once per
process on first use; its models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is
downloaded. A page is handed over as a greyscale image in which red ink is paper: a 公章 stamped
over the text, or a red rule, hides no black character under it and is not read as text of its
own (the red channel of red ink is nearly as bright as the paper, that of black text as dark as
ever). What comes back is lines with
boxes; their order and paragraphs are :mod:`assistant.ingest.ocr_layout`'s business.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.ingest.errors import IngestError

if TYPE_CHECKING:
    from PIL import Image

_lock = threading.Lock()
_engine: Any = None
MIN_SCORE = 0.5  # recognition confidence under which a line is taken for noise
LONG_SIDE = 2000  # pixels: the engine reads a page at most this large (its max_side_len)


class OcrMissing(IngestError, code="ocr_missing"):
    """The OCR engine is not installed, so scans cannot be read (→ 422)."""


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text and its box's four corners on the page, in pixels
    (top left, top right, bottom right, bottom left: a page fed crooked gives a tilted box)."""

    text: str
    box: tuple[tuple[float, float], ...]
    score: float


def engine(source: str) -> Any:
    """The process's one RapidOCR instance (loading it takes a fraction of a second)."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise OcrMissing(
                    source,
                    "reading scans and images needs OCR, which is not installed "
                    "(pip install rapidocr-onnxruntime); 识别扫描件需要安装 rapidocr-onnxruntime",
                ) from exc
            _engine = RapidOCR(print_verbose=False)
        return _engine


PAPER = 180  # grey level (of 255) from which a pixel is paper: red ink's red channel is above


def ink_only(image: Image.Image) -> Image.Image:
    """The page in grey with red ink (stamps, red rules) turned to paper.

    The red channel keeps black text black and makes red ink light; levels stretched so that
    everything from :data:`PAPER` up is white take out what is left of a stamp (its ring and
    its lettering would otherwise be read as faint text) and a greyish paper with it.
    """
    if image.mode in ("1", "L", "I", "I;16", "F"):
        grey = image.convert("L")
    else:
        grey = image.convert("RGB").getchannel("R")
    return grey.point([min(255, v * 255 // PAPER) for v in range(256)])


def read_lines(image: Image.Image, source: str) -> list[OcrLine]:
    """The lines RapidOCR finds on ``image``, in the order it gives them (their boxes on the
    page as the engine saw it: at most :data:`LONG_SIDE` pixels on the long side)."""
    page = ink_only(image)
    if max(page.size) > LONG_SIDE:
        # The engine would shrink it to this itself, bilinearly; Lanczos keeps thin strokes.
        from PIL import Image as PILImage

        ratio = LONG_SIDE / max(page.size)
        size = (max(1, round(page.width * ratio)), max(1, round(page.height * ratio)))
        page = page.resize(size, PILImage.Resampling.LANCZOS)
    result, _ = engine(source)(page)
    out: list[OcrLine] = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        corners = tuple((float(p[0]), float(p[1])) for p in box)
        out.append(OcrLine(str(text), corners, float(score)))
    return out
