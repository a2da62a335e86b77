"""The knowledge base from the service (issue 15 item 2): admins upload past reports and policy
texts to the corpus, list, remove and re-index them; failures are kept with a Chinese reason;
searches find what was added and stop finding what was removed; everything is audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services, build_services
from assistant.storage.models import AuditEntry
from tests.api.conftest import PASSWORD, USERS, login, settings_changed

BASE = "/api/v1/knowledge"
POLICY = (
    "# 关于加强应急物资储备管理的通知\n\n"
    "各乡镇要建立玄鸟应急物资储备台账，落实专人管理，每季度盘点一次。\n\n"
    "## 二、压实责任\n\n储备物资实行分级负责，县应急管理局统筹调度。\n"
).encode()
PHRASE = "玄鸟应急物资储备台账"
OTHER = "# 关于做好秋季防火工作的通知\n\n各单位要落实青崖防火巡查制度。\n".encode()
CORRUPT_DOCX = b"PK\x03\x04" + b"\x14\x00\x00\x00broken zip, not a Word file" * 40


def add(client: TestClient, headers: dict[str, str], *files: tuple[str, bytes], **form: str) -> Any:
    return client.post(
        f"{BASE}/documents",
        headers=headers,
        files=[("files", f) for f in files],
        data=form,
    )


def listed(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get(f"{BASE}/documents", headers=headers)
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


def found(client: TestClient, headers: dict[str, str], q: str, mode: str = "hybrid") -> str:
    r = client.get("/api/v1/search", headers=headers, params={"q": q, "k": 20, "mode": mode})
    if r.status_code == 404 and r.json()["detail"] == "unknown knowledge base 'corpus'":
        return ""  # nothing was ever indexed into it
    assert r.status_code == 200, r.text
    return "\n".join(h["text"] for h in r.json())


def audit(services: Services) -> list[tuple[str, dict[str, Any]]]:
    with services.db.session() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "knowledge_file")
            .order_by(AuditEntry.id)
        )
        return [(e.action, e.detail) for e in rows]


@pytest.fixture
def ada(client: TestClient) -> dict[str, str]:
    return login(client, "ada")


def test_upload_is_listed_found_by_search_and_gone_after_removal(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    dora = login(client, "dora")
    assert PHRASE not in found(client, dora, PHRASE)
    r = add(client, ada, ("应急物资通知.md", POLICY))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["indexed"], body["failed"], body["skipped"]) == (1, 0, 0)
    result = body["results"][0]
    assert result["status"] == "indexed" and result["reason"] == ""
    doc = result["document"]
    assert doc["title"] == "关于加强应急物资储备管理的通知"
    assert doc["filename"] == "应急物资通知.md" and doc["kind"] == "md"
    assert doc["chunks"] >= 1 and doc["characters"] > 20
    assert doc["created_by"] == "ada" and doc["status"] == "indexed"

    rows = listed(client, dora)  # a drafter lists (read-only)
    mine = [d for d in rows if d["origin"] == "page"]
    assert [d["filename"] for d in mine] == ["应急物资通知.md"]
    assert mine[0]["can_remove"] is False and "detail" not in mine[0]
    assert PHRASE in found(client, dora, PHRASE)
    assert PHRASE in found(client, dora, PHRASE, mode="bm25")

    assert client.delete(f"{BASE}/documents/{doc['id']}", headers=dora).status_code == 403
    r = client.delete(f"{BASE}/documents/{doc['id']}", headers=ada)
    assert r.status_code == 204, r.text
    assert PHRASE not in found(client, dora, PHRASE)
    assert PHRASE not in found(client, dora, PHRASE, mode="bm25")
    assert PHRASE not in found(client, dora, PHRASE, mode="dense")
    assert not [d for d in listed(client, ada) if d["origin"] == "page"]
    assert client.delete(f"{BASE}/documents/{doc['id']}", headers=ada).status_code == 404
    actions = [(a, d["status"]) for a, d in audit(services)]
    assert actions == [("knowledge.upload", "indexed"), ("knowledge.remove", "indexed")]


def test_only_admins_upload_remove_or_reindex(client: TestClient, ada: dict[str, str]) -> None:
    for name in ("dora", "rita"):
        h = login(client, name)
        r = add(client, h, ("a.md", POLICY))
        assert r.status_code == 403, r.text
        assert r.json()["detail"]["code"] == "kb_admin_only"
        assert "管理员" in r.json()["detail"]["message"]
        assert client.post(f"{BASE}/reindex", headers=h, json={}).status_code == 403
    doc = add(client, ada, ("a.md", POLICY)).json()["results"][0]["document"]
    rita = login(client, "rita")
    assert client.post(f"{BASE}/documents/{doc['id']}/reindex", headers=rita).status_code == 403
    assert client.get(f"{BASE}/documents").status_code == 401  # signed out


def test_a_corrupt_file_is_listed_as_failed_with_a_chinese_reason_and_the_rest_goes_in(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    r = add(client, ada, ("坏文件.docx", CORRUPT_DOCX), ("防火通知.md", OTHER))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["indexed"], body["failed"]) == (1, 1)
    bad, good = body["results"]
    assert bad["status"] == "failed" and bad["code"] == "unreadable"
    assert "无法读取" in bad["reason"] and "另存" in bad["reason"]
    assert good["status"] == "indexed"
    rows = {d["filename"]: d for d in listed(client, ada)}
    assert rows["坏文件.docx"]["status"] == "failed"
    assert rows["坏文件.docx"]["reason"] == bad["reason"]
    assert rows["坏文件.docx"]["detail"]  # the parser's own words, for admins
    assert rows["坏文件.docx"]["can_reindex"] is True  # its bytes are kept for a retry
    assert "青崖防火巡查" in found(client, ada, "青崖防火巡查制度")
    dora = login(client, "dora")
    assert "坏文件.docx" not in {d["filename"] for d in listed(client, dora)}

    # A retry fails again, in the same words, and stays one row.
    retry = client.post(f"{BASE}/documents/{rows['坏文件.docx']['id']}/reindex", headers=ada)
    assert retry.status_code == 200, retry.text
    assert retry.json()["status"] == "failed" and retry.json()["code"] == "unreadable"
    again = add(client, ada, ("坏文件.docx", CORRUPT_DOCX)).json()["results"][0]
    assert again["status"] == "failed"
    assert [d["filename"] for d in listed(client, ada)].count("坏文件.docx") == 1
    statuses = [(a, d["status"]) for a, d in audit(services)]
    assert ("knowledge.upload", "failed") in statuses
    assert ("knowledge.reindex", "failed") in statuses


def test_a_renamed_executable_fails_as_an_unknown_type(
    client: TestClient, ada: dict[str, str]
) -> None:
    r = add(client, ada, ("政策.pdf", b"MZ\x90\x00" + bytes(range(256)) * 8))
    result = r.json()["results"][0]
    assert result["status"] == "failed" and result["code"] == "unsupported"
    assert "无法识别的文件类型" in result["reason"]
    assert result["document"]["can_reindex"] is False  # not kept: a retry cannot help


def test_a_duplicate_is_skipped_with_a_clear_message(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    assert add(client, ada, ("通知.md", POLICY)).json()["indexed"] == 1
    chunks = services.store.count("corpus")
    r = add(client, ada, ("通知-副本.md", POLICY))
    body = r.json()
    assert (body["indexed"], body["skipped"]) == (0, 1)
    result = body["results"][0]
    assert result["code"] == "duplicate"
    assert result["reason"] == (
        "与知识库中已有的《关于加强应急物资储备管理的通知》（通知.md）内容完全相同，未重复入库。"
    )
    assert services.store.count("corpus") == chunks
    taken = add(client, ada, ("通知.md", OTHER)).json()["results"][0]
    assert taken["code"] == "name_taken" and "请先删除旧文件" in taken["reason"]
    assert [d["filename"] for d in listed(client, ada) if d["origin"] == "page"] == ["通知.md"]
    assert [d["code"] for a, d in audit(services) if d["status"] == "skipped"] == [
        "duplicate",
        "name_taken",
    ]


def test_a_file_already_indexed_by_the_cli_is_a_duplicate(
    client: TestClient, services: Services, ada: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "应急.md").write_bytes(POLICY)
    assert services.indexer.index([folder], kb="corpus").ok
    cli = [d for d in listed(client, ada) if d["origin"] == "cli"]
    assert [d["filename"] for d in cli] == ["应急.md"]  # the name only, never the server path
    assert cli[0]["can_remove"] is False and str(folder) not in str(cli)
    result = add(client, ada, ("应急物资.md", POLICY)).json()["results"][0]
    assert result["code"] == "duplicate" and "应急.md" in result["reason"]


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """The app with a 40 KB upload limit."""
    tight = settings.model_copy(update={"max_file_mb": 40 / 1024, "data_dir": tmp_path / "small"})
    services = build_services(tight)
    for name, role in USERS.items():
        services.accounts.add(name, PASSWORD, role)
    with TestClient(create_app(tight, services)) as c:
        yield c
    services.close()


def test_a_file_over_the_upload_limit_is_413_in_chinese_and_leaves_nothing(
    small: TestClient,
) -> None:
    ada = login(small, "ada")
    big = POLICY + ("各单位要落实责任。" * 2000).encode()  # ~54 KB
    r = add(small, ada, ("大文件.md", big))
    assert r.status_code == 413, r.text
    assert r.json()["detail"]["code"] == "too_large"
    assert "40 KB" not in r.json()["detail"]["message"]
    assert "大小上限" in r.json()["detail"]["message"]
    assert listed(small, ada) == []
    assert add(small, ada, ("小文件.md", POLICY)).json()["indexed"] == 1


def test_reindex_one_and_all_swaps_the_chunks_and_keeps_search_working(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    doc = add(client, ada, ("通知.md", POLICY)).json()["results"][0]["document"]
    add(client, ada, ("防火.md", OTHER))
    before = services.store.count("corpus")
    r = client.post(f"{BASE}/documents/{doc['id']}/reindex", headers=ada, json={})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "indexed"
    assert r.json()["document"]["version"] > doc["version"]
    assert services.store.count("corpus") == before  # the old version's chunks are gone
    assert PHRASE in found(client, ada, PHRASE)
    r = client.post(f"{BASE}/reindex", headers=ada, json={"progress": "reindex-all-1"})
    assert r.status_code == 200, r.text
    assert r.json()["indexed"] == 2
    assert services.store.count("corpus") == before
    progress = client.get(f"{BASE}/progress/reindex-all-1", headers=ada).json()
    assert progress["finished"] is True and progress["files"] == 2
    assert len(progress["results"]) == 2
    assert [a for a, _ in audit(services)].count("knowledge.reindex") == 3


def test_upload_progress_is_the_callers_own(client: TestClient, ada: dict[str, str]) -> None:
    r = add(client, ada, ("通知.md", POLICY), progress="kb-upload-0001")
    assert r.status_code == 200, r.text
    progress = client.get(f"{BASE}/progress/kb-upload-0001", headers=ada).json()
    assert progress["finished"] is True and progress["stage"] == "done"
    assert (progress["files"], progress["files_done"]) == (1, 1)
    assert progress["results"][0]["status"] == "indexed"
    assert progress["chunks"] >= 1 and progress["chunks_done"] == progress["chunks"]
    other = login(client, "dora")
    assert client.get(f"{BASE}/progress/kb-upload-0001", headers=other).status_code == 404


def test_cookie_sessions_need_the_pages_header(client: TestClient) -> None:
    r = client.post(
        "/api/v1/auth/login",
        json={"username": "ada", "password": PASSWORD},
        headers={"Origin": "http://testserver"},
    )
    assert r.status_code == 200
    foreign = client.post(
        f"{BASE}/documents",
        files=[("files", ("a.md", POLICY))],
        headers={"Origin": "http://127.0.0.1:9999"},
    )
    assert foreign.status_code == 403 and "跨站请求伪造" in foreign.json()["detail"]
    bare = client.post(
        f"{BASE}/documents",
        files=[("files", ("a.md", POLICY))],
        headers={"Origin": "http://testserver"},
    )
    assert bare.status_code == 403
    with client.stream("GET", f"{BASE}/documents") as listing:
        assert listing.status_code == 200 and listing.read() == b"[]"
    page = client.post(
        f"{BASE}/documents",
        files=[("files", ("a.md", POLICY))],
        headers={"Origin": "http://testserver", "X-Requested-With": "gongwen"},
    )
    assert page.status_code == 200, page.text
    doc = page.json()["results"][0]["document"]
    gone = client.delete(
        f"{BASE}/documents/{doc['id']}", headers={"Origin": "http://127.0.0.1:9999"}
    )
    assert gone.status_code == 403


def test_no_file_is_a_chinese_422(client: TestClient, ada: dict[str, str]) -> None:
    r = client.post(f"{BASE}/documents", headers=ada, data={"progress": "abcdefgh"})
    assert r.status_code == 422
    assert r.json()["detail"]["code"] == "kb_invalid"
    assert listed(client, ada) == []


def _meanwhile(monkeypatch: pytest.MonkeyPatch, action: Any) -> None:
    """Run ``action`` once, between a file's indexing and the transaction that records it: what
    another admin's request may do at that moment."""
    import assistant.knowledge.base as base

    real = base.index_bytes
    done: list[bool] = []

    def index_then_interfere(*args: Any, **kw: Any) -> Any:
        result = real(*args, **kw)
        if not done:
            done.append(True)
            action()
        return result

    # adding and re-indexing both index through KnowledgeBase._index
    monkeypatch.setattr(base, "index_bytes", index_then_interfere)


