"""Adding files to a knowledge base and removing them, for admins (re-indexing is
:mod:`assistant.knowledge.reindex`'s, what they share :mod:`assistant.knowledge.base`'s).

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

from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.ingest.loaders import file_hash
from assistant.ingest.names import safe_filename
from assistant.knowledge.base import mark_indexed, outcome
from assistant.knowledge.existing import clash, failed_twin, indexed_by_cli
from assistant.knowledge.indexing import Indexed, kind_of
from assistant.knowledge.listing import entry, user_names
from assistant.knowledge.progress import SILENT, Reporter
from assistant.knowledge.reasons import Failure, failure_for
from assistant.knowledge.reindex import Reindexing
from assistant.storage.models import KnowledgeFile, Upload, now

log = logging.getLogger(__name__)
# Not kept for a retry: a type the service does not read stays so, whatever the limits.
_NOT_RETRIED = ("unsupported", "too_large")


class Knowledge(Reindexing):
    """Adding and removing files (re-indexing is :class:`Reindexing`'s)."""

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
            refused = clash(s, self.kb, name, sha)
        refused = refused or indexed_by_cli(self.indexer.store, self.kb, sha)
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
            indexed = self._index(data, name, kind, report)
        except Exception as exc:
            failure = failure_for(exc)
            if failure.code == "index_failed":
                log.warning("knowledge base: indexing %s failed", name, exc_info=True)
            return self._failed(user, name, kind, data, sha, failure, audit="knowledge.upload")
        report.writing()
        try:
            with self.db.session() as s:
                refused = clash(s, self.kb, name, sha)  # another admin's upload may have won
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
        row = failed_twin(s, self.kb, name, sha) or KnowledgeFile(kb=self.kb, created_by=user.id)
        self._fill(row, name=name, kind=kind, data=data, sha=sha, user=user)
        row.content = data
        mark_indexed(row, ix, upload)
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
            row = failed_twin(s, self.kb, name, sha) or KnowledgeFile(
                kb=self.kb, created_by=user.id
            )
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
