"""Concurrent changes and redrafts in the page: a save from a stale base says who changed what
and keeps the user's text; a redraft over a hand edit asks in a dialog first; an earlier version
is restored with one button."""

from __future__ import annotations

import contextlib

import pytest

from tests.e2e.conftest import App, login, open_report, open_section

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Dialog, Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SECTION = "work_1"
FIRST = "县委召开常委会议9次。"
THEIRS = "县委召开常委会议9次，研究部署主题教育。"
MINE = "县委召开常委会议9次，逐项抓好落实。"


def _report(app: App, title: str) -> int:
    rid = int(app.create_report(title, [{"key": "常委会议", "value": 9, "unit": "次"}])["id"])
    app.json("PUT", f"/reports/{rid}/sections/{SECTION}", json={"text": FIRST})
    return rid


def test_a_save_from_a_stale_base_keeps_the_text_and_shows_the_latest(app: App, page: Page) -> None:
    rid = _report(app, "并发修改测试报告")
    login(page, app, "dora")
    open_report(page, rid)
    open_section(page, SECTION)
    expect(page.locator("#section-text")).to_contain_text(FIRST)
    # Someone else saves while dora is typing.
    app.json("PUT", f"/reports/{rid}/sections/{SECTION}", json={"text": THEIRS, "base_version": 1})
    edit = page.locator("textarea#section-edit")
    edit.fill(MINE)
    page.click("button#save-section")
    status = page.locator("#section-status")
    expect(status).to_contain_text("该部分已被他人修改（当前第2版），请刷新后再改")
    expect(status).to_contain_text("未丢失")
    assert edit.input_value() == MINE
    page.click("button.show-latest")
    expect(page.locator("#section-text")).to_contain_text(THEIRS)
    expect(status).to_contain_text("第 2 版")
    assert edit.input_value() == MINE  # still hers, now based on version 2
    page.click("button#save-section")
    expect(status).to_contain_text("已保存为第 3 版")
    expect(page.locator("#section-text")).to_contain_text(MINE)


def test_a_redraft_over_a_hand_edit_asks_and_a_version_is_restored(app: App, page: Page) -> None:
    rid = _report(app, "重写确认测试报告")
    login(page, app, "dora")
    open_report(page, rid)
    open_section(page, SECTION)
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("button#draft-section")
    status = page.locator("#section-status")
    expect(status).to_contain_text("已取消重新起草")
    assert "人工修改" in asked[0] and "确定重新起草吗" in asked[0]
    expect(page.locator("#section-text")).to_contain_text(FIRST)
    assert len(app.json("GET", f"/reports/{rid}/sections/{SECTION}/versions")) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button#draft-section")
    expect(status).to_contain_text("已起草第 2 版")
    versions = page.locator("#versions-list li[data-version-id]")
    expect(versions).to_have_count(2)
    # The first version back, as version 3; the current one has no restore button.
    expect(versions.first.locator("button.restore-version")).to_have_count(0)
    versions.last.locator("button.restore-version").click()
    expect(status).to_contain_text("已把第 1 版恢复为第 3 版")
    expect(page.locator("#section-text")).to_have_text(FIRST)
    expect(page.locator("#engine-label")).to_contain_text("恢复第1版")
    expect(versions).to_have_count(3)
