"""The Word round trip in the page: a drafter downloads the 讨论稿, edits two sections in Word,
brings the file back, sees per section what it changes, keeps one and drops the other.

The report is a 工作总结 of a 区市场监督管理局, not the 主题教育 example; the file is edited with
python-docx as Word would save it (the export's bookmarks kept).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from docx import Document

from tests.e2e.conftest import App, login, open_report, shot
from tests.e2e.test_review_page import assert_chinese, english

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ADDED_OVERVIEW = "全区市场主体总量达到5.6万户。"
ADDED_BODY = "开展“双随机、一公开”抽查286次。"


def _sheet() -> dict[str, object]:
    return {
        "report": {
            "template": "工作总结",
            "title": "柳河区市场监督管理局2025年工作总结（导入测试）",
            "organization": "柳河区市场监督管理局",
            "date": "2025-12-20",
        },
        "facts": [
            {"key": "受理投诉举报", "value": 9720, "unit": "件"},
            {"key": "查处案件", "value": 412, "unit": "件"},
        ],
        "reviewers": ["rita"],
    }


def _edited(data: bytes) -> bytes:
    doc = Document(io.BytesIO(data))
    body = [p for p in doc.paragraphs if p.text.strip()]
    overview = next(p for p in body if p.style.name == "GW Body")  # the first body paragraph
    overview.add_run(ADDED_OVERVIEW)
    heading = next(p for p in body if p.text.startswith("一、"))
    after = body[body.index(heading) + 1]
    after.add_run(ADDED_BODY)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_drafter_brings_the_edited_word_file_back_and_keeps_one_change(
    page: Page, app: App, tmp_path: Path
) -> None:
    report = app.json("POST", "/reports", json=_sheet())
    rid = report["id"]
    for sid in ("overview", "achievements"):
        app.draft(rid, sid)
    before = {s["id"]: s for s in app.json("GET", f"/reports/{rid}")["sections"]}
    exported = app.call("GET", f"/reports/{rid}/export.docx?draft=1")
    assert exported.status_code == 200, exported.text
    edited = tmp_path / "总结（审改）.docx"
    edited.write_bytes(_edited(exported.content))

    login(page, app, "dora")
    open_report(page, rid)
    page.click("button#open-roundtrip")
    expect(page.locator("#roundtrip")).to_be_visible()
    page.set_input_files("input#roundtrip-file", str(edited))
    result = page.locator("#roundtrip-result")
    expect(result.locator("li.roundtrip-section")).to_have_count(2)
    expect(result).to_contain_text("文件修改了 2 个部分")
    expect(result.locator("ins.add", has_text="286次")).to_have_count(1)
    expect(result.locator("ins.add", has_text="5.6万户")).to_have_count(1)
    assert "@@" not in result.inner_text() and "+++" not in result.inner_text()
    shot(page, "roundtrip-preview")
    assert_chinese(page)
    assert english(result.inner_text().replace("Word", "")) == []
    # nothing is saved by the comparison
    now = {s["id"]: s for s in app.json("GET", f"/reports/{rid}")["sections"]}
    assert now["overview"]["current_version"] == before["overview"]["current_version"]

    page.locator('#roundtrip-result input[value="overview"]').uncheck()
    page.click("button#roundtrip-save")
    status = page.locator("#roundtrip-status")
    expect(status).to_contain_text("已导入")
    expect(status).to_contain_text("未保留")
    assert_chinese(page)
    after = {s["id"]: s for s in app.json("GET", f"/reports/{rid}")["sections"]}
    assert after["overview"]["current_version"] == before["overview"]["current_version"]
    assert after["achievements"]["current_version"]["version"] == (
        before["achievements"]["current_version"]["version"] + 1
    )
    assert ADDED_BODY in after["achievements"]["current_version"]["text"]
    assert ADDED_OVERVIEW not in after["overview"]["current_version"]["text"]


def test_a_reviewer_is_not_offered_the_import(page: Page, app: App) -> None:
    sheet = _sheet()
    sheet["report"] = {**_sheet()["report"], "title": "柳河区市场监督管理局工作总结（审核人视图）"}  # type: ignore[dict-item]
    report = app.json("POST", "/reports", json=sheet)
    login(page, app, "rita")
    open_report(page, report["id"])
    expect(page.locator("#export-draft")).to_be_visible()
    expect(page.locator("button#open-roundtrip")).to_be_hidden()
