"""A report's numbered parts changed in the page by its drafter — added, moved, renamed, removed,
the numbers following — and refused in Chinese when someone else changed them first; the
reviewer sees no such controls and no empty 上传材料 panel; dates are typed 年-月-日 whatever
the browser's language."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import pytest

from tests.e2e.conftest import App, login, open_report, shot

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

TITLE = "柳河区应急管理局关于2025年安全生产工作情况的汇报"


def _part(page: Page, n: int, text: str) -> None:
    """The n-th numbered part shows ``text`` (only its start when it ends with …)."""
    heading = page.locator("#structure-list li .part-heading").nth(n)
    if text.endswith("…"):
        expect(heading).to_have_text(re.compile("^" + re.escape(text[:-1])))
    else:
        expect(heading).to_have_text(text)


def test_the_drafter_adds_moves_renames_and_removes_a_part(page: Page, app: App) -> None:
    rid = app.create_report(TITLE, [{"key": "常委会议", "value": 9, "unit": "次"}])["id"]
    login(page, app, "dora")
    open_report(page, rid)
    box = page.locator("#structure-box")
    expect(box).to_be_visible()
    box.locator("summary").click()
    expect(page.locator("#structure-list li")).to_have_count(4)

    page.fill("#structure-heading", "强化作风建设")
    page.select_option("#structure-kind", label="主要工作")
    page.select_option("#structure-position", index=1)  # before the second part
    page.click("#structure-add-button")
    expect(page.locator("#structure-status")).to_contain_text("已添加“强化作风建设”")
    expect(page.locator("#structure-list li")).to_have_count(5)
    _part(page, 1, "二、强化作风建设")
    _part(page, 2, "三、聚焦重点任务…")
    new = page.locator("#structure-list li").nth(1).get_attribute("data-part-id") or ""
    assert new.startswith("added_body_")
    expect(page.locator(f'#sections-list li[data-section-id="{new}"]')).to_contain_text(
        "二、强化作风建设"
    )

    page.locator(f'#structure-list li[data-part-id="{new}"] .part-down').click()
    expect(page.locator("#structure-status")).to_contain_text("已调整顺序")
    _part(page, 2, "三、强化作风建设")
    _part(page, 1, "二、聚焦重点任务…")

    page.locator(f'#structure-list li[data-part-id="{new}"] .part-rename').click()
    page.fill("#structure-list .part-new-heading", "锻造过硬作风")
    page.click("#structure-list .part-save")
    expect(page.locator("#structure-status")).to_contain_text("标题已修改")
    _part(page, 2, "三、锻造过硬作风")
    shot(page, "structure", docs=True, at="#structure-box")

    # Someone else changes the structure meanwhile: the page says so in Chinese and shows it.
    etag = app.json("GET", f"/reports/{rid}/structure")["etag"]
    app.json("POST", f"/reports/{rid}/structure/sections", json={"heading": "甲", "etag": etag})
    page.locator(f'#structure-list li[data-part-id="{new}"] .part-up').click()
    expect(page.locator("#structure-status")).to_contain_text("刚被他人调整过")
    expect(page.locator("#structure-list li")).to_have_count(6)

    page.once("dialog", lambda d: d.accept())
    page.locator(f'#structure-list li[data-part-id="{new}"] .part-remove').click()
    expect(page.locator("#structure-status")).to_contain_text("已删除“三、锻造过硬作风”")
    expect(page.locator(f'#sections-list li[data-section-id="{new}"]')).to_have_count(0)
    _part(page, 2, "三、注重实际成效…")
    entries = app.json("GET", f"/reports/{rid}/audit")
    assert {"section.add", "section.reorder", "section.rename", "section.remove"} <= {
        e["action"] for e in entries
    }


def test_the_reviewer_sees_no_structure_controls_and_no_upload_panel(
    pages: Callable[..., Page], app: App
) -> None:
    rid = app.create_report(TITLE)["id"]
    page = pages()
    login(page, app, "rita")
    open_report(page, rid)
    expect(page.locator("#sections-list li")).to_have_count(9)
    expect(page.locator("#structure-box")).to_be_hidden()
    expect(page.locator("#uploads-panel")).to_be_hidden()
    drafter = pages()
    login(drafter, app, "dora")
    open_report(drafter, rid)
    expect(drafter.locator("#uploads-panel")).to_be_visible()


def test_a_date_is_typed_year_month_day_in_an_english_browser(browser: Browser, app: App) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    try:
        _type_dates(page, app)
    finally:
        context.close()


def _type_dates(page: Page, app: App) -> None:
    login(page, app, "dora")
    page.click("#new-report")
    expect(page.locator("#new-title")).to_be_focused()  # the form is ready (templates read)
    field = page.locator("#new-date")
    expect(field).to_have_attribute("placeholder", "如 2024-08-20")
    field.fill("2024/8/2")
    field.blur()
    expect(field).to_have_value("2024-08-02")
    field.fill("8/20/2024")
    message = field.evaluate("el => el.validationMessage")
    assert "2024-08-20" in message and "年-月-日" in message
    field.fill("2024年8月20日")
    field.blur()
    expect(field).to_have_value("2024-08-20")
    assert field.evaluate("el => el.validity.valid")


def test_the_fact_name_column_is_the_widest(page: Page, app: App) -> None:
    name = "主题教育期间召开的县委常委会议"  # 15 characters, as facts are named
    rid = app.create_report(TITLE, [{"key": name, "value": 12, "unit": "次"}])["id"]
    login(page, app, "dora")
    open_report(page, rid)
    field = page.locator("#facts-table .fact-key").first
    expect(field).to_have_value(name)
    # it was a third, 7 characters of 15; now the name wraps onto a second line, none cut
    clipped = field.evaluate(
        "el => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1"
    )
    assert not clipped
    expect(field).to_have_attribute("title", name)  # and the whole name on hover
