"""The chat in the page: a whole-report draft asked in one message shows its plan, per-step
headers, progress and a button per drafted section that opens its version; a question about a
fact is answered from the fact sheet; the conversation is there again after a reload; Enter
sends, Shift+Enter breaks the line, Ctrl+Enter still sends and Enter inside an IME composition
does nothing. Then the other steps' results: proposed facts confirmed from the chat, the
checker's issues, and a section named once with its number."""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.e2e.conftest import INVENTED, App, login, open_report, shot

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

FACTS = [{"key": "常委会议", "value": 9, "unit": "次"}]
DRAFT_ALL = "整篇帮我起草"
QUESTION = "开了几次常委会议？"
WHOLE = 30_000  # the whole report at the scripted LLM's pace takes a few seconds

# Enter while an IME composes picks a candidate: dispatched as the browser would, it must neither
# send nor be cancelled (the textarea keeps it).
IME_ENTER = """() => {
    const el = document.querySelector('#chat-input');
    const e = new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', isComposing: true,
                                            bubbles: true, cancelable: true});
    return el.dispatchEvent(e);
}"""


STREAMING = re.compile(r"\bstreaming\b")
ERROR = re.compile(r"\berror\b")


def replies(page: Page) -> Locator:
    return page.locator("#chat-log .message.assistant")


def wait_reply(page: Page, timeout: int = WHOLE) -> None:
    expect(page.locator("#chat-log .message.assistant.streaming")).to_have_count(0, timeout=timeout)


def test_chat_drafts_answers_keeps_history_and_sends_on_enter(page: Page, app: App) -> None:
    rid = app.create_report("青川县委关于对话起草的工作情况汇报", FACTS)["id"]
    sections = [s["id"] for s in app.json("GET", f"/reports/{rid}")["sections"]]
    login(page, app, "dora")
    open_report(page, rid)
    expect(page.locator("#chat-log .message")).to_have_count(0)  # a new report: no history

    # -- the whole report in one message: plan, step header, progress, a button per section ---
    page.fill("textarea#chat-input", DRAFT_ALL)
    page.click("button#chat-send")
    expect(page.locator("#chat-log .message.user").last).to_have_text(DRAFT_ALL)
    reply = replies(page).last
    step = reply.locator('.step[data-action="draft_all"]')
    expect(step.locator(".step-head")).to_have_text("整篇起草")
    expect(reply).to_have_class(STREAMING)
    expect(step.locator(".step-progress")).to_contain_text("正在起草")
    expect(step.locator("progress")).to_be_attached()
    wait_reply(page)
    expect(reply).not_to_have_class(ERROR)
    expect(step.locator(".step-progress")).to_contain_text("整篇起草完成")
    rows = step.locator(".step-sections li")
    expect(rows).to_have_count(len(sections))
    buttons = step.locator("button.open-version")
    expect(buttons.first).to_be_visible()
    assert buttons.count() >= 1
    expect(step.locator('button.open-version[data-section="work_1"]')).to_have_text("打开第1版")
    expect(step).to_contain_text("一、加强组织领导")
    # after done: the report is refreshed and the first drafted section's new version is open
    expect(page.locator("#section-editor")).to_be_visible()
    expect(page.locator("#sections-list li.current")).to_have_attribute(
        "data-section-id", sections[0]
    )
    drafted = app.json("GET", f"/reports/{rid}")["sections"]
    assert all(s["current_version"] for s in drafted), [s["id"] for s in drafted]
    for li in page.locator("#sections-list li .status").all():
        expect(li).not_to_have_text("未起草")
    step.locator('button.open-version[data-section="work_1"]').click()
    expect(page.locator("#section-heading")).to_contain_text("加强组织领导")
    expect(page.locator("#section-text")).to_contain_text("常委会议9次")
    shot(page, "chat-draft-all", at="#chat-panel")

    # -- a question about a fact: answered from the fact sheet ---------------------------------
    page.fill("textarea#chat-input", QUESTION)
    page.click("button#chat-send")
    expect(replies(page)).to_have_count(2)
    answer = replies(page).last.locator('.step[data-action="answer"]')
    expect(answer.locator(".step-head")).to_have_text("回答")
    wait_reply(page)
    expect(answer.locator(".step-text")).to_contain_text("常委会议：9次")
    expect(replies(page).last).not_to_have_class(ERROR)

    # -- reload, back to the list, reopen: the conversation is there again ---------------------
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#report-title")).to_be_visible()
    page.click("button#back-to-list")
    open_report(page, rid)
    users = page.locator("#chat-log .message.user")
    expect(users).to_have_count(2)
    expect(users.nth(0)).to_have_text(DRAFT_ALL)
    expect(users.nth(1)).to_have_text(QUESTION)
    expect(replies(page)).to_have_count(2)
    expect(replies(page).nth(1)).to_contain_text("常委会议：9次")
    old = replies(page).nth(0).locator('button.open-version[data-section="work_1"]')
    expect(old).to_have_text("打开第1版")
    page.locator("#sections-list li[data-section-id='closing'] button").click()
    expect(page.locator("#section-heading")).not_to_contain_text("加强组织领导")
    old.click()
    expect(page.locator("#section-heading")).to_contain_text("加强组织领导")
    shot(page, "chat-history", at="#chat-panel")

    # -- the keyboard: Shift+Enter breaks the line, Enter inside IME does nothing, Enter sends --
    box = page.locator("textarea#chat-input")
    box.click()
    box.press_sequentially("第一行")
    box.press("Shift+Enter")
    box.press_sequentially("第二行")
    assert box.input_value() == "第一行\n第二行"
    assert page.evaluate(IME_ENTER) is True, "Enter during an IME composition was cancelled"
    assert box.input_value() == "第一行\n第二行"
    expect(users).to_have_count(2)
    box.press("Enter")
    expect(users).to_have_count(3)
    expect(users.last).to_have_text("第一行\n第二行")
    expect(box).to_have_value("")
    wait_reply(page)
    box.fill("还缺哪些数据？")
    box.press("Control+Enter")
    expect(users).to_have_count(4)
    gaps = replies(page).last.locator('.step[data-action="gaps"]')
    expect(gaps.locator(".step-head")).to_have_text("缺少的内容")
    wait_reply(page)