def test_a_reindex_racing_another_is_a_409_and_leaves_one_version(
    client: TestClient, services: Services, ada: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = add(client, ada, ("通知.md", POLICY)).json()["results"][0]["document"]
    chunks = services.store.count("corpus")
    url = f"{BASE}/documents/{doc['id']}/reindex"
    _meanwhile(monkeypatch, lambda: client.post(url, headers=ada))
    r = client.post(url, headers=ada)
    assert r.status_code == 409, r.text
    assert r.json()["detail"]["code"] == "kb_changed"
    assert "其他管理员" in r.json()["detail"]["message"]
    assert services.store.count("corpus") == chunks  # the loser's chunks were taken back
    assert PHRASE in found(client, ada, PHRASE)


def test_a_removal_during_a_reindex_leaves_nothing_searchable(
    client: TestClient, services: Services, ada: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = add(client, ada, ("通知.md", POLICY)).json()["results"][0]["document"]
    _meanwhile(monkeypatch, lambda: client.delete(f"{BASE}/documents/{doc['id']}", headers=ada))
    r = client.post(f"{BASE}/documents/{doc['id']}/reindex", headers=ada)
    assert r.status_code == 404, r.text
    assert r.json()["detail"]["code"] == "kb_not_found"
    assert services.store.count("corpus") == 0
    assert PHRASE not in found(client, ada, PHRASE)


def test_two_admins_uploading_the_same_file_index_it_once(
    client: TestClient, services: Services, ada: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.accounts.add("abe", PASSWORD, "admin")
    abe = login(client, "abe")
    _meanwhile(monkeypatch, lambda: add(client, abe, ("通知.md", POLICY)))
    r = add(client, ada, ("通知.md", POLICY))
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["code"] == "duplicate"
    rows = [d for d in listed(client, ada) if d["origin"] == "page"]
    assert [(d["filename"], d["created_by"]) for d in rows] == [("通知.md", "abe")]
    assert services.store.count("corpus") == rows[0]["chunks"]


def test_a_corpus_upload_removed_through_documents_leaves_the_list(
    client: TestClient, ada: dict[str, str]
) -> None:
    doc = add(client, ada, ("通知.md", POLICY)).json()["results"][0]["document"]
    uploads = client.get("/api/v1/documents", headers=ada).json()
    assert [u["filename"] for u in uploads] == ["通知.md"]
    assert client.delete(f"/api/v1/documents/{uploads[0]['id']}", headers=ada).status_code == 204
    assert listed(client, ada) == []
    assert PHRASE not in found(client, ada, PHRASE)
    assert client.delete(f"{BASE}/documents/{doc['id']}", headers=ada).status_code == 404


def test_an_admin_demoted_during_an_upload_writes_nothing(
    client: TestClient, services: Services, ada: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.storage.models import User

    def demote() -> None:
        with services.db.session() as s:
            user = s.scalars(select(User).where(User.username == "ada")).one()
            user.role = "drafter"

    _meanwhile(monkeypatch, demote)
    r = add(client, ada, ("通知.md", POLICY))
    assert r.status_code == 403, r.text
    assert r.json()["detail"]["code"] == "kb_admin_only"
    assert services.store.count("corpus") == 0  # the chunks were taken back
    assert [a for a, _ in audit(services)] == []


def test_start_up_reconcile_keeps_the_knowledge_bases_files(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    add(client, ada, ("通知.md", POLICY))
    chunks = services.store.count("corpus")
    from assistant.uploads.reconcile import reconcile

    done = reconcile(services.db, services.indexer, grace=0)  # as if the upload were old
    assert done.orphan_chunks == 0 and not done.incomplete_uploads and not done.young_orphans
    assert services.store.count("corpus") == chunks
    assert PHRASE in found(client, ada, PHRASE)


def test_too_many_files_at_once_is_a_chinese_422(client: TestClient, ada: dict[str, str]) -> None:
    files = [(f"f{i}.md", OTHER + str(i).encode()) for i in range(21)]
    r = add(client, ada, *files)
    assert r.status_code == 422, r.text
    assert "一次最多上传 20 个文件" in r.json()["detail"]["message"]
    assert listed(client, ada) == []


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_the_time_and_text_limits_of_uploads_apply_and_a_kept_file_is_retried_later(
    client: TestClient, services: Services, ada: dict[str, str]
) -> None:
    from tests.hostile import docx_of_paragraphs

    limit = services.settings.parse_timeout
    services.settings.parse_timeout = 0.001  # no parse can meet it: the worker is stopped
    settings_changed(services)
    slow = add(client, ada, ("会议纪要.docx", docx_of_paragraphs(300))).json()["results"][0]
    assert slow["status"] == "failed" and slow["code"] == "parse_timeout"
    assert slow["reason"].startswith("解析超时")
    services.settings.parse_timeout = limit
    services.settings.max_upload_chars = 1000
    settings_changed(services)
    long = add(client, ada, ("长文.docx", docx_of_paragraphs(2000))).json()["results"][0]
    assert long["code"] == "too_much_text" and "拆分成几个文件" in long["reason"]
    services.settings.max_upload_chars = 200_000
    settings_changed(services)

    # Raised limits: the kept file is indexed by 重试, without asking for it again.
    r = client.post(f"{BASE}/documents/{slow['document']['id']}/reindex", headers=ada)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "indexed" and r.json()["document"]["reason"] == ""
    assert services.store.count("corpus") == r.json()["document"]["chunks"]
