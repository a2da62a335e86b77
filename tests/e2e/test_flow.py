"""The staff's whole flow in a real browser (issue 7): log in; create a report from a template;
upload an .xlsx of facts and confirm them; ask the chat 起草第一部分 and watch the draft stream in;
see the invented number marked; correct it; submit; log in as the reviewer; approve; export;
open the downloaded .docx and read it.

Only the first section goes through the page end to end. A final export needs every section
approved, so the test drafts and submits the other sections through the API as dora, and rita
approves them through the API before she opens the report.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from tests.e2e.conftest import INVENTED, MODEL, App, login, open_report, open_section, shot

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SECTION = "work_1"
TITLE = "中共青川县委关于2024年主题教育工作情况的汇报"


def facts_xlsx(path: Path) -> Path:
    """A key/value sheet: 常委会议 9 次, 参学党员 3560 名."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "主要数据"
    sheet.append(["项目", "数值", "单位"])
    sheet.append(["常委会议", 9, "次"])
    sheet.append(["参学党员", 3560, "名"])
    book.save(path)
    return path


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


# The DOM contract of the report view, present once each as soon as a report is open.
REPORT_VIEW = [
    "#report-title",
    "#facts-panel",
    "#uploads-panel",
    "#chat-panel",
    "#sections-panel",
    "#review-panel",
    "table#facts-table",
    "button#add-fact",
    "button#save-facts",
    "#proposed-facts",
    "input#upload-file",
    "progress#upload-progress",
    "#upload-status",
    "#uploads-list",
    "form#chat-form",
    "textarea#chat-input",
    "button#chat-send",
    "#chat-log",
    "#sections-list",
    "#section-editor",
    "#section-heading",
    "#engine-label",
    "#section-text",
    "#citation-source",
    "textarea#section-edit",
    "button#save-section",
    "button#draft-section",
    "#versions-list",
    "textarea#review-comment",
    "textarea#override-reason",
    "button#submit-section",
    "button#approve-section",
    "button#request-changes",
    "#review-status",
    "a#export-docx",
    "#export-reason",
    "a#export-draft",
    "button#logout",
    "#whoami",
]


def status_of(app: App, rid: int, sid: str) -> str:
    report = app.json("GET", f"/reports/{rid}", "rita")
    return str(next(s["status"] for s in report["sections"] if s["id"] == sid))


WATCH_CHAT = """() => {
    // Samples of the newest assistant message while it streams: [ms, streaming?, length].
    window.__chat = [];
    const log = document.querySelector('#chat-log');
    const sample = () => {
        const all = log.querySelectorAll('.message.assistant');
        const last = all[all.length - 1];
        if (last) window.__chat.push(
            [performance.now(), last.classList.contains('streaming'), last.textContent.length]);
    };
    new MutationObserver(sample).observe(
        log, {childList: true, subtree: true, characterData: true, attributes: true});
}"""


