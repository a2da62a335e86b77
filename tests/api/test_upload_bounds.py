"""Uploads and Word imports of hostile files are refused within bounds, naming file and limit."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.reports.access import report_kb
from assistant.services import Services
from assistant.storage.models import Report, Upload, User
from tests.api.conftest import login, settings_changed
from tests.hostile import docx_of_paragraphs, docx_of_xml_size, xlsx_of_shared_strings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The limits scaled down with the files: the mechanism is the one at full size.
    return settings.model_copy(
        update={"max_part_mb": 1.0, "max_shared_strings": 1000, "max_upload_chars": 20_000}
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


def _upload(client: TestClient, name: str, data: bytes, report_id: int) -> tuple[int, str, float]:
    started = time.perf_counter()
    r = client.post(
        "/api/v1/documents",
        headers=login(client, "dora"),
        data={"report_id": str(report_id)},
        files={"file": (name, data, "application/octet-stream")},
    )
    return r.status_code, str(r.json().get("detail", "")), time.perf_counter() - started


def _nothing_stored(services: Services, report_id: int) -> None:
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Upload)) == 0
    assert services.store.count(report_kb(report_id)) == 0


def test_a_docx_expanding_past_the_part_limit_is_413(
    client: TestClient, services: Services, report_id: int
) -> None:
    status, detail, seconds = _upload(client, "纪要.docx", docx_of_xml_size(3), report_id)
    assert status == 413, detail
    assert detail.startswith("纪要.docx: ") and "limit of 1 MB per part" in detail
    assert seconds < 10
    _nothing_stored(services, report_id)


def test_a_workbook_of_too_many_shared_strings_is_413(
    client: TestClient, services: Services, report_id: int
) -> None:
    status, detail, _ = _upload(client, "统计.xlsx", xlsx_of_shared_strings(5000), report_id)
    assert status == 413, detail
    assert detail.startswith("统计.xlsx: ") and "over the limit of 1,000" in detail
    _nothing_stored(services, report_id)


def test_text_over_the_limit_stops_the_parse_with_422(
    client: TestClient, services: Services, report_id: int
) -> None:
    status, detail, _ = _upload(client, "长文.docx", docx_of_paragraphs(5000), report_id)
    assert status == 422, detail
    assert "长文.docx" in detail and "over the limit of 20,000" in detail
    assert "ASSISTANT_MAX_UPLOAD_CHARS" in detail
    _nothing_stored(services, report_id)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_parse_past_the_time_limit_is_422(
    settings: Settings, services: Services, client: TestClient, report_id: int
) -> None:
    # The same app, with a time limit no parse can meet: the worker is stopped and says so.
    services.settings.parse_timeout = 0.001
    settings_changed(services)
    status, detail, _ = _upload(client, "纪要.docx", docx_of_paragraphs(2000), report_id)
    assert status == 422, detail
    assert detail.startswith("纪要.docx: ") and "longer than 0.001 s" in detail
    _nothing_stored(services, report_id)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_word_import_is_parsed_within_the_same_part_limit(
    client: TestClient, report_id: int
) -> None:
    r = client.post(
        f"/api/v1/reports/{report_id}/import.docx",
        headers=login(client, "dora"),
        files={"file": ("报告.docx", docx_of_xml_size(60), "application/octet-stream")},
    )
    assert r.status_code in (413, 422), r.text
    assert "word/document.xml" in r.json()["detail"] and "per part" in r.json()["detail"]
