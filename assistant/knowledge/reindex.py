"""Re-indexing a kept file, or all of them: the new version is written beside the old and
swapped in one transaction (two admins at once: 409); when it fails, the old version stays."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from assistant.accounts.service import Principal
from assistant.errors import KnowledgeConflict, KnowledgeNotFound
from assistant.knowledge.base import CHANGED, KnowledgeBase, mark_indexed, outcome
from assistant.knowledge.indexing import kind_of
from assistant.knowledge.listing import entry, user_names
from assistant.knowledge.progress import SILENT, Reporter
from assistant.knowledge.reasons import Failure, failure_for, not_kept
from assistant.storage.models import KnowledgeFile, Upload

REINDEX_KEPT = "重新索引失败，已保留原有版本："


class Reindexing(KnowledgeBase):
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
            indexed = self._index(data, name, kind, report)
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
                mark_indexed(row, indexed, upload)
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
