"""Uploads: one file into a report's fact layer (or, for admins, the corpus), all or nothing.

Owns an upload's whole life: where it may go, its type (by content), parsing, chunking and
indexing into the report's knowledge base, facts proposed from its tables, its row and audit
entry; listing; and removal. The order is what keeps it atomic: everything that can be refused
(type, parse, chunks, facts) is decided before the first write; then chunks are written, then
the rows in one transaction, and a failed transaction takes the chunks back out. The file's
bytes are never written to disk under the user's name (or at all): parsed text lives in the
index, facts in the database.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.domain import CORPUS
from assistant.errors import Forbidden, NotFound
from assistant.facts.proposed import ProposedFact
from assistant.ingest.bounds import ReadBounds
from assistant.ingest.chunking import doc_id_for
from assistant.ingest.errors import IngestError, encrypted_message
from assistant.ingest.loaders import file_hash
from assistant.ingest.names import safe_filename
from assistant.ingest.progress import PageReport
from assistant.reports.access import knowledge_base, readable_report
from assistant.reports.access import writable_report as _writable
from assistant.retrieval.indexer import Indexer
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import FactRow, Upload
from assistant.uploads.errors import (
    DuplicateUpload,
    Encrypted,
    Invalid,
    TooLarge,
    Unreadable,
    Unsupported,
)
from assistant.uploads.ocr_marks import ocr_uploads, read_by_ocr
from assistant.uploads.proposals import record_proposals
from assistant.uploads.reading import read_upload
from assistant.uploads.sniff import sniff

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """Where an upload goes: a report's knowledge base, or the corpus (report_id None)."""

    report_id: int | None
    kb: str


