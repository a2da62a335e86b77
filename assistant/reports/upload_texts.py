"""What the checker reads of a report's uploads, kept between checks (issue 17, item 2).

Every edit, restore and Word import is checked against the text of the report's uploads: up to
2,000 chunks read back from the store each time. :class:`UploadTexts` keeps that list per report,
keyed by the uploads' version: the report's upload rows (id, document, chunk count) as the
database holds them at the time of the check. An upload added or deleted, by this worker or by
another one, changes the rows, so the next check reads again; one query on an indexed column
costs far less than reading the chunks. Only chunks of uploads with a row are read, as searches
do: the chunks of an upload still being indexed, or half-removed, are not sources yet.

Memory is bounded by ``max_reports`` (the reports used most recently; about 1.6 MB for a report
at the 2,000-chunk limit); ``0`` keeps nothing and reads every time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import islice

from sqlalchemy import select

from assistant.checks.evidence import Source
from assistant.reports.kbs import report_kb
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import Upload

MAX_UPLOAD_CHUNKS = 2_000  # grounding reads the uploads' text; a report never has more

Version = tuple[tuple[int, str, int], ...]


class UploadTexts:
    """The grounding sources (S1 …) of each report's uploads, read once per uploads' version."""

    def __init__(self, db: Database, store: ChromaStore, *, max_reports: int = 32) -> None:
        self.db = db
        self.store = store
        self.max_reports = max_reports
        self._kept: OrderedDict[int, tuple[Version, list[Source]]] = OrderedDict()
        self._lock = threading.Lock()
        self.reads = 0  # store reads so far (for tests and benchmarks)

    def version(self, report_id: int) -> Version:
        with self.db.session() as s:
            rows = s.execute(
                select(Upload.id, Upload.doc_id, Upload.chunks)
                .where(Upload.kb == report_kb(report_id))
                .order_by(Upload.id)
            )
            return tuple((int(i), str(d), int(n)) for i, d, n in rows)

    def sources(self, report_id: int) -> list[Source]:
        version = self.version(report_id)
        if not version:
            self.forget(report_id)
            return []
        with self._lock:
            kept = self._kept.get(report_id)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(report_id)
                return list(kept[1])
        sources = self._read(report_id, version)
        if self.max_reports:
            with self._lock:
                self._kept[report_id] = (version, sources)
                self._kept.move_to_end(report_id)
                while len(self._kept) > self.max_reports:
                    self._kept.popitem(last=False)
        return list(sources)

    def forget(self, report_id: int) -> None:
        with self._lock:
            self._kept.pop(report_id, None)

    def _read(self, report_id: int, version: Version) -> list[Source]:
        docs = {doc_id for _, doc_id, _ in version}
        self.reads += 1
        chunks = (
            c
            for c in self.store.iter_all(report_kb(report_id), with_text=True)
            if c.meta.get("doc_id") in docs
        )
        return [
            Source(f"S{i}", c.text)
            for i, c in enumerate(islice(chunks, MAX_UPLOAD_CHUNKS), start=1)
        ]
