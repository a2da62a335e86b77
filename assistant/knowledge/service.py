"""Adding files to a knowledge base, removing them and re-indexing them, for admins.

Owns a knowledge-base file's life (:class:`~assistant.storage.models.KnowledgeFile`). The order
is what keeps it safe, as for report uploads: everything that can be refused (type, parse, text
limit, duplicate, name) is decided before the first write; the chunks are written under a fresh
``doc_id``; then the rows and the audit entry in one transaction, which re-checks the name and
the duplicate, and whose failure takes the chunks back out. A file that fails is kept (its row,
its reason in Chinese, and its bytes when they may be retried), so nothing given is lost and
"重新索引" retries it. A re-index writes the new version beside the old and swaps them in one
transaction; when it fails, the old version stays indexed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assistant.accounts.service import Principal
from assistant.domain import CORPUS
from assistant.errors import KnowledgeConflict, KnowledgeForbidden, KnowledgeNotFound
from assistant.ingest.loaders import file_hash
from assistant.knowledge.indexing import Indexed, Limits, index_bytes, kind_of
from assistant.knowledge.listing import entry, user_names
from assistant.knowledge.progress import SILENT, Reporter
from assistant.knowledge.reasons import Failure, duplicate, failure_for, name_taken, not_kept
from assistant.retrieval.indexer import Indexer
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import KnowledgeFile, Upload, User, now
from assistant.uploads.names import safe_filename

log = logging.getLogger(__name__)
ADMINS_ONLY = "只有管理员可以向知识库上传、删除或重新索引文件。"
GONE = "该文件已不在知识库中（可能已被其他管理员删除）：请刷新列表。"
CHANGED = "该文件刚被其他管理员重新索引或删除：请刷新列表后再试。"
# Not kept for a retry: a type the service does not read stays so, whatever the limits.
_NOT_RETRIED = ("unsupported", "too_large")
REINDEX_KEPT = "重新索引失败，已保留原有版本："


def outcome(
    filename: str, status: str, *, failure: Failure | None = None, doc: Any = None
) -> dict[str, Any]:
    """One file's result, as the API and the progress poll report it."""
    return {
        "filename": filename,
        "status": status,  # indexed | failed | skipped (a duplicate or a name taken: not kept)
        "code": failure.code if failure else "",
        "reason": failure.reason if failure else "",
        "document": doc,
    }


