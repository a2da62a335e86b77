"""Five small page defects a new-user walk-through found: fact values cut off, a 主要工作 part added
after 下一步工作打算, 整篇起草 still saying 起草中 after 停止, the review panel showing another
section's outcome, and 停用 offered on one's own account."""

from __future__ import annotations

import contextlib

import pytest

from tests.e2e.conftest import App, login, open_report, open_section
from tests.e2e.test_review_page import TEXTS, setup_report

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

TITLE = "青山县卫生健康局关于2025年卫生健康工作情况的汇报"


def test_fact_values_are_shown_whole(page: Page, app: App) -> None:
    facts = [
        {"key": "主题教育期间召开的县委常委会议", "value": 412000, "unit": "人次"},
        {"key": "医共体", "value": "县域紧密型医共体", "unit": ""},
    ]
    rid = app.create_report(TITLE, facts)["id"]
    login(page, app, "dora")
    open_report(page, rid)
    values = page.locator("#facts-table .fact-value")
    name = page.locator("#facts-table .fact-key").first
    expect(name).to_have_value(facts[0]["key"])
    assert name.evaluate(
        "el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1"
    )
    expect(values.first).to_have_value("412000")
    for i in range(2):
        field = values.nth(i)
        clipped = field.evaluate(
            "el => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1"
        )
        assert not clipped, field.input_value()  # 412000 showed as 41200, the text as 县域紧
        expect(field).to_have_attribute("title", field.input_value())  # the whole value on hover


def test_a_new_body_part_goes_after_the_last_body_part_and_removing_the_last_says_no_shift(
    page: Page, app: App
) -> None:
    rid = app.create_report(TITLE)["id"]
    login(page, app, "dora")
    open_report(page, rid)
    page.locator("#structure-box summary").click()
    parts = page.locator("#structure-list li")
    expect(parts).to_have_count(4)
    last = parts.nth(3).get_attribute("data-part-id")  # 四、正视短板不足，谋划下步工作 (plans)
    page.fill("#structure-heading", "强化作风建设")
    page.select_option("#structure-kind", label="主要工作")  # the place left as it is offered
    page.click("#structure-add-button")
    expect(page.locator("#structure-status")).to_contain_text("已添加“强化作风建设”")
    expect(parts).to_have_count(5)
    expect(parts.nth(3).locator(".part-heading")).to_have_text("四、强化作风建设")
    assert parts.nth(4).get_attribute("data-part-id") == last  # not after 下一步工作打算

    page.on("dialog", lambda d: d.accept())
    parts.nth(4).locator(".part-remove").click()  # the last part: nothing follows it
    expect(page.locator("#structure-status")).to_contain_text("已删除“五、")
    expect(page.locator("#structure-status")).not_to_contain_text("顺延")
    expect(parts).to_have_count(4)
    parts.nth(0).locator(".part-remove").click()  # the first: the others move up
    expect(page.locator("#structure-status")).to_contain_text("其后各部分的序号已顺延")


def test_the_review_outcome_belongs_to_the_section_shown(page: Page, app: App) -> None:
    rid = setup_report(app)
    for sid in TEXTS:
        app.json("POST", f"/reports/{rid}/sections/{sid}/review", json={"action": "submit"})
    login(page, app, "rita")
    open_report(page, rid)
    open_section(page, "problems")
    page.fill("textarea#review-comment", "请写明人员缺口的具体数字。")
    page.click("button#request-changes")
    status = page.locator("#review-status")
    expect(status).to_contain_text("存在的问题：需修改")
    open_section(page, "achievements")  # another section: its panel says nothing of 存在的问题
    expect(page.locator("#review-section")).to_contain_text("主要工作和成效")
    expect(status).to_have_text("")
