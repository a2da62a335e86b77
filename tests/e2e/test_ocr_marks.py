"""Text read by OCR is shown as such on the page (issue 19): the uploads list marks a scanned
PDF (kind pdf, like any other) as 识别文字（OCR）, and a fact read from its table, proposed or
confirmed, says which page and cell of the scan it came from; a sheet's fact is not marked, even
from a sheet named like a page. A password-protected upload is refused naming the file."""

from __future__ import annotations

import contextlib
import io

import openpyxl
import pytest

from tests import scans
from tests.e2e.conftest import App, login, open_report
from tests.legacy import legacy_ppt, locked_ppt

pytestmark = [
    pytest.mark.skipif(not (scans.FONT_DIR / scans.SERIF).exists(), reason="needs fonts-noto-cjk"),
    pytest.mark.timeout(300),
]

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect


def _sheet_named_p2() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "p2"
    ws.append(["指标", "数值"])
    ws.append(["参学党员", 156])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(app: App, rid: int, name: str, data: bytes) -> dict[str, object]:
    r = app.call("POST", "/documents", files={"file": (name, data)}, data={"report_id": str(rid)})
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def test_an_upload_and_facts_read_by_ocr_are_marked_on_the_page(app: App, page: Page) -> None:
    rid = app.create_report("关于扫描件识别标注的测试报告")["id"]
    rows = [["指标", "单位", "数值"], ["城建投资", "亿元", "286.4"], ["新建道路", "公里", "58.6"]]
    scan = scans.scanned_pdf([scans.table_page(rows, dpi=150, title="主要指标")], 150)
    scanned = _upload(app, rid, "指标扫描件.pdf", scan)
    assert scanned["ocr"] is True
    sheet = _upload(app, rid, "统计.xlsx", _sheet_named_p2())
    assert sheet["ocr"] is False
    proposed = app.json("GET", f"/reports/{rid}/facts")["proposed"]
    by_source = {f["source"]: f["id"] for f in proposed}
    app.json("POST", f"/reports/{rid}/facts/{by_source['upload:指标扫描件.pdf#p1!C2']}/confirm")

    login(page, app, "dora")
    open_report(page, rid)
    uploads = page.locator("#uploads-list li")
    expect(uploads.filter(has_text="指标扫描件.pdf").locator(".ocr-mark")).to_have_text(
        "识别文字（OCR）：可能有错字，请核对原件"
    )
    expect(uploads.filter(has_text="统计.xlsx")).to_be_visible()
    assert uploads.filter(has_text="统计.xlsx").locator(".ocr-mark").count() == 0
    confirmed = page.locator('#facts-table tbody tr[data-source="upload:指标扫描件.pdf#p1!C2"]')
    expect(confirmed.locator(".ocr-mark")).to_have_text("识别文字（OCR，第1页 C2 格），请核对原件")
    still = page.locator('#proposed-facts li[data-source="upload:指标扫描件.pdf#p1!C3"]')
    expect(still.locator(".ocr-mark")).to_have_text("识别文字（OCR，第1页 C3 格），请核对原件")
    from_sheet = page.locator('#proposed-facts li[data-source="upload:统计.xlsx#p2!B2"]')
    expect(from_sheet).to_be_visible()
    assert from_sheet.locator(".ocr-mark").count() == 0


def test_a_password_protected_upload_is_refused_on_the_page_naming_it(app: App, page: Page) -> None:
    """Through the page's own upload field: the refusal names the file (whatever its letters)
    and says what to do; a detail not in plain Chinese gets the code's own sentence."""
    locked = locked_ppt(legacy_ppt())
    rid = app.create_report("关于加密文件上传的测试报告")["id"]
    login(page, app, "dora")
    open_report(page, rid)
    page.set_input_files(
        "#upload-file",
        files=[
            {"name": "Report 2024.ppt", "mimeType": "application/octet-stream", "buffer": locked}
        ],
    )
    expect(page.locator("#upload-status")).to_have_text(
        "上传失败：“Report 2024.ppt”设有打开密码（已加密），读不出其中的文字。"
        "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件。"
    )
    assert app.json("GET", f"/documents?report_id={rid}") == []
    said = page.evaluate(
        """async () => {
            const { explain } = await import('/static/messages.js');
            return explain(422, "a.ppt: encrypted file", "encrypted");
        }"""
    )
    assert said == (
        "文件设有打开密码（已加密），读不出其中的文字。"
        "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件。"
    )
