"""The API 密钥 area: a key made on the page is shown once, works with the openai client at /v1
for the user's reports, is listed without its secret, and stops working when revoked there."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openai
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import App, login, shot

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page


def test_make_use_list_and_revoke_a_key(page: Page, app: App) -> None:
    report = app.create_report("密钥测试用报告")
    login(page, app, "dora")
    expect(page.locator("#keys-panel")).to_be_visible()
    expect(page.locator("#keys-base")).to_have_text(f"{app.url}/v1")
    page.fill("input#key-name", "Open WebUI 测试")
    page.select_option("select#key-scope", "draft")
    page.select_option("select#key-expiry", "30")
    page.click("button#key-create")
    secret_box = page.locator("#key-secret")
    expect(secret_box).to_contain_text("gwk_")
    key = secret_box.inner_text().strip()
    row = page.locator("#keys-table tbody tr", has_text="Open WebUI 测试")
    expect(row).to_contain_text("读取和起草")
    expect(row).to_contain_text("有效")
    expect(row).to_contain_text(key[:12])
    assert key not in page.locator("#keys-table").inner_text()  # listed without the secret
    shot(page, "api-keys", at="#keys-panel")

    client = openai.OpenAI(base_url=f"{app.url}/v1", api_key=key, max_retries=0, timeout=30)
    assert f"report-{report['id']}" in {m.id for m in client.models.list()}

    page.click("button#key-hide")  # "我已保存": the secret leaves the page
    expect(page.locator("#key-new")).to_be_hidden()
    assert page.locator("#key-secret").inner_text() == ""

    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.locator("button.revoke-key").click()
    expect(row).to_contain_text("已吊销")
    assert asked and "Open WebUI 测试" in asked[0]
    expect(row.locator("button.revoke-key")).to_have_count(0)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
