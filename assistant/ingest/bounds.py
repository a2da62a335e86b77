"""The limits one file is read under: the parser's (:class:`ParseLimits`) and its worker's.

Built from the settings once (:meth:`ReadBounds.from_settings`) and handed to whatever reads a
file someone sent: a report's upload, the knowledge base, the Word round trip. It lives with
ingestion, below those features, so that none of them imports another to learn its limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.config import Settings
from assistant.ingest.convert import soffice
from assistant.ingest.limits import MB, ParseLimits
from assistant.ingest.worker import WorkerBounds


@dataclass(frozen=True)
class ReadBounds:
    limits: ParseLimits = field(default_factory=ParseLimits)
    worker: WorkerBounds | None = field(default_factory=WorkerBounds)  # None: in this process

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadBounds:
        return cls(
            limits=ParseLimits(
                max_part_bytes=int(settings.max_part_mb * MB),
                max_cells=settings.max_cells,
                max_shared_strings=settings.max_shared_strings,
                max_chars=settings.max_upload_chars,
                convert_seconds=settings.convert_timeout,
                converter=settings.soffice or soffice(),
                ocr_pages=settings.ocr_max_pages,
                ocr_seconds=settings.ocr_timeout,
                image_pixels=int(settings.ocr_max_megapixels * 1e6),
            ),
            worker=WorkerBounds(seconds=settings.parse_timeout, memory_mb=settings.parse_memory_mb),
        )