def test_chat_shows_proposed_facts_checks_and_section_labels(page: Page, app: App) -> None:
    rid = app.create_report("青川县委关于对话检查的工作情况汇报", FACTS)["id"]
    app.draft(rid, "work_1")  # one figure from the sheet, one invented (8888)
    login(page, app, "dora")
    open_report(page, rid)
    box = page.locator("textarea#chat-input")

    # -- a figure in the message: proposed, confirmed from the chat, then in the fact sheet ---
    box.fill("今年开了12次中心组学习")
    box.press("Enter")
    facts = replies(page).last.locator('.step[data-action="facts"]')
    expect(facts.locator(".step-head")).to_have_text("识别事实")
    wait_reply(page)
    proposed = facts.locator(".proposed li", has_text="中心组学习")
    expect(proposed).to_contain_text("12次")
    expect(facts).to_contain_text("待确认")
    expect(page.locator("#proposed-facts")).to_contain_text("中心组学习")
    proposed.locator("button.confirm-fact").click()
    expect(proposed).to_contain_text("已确认")
    expect(page.locator('#facts-table tr[data-fact-key="中心组学习"]')).to_be_attached()
    expect(page.locator("#proposed-facts")).not_to_contain_text("中心组学习")

    # -- the whole report checked: the invented figure is listed with its message -------------
    box.fill("把全文检查一遍")
    box.press("Enter")
    check = replies(page).last.locator('.step[data-action="check"]')
    expect(check.locator(".step-head")).to_have_text("检查 · 全文")
    wait_reply(page)
    issues = check.locator(".step-checks .issues li")
    expect(issues.filter(has_text=INVENTED)).not_to_have_count(0)
    expect(issues.first.locator(".sev")).not_to_be_empty()
    shot(page, "chat-check", at="#chat-panel")

    # -- a section named in the header as the page names it: its number once -------------------
    box.fill("检查第二部分")
    box.press("Enter")
    step = replies(page).last.locator('.step[data-action="check"]')
    expect(step.locator(".step-head")).to_have_text("检查 · 二、聚焦重点任务，扎实推进各项工作")
    wait_reply(page)
