"""The checker keeps what it read of a report's uploads between edits (issue 17, item 2), and a
new upload counts at the next check while a deleted one no longer does."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.uploads.service import Uploads
from tests.api.conftest import PASSWORD, login

SHEET = {"report": {"template": "工作情况汇报", "organization": "中共青川县委"}, "facts": []}
MINUTES = "会议纪要：全县共举办专题培训班47期，参训干部3562人次。".encode()
SURVEY = "调研报告：走访企业128家，收集意见建议316条。".encode()


def invented(result: dict[str, Any]) -> list[str]:
    """The figures the check found in no fact and no upload (GR001)."""
    return sorted(i["text"] for i in result["issues"] if i["rule"] == "GR001")


class Report:
    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client, self.h = client, headers
        self.id = client.post("/api/v1/reports", json=SHEET, headers=headers).json()["id"]
        self.n = 0

    def upload(self, name: str, data: bytes) -> int:
        r = self.client.post(
            "/api/v1/documents",
            headers=self.h,
            files={"file": (name, data)},
            data={"report_id": str(self.id)},
        )
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def edit(self, text: str) -> list[str]:
        self.n += 1  # a different text each time: an unchanged one is not checked again
        r = self.client.put(
            f"/api/v1/reports/{self.id}/sections/work_1",
            json={"text": f"{text}（第{self.n}稿）"},
            headers=self.h,
        )
        assert r.status_code == 200, r.text
        return invented(r.json())


TEXT = "全县举办专题培训班47期，参训干部3562人次；走访企业128家。"


def test_edits_read_the_uploads_once_and_see_an_added_and_a_deleted_upload(
    client: TestClient, services: Services
) -> None:
    report = Report(client, login(client, "dora"))
    assert report.edit(TEXT) == ["128家", "3562人次", "47期"]  # no uploads yet
    minutes = report.upload("纪要.txt", MINUTES)
    assert report.edit(TEXT) == ["128家"]  # the new upload counts at once
    reads = services.upload_texts.reads
    assert report.edit(TEXT) == ["128家"]
    assert report.edit(TEXT) == ["128家"]
    assert services.upload_texts.reads == reads, "unchanged uploads were read again"
    report.upload("调研.txt", SURVEY)
    assert report.edit(TEXT) == []
    assert client.delete(f"/api/v1/documents/{minutes}", headers=report.h).status_code == 204
    assert report.edit(TEXT) == ["3562人次", "47期"]  # the deleted upload no longer counts


def test_an_upload_made_by_another_worker_is_seen_too(
    client: TestClient, services: Services
) -> None:
    """The key is read from the database, so an upload this process was never told of (another
    worker's, written straight through the upload service) counts at the next check."""
    report = Report(client, login(client, "dora"))
    report.upload("纪要.txt", MINUTES)
    assert report.edit(TEXT) == ["128家"]
    dora = services.accounts.authenticate("dora", PASSWORD)
    assert dora is not None
    other_worker = Uploads(db=services.db, indexer=services.indexer, max_bytes=10**6)
    target = other_worker.target(dora, report_id=report.id, kb=None)
    other_worker.add(dora, target, data=SURVEY, filename="调研.txt")
    assert report.edit(TEXT) == []
