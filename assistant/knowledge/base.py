"""What every knowledge-base operation shares: the admin check (again inside each writing
transaction), finding a file and detecting that another admin changed it meanwhile, taking
chunks back out, the audit entry, and the shape of one file's outcome."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.domain import CORPUS
from assistant.errors import KnowledgeConflict, KnowledgeForbidden, KnowledgeNotFound
from assistant.knowledge.indexing import Indexed, Limits, index_bytes
from assistant.knowledge.progress import Reporter
from assistant.knowledge.reasons import Failure
from assistant.retrieval.indexer import Indexer
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import KnowledgeFile, Upload, User, now

log = logging.getLogger(__name__)
ADMINS_ONLY = "只有管理员可以向知识库上传、删除或重新索引文件。"
GONE = "该文件已不在知识库中（可能已被其他管理员删除）：请刷新列表。"
CHANGED = "该文件刚被其他管理员重新索引或删除：请刷新列表后再试。"


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


class KnowledgeBase:
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

    # -- shared helpers ----------------------------------------------------------------------

    def _index(self, data: bytes, name: str, kind: str, report: Reporter) -> Indexed:
        """The file parsed, chunked, embedded and added to this knowledge base."""
        return index_bytes(
            self.indexer,
            kb=self.kb,
            data=data,
            name=name,
            kind=kind,
            limits=self.limits,
            report=report,
        )

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


def mark_indexed(row: KnowledgeFile, ix: Indexed, upload: Upload) -> None:
    row.status, row.title, row.characters, row.chunks = (
        "indexed",
        ix.title,
        ix.characters,
        ix.chunks,
    )
    row.code, row.reason, row.detail = "", "", ""
    row.upload_id, row.indexed_at = upload.id, now()
