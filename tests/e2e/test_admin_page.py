"""The 管理 screen (issue 15, items 2 and 9): an admin adds a reviewer, changes a role, disables
the user (whose login ends at once), resets a password, is refused in Chinese when disabling
themself, and finds every act in the audit log with its filters; a drafter sees no 管理 and
changes their own password in the 修改密码 dialog."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORDS, App, login, shot

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

ADMIN = "guanli15"
ENGLISH = re.compile(r"[A-Za-z]{4,}")  # a word of English in a message meant for the user


@pytest.fixture
def admin(app: App, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(PASSWORDS, ADMIN, "guanli-e2e-password")
    if ADMIN not in {p.username for p, _, _ in app.services.accounts.list()}:
        app.services.accounts.add(ADMIN, PASSWORDS[ADMIN], "admin")
    return ADMIN


def token(app: App, name: str, password: str) -> str | None:
    r = app.client.post("/api/v1/auth/login", json={"username": name, "password": password})
    return str(r.json()["access_token"]) if r.status_code == 200 else None


def signed_in(app: App, bearer: str) -> bool:
    r = app.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {bearer}"})
    return r.status_code == 200


def chinese(text: str, *names: str) -> None:
    """A message in Chinese: no English word in it but the user names it quotes."""
    assert text.strip(), "no message shown"
    for name in names:
        text = text.replace(name, "")
    assert not ENGLISH.search(text), f"English in the page: {text!r}"


def test_an_admin_manages_users_and_reads_the_audit_log(page: Page, app: App, admin: str) -> None:
    # more than a page of history, whichever tests ran before
    rid = app.create_report("审计日志翻页用报告")["id"]
    for n in range(21):
        facts = [{"key": "常委会议", "value": n + 1, "unit": "次"}]
        app.json("PUT", f"/reports/{rid}/facts", json={"facts": facts})
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    login(page, app, admin)
    expect(page.locator("#open-admin")).to_be_visible()
    page.click("#open-admin")
    expect(page.locator("#admin-screen")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/admin$"))
    users = page.locator("#users-table tbody")
    expect(users.locator('tr[data-username="dora"]')).to_contain_text("dora")

    # add a reviewer
    page.fill("#user-name", "xiaowang")
    page.fill("#user-password", "xiaowang-first-pass")
    page.select_option("#user-role", "reviewer")
    page.click("#user-add")
    expect(page.locator("#users-status")).to_contain_text("已添加审核人 xiaowang")
    row = users.locator('tr[data-username="xiaowang"]')
    expect(row.locator("select.user-role")).to_have_value("reviewer")
    assert token(app, "xiaowang", "xiaowang-first-pass") is not None

    # the same name again: refused, in Chinese
    page.fill("#user-name", "xiaowang")
    page.fill("#user-password", "xiaowang-first-pass")
    page.click("#user-add")
    expect(page.locator("#users-error")).to_contain_text("已存在")
    chinese(page.locator("#users-error").inner_text(), "xiaowang")

    # change the role
    row.locator("select.user-role").select_option("drafter")
    expect(page.locator("#users-status")).to_contain_text("已将 xiaowang 的角色改为起草人")
    bearer = token(app, "xiaowang", "xiaowang-first-pass")
    assert bearer is not None
    me = app.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {bearer}"})
    assert me.json()["role"] == "drafter"

    # disable: confirmed first, the user's login ends at once
    row.locator("button.toggle-user").click()
    expect(row.locator(".user-state")).to_have_text("已停用")
    assert asked and "xiaowang" in asked[-1]
    assert not signed_in(app, bearer)
    assert token(app, "xiaowang", "xiaowang-first-pass") is None
    expect(row.locator("button.toggle-user")).to_have_text("启用")

    # reset the password in its dialog, then enable again: the new password works
    row.locator("button.reset-password").click()
    expect(page.locator("#reset-dialog")).to_be_visible()
    page.fill("#reset-new", "xiaowang-second-pass")
    page.click("#reset-save")
    expect(page.locator("#reset-dialog")).to_be_hidden()
    expect(page.locator("#users-status")).to_contain_text("已重置 xiaowang 的密码")
    row.locator("button.toggle-user").click()
    expect(row.locator(".user-state")).to_have_text("启用")
    assert token(app, "xiaowang", "xiaowang-second-pass") is not None

    # disabling oneself is not offered (the server would refuse): the button says why, in Chinese
    own = users.locator(f'tr[data-username="{admin}"] button.toggle-user')
    expect(own).to_be_disabled()
    expect(own).to_have_attribute("title", re.compile("不能停用自己的账户"))
    chinese(own.get_attribute("title") or "")
    expect(users.locator('tr[data-username="xiaowang"] button.toggle-user')).to_be_enabled()
    expect(users.locator(f'tr[data-username="{admin}"] .user-state')).to_have_text("启用")

    # the audit log: the user administration acts, newest first, filtered by this admin
    page.select_option("#audit-action", "user.")
    page.select_option("#audit-user", label=admin)
    page.click("#audit-search")
    log = page.locator("#audit-table tbody")
    expect(page.locator("#audit-page")).to_contain_text("共 5 条")
    expect(log.locator("tr").first).to_contain_text("启用用户")
    texts = [t for t in log.locator("tr").all_inner_texts() if "xiaowang" in t]
    acts = [
        next(a for a in ("添加用户", "修改角色", "停用用户", "启用用户", "重置密码") if a in t)
        for t in texts
    ]
    assert acts == ["启用用户", "重置密码", "停用用户", "修改角色", "添加用户"], texts
    assert any("审核人 → 起草人" in t for t in texts)
    shot(page, "admin", docs=True, at="top")

    # one action only; then a date range that holds nothing
    page.select_option("#audit-action", "user.disable")
    page.click("#audit-search")
    expect(page.locator("#audit-page")).to_contain_text("共 1 条")
    expect(log.locator("tr")).to_have_count(1)
    page.fill("#audit-until", "2020-01-01")
    page.click("#audit-search")
    expect(log).to_contain_text("没有符合条件的记录")

    # paging: everything, 20 a page
    page.select_option("#audit-action", "")
    page.select_option("#audit-user", "")
    page.fill("#audit-until", "")
    page.click("#audit-search")
    expect(log.locator("tr")).to_have_count(20)  # the answer is in
    found = re.search(r"共 (\d+) 条", page.locator("#audit-page").inner_text())
    assert found is not None and int(found.group(1)) > 20
    expect(page.locator("#audit-prev")).to_be_disabled()
    first_page = log.locator("tr").first.inner_text()
    page.click("#audit-next")
    expect(page.locator("#audit-page")).to_contain_text("第 2 /")
    assert log.locator("tr").first.inner_text() != first_page
    page.click("#audit-prev")
    expect(page.locator("#audit-page")).to_contain_text("第 1 /")


def test_a_drafter_has_no_admin_area_and_changes_their_own_password(
    page: Page, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "xiaoli15"
    monkeypatch.setitem(PASSWORDS, name, "xiaoli-first-pass")
    if name not in {p.username for p, _, _ in app.services.accounts.list()}:
        app.services.accounts.add(name, PASSWORDS[name], "drafter")
    other_device = token(app, name, PASSWORDS[name])
    assert other_device is not None

    login(page, app, name)
    expect(page.locator("#list-screen")).to_be_visible()
    expect(page.locator("#open-admin")).to_be_hidden()
    page.goto(app.url + "/#/admin")
    expect(page.locator("#list-screen")).to_be_visible()
    expect(page.locator("#admin-screen")).to_be_hidden()

    page.click("#change-password")
    expect(page.locator("#password-dialog")).to_be_visible()
    page.fill("#pw-old", "not-my-password")
    page.fill("#pw-new", "xiaoli-second-pass")
    page.fill("#pw-again", "xiaoli-second-pass")
    page.click("#pw-save")
    expect(page.locator("#pw-error")).to_contain_text("原密码不正确")
    chinese(page.locator("#pw-error").inner_text())
    page.fill("#pw-old", PASSWORDS[name])
    page.fill("#pw-again", "xiaoli-other-pass")
    page.click("#pw-save")
    expect(page.locator("#pw-error")).to_contain_text("两次输入的新密码不一致")
    page.fill("#pw-again", "xiaoli-second-pass")
    page.click("#pw-save")
    expect(page.locator("#password-dialog")).to_be_hidden()
    expect(page.locator("#password-done")).to_contain_text("密码已修改")

    assert not signed_in(app, other_device)  # the other device is signed out
    assert token(app, name, "xiaoli-second-pass") is not None
    assert token(app, name, "xiaoli-first-pass") is None
    page.reload()
    expect(page.locator("#whoami")).to_contain_text(name)  # this page stays signed in
