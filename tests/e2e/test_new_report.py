"""The new-report form offers the reviewers who exist, and a report without one is not created
unawares: it could never be exported as a 正式稿."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.e2e.conftest import App, login

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page


def test_the_form_offers_reviewers_and_warns_when_none_is_chosen(page: Page, app: App) -> None:
    login(page, app, "dora")
    page.click("button#new-report")
    offered = page.locator("#new-reviewers input[type=checkbox]")
    expect(offered.first).to_be_attached()
    values = offered.evaluate_all("xs => xs.map(x => x.value)")
    assert "rita" in values and "dora" not in values  # the admin may review too; no drafter
    page.select_option("select#new-template", index=0)
    page.fill("input#new-title", "无审核人的报告")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("button#create-report")
    expect(page.locator("form#new-report-form")).to_be_visible()
    assert asked and "审核人" in asked[0]
    assert not [r for r in app.json("GET", "/reports") if r["title"] == "无审核人的报告"]
