"""What a knowledge base holds already, asked before a file is indexed and again inside the
transaction that records it: the same content (a duplicate, however it got there: the page,
``POST /documents`` or ``assistant index``), the same name with other content, or a failed
earlier try of the file (which a retry replaces)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.knowledge.reasons import Failure, duplicate, name_taken
from assistant.retrieval.store import ChromaStore
from assistant.storage.models import KnowledgeFile, Upload


def clash(s: Session, kb: str, name: str, sha: str) -> Failure | None:
    """A duplicate (same content indexed) or a name taken by other content; None if free."""
    rows = s.scalars(
        select(KnowledgeFile).where(
            KnowledgeFile.kb == kb,
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
            Upload.kb == kb,
            Upload.report_id.is_(None),
            or_(Upload.sha256 == sha, Upload.filename == name),
        )
    ).all()
    for u in uploads:
        if u.sha256 == sha:
            return duplicate("", u.filename)
    return name_taken(name) if uploads else None


def indexed_by_cli(store: ChromaStore, kb: str, sha: str) -> Failure | None:
    """The same content indexed from the server's disk by ``assistant index`` (named by its
    file name, never its path)."""
    for c in store.iter_all(kb, with_text=False):
        source = str(c.meta.get("source", ""))
        if c.meta.get("file_hash") == sha and not source.startswith("upload:"):
            return duplicate(str(c.meta.get("title", "")), source.rsplit("/", 1)[-1])
    return None


def failed_twin(s: Session, kb: str, name: str, sha: str) -> KnowledgeFile | None:
    """A failed earlier try of this file (same name or same content): a retry replaces it, so
    failures do not pile up."""
    return s.scalars(
        select(KnowledgeFile)
        .where(
            KnowledgeFile.kb == kb,
            KnowledgeFile.status == "failed",
            or_(KnowledgeFile.sha256 == sha, KnowledgeFile.filename == name),
        )
        .order_by(KnowledgeFile.id)
        .limit(1)
    ).first()
