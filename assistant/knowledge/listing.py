"""What a knowledge base holds, as the page lists it: the files admins gave it from the page
(indexed or failed), files given by ``POST /documents`` (kb=corpus), and documents that
``assistant index`` put there from the server's disk.

Who sees what: every signed-in user may list the indexed documents (they search the corpus
anyway, and a drafter may want to know which policy texts the assistant draws on); failures,
the parsers' own words and the stored bytes are for admins. Server paths are never shown: a
CLI document is named by its file name only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import KnowledgeFile, Upload, User

ORIGINS = ("page", "upload", "cli")  # the page's upload · POST /documents · assistant index


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(tzinfo=dt.UTC).isoformat() if value is not None else None


def user_names(s: Session) -> dict[int, str]:
    return {row[0]: row[1] for row in s.execute(select(User.id, User.username))}


def entry(row: KnowledgeFile, names: dict[int, str], *, kept: bool, admin: bool) -> dict[str, Any]:
    out = {
        "origin": "page",
        "id": row.id,
        "title": row.title or PurePath(row.filename).stem,
        "filename": row.filename,
        "kind": row.kind,
        "size": row.size,
        "characters": row.characters,
        "chunks": row.chunks,
        "status": row.status,
        "code": row.code,
        "reason": row.reason,
        "created_by": names.get(row.created_by, ""),
        "created_at": _iso(row.created_at),
        "indexed_at": _iso(row.indexed_at),
        "version": row.version,
        "can_remove": admin,
        "can_reindex": admin and kept,
    }
    if admin:
        out["detail"] = row.detail
    return out


def _stored(store: ChromaStore, kb: str) -> dict[str, dict[str, Any]]:
    """Per document in the store: source, title, chunk count, newest indexing time."""
    docs: dict[str, dict[str, Any]] = defaultdict(lambda: {"chunks": 0, "at": 0.0})
    for c in store.iter_all(kb, with_text=False):
        d = docs[str(c.meta.get("doc_id", ""))]
        d["chunks"] += 1
        d["source"] = str(c.meta.get("source", ""))
        d["title"] = str(c.meta.get("title", ""))
        d["kind"] = PurePath(d["source"]).suffix.lstrip(".")
        d["at"] = max(d["at"], float(c.meta.get("indexed_at") or 0.0))
    return docs


def list_entries(
    db: Database, store: ChromaStore, user: Principal, kb: str
) -> list[dict[str, Any]]:
    """Newest first: the page's files, then other uploads, then the CLI's documents."""
    admin = user.is_admin and not user.read_only
    with db.session() as s:
        names = user_names(s)
        query = select(KnowledgeFile).where(KnowledgeFile.kb == kb)
        if not admin:
            query = query.where(KnowledgeFile.status == "indexed")
        rows = list(s.scalars(query.order_by(KnowledgeFile.id.desc())))
        kept = set(
            s.scalars(
                select(KnowledgeFile.id).where(
                    KnowledgeFile.kb == kb, KnowledgeFile.content.is_not(None)
                )
            )
        )
        linked = {r.upload_id for r in rows if r.upload_id is not None}
        uploads = [
            u
            for u in s.scalars(
                select(Upload)
                .where(Upload.kb == kb, Upload.report_id.is_(None))
                .order_by(Upload.id.desc())
            )
            if u.id not in linked
        ]
        if not admin:  # the page's files of other states are hidden: skip their upload rows
            linked |= {
                i
                for i in s.scalars(select(KnowledgeFile.upload_id).where(KnowledgeFile.kb == kb))
                if i is not None
            }
            uploads = [u for u in uploads if u.id not in linked]
        out = [entry(r, names, kept=r.id in kept, admin=admin) for r in rows]
        stored = _stored(store, kb)
        for u in uploads:
            doc = stored.get(u.doc_id, {})
            out.append(
                {
                    "origin": "upload",
                    "id": u.id,
                    "title": doc.get("title") or PurePath(u.filename).stem,
                    "filename": u.filename,
                    "kind": u.kind,
                    "size": u.size,
                    "characters": None,
                    "chunks": u.chunks,
                    "status": "indexed",
                    "code": "",
                    "reason": "",
                    "created_by": names.get(u.created_by, ""),
                    "created_at": _iso(u.created_at),
                    "indexed_at": _iso(u.created_at),
                    "can_remove": admin,
                    "can_reindex": False,
                }
            )
    for doc_id, doc in sorted(stored.items(), key=lambda kv: kv[1].get("title", "")):
        if doc.get("source", "").startswith("upload:"):
            continue  # an upload: listed above by its row (an orphan is removed at start-up)
        at = dt.datetime.fromtimestamp(doc["at"], dt.UTC).isoformat() if doc["at"] else None
        out.append(
            {
                "origin": "cli",
                "id": None,
                "doc_id": doc_id,
                "title": doc.get("title", ""),
                "filename": PurePath(doc.get("source", "")).name,
                "kind": doc.get("kind", ""),
                "size": None,
                "characters": None,
                "chunks": doc["chunks"],
                "status": "indexed",
                "code": "",
                "reason": "",
                "created_by": "",
                "created_at": None,
                "indexed_at": at,
                "can_remove": False,  # the CLI would put it back at its next run
                "can_reindex": False,
            }
        )
    return out
