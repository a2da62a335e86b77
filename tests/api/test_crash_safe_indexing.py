"""Crash-safe indexing (issue 18 item 6): chunks a crash left without an upload row are never
searched or cited, and the start-up reconcile removes them.

The crash is simulated as it happened: the chunks of a file are written to the report's
knowledge base (as an upload writes them) and the process "dies" before the row is committed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.domain import Block, DocMeta, Document
from assistant.facts.sheet import Fact, FactSheet, ReportMeta
from assistant.ingest.chunking import doc_id_for
from assistant.reports.access import report_kb
from assistant.services import Services
from assistant.storage.models import Report, Upload, User
from tests.api.conftest import login

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])
ORPHAN_TEXT = "全年共查处违纪违法案件999起，处分党员干部888人，专项整治工作成效明显。"
KEPT_TEXT = "全年共开展专项整治检查46次，整改问题线索120条，专项整治工作成效明显。"


@pytest.fixture
def report_id(client: TestClient, services: Services) -> int:
    with services.db.session() as s:
        dora = s.scalar(select(User.id).where(User.username == "dora"))
        assert dora is not None
        report = Report(owner_id=dora, template="工作情况汇报", title="dora 的汇报")
        s.add(report)
        s.flush()
        return report.id


def _upload(client: TestClient, report_id: int, name: str, text: str) -> None:
    r = client.post(
        "/api/v1/documents",
        headers=login(client, "dora"),
        data={"report_id": str(report_id)},
        files={"file": (name, f"# 工作情况\n\n{text}\n".encode(), "text/plain")},
    )
    assert r.status_code == 201, r.text


def _crash_mid_upload(services: Services, kb: str, text: str, *, age: float = 0.0) -> str:
    """Chunks written as an upload writes them, and no row: a kill -9 before the commit."""
    doc = Document(
        source="upload:查处情况.txt",
        meta=DocMeta(title="查处情况"),
        blocks=[Block(text=text)],
        file_hash="0" * 64,
    )
    doc_id = doc_id_for(kb, "upload:crashed")
    services.indexer.index_document(doc, kb=kb, doc_id=doc_id)
    if age:  # written long enough ago that no worker can still be committing its row
        chunks = [
            c for c in services.store.iter_all(kb, with_text=True) if c.meta["doc_id"] == doc_id
        ]
        services.store.add(
            kb,
            ids=[c.id for c in chunks],
            vectors=services.embeddings.embed_documents([c.text for c in chunks]),
            texts=[c.text for c in chunks],
            metas=[c.meta | {"indexed_at": time.time() - age} for c in chunks],
        )
    return doc_id


def _doc_ids(services: Services, kb: str) -> set[str]:
    return {str(c.meta["doc_id"]) for c in services.store.iter_all(kb, with_text=False)}


def _source_passages(services: Services, kb: str) -> list[dict[str, object]]:
    sheet = FactSheet(
        report=ReportMeta(template="工作情况汇报", title="关于专项整治工作情况的汇报"),
        facts=[Fact(key="专项整治检查", value=46, unit="次")],
    )
    template = services.templates["工作情况汇报"]
    draft = services.drafter.draft_section(sheet, template, "work_1", uploads_kb=kb)
    return [p for p in draft.provenance.passages if str(p.get("label", "")).startswith("S")]


def test_orphan_chunks_are_never_searched_nor_cited(
    client: TestClient, services: Services, report_id: int
) -> None:
    kb = report_kb(report_id)
    _upload(client, report_id, "整治情况.txt", KEPT_TEXT)
    orphan = _crash_mid_upload(services, kb, ORPHAN_TEXT)
    assert orphan in _doc_ids(services, kb)  # the crash left them in the store

    r = client.get(
        "/api/v1/search",
        headers=login(client, "dora"),
        params={"q": "查处违纪违法案件", "k": 10, "report_id": report_id},
    )
    assert r.status_code == 200, r.text
    assert "999起" not in r.text and r.json(), r.text  # the real upload still answers

    passages = _source_passages(services, kb)
    assert passages and all(p["doc_id"] != orphan for p in passages), passages
    with services.db.session() as s:
        kept = s.scalar(select(Upload.doc_id))
    assert {p["doc_id"] for p in passages} == {kept}


def test_the_start_up_reconcile_removes_orphans_and_keeps_uploads(
    settings: Settings, client: TestClient, services: Services, report_id: int
) -> None:
    kb = report_kb(report_id)
    _upload(client, report_id, "整治情况.txt", KEPT_TEXT)
    with services.db.session() as s:
        kept = s.scalar(select(Upload.doc_id))
    old = _crash_mid_upload(services, kb, ORPHAN_TEXT, age=3600)
    assert old in _doc_ids(services, kb)
    young = doc_id_for(kb, "upload:young")
    services.indexer.index_document(
        Document(
            source="upload:在途.txt",
            meta=DocMeta(title="在途"),
            blocks=[Block(text="另一个进程正在提交的上传。")],
            file_hash="1" * 64,
        ),
        kb=kb,
        doc_id=young,
    )
    gone = report_kb(report_id + 1000)  # a report deleted after its rows, before its chunks
    _crash_mid_upload(services, gone, ORPHAN_TEXT)

    # A restart: the app's start-up reconciles before the first request.
    with TestClient(create_app(settings, services)):
        pass
    assert _doc_ids(services, kb) == {kept, young}  # the young one may be a commit in flight
    assert gone not in services.store.knowledge_bases()

    result = services.reconcile_uploads()  # the default grace: the young one stays
    assert result.young_orphans >= 1 and result.orphan_chunks == 0
    from assistant.uploads.reconcile import reconcile

    later = reconcile(services.db, services.indexer, now=time.time() + 3600)
    assert later.orphan_docs == [(kb, young)] and _doc_ids(services, kb) == {kept}
    assert later.incomplete_uploads == []


def test_corpus_files_indexed_without_rows_are_kept(
    services: Services, client: TestClient, tmp_path: Path
) -> None:
    f = tmp_path / "政策.md"
    f.write_text("# 关于做好防汛工作的通知\n\n各地要落实防汛责任。\n", encoding="utf-8")
    services.indexer.index([f], kb="corpus")
    orphan = _crash_mid_upload(services, "corpus", ORPHAN_TEXT, age=3600)
    result = services.reconcile_uploads()
    assert result.orphan_docs == [("corpus", orphan)]
    assert _doc_ids(services, "corpus") == {doc_id_for("corpus", str(f.resolve()))}
