"""The outline in the page: each fact's section and reason shown, a fact moved and a heading
renamed by the drafter, saved, and followed by the report."""

from __future__ import annotations

import contextlib

import pytest

from tests.e2e.conftest import App, login, open_report, shot

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

FACTS = [
    {"key": "常委会议", "value": 9, "unit": "次"},
    {"key": "存在问题", "value": "推进不平衡"},
    {"key": "受理诉求", "value": 318, "unit": "件"},
]


def test_the_drafter_moves_a_fact_and_renames_a_heading(page: Page, app: App) -> None:
    rid = app.create_report("柳河区委关于2025年基层治理工作情况的汇报", FACTS)["id"]
    login(page, app, "dora")
    open_report(page, rid)
    panel = page.locator("#outline-panel")
    panel.locator("summary").click()
    select = panel.locator('select[data-fact="受理诉求"]')
    expect(select).to_be_visible()
    assert select.input_value() != "work_1"
    expect(panel.locator("tbody")).to_contain_text("问题、不足类")  # the reason is shown
    select.select_option("work_1")
    heading = panel.locator("input#outline-heading-work_3")
    heading.fill("注重实际成效，推动治理效能持续提升")
    panel.locator("button#save-outline").click()
    expect(page.locator("#outline-status")).to_contain_text("提纲已保存")
    expect(page.locator("#outline-edited")).to_contain_text("已按您的修改")
    expect(page.locator('#sections-list li[data-section-id="work_3"]')).to_contain_text(
        "三、注重实际成效，推动治理效能持续提升"
    )
    shot(page, "outline")
    outline = app.json("GET", f"/reports/{rid}/outline")
    work_1 = next(s for s in outline["sections"] if s["id"] == "work_1")
    assert "受理诉求" in work_1["facts"] and work_1["why"]["受理诉求"] == "用户指定"
