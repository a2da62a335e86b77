"""Every screen in Chinese (issue 15): the visible text, button labels, headings, placeholders and
tooltips of the report list, a report (as its drafter and as its reviewer) and the 管理 screen
hold no English word beyond the product and file names users know."""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.e2e.conftest import MODEL, PASSWORDS, App, login, open_report, open_section

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ADMIN = "guanli15s"
# Names a Chinese user knows (products, file types, keys) and the API clients the keys panel
# names; any other Latin word is English. (A key's prefix is URL-safe base64: gwk_-1onXgR…, whose
# '-' once cut the match and left onXgR on the screen as an English word, in one run of many.)
KNOWN = re.compile(
    r"\b(?:Word|WPS|Excel|PDF|OFD|OCR|LLM|API|MCP|Open WebUI|Chatbox|Cherry Studio|Enter|Shift|"
    r"corpus|report|docx?|xlsx?|pptx?|csv|txt|md|png|jpe?g|tiff?|wps|et|dps|ppt|ofd|pdf|"
    r"gwk_[\w\-…]*)"
)
# What the user reads: text, and the words shown on hover or in an empty field.
VISIBLE = """() => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let el = walk.currentNode; el; el = walk.nextNode()) {
    if (!el.offsetParent && el !== document.body) continue;
    for (const a of ["title", "placeholder", "aria-label"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    if (el.tagName === "OPTION") out.push(el.textContent);
  }
  out.push(document.body.innerText);
  return out;
}"""


def english(texts: list[str], names: set[str]) -> list[str]:
    found = []
    for text in texts:
        # users' and models' names are data, not wording (the longest first: one name inside
        # another must not leave a piece of it behind, whatever order a set iterates in)
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, "")
        # Quoted text is the user's own; an address is an address (a URL, or the API path an
        # audit entry of a key's use names: /v1/models).
        bare = KNOWN.sub(
            "", re.sub(r"“[^”]*”|《[^》]*》|https?://\S+|(?<![\w/])/[\w./-]+", "", text)
        )
        # each word with the text around it: a word that shows up once in many runs (wah, wff)
        # must say where it stood
        found += [
            f"{m.group(0)}（…{bare[max(0, m.start() - 16) : m.end() + 16]}…）"
            for m in re.finditer(r"[A-Za-z_]{3,}", bare)
        ]
    return sorted(set(found))


def assert_chinese(page: Page, app: App, where: str) -> None:
    names = {p.username for p, _, _ in app.services.accounts.list()} | {MODEL}
    found = english(page.evaluate(VISIBLE), names)
    assert not found, f"{where}: English words on the screen: {found}"


def test_every_screen_speaks_chinese(page: Page, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PASSWORDS, ADMIN, "guanli-e2e-password")
    if ADMIN not in {p.username for p, _, _ in app.services.accounts.list()}:
        app.services.accounts.add(ADMIN, PASSWORDS[ADMIN], "admin")
    rid = app.create_report(
        "青川县委关于2024年主题教育工作情况的汇报", [{"key": "常委会议", "value": 9, "unit": "次"}]
    )["id"]
    app.draft(rid, "work_1")
    said = app.call("POST", "/chat", json={"report_id": rid, "message": "另外召开专题研讨11次"})
    assert said.status_code == 200, said.text  # a proposed fact, its source a chat message

    page.goto(app.url + "/", wait_until="domcontentloaded")
    expect(page.locator("form#login-form")).to_be_visible()
    assert_chinese(page, app, "login")
    login(page, app, "dora")
    assert_chinese(page, app, "report list")
    page.click("#new-report")
    expect(page.locator("#new-title")).to_be_focused()
    assert_chinese(page, app, "new report form")
    open_report(page, rid)
    open_section(page, "work_1")
    expect(page.locator("#versions-list li")).not_to_have_count(0)
    page.locator("#structure-box summary").click()
    assert_chinese(page, app, "report (drafter)")

    page.click("#logout")
    login(page, app, "rita")
    open_report(page, rid)
    open_section(page, "work_1")
    assert_chinese(page, app, "report (reviewer)")

    page.click("#logout")
    login(page, app, ADMIN)
    page.click("#open-admin")
    expect(page.locator("#audit-table tbody tr")).not_to_have_count(0)
    expect(page.locator("#kb-panel")).to_be_visible()
    assert_chinese(page, app, "管理")
    page.click("#change-password")
    assert_chinese(page, app, "修改密码")

    # The walk-through: after 修改密码 the audit list on the screen shows it at once.
    page.fill("#pw-old", PASSWORDS[ADMIN])
    page.fill("#pw-new", "guanli-e2e-password-2")
    page.fill("#pw-again", "guanli-e2e-password-2")
    page.click("#pw-save")
    expect(page.locator("#password-done")).to_be_visible()
    expect(page.locator("#audit-table tbody tr").first).to_contain_text("修改本人密码")
    app.services.accounts.set_password(ADMIN, PASSWORDS[ADMIN])  # as it was, for a rerun
