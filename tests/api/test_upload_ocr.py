"""Scans and photos uploaded: read by OCR in the parse worker, progress by page, limits as 4xx,
passages that say they are OCR text and from which page."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.reports.access import report_kb
from assistant.services import Services
from assistant.storage.models import AuditEntry, Report, Upload, User
from tests import scans
from tests.api.conftest import login, settings_changed

pytestmark = pytest.mark.skipif(
    not (scans.FONT_DIR / scans.SERIF).exists(), reason="needs fonts-noto-cjk"
)


@pytest.fixture
def report_id(client: TestClient, services: Services) -> int:
    with services.db.session() as s:
        dora = s.scalar(select(User.id).where(User.username == "dora"))
        assert dora is not None
        report = Report(owner_id=dora, template="工作情况汇报", title="dora 的汇报")
        s.add(report)
        s.flush()
        return report.id


def _post(client: TestClient, name: str, data: bytes, report_id: int, **form: str) -> Any:
    return client.post(
        "/api/v1/documents",
        headers=login(client, "dora"),
        data={"report_id": str(report_id), **form},
        files={"file": (name, data, "application/octet-stream")},
    )


def _nothing_stored(services: Services, report_id: int) -> None:
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Upload)) == 0
    assert services.store.count(report_kb(report_id)) == 0


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_scan_is_read_by_ocr_reports_its_pages_and_is_found_as_ocr_text(
    client: TestClient, services: Services, report_id: int
) -> None:
    pages = [image for _, image in scans.pages(150, angle=0.5, stamp=True)]
    pdf = scans.scanned_pdf(pages * 2, 150)
    seen: list[dict[str, Any]] = []
    done = threading.Event()
    headers = login(client, "dora")

    def watch() -> None:
        while not done.is_set():
            r = client.get("/api/v1/documents/progress/scan-0001", headers=headers)
            if r.status_code == 200:
                seen.append(r.json())
            time.sleep(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        r = _post(client, "年度报告扫描件.pdf", pdf, report_id, progress="scan-0001")
    finally:
        done.set()
        watcher.join()
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "pdf" and r.json()["chunks"] >= 2
    assert any(p["pages"] == 2 and p["pages_done"] >= 1 for p in seen), seen
    hits = client.get(
        "/api/v1/search",
        headers=headers,
        params={"q": "保障性租赁住房", "report_id": report_id, "k": 3},
    ).json()
    assert hits and hits[0]["ocr_page"] in (1, 2)
    assert hits[0]["provenance"] == f"upload:年度报告扫描件.pdf#p{hits[0]['ocr_page']}"
    # Nobody else reads another user's progress.
    other = client.get("/api/v1/documents/progress/scan-0001", headers=login(client, "dan"))
    assert other.status_code == 404


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_too_many_pages_is_413_naming_the_limit(
    client: TestClient, services: Services, report_id: int
) -> None:
    services.settings.ocr_max_pages = 2
    settings_changed(services)
    frames = [image for _, image in scans.pages(150)] * 3
    r = _post(client, "三页.tif", scans.tiff(frames, 150), report_id)
    assert r.status_code == 413 and r.json()["code"] == "too_many_pages", r.text
    detail = r.json()["detail"]
    assert detail.startswith("三页.tif: 3 pages") and "ASSISTANT_OCR_MAX_PAGES" in detail
    _nothing_stored(services, report_id)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_ocr_past_its_time_limit_is_422_naming_the_limit(
    client: TestClient, services: Services, report_id: int
) -> None:
    services.settings.ocr_timeout = 0.5
    settings_changed(services)
    frames = [image for _, image in scans.pages(150)] * 3
    r = _post(client, "慢.tiff", scans.tiff(frames, 150), report_id)
    assert r.status_code == 422 and r.json()["code"] == "ocr_timeout", r.text
    detail = r.json()["detail"]
    assert "longer than 0.5 s" in detail and "ASSISTANT_OCR_TIMEOUT" in detail
    _nothing_stored(services, report_id)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_corrupt_or_oversized_image_is_refused(
    client: TestClient, services: Services, report_id: int, settings: Settings
) -> None:
    r = _post(client, "坏.png", b"\x89PNG\r\n\x1a\n" + b"\x07" * 500, report_id)
    assert r.status_code == 422 and "corrupt image" in r.json()["detail"], r.text
    services.settings.ocr_max_megapixels = 0.5
    settings_changed(services)
    _, image = scans.pages(150)[0]
    r = _post(client, "大.jpg", scans.png(image), report_id)  # a PNG named .jpg: read as PNG
    assert r.status_code == 413 and "ASSISTANT_OCR_MAX_MEGAPIXELS" in r.json()["detail"], r.text
    _nothing_stored(services, report_id)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_an_upload_read_by_ocr_says_so_in_the_list_and_its_facts_name_the_page(
    client: TestClient, services: Services, report_id: int
) -> None:
    """A scanned PDF is kind pdf like any other: only ``ocr`` tells the page to mark it (and
    its facts) as text read by OCR; a text file is not marked."""
    rows = [["指标", "单位", "数值"], ["城建投资", "亿元", "286.4"], ["新建道路", "公里", "58.6"]]
    scan = scans.scanned_pdf([scans.table_page(rows, dpi=150, title="主要指标")], 150)
    r = _post(client, "指标扫描件.pdf", scan, report_id)
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "pdf" and r.json()["ocr"] is True
    sources = {f["source"]: f for f in r.json()["proposed_facts"]}
    assert "upload:指标扫描件.pdf#p1!C2" in sources, sorted(sources)
    assert sources["upload:指标扫描件.pdf#p1!C2"]["origin"].startswith("OCR 识别")
    text = _post(client, "纪要.txt", "会议研究了城建投资安排。".encode(), report_id)
    assert text.status_code == 201 and text.json()["ocr"] is False
    listed = client.get(
        "/api/v1/documents", headers=login(client, "dora"), params={"report_id": report_id}
    ).json()
    assert {d["filename"]: d["ocr"] for d in listed} == {"指标扫描件.pdf": True, "纪要.txt": False}
    with services.db.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "upload").order_by(AuditEntry.id)
        ).first()
        assert entry is not None and entry.detail["ocr"] is True