class Knowledge:
    def __init__(self, *, db: Database, indexer: Indexer, limits: Limits, kb: str = CORPUS) -> None:
        self.db = db
        self.indexer = indexer
        self.limits = limits
        self.kb = kb

    @staticmethod
    def require_admin(user: Principal) -> None:
        if not user.is_admin or user.read_only:
            raise KnowledgeForbidden(ADMINS_ONLY)

    @classmethod
    def _still_admin(cls, s: Session, user: Principal) -> None:
        """The role as the database holds it now, inside the transaction that writes: an admin
        demoted or disabled while a long upload was read writes nothing."""
        cls.require_admin(user)
        row = s.get(User, user.id)
        if row is None or row.disabled or row.role != "admin":
            raise KnowledgeForbidden(ADMINS_ONLY)

    # -- adding ----------------------------------------------------------------------------------

    def add(
        self,
        user: Principal,
        files: Sequence[tuple[str | None, bytes]],
        report: Reporter = SILENT,
    ) -> list[dict[str, Any]]:
        """Add each file in turn; one file's failure is its own and never stops the rest."""
        self.require_admin(user)
        results = []
        for filename, data in files:
            report.file(safe_filename(filename, "bin"))
            result = self._add_one(user, filename, data, report)
            report.result(result)
            results.append(result)
        return results

    def _add_one(
        self, user: Principal, filename: str | None, data: bytes, report: Reporter
    ) -> dict[str, Any]:
        sha = file_hash(data)
        try:
            kind = kind_of(data, filename, self.limits)
        except Exception as exc:
            name = safe_filename(filename, "bin")
            return self._failed(
                user, name, "", data, sha, failure_for(exc), audit="knowledge.upload"
            )
        name = safe_filename(filename, kind)
        with self.db.session() as s:
            refused = self._clash(s, name, sha)
        refused = refused or self._indexed_by_cli(sha)
        if refused is not None:
            with self.db.session() as s:
                self._audit(
                    s,
                    user,
                    "knowledge.upload",
                    None,
                    name,
                    status="skipped",
                    code=refused.code,
                    sha256=sha,
                )
            return outcome(name, "skipped", failure=refused)
        try:
            indexed = index_bytes(
                self.indexer,
                kb=self.kb,
                data=data,
                name=name,
                kind=kind,
                limits=self.limits,
                report=report,
            )
        except Exception as exc:
            failure = failure_for(exc)
            if failure.code == "index_failed":
                log.warning("knowledge base: indexing %s failed", name, exc_info=True)
            return self._failed(user, name, kind, data, sha, failure, audit="knowledge.upload")
        report.writing()
        try:
            with self.db.session() as s:
                refused = self._clash(s, name, sha)  # another admin's upload may have won
                if refused is None:
                    row = self._record(s, user, name, kind, data, sha, indexed)
                    return outcome(
                        name, "indexed", doc=entry(row, user_names(s), kept=True, admin=True)
                    )
        except BaseException:
            self._take_back(indexed.doc_id)
            raise
        self._take_back(indexed.doc_id)
        return outcome(name, "skipped", failure=refused)

    def _record(
        self, s: Session, user: Principal, name: str, kind: str, data: bytes, sha: str, ix: Indexed
    ) -> KnowledgeFile:
        self._still_admin(s, user)
        upload = Upload(
            report_id=None,
            kb=self.kb,
            filename=name,
            sha256=sha,
            size=len(data),
            kind=kind,
            chunks=ix.chunks,
            doc_id=ix.doc_id,
            created_by=user.id,
        )
        s.add(upload)
        s.flush()
        row = self._failed_twin(s, name, sha) or KnowledgeFile(kb=self.kb, created_by=user.id)
        self._fill(row, name=name, kind=kind, data=data, sha=sha, user=user)
        row.content = data
        _indexed(row, ix, upload)
        s.add(row)
        s.flush()
        self._audit(
            s, user, "knowledge.upload", row, name, status="indexed", chunks=ix.chunks, sha256=sha
        )
        return row

    def _failed(
        self,
        user: Principal,
        name: str,
        kind: str,
        data: bytes,
        sha: str,
        failure: Failure,
        *,
        audit: str,
    ) -> dict[str, Any]:
        """Keep a file that failed, with its reason (and its bytes, when a retry may help)."""
        with self.db.session() as s:
            self._still_admin(s, user)
            row = self._failed_twin(s, name, sha) or KnowledgeFile(kb=self.kb, created_by=user.id)
            self._fill(row, name=name, kind=kind, data=data, sha=sha, user=user)
            row.content = None if failure.code in _NOT_RETRIED else data
            row.status, row.title, row.characters, row.chunks = "failed", "", 0, 0
            row.code, row.reason, row.detail = failure.code, failure.reason, failure.detail
            row.upload_id, row.indexed_at = None, None
            s.add(row)
            s.flush()
            self._audit(s, user, audit, row, name, status="failed", code=failure.code, sha256=sha)
            kept = row.content is not None
            return outcome(
                name,
                "failed",
                failure=failure,
                doc=entry(row, user_names(s), kept=kept, admin=True),
            )

    def _fill(
        self, row: KnowledgeFile, *, name: str, kind: str, data: bytes, sha: str, user: Principal
    ) -> None:
        row.kb, row.filename, row.kind, row.size, row.sha256 = self.kb, name, kind, len(data), sha
        row.created_by, row.created_at = user.id, now()  # a retry is a new upload by its sender

    # -- what is there already -------------------------------------------------------------------

    def _clash(self, s: Session, name: str, sha: str) -> Failure | None:
        """A duplicate (same content indexed) or a name taken by other content; None if free."""
        rows = s.scalars(
            select(KnowledgeFile).where(
                KnowledgeFile.kb == self.kb,
                KnowledgeFile.status == "indexed",
                or_(KnowledgeFile.sha256 == sha, KnowledgeFile.filename == name),
            )
        ).all()
        for r in rows:
            if r.sha256 == sha:
                return duplicate(r.title, r.filename)
        if rows:
            return name_taken(name)
        # Files given to the corpus by POST /documents (kb=corpus) have an upload row only.
        uploads = s.scalars(
            select(Upload).where(
                Upload.kb == self.kb,
                Upload.report_id.is_(None),
                or_(Upload.sha256 == sha, Upload.filename == name),
            )
        ).all()
        for u in uploads:
            if u.sha256 == sha:
                return duplicate("", u.filename)
        return name_taken(name) if uploads else None

    def _indexed_by_cli(self, sha: str) -> Failure | None:
        """The same content indexed from the server's disk by ``assistant index``."""
        for c in self.indexer.store.iter_all(self.kb, with_text=False):
            source = str(c.meta.get("source", ""))
            if c.meta.get("file_hash") == sha and not source.startswith("upload:"):
                return duplicate(str(c.meta.get("title", "")), source.rsplit("/", 1)[-1])
        return None

    def _failed_twin(self, s: Session, name: str, sha: str) -> KnowledgeFile | None:
        """A failed earlier try of this file (same name or same content): a retry replaces it,
        so failures do not pile up."""
        return s.scalars(
            select(KnowledgeFile)
            .where(
                KnowledgeFile.kb == self.kb,
                KnowledgeFile.status == "failed",
                or_(KnowledgeFile.sha256 == sha, KnowledgeFile.filename == name),
            )
            .order_by(KnowledgeFile.id)
            .limit(1)
        ).first()

    # -- removing --------------------------------------------------------------------------------

    def remove(self, user: Principal, file_id: int) -> None:
        """Chunks first (a failure there changes nothing), then the rows and the audit entry;
        a re-index that swapped the document meanwhile has its new chunks removed too."""
        self.require_admin(user)
        with self.db.session() as s:
            row = self._get(s, file_id)
            doc_id = self._doc_id(s, row)
        if doc_id:
            self.indexer.remove_document(self.kb, doc_id)
        with self.db.session() as s:
            self._still_admin(s, user)
            row = self._get(s, file_id)
            now_doc = self._doc_id(s, row)
            upload = s.get(Upload, row.upload_id) if row.upload_id is not None else None
            self._audit(
                s, user, "knowledge.remove", row, row.filename, status=row.status, sha256=row.sha256
            )
            s.delete(row)
            s.flush()  # before the upload row: its deletion would cascade to this one
            if upload is not None:
                s.delete(upload)
        if now_doc and now_doc != doc_id:
            self.indexer.remove_document(self.kb, now_doc)

    # -- re-indexing -----------------------------------------------------------------------------

    def reindex(self, user: Principal, file_id: int, report: Reporter = SILENT) -> dict[str, Any]:
        """Index the kept file again (after a limit or the chunker changed, or to retry a
        failure); on failure the version indexed before stays."""
        self.require_admin(user)
        result = self._reindex(user, file_id, report)
        report.result(result)
        return result

    def _reindex(self, user: Principal, file_id: int, report: Reporter) -> dict[str, Any]:
        with self.db.session() as s:
            row = self._get(s, file_id)
            data, version, name, kind = row.content, row.version, row.filename, row.kind
            old_doc = self._doc_id(s, row)
        report.file(name)
        if data is None:
            return outcome(name, "failed", failure=not_kept())
        try:
            kind = kind or kind_of(data, name, self.limits)
            indexed = index_bytes(
                self.indexer,
                kb=self.kb,
                data=data,
                name=name,
                kind=kind,
                limits=self.limits,
                report=report,
            )
        except Exception as exc:
            return self._reindex_failed(user, file_id, version, failure_for(exc))
        report.writing()
        try:
            with self.db.session() as s:
                self._still_admin(s, user)
                row = self._current(s, file_id, version)
                upload = s.get(Upload, row.upload_id) if row.upload_id is not None else None
                if upload is None:
                    upload = Upload(
                        report_id=None,
                        kb=self.kb,
                        filename=name,
                        sha256=row.sha256,
                        size=row.size,
                        kind=kind,
                        created_by=user.id,
                        doc_id="",
                    )
                    s.add(upload)
                upload.doc_id, upload.chunks, upload.kind = indexed.doc_id, indexed.chunks, kind
                s.flush()
                row.kind = kind
                _indexed(row, indexed, upload)
                s.flush()
                self._audit(
                    s, user, "knowledge.reindex", row, name, status="indexed", chunks=indexed.chunks
                )
                done = outcome(
                    name, "indexed", doc=entry(row, user_names(s), kept=True, admin=True)
                )
        except StaleDataError as exc:
            self._take_back(indexed.doc_id)
            raise KnowledgeConflict(CHANGED) from exc
        except BaseException:
            self._take_back(indexed.doc_id)
            raise
        if old_doc and old_doc != indexed.doc_id:
            self._take_back(old_doc)  # if this fails, start-up reconcile removes the orphans
        return done

    def _reindex_failed(
        self, user: Principal, file_id: int, version: int, failure: Failure
    ) -> dict[str, Any]:
        try:
            with self.db.session() as s:
                self._still_admin(s, user)
                row = self._current(s, file_id, version)
                if row.status == "indexed":  # the old version answers searches still
                    failure = Failure(failure.code, REINDEX_KEPT + failure.reason, failure.detail)
                row.code, row.reason, row.detail = failure.code, failure.reason, failure.detail
                s.flush()
                self._audit(
                    s,
                    user,
                    "knowledge.reindex",
                    row,
                    row.filename,
                    status="failed",
                    code=failure.code,
                )
                return outcome(
                    row.filename,
                    "failed",
                    failure=failure,
                    doc=entry(row, user_names(s), kept=True, admin=True),
                )
        except StaleDataError as exc:
            raise KnowledgeConflict(CHANGED) from exc

    def reindex_all(self, user: Principal, report: Reporter = SILENT) -> list[dict[str, Any]]:
        """Every kept file of the knowledge base, one after another (files ``assistant index``
        put there are the CLI's to re-run)."""
        self.require_admin(user)
        with self.db.session() as s:
            ids = list(
                s.scalars(
                    select(KnowledgeFile.id)
                    .where(KnowledgeFile.kb == self.kb, KnowledgeFile.content.is_not(None))
                    .order_by(KnowledgeFile.id)
                )
            )
        report.planned(len(ids))
        results = []
        for file_id in ids:
            try:
                result = self._reindex(user, file_id, report)
            except (KnowledgeNotFound, KnowledgeConflict) as exc:  # removed or re-indexed meanwhile
                result = outcome(f"#{file_id}", "skipped", failure=Failure(exc.code, str(exc)))
            report.result(result)
            results.append(result)
        return results

    # -- helpers ---------------------------------------------------------------------------------

    def _get(self, s: Session, file_id: int) -> KnowledgeFile:
        row = s.get(KnowledgeFile, file_id)
        if row is None or row.kb != self.kb:
            raise KnowledgeNotFound(GONE)
        return row

    def _current(self, s: Session, file_id: int, version: int) -> KnowledgeFile:
        row = self._get(s, file_id)
        if row.version != version:
            raise KnowledgeConflict(CHANGED)
        return row

    @staticmethod
    def _doc_id(s: Session, row: KnowledgeFile) -> str:
        upload = s.get(Upload, row.upload_id) if row.upload_id is not None else None
        return upload.doc_id if upload is not None else ""

    def _take_back(self, doc_id: str) -> None:
        try:
            self.indexer.remove_document(self.kb, doc_id)
        except Exception:  # the first error matters more; start-up reconcile removes orphans
            log.exception(
                "knowledge base: chunks of %s in %s could not be removed", doc_id, self.kb
            )

    def _audit(
        self,
        s: Session,
        user: Principal,
        action: str,
        row: KnowledgeFile | None,
        filename: str,
        **detail: Any,
    ) -> None:
        record(
            s,
            user_id=user.id,
            action=action,
            object_type="knowledge_file",
            object_id=row.id if row is not None else None,
            detail={"kb": self.kb, "filename": filename, **detail},
        )


def _indexed(row: KnowledgeFile, ix: Indexed, upload: Upload) -> None:
    row.status, row.title, row.characters, row.chunks = (
        "indexed",
        ix.title,
        ix.characters,
        ix.chunks,
    )
    row.code, row.reason, row.detail = "", "", ""
    row.upload_id, row.indexed_at = upload.id, now()
