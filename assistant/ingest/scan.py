"""Reading pages that are pictures, by OCR, within a page limit and a time limit per file.

Owns what scans and photos of documents cost and what of them is kept: images (.png .jpg .jpeg
.tif .tiff, every frame of a multi-page TIFF a page) are decoded by Pillow after their size is
checked, a photo turned upright by its EXIF orientation; the pages of a PDF that have no text
layer come here from :mod:`assistant.ingest.pdf`, rendered by PDFium. Each page goes to the
engine (:mod:`assistant.ingest.ocr`) and its lines into paragraphs and tables
(:mod:`assistant.ingest.ocr_layout`); every block keeps the page it was read from
(``Block.ocr_page``), which is how a passage or a fact from a scan says so (``upload:<file>#p3``).
Too many pages is refused before the first is read, the time limit is checked before and after
every page (a page takes seconds), and each page done is reported
(:func:`assistant.ingest.progress.page_done`).
"""

from __future__ import annotations

import dataclasses
import io
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.domain import Block
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import OverLimit, ParseLimits
from assistant.ingest.ocr import read_lines
from assistant.ingest.ocr_layout import Placed, join_pages, page_items
from assistant.ingest.office import table_blocks
from assistant.ingest.progress import page_done

if TYPE_CHECKING:
    from PIL import Image

IMAGE_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "TIFF": "TIFF"}
PAGES_ENV, SECONDS_ENV, PIXELS_ENV = (
    "ASSISTANT_OCR_MAX_PAGES",
    "ASSISTANT_OCR_TIMEOUT",
    "ASSISTANT_OCR_MAX_MEGAPIXELS",
)


class TooManyPages(OverLimit, code="too_many_pages"):
    """More pages to read by OCR than one file may have (→ 413)."""


class OcrTimeout(IngestError, code="ocr_timeout"):
    """OCR of the file ran past its time limit and was stopped (→ 422)."""


def check_pages(count: int, source: str, limits: ParseLimits) -> None:
    if count > limits.ocr_pages:
        raise TooManyPages(
            source,
            f"{count} pages to read by OCR, over the limit of {limits.ocr_pages} pages per file "
            f"({PAGES_ENV})",
        )


def check_pixels(size: tuple[int, int], source: str, limits: ParseLimits) -> None:
    pixels = size[0] * size[1]
    if pixels > limits.image_pixels:
        raise OverLimit(
            source,
            f"a page image of {size[0]}×{size[1]} pixels ({pixels / 1e6:.0f} million), over the "
            f"limit of {limits.image_pixels / 1e6:g} million ({PIXELS_ENV})",
        )


def read_pages(
    render: Callable[[int], Image.Image], numbers: list[int], source: str, limits: ParseLimits
) -> list[list[Placed]]:
    """Each page ``render(n)`` gives (``numbers`` from 0) read by OCR: its items, page by page."""
    check_pages(len(numbers), source, limits)
    page_done(0, len(numbers))  # OCR starts: a parse worker gives it its time from now on
    started = time.monotonic()
    out: list[list[Placed]] = []
    for done, number in enumerate(numbers):
        _in_time(started, source, limits, done, len(numbers))
        image = render(number)
        check_pixels(image.size, source, limits)
        out.append(page_items(read_lines(image, source), number + 1))
        page_done(done + 1, len(numbers))
    _in_time(started, source, limits, len(numbers), len(numbers))
    return out


def _in_time(started: float, source: str, limits: ParseLimits, done: int, total: int) -> None:
    if time.monotonic() - started > limits.ocr_seconds:
        raise OcrTimeout(
            source,
            f"OCR took longer than {limits.ocr_seconds:g} s (the limit, {SECONDS_ENV}) and was "
            f"stopped after {done} of {total} pages",
        )


def ocr_blocks(items: list[Placed]) -> list[Block]:
    """Blocks of OCR items, each marked with its page; a table's rows labelled by its header."""
    blocks: list[Block] = []
    tables = 0
    for placed in items:
        if isinstance(placed.item, str):
            blocks.append(Block(text=placed.item, ocr_page=placed.page))
            continue
        tables += 1
        rows = table_blocks(placed.item.rows, context=f"第{placed.page}页表{tables}")
        grid = tuple(tuple(row) for row in placed.item.rows)
        blocks.extend(
            dataclasses.replace(b, ocr_page=placed.page, grid=grid if i == 0 else None)
            for i, b in enumerate(rows)
        )
    return blocks


def load_image(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    """The text of an image (each frame of a TIFF a page), read by OCR."""
    from PIL import ImageOps

    with _opened(data, source, limits) as image:
        frames = getattr(image, "n_frames", 1)
        check_pages(frames, source, limits)

        def frame(n: int) -> Image.Image:
            try:
                image.seek(n)
                check_pixels(image.size, source, limits)
                image.load()
                return ImageOps.exif_transpose(image)
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                raise IngestError(source, f"corrupt image, page {n + 1} ({exc})") from exc

        pages = read_pages(frame, list(range(frames)), source, limits)
    blocks = ocr_blocks(join_pages(pages))
    if not blocks:
        raise IngestError(source, "no text found in the image (OCR read nothing)")
    return blocks


class _opened:
    """Pillow's image of ``data``, its kind and size checked before any pixel is decoded."""

    def __init__(self, data: bytes, source: str, limits: ParseLimits) -> None:
        self.data, self.source, self.limits = data, source, limits
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        from PIL import Image, UnidentifiedImageError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(self.data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise OverLimit(
                self.source,
                f"the image is too large to decode, over the limit of "
                f"{self.limits.image_pixels / 1e6:g} million pixels ({PIXELS_ENV})",
            ) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise IngestError(
                self.source, "corrupt image (not a PNG, JPEG or TIFF that can be read)"
            ) from exc
        if image.format not in IMAGE_FORMATS:
            image.close()
            raise IngestError(self.source, f"an image of type {image.format}, not PNG/JPEG/TIFF")
        check_pixels(image.size, self.source, self.limits)
        self.image = image
        return image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()
