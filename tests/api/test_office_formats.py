"""Uploads of legacy, WPS and OFD files through the API: sniffed, converted, indexed, their
sheets' facts proposed; a hanging conversion is a 422 naming the limit, within it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.config import Settings
from assistant.services import Services
from assistant.storage.models import Report, Upload, User
from tests.api.conftest import login
from tests.legacy import (
    BODY,
    hanging_soffice,
    legacy_doc,
    legacy_ppt,
    legacy_xls,
    locked_doc,
    locked_ppt,
)
from tests.ofd_files import make_ofd


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"convert_timeout": 20.0})


@pytest.fixture
def rid(client: TestClient, services: Services) -> int:
    with services.db.session() as s:
        dora = s.scalars(select(User).where(User.username == "dora")).one()
        report = Report(owner_id=dora.id, template="工作情况汇报", title="dora 的汇报")
        s.add(report)
        s.flush()
        return report.id


def _upload(client: TestClient, rid: int, name: str, data: bytes) -> dict[str, object]:
    r = client.post(
        "/api/v1/documents",
        headers=login(client, "dora"),
        files={"file": (name, data)},
        data={"report_id": str(rid)},
    )
    return {"status": r.status_code, **r.json()}


def _found(client: TestClient, rid: int, phrase: str) -> str:
    r = client.get(
        "/api/v1/search", headers=login(client, "dora"), params={"q": phrase, "report_id": rid}
    )
    return " ".join(hit["text"] for hit in r.json())


@pytest.mark.parametrize("name", ["纪要.doc", "纪要.wps", "改了名字.txt"])
def test_a_word_or_wps_document_is_indexed(client: TestClient, rid: int, name: str) -> None:
    body = _upload(client, rid, name, legacy_doc())
    assert body["status"] == 201, body
    assert body["kind"] == {"纪要.doc": "doc", "纪要.wps": "wps"}.get(name, "doc")
    assert "中心组学习会12次" in _found(client, rid, "中心组学习会")
    assert BODY[:10] in _found(client, rid, BODY[:10])


@pytest.mark.parametrize("name", ["统计.xls", "统计.et"])
def test_a_legacy_sheet_proposes_its_facts(client: TestClient, rid: int, name: str) -> None:
    body = _upload(client, rid, name, legacy_xls())
    assert body["status"] == 201, body
    proposed = body["proposed_facts"]
    assert isinstance(proposed, list)
    facts = {(f["key"], f["value"], f["source"]) for f in proposed}
    assert ("参学党员", 156, f"upload:{name}#指标!B2") in facts


def test_an_ofd_is_indexed(client: TestClient, rid: int) -> None:
    data = make_ofd(["今年全县新建5G基站326个，实现行政村全覆盖。"], title="关于数字乡村建设的报告")
    body = _upload(client, rid, "报告.ofd", data)
    assert body["status"] == 201 and body["kind"] == "ofd", body
    assert "5G基站326个" in _found(client, rid, "5G基站")


def test_a_hanging_conversion_is_422_naming_the_limit(
    client: TestClient,
    services: Services,
    rid: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.settings, "soffice", str(hanging_soffice(tmp_path)))
    monkeypatch.setattr(services.settings, "convert_timeout", 1.0)
    started = time.monotonic()
    body = _upload(client, rid, "卡住.doc", legacy_doc())
    assert body["status"] == 422 and body["code"] == "convert_timeout", body  # the page: 转换超时
    assert body["detail"] == (
        "卡住.doc: converting the .doc file took longer than 1 s (the limit) and was stopped"
    )
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name", ["加密的纪要.wps", "加密的汇报.dps", "Report 2024.ppt"])
def test_a_password_protected_file_is_a_422_in_chinese_naming_it(
    client: TestClient, services: Services, rid: int, name: str
) -> None:
    data = locked_doc() if name.endswith(".wps") else locked_ppt(legacy_ppt())
    r = client.post(
        "/api/v1/documents",
        headers=login(client, "dora"),
        files={"file": (name, data)},
        data={"report_id": str(rid)},
    )
    assert r.status_code == 422 and r.json()["code"] == "encrypted", r.text
    assert r.json()["detail"] == (
        f"“{name}”设有打开密码（已加密），读不出其中的文字。"
        "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件。"
    )
    with services.db.session() as s:
        assert s.scalars(select(Upload)).all() == []