def test_draft_correct_review_and_export(page: Page, app: App, tmp_path: Path) -> None:
    title = TITLE  # the only report of this name in the session's app

    # -- log in (a wrong password first: the form says so) ----------------------------------
    page.goto(app.url + "/", wait_until="domcontentloaded")
    expect(page.locator("form#login-form")).to_be_visible()
    shot(page, "login", docs=True)
    page.fill("input#login-username", "dora")
    page.fill("input#login-password", "not-the-password")
    page.click("button#login-submit")
    expect(page.locator("#login-error")).not_to_be_empty()
    expect(page.locator("#whoami")).not_to_be_visible()
    shot(page, "login-error")
    login(page, app, "dora")
    expect(page.locator("button#logout")).to_be_visible()

    # -- a new report from the 工作情况汇报 template, with rita as reviewer --------------------
    page.click("button#new-report")
    form = page.locator("form#new-report-form")
    expect(form).to_be_visible()
    options = page.locator("select#new-template option")
    expect(options.first).to_be_attached()
    values = options.evaluate_all("os => os.map(o => [o.value, o.textContent])")
    chosen = [value for value, text in values if "工作情况汇报" in (value + text)]
    assert chosen, f"no 工作情况汇报 among the templates offered: {values}"
    page.select_option("select#new-template", chosen[0])
    page.fill("input#new-title", title)
    page.fill("input#new-organization", "中共青川县委")
    page.fill("input#new-recipient", "市委第二巡回指导组")
    page.fill("input#new-period", "2024年4月以来")
    page.fill("input#new-date", "2024-08-20")
    page.check("#new-reviewers input[value=rita]")
    page.click("button#create-report")
    expect(page.locator("#report-title")).to_contain_text(title)
    for panel in ("facts", "uploads", "chat", "sections", "review"):
        expect(page.locator(f"#{panel}-panel")).to_be_visible()
    missing = [sel for sel in REPORT_VIEW if page.locator(sel).count() != 1]
    assert not missing, f"the report view lacks: {missing}"
    report = app.report_by_title(title)
    rid = report["id"]
    assert report["template"] == "工作情况汇报" and report["reviewers"] == ["rita"]
    assert report["meta"]["date"] == "2024-08-20"
    assert report["facts"] == []

    # -- upload an .xlsx of facts; confirm what it proposes ------------------------------------
    xlsx = facts_xlsx(tmp_path / "主要数据.xlsx")
    expect(page.locator("progress#upload-progress")).to_be_attached()
    page.set_input_files("input#upload-file", str(xlsx))
    expect(page.locator("#uploads-list")).to_contain_text("主要数据.xlsx")
    expect(page.locator("#upload-status")).to_contain_text("主要数据.xlsx")
    assert page.locator("progress#upload-progress").evaluate("p => p.value") == 100
    proposed = page.locator("#proposed-facts li[data-fact-id]")
    expect(proposed).to_have_count(2)
    expect(page.locator("#proposed-facts")).to_contain_text("常委会议")
    expect(page.locator("#proposed-facts")).to_contain_text("3560")
    for left in (2, 1):  # the list is redrawn after each decision
        expect(proposed).to_have_count(left)
        proposed.first.locator("button.confirm-fact").click()
    expect(proposed).to_have_count(0)
    rows = page.locator("table#facts-table tr[data-fact-key]")
    expect(rows).to_have_count(2)
    row = page.locator('table#facts-table tr[data-fact-key="常委会议"]')
    expect(row.locator(".fact-value")).to_have_value("9")
    expect(row.locator("input.fact-unit")).to_have_value("次")
    row = page.locator('table#facts-table tr[data-fact-key="参学党员"]')
    expect(row.locator(".fact-value")).to_have_value("3560")
    confirmed = app.json("GET", f"/reports/{rid}/facts")["confirmed"]
    assert [(f["key"], f["value"], f["unit"]) for f in confirmed] == [
        ("常委会议", 9, "次"),
        ("参学党员", 3560, "名"),
    ]
    shot(page, "report", docs=True, at="top")

    # -- ask the chat to draft the first part; watch it stream in -----------------------------
    page.evaluate(WATCH_CHAT)
    page.fill("textarea#chat-input", "起草第一部分")
    page.click("button#chat-send")
    expect(page.locator("#chat-log .message.user").last).to_have_text("起草第一部分")
    streaming = page.locator("#chat-log .message.assistant.streaming")
    expect(streaming).to_have_count(1)
    expect(streaming).to_have_count(0, timeout=30_000)
    reply = page.locator("#chat-log .message.assistant").last
    expect(reply).to_contain_text("常委会议9次")
    samples: list[list[Any]] = page.evaluate("window.__chat")
    growing = sorted({n for _, on, n in samples if on and n > 0})
    assert len(growing) >= 3, f"the reply did not grow while streaming: {samples[:40]}"
    assert samples[-1][1] is False, "the reply still says it is streaming"

    # -- the section: the invented number is marked, the fact's is traced ---------------------
    item = page.locator(f'#sections-list li[data-section-id="{SECTION}"]')
    expect(item.locator(".status")).not_to_be_empty()
    open_section(page, SECTION)
    editor = page.locator("#section-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#section-heading")).to_contain_text("加强组织领导")
    expect(page.locator("#engine-label")).to_contain_text(MODEL)
    text = page.locator("#section-text")
    expect(text.locator("span.num-bad")).to_have_count(1)
    expect(text.locator("span.num-bad")).to_contain_text(INVENTED)
    expect(text.locator("span.num-ok", has_text="9")).not_to_have_count(0)
    citation = text.locator("span.citation").first
    expect(citation).to_be_visible()
    citation.click()
    expect(page.locator("#citation-source")).to_contain_text("常委会议")
    shot(page, "editor", docs=True, at="#section-editor")

    # -- correct it in the editor and save: a new version, nothing unsupported ----------------
    edit = page.locator("textarea#section-edit")
    draft_text = edit.input_value()
    assert f"{INVENTED}名" in draft_text, draft_text
    edit.fill(draft_text.replace(f"{INVENTED}名", "3560名"))
    page.click("button#save-section")
    expect(text).to_contain_text("3560")
    expect(text.locator("span.num-bad")).to_have_count(0)
    expect(text.locator("span.num-ok", has_text="3560")).to_have_count(1)
    expect(text).not_to_contain_text(INVENTED)
    versions = page.locator("#versions-list li[data-version-id]")
    expect(versions).to_have_count(2)
    # The change as people read it: the figure struck through and the new one inserted.
    diff = versions.first.locator("details.changes")
    expect(diff).to_be_attached()
    assert "3560" in "".join(diff.locator(".changes-text ins.add").all_text_contents())
    assert INVENTED in "".join(diff.locator(".changes-text del.del").all_text_contents())
    assert "@@" not in diff.text_content() and "+++" not in diff.text_content()

    # -- the rest of the report through the API; then submit the first part in the page ------
    for section in report["sections"]:
        if section["id"] != SECTION:
            app.draft(rid, section["id"])
            app.review(rid, section["id"], "submit", "dora")
    export = page.locator("a#export-docx")
    expect(export).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#export-reason")).not_to_be_empty()
    # each part not yet approved is named in quotation marks (一、… carries its own 、)
    expect(page.locator("#export-reason")).to_contain_text("个部分未批准：“")
    before = item.locator(".status").inner_text()
    page.fill("textarea#review-comment", "已更正参学党员人数，请审核。")
    page.click("button#submit-section")
    expect(page.locator("#review-status")).not_to_be_empty()
    expect(item.locator(".status")).not_to_have_text(before)
    assert status_of(app, rid, SECTION) == "submitted"
    page.click("button#logout")
    expect(page.locator("form#login-form")).to_be_visible()
    expect(page.locator("#whoami")).not_to_be_visible()

    # -- rita: the other sections approved through the API, the first part in the page -------
    for section in report["sections"]:
        if section["id"] != SECTION:
            app.review(rid, section["id"], "approve", "rita")
    login(page, app, "rita")
    open_report(page, rid)
    expect(page.locator("#report-title")).to_contain_text(title)
    expect(export).to_have_attribute("aria-disabled", "true")
    open_section(page, SECTION)
    expect(page.locator("#section-text")).to_contain_text("3560")
    expect(page.locator("#section-text span.num-bad")).to_have_count(0)
    before = item.locator(".status").inner_text()
    page.click("button#approve-section")
    expect(page.locator("#review-status")).not_to_be_empty()
    expect(item.locator(".status")).not_to_have_text(before)
    assert status_of(app, rid, SECTION) == "approved"
    expect(export).not_to_have_attribute("aria-disabled", "true")
    expect(page.locator("#export-reason")).to_be_empty()
    expect(page.locator("a#export-draft")).to_have_attribute(
        "href", f"/api/v1/reports/{rid}/export.docx?draft=1"
    )
    shot(page, "review", docs=True, at="top")

    # -- export: the downloaded Word file says 3560, never 8888 -------------------------------
    with page.expect_download(timeout=30_000) as download:
        export.click()
    saved = tmp_path / "export.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".docx")
    body = docx_text(saved.read_bytes())
    assert "3560" in body and "常委会议9次" in body, body[:500]
    assert INVENTED not in body
    assert "讨论稿" not in body  # the final export, not the draft
    assert "加强组织领导" in body
