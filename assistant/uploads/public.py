"""The JSON shapes the upload routes answer with: typed models at the API boundary.

An upload as listed (``GET /documents``), as just added (with the facts its tables propose), and
how far the reading of one under way has got. The routes build them from the stored rows; the
service keeps returning domain objects (:class:`~assistant.uploads.service.Added`).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from assistant.reports.facts import fact_public
from assistant.reports.public import FactPublic
from assistant.storage.models import Upload
from assistant.uploads.service import Added


class UploadPublic(BaseModel):
    id: int
    report_id: int | None
    kb: str
    filename: str
    kind: str
    size: int
    sha256: str
    chunks: int
    created_by: int | None
    created_at: str
    ocr: bool  # some of its text was read by OCR (issue 19): the page marks it 识别文字

    @classmethod
    def of(cls, u: Upload, *, ocr: bool) -> UploadPublic:
        return cls(
            id=u.id,
            report_id=u.report_id,
            kb=u.kb,
            filename=u.filename,
            kind=u.kind,
            size=u.size,
            sha256=u.sha256,
            chunks=u.chunks,
            created_by=u.created_by,
            created_at=u.created_at.replace(tzinfo=dt.UTC).isoformat(),
            ocr=ocr,
        )


class UploadAddedPublic(UploadPublic):
    proposed_facts: list[FactPublic]  # from its tables, waiting for confirmation
    skipped_facts: list[str]  # keys the report has already

    @classmethod
    def of_added(cls, added: Added) -> UploadAddedPublic:
        listed = UploadPublic.of(added.upload, ocr=added.ocr)
        return cls(
            **listed.model_dump(),
            proposed_facts=[fact_public(f) for f in added.facts],
            skipped_facts=list(added.skipped),
        )


class UploadProgressPublic(BaseModel):
    """``GET /documents/progress/{token}``: pages read by OCR so far."""

    stage: str
    pages_done: int
    pages: int
    finished: bool