@dataclass
class Added:
    upload: Upload
    facts: list[FactRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # keys already on the report
    ocr: bool = False  # some of its text was read by OCR (the page marks it 识别文字)


def over_limit(limit: int) -> str:
    return f"file is over the {limit / 1048576:.4g} MB limit"


def audit_upload(
    s: Session, *, user_id: int, action: str, upload: Upload, detail: dict[str, Any]
) -> None:
    """An upload's entry belongs to its report's history (``GET /reports/{id}/audit``), where
    the report's owner and reviewers look; a corpus upload is an entry of its own."""
    about = {"upload_id": upload.id, "report_id": upload.report_id, "kb": upload.kb}
    record(
        s,
        user_id=user_id,
        action=action,
        object_type="report" if upload.report_id is not None else "upload",
        object_id=upload.report_id if upload.report_id is not None else upload.id,
        detail={**about, "filename": upload.filename, **detail},
    )


def source_prefix(filename: str) -> str:
    """How facts read from this file name it (DESIGN.md §6: ``upload:<file>#<sheet>!<cell>``)."""
    return f"upload:{filename}#"


class Uploads:
    def __init__(
        self,
        *,
        db: Database,
        indexer: Indexer,
        max_bytes: int,
        max_chars: int = 10**9,
        bounds: ReadBounds | None = None,
    ) -> None:
        self.max_chars = max_chars
        self.bounds = bounds or ReadBounds()
        self.db = db
        self.indexer = indexer
        self.max_bytes = max_bytes

    def target(self, user: Principal, *, report_id: int | None, kb: str | None) -> Target:
        """Check the caller may add to the report (owner/admin) or the corpus (admin)."""
        if report_id is not None and kb is not None:
            raise Invalid("give either report_id or kb=corpus, not both")
        with self.db.session() as s:
            kb = knowledge_base(s, user, report_id=report_id, kb=kb, write=True)
        return Target(report_id, kb)

    def add(
        self,
        user: Principal,
        target: Target,
        *,
        data: bytes,
        filename: str | None,
        on_page: PageReport | None = None,
    ) -> Added:
        """Add one file; pages read by OCR are reported to ``on_page`` as they are done."""
        if len(data) > self.max_bytes:
            raise TooLarge(f"{safe_filename(filename, 'bin')}: {over_limit(self.max_bytes)}")
        try:
            kind = sniff(data, filename)
        except Encrypted as exc:
            raise Encrypted(encrypted_message(safe_filename(filename, "bin"))) from exc
        except (Unsupported, Unreadable) as exc:
            raise type(exc)(f"{safe_filename(filename, 'bin')}: {exc}") from exc
        name = safe_filename(filename, kind)
        if not data.strip():
            raise Unreadable(f"{name}: empty file")
        with self.db.session() as s:
            self._check_name(s, target, name)
        doc, proposals = read_upload(
            data,
            name,
            kind,
            proposals=target.report_id is not None,
            bounds=self.bounds,
            on_page=on_page,
        )
        chars = len(doc.text)
        if chars > self.max_chars:
            # Embedding runs at ~600 characters/s on a CPU: refuse what would hold a worker
            # for many minutes instead of accepting it and timing out half-way.
            raise Unreadable(
                f"{name}: {chars:,} characters of text, over the limit of {self.max_chars:,} "
                "(ASSISTANT_MAX_UPLOAD_CHARS); split the file or index it with assistant index"
            )
        # A fresh id per upload: two uploads never share chunks, and deleting one is exact.
        doc_id = doc_id_for(target.kb, f"upload:{uuid.uuid4().hex}")
        try:
            chunks = self.indexer.index_document(doc, kb=target.kb, doc_id=doc_id)
        except IngestError as exc:
            raise Unreadable(f"{name}: {exc.reason}") from exc
        ocr = read_by_ocr(doc)
        try:
            with self.db.session() as s:
                added = self._record(
                    s, user, target, name, kind, data, doc_id, len(chunks), proposals, ocr=ocr
                )
        except BaseException:
            self._take_back(target.kb, doc_id)
            raise
        return added

    def _record(
        self,
        s: Session,
        user: Principal,
        target: Target,
        name: str,
        kind: str,
        data: bytes,
        doc_id: str,
        n_chunks: int,
        proposals: list[ProposedFact],
        *,
        ocr: bool = False,
    ) -> Added:
        if target.report_id is not None:
            _writable(s, user, target.report_id)  # the report may have gone meanwhile
        self._check_name(s, target, name)
        upload = Upload(
            report_id=target.report_id,
            kb=target.kb,
            filename=name,
            sha256=file_hash(data),
            size=len(data),
            kind=kind,
            chunks=n_chunks,
            doc_id=doc_id,
            created_by=user.id,
        )
        s.add(upload)
        s.flush()
        added = Added(upload, ocr=ocr)
        if target.report_id is not None:
            added.facts, added.skipped = record_proposals(s, target.report_id, proposals)
        audit_upload(
            s,
            user_id=user.id,
            action="upload",
            upload=upload,
            detail={
                "kind": kind,
                "size": len(data),
                "sha256": upload.sha256,
                "chunks": n_chunks,
                "proposed_facts": len(added.facts),
                "ocr": ocr,
            },
        )
        return added

    def _take_back(self, kb: str, doc_id: str) -> None:
        try:
            self.indexer.remove_document(kb, doc_id)
        except Exception:  # the original error matters more; say what is left behind
            log.exception(
                "upload failed and its chunks (doc_id %s in %s) could not be removed", doc_id, kb
            )

    @staticmethod
    def _check_name(s: Session, target: Target, name: str) -> None:
        # One name per knowledge base: fact sources (upload:<file>#…) must say which file.
        clash = s.scalar(
            select(Upload.id).where(Upload.kb == target.kb, Upload.filename == name).limit(1)
        )
        if clash is not None:
            raise DuplicateUpload(
                f"已有同名文件“{name}”（编号 {clash}）：如要换成新文件，"
                "请先在“上传材料”中删除它，再重新上传"
            )

    def list_uploads(self, user: Principal, *, report_id: int | None) -> list[Upload]:
        """A report's uploads (whoever may read it), or the corpus's (every signed-in user)."""
        with self.db.session() as s:
            if report_id is not None:
                readable_report(s, user, report_id)
                where = Upload.report_id == report_id
            else:
                where = Upload.report_id.is_(None) & (Upload.kb == CORPUS)
            return list(s.scalars(select(Upload).where(where).order_by(Upload.id)))

    def read_by_ocr(self, uploads: list[Upload]) -> set[int]:
        """The ids of ``uploads`` (as listed) whose text was read by OCR, in whole or part."""
        return ocr_uploads(self.indexer.store, uploads)

    def delete(self, user: Principal, upload_id: int) -> None:
        """Remove an upload's chunks, then its row and the proposals read from it.

        Chunks go first: if that fails nothing changed; if the rows then fail, a retry finds
        no chunks and finishes. Facts the user already confirmed stay: they are the user's now.
        """
        with self.db.session() as s:
            upload = self._deletable(s, user, upload_id)
            kb, doc_id = upload.kb, upload.doc_id
        self.indexer.remove_document(kb, doc_id)
        with self.db.session() as s:
            upload = self._deletable(s, user, upload_id)
            dropped = 0
            if upload.report_id is not None:
                prefix = source_prefix(upload.filename)
                for row in s.scalars(
                    select(FactRow).where(
                        FactRow.report_id == upload.report_id, FactRow.status == "proposed"
                    )
                ):
                    if row.source.startswith(prefix):
                        s.delete(row)
                        dropped += 1
            audit_upload(
                s,
                user_id=user.id,
                action="upload.delete",
                upload=upload,
                detail={"proposals_dropped": dropped},
            )
            s.delete(upload)

    @staticmethod
    def _deletable(s: Session, user: Principal, upload_id: int) -> Upload:
        upload = s.get(Upload, upload_id)
        if upload is None:
            raise NotFound(f"no document {upload_id}")
        if upload.report_id is not None:
            _writable(s, user, upload.report_id)
        elif not user.is_admin:
            raise Forbidden("only admins may remove corpus documents")
        return upload
