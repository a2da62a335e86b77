"""整篇起草 from the page: the whole report drafted part by part with progress and each part's
issues, and a run the user stops keeps the parts already written and saves nothing of the one
being written. The reports are a 调研报告 of a 县民政局, not the 主题教育 example."""

from __future__ import annotations

import contextlib

import pytest

from tests.e2e.conftest import App, login, open_report
from tests.e2e.test_review_page import assert_chinese

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _report(app: App, title: str) -> int:
    sheet = {
        "report": {
            "template": "调研报告",
            "title": title,
            "organization": "桐山县民政局",
            "date": "2025-10-20",
        },
        "facts": [
            {"key": "走访老年人", "value": 320, "unit": "户"},
            {"key": "存在问题", "value": "农村助餐点运营补贴不足，部分站点开而不餐"},
        ],
        "reviewers": ["rita"],
    }
    report: dict[str, object] = app.json("POST", "/reports", json=sheet)
    return int(str(report["id"]))


def _drafted(app: App, rid: int) -> list[str]:
    sections = app.json("GET", f"/reports/{rid}")["sections"]
    return [s["id"] for s in sections if s["current_version"] is not None]


def test_the_whole_report_is_drafted_from_the_page_with_progress(page: Page, app: App) -> None:
    rid = _report(app, "关于桐山县农村居家养老服务的调研报告（整篇起草）")
    login(page, app, "dora")
    open_report(page, rid)
    page.click("button#draft-all")
    step = page.locator("#chat-log .message.assistant").last
    expect(step.locator("progress")).to_be_attached()
    expect(step).to_contain_text("正在起草")
    expect(step).to_contain_text("整篇起草完成", timeout=60_000)
    rows = step.locator(".step-sections li")
    assert rows.count() >= 4
    expect(page.locator("#chat-stop")).to_be_hidden()
    body = [s for s in app.json("GET", f"/reports/{rid}")["sections"] if s["id"] != "title"]
    assert all(s["current_version"] is not None for s in body), [s["id"] for s in body]
    statuses = page.locator("#sections-list .status")
    expect(statuses.filter(has_text="未起草")).to_have_count(0)


def test_a_stopped_run_keeps_the_parts_written(page: Page, app: App) -> None:
    rid = _report(app, "关于桐山县农村居家养老服务的调研报告（中途停止）")
    login(page, app, "dora")
    open_report(page, rid)
    page.click("button#draft-all")
    step = page.locator("#chat-log .message.assistant").last
    expect(step).to_contain_text("正在起草 3/", timeout=60_000)
    expect(page.locator("#chat-stop")).to_be_visible()
    page.click("button#chat-stop")
    expect(page.locator("#chat-log")).to_contain_text("已停止")
    # nothing still says it is being written: the running part is marked stopped, not saved
    expect(step).not_to_contain_text("起草中")
    expect(step).not_to_contain_text("正在起草")
    expect(step.locator(".step-sections li").last).to_contain_text("已停止，未保存")
    assert_chinese(page)
    expect(page.locator("#chat-send")).to_be_enabled()
    done = _drafted(app, rid)
    total = len(app.json("GET", f"/reports/{rid}")["sections"])
    assert 1 <= len(done) < total - 1, done  # the first parts, not the rest
