"""Review in the page, as the drafter and the reviewer, on a 工作总结 that is not the example: each
sees only the controls their role may use; the reviewer's refusals and comments are in Chinese;
the reviewer returns a section with a comment, the drafter sees it on the section and in the
report's list, fixes the figure, submits everything at once, and the reviewer approves everything
at once. No message the page shows contains English text or a raw status."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import App, login, open_report, open_section, shot

with contextlib.suppress(ImportError):  # else the browser fixture skips (or fails in CI)
    from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

TITLE = "临川区水利局2024年工作总结"
TEXTS = {
    "title": TITLE,
    "overview": "2024年，区水利局围绕防汛保安和水资源管理，各项工作稳步推进。",
    "achievements": "全年完成河道清淤77公里，新建小型水库3座，防汛能力明显提升。",
    "problems": "基层水利站人员偏少，专业技术力量不足。",
    "plans": "2025年继续推进河道治理，加强基层水利队伍建设。",
}
FIXED = TEXTS["achievements"].replace("77公里", "52公里")
COMMENT = "河道清淤77公里在事实表中没有出处，请与统计表核对后修改。"

# Where the page speaks to the user: status lines, alerts, outcomes and comments.
MESSAGES = (
    "[role=status], [role=alert], .error, #review-all-result, #section-comments, "
    "#open-comments, #role-note"
)
# Latin words a Chinese user knows (product names, file extensions) and the users' names (data,
# not wording); any other Latin word is English.
KNOWN = re.compile(r"\b(?:Word|WPS|Excel|PDF|OFD|OCR|LLM|API|csv|docx|xlsx|dora|rita)\b")
RAW = re.compile(r"HTTP|\b(?:40[0-9]|41[0-9]|42[29]|50[0-9])\b")


def english(text: str) -> list[str]:
    """English words or raw statuses in a message (text in “quotes” is the user's own)."""
    bare = KNOWN.sub("", re.sub(r"“[^”]*”", "", text))
    return re.findall(r"[A-Za-z_]{2,}(?:\[\d+\])?", bare) + RAW.findall(bare)


def assert_chinese(page: Page) -> None:
    texts = page.locator(MESSAGES).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.innerText)"
    )
    found = {t: english(t) for t in texts if english(t)}
    assert not found, f"English or raw statuses in the page's messages: {found}"


def setup_report(app: App) -> int:
    sheet = {
        "report": {
            "template": "工作总结",
            "title": TITLE,
            "organization": "临川区水利局",
            "period": "2024年",
            "date": "2024-12-20",
        },
        "facts": [
            {"key": "河道清淤", "value": 52, "unit": "公里"},
            {"key": "新建小型水库", "value": 3, "unit": "座"},
        ],
        "reviewers": ["rita"],
    }
    rid = int(app.json("POST", "/reports", json=sheet)["id"])
    report = app.json("GET", f"/reports/{rid}")
    assert [s["id"] for s in report["sections"]] == list(TEXTS)
    for sid, text in TEXTS.items():
        app.json("PUT", f"/reports/{rid}/sections/{sid}", json={"text": text})
    return rid


def visible(page: Page, selector: str) -> bool:
    found = page.locator(selector)
    return found.count() > 0 and found.first.is_visible()


def test_the_drafter_and_the_reviewer_follow_a_review_in_chinese(
    app: App, pages: Callable[..., Page], tmp_path: Path
) -> None:
    rid = setup_report(app)
    dora, rita = pages(), pages()
    for page, who in ((dora, "dora"), (rita, "rita")):
        login(page, app, who)
        open_report(page, rid)

    # -- each sees the controls of their role ---------------------------------------------------
    for sel in ("#submit-all", "#submit-section", "#upload-file", "#chat-panel"):
        assert visible(dora, sel), sel
    for sel in ("#approve-all", "#approve-section", "#request-changes", "#override-reason"):
        assert not visible(dora, sel), sel
    for sel in ("#approve-all", "#approve-section", "#request-changes", "#review-comment"):
        assert visible(rita, sel), sel
    for sel in ("#submit-all", "#submit-section", "#upload-file", "#chat-panel", "#save-facts"):
        assert not visible(rita, sel), sel
    expect(rita.locator("#role-note")).to_contain_text("审核人")
    open_section(rita, "overview")
    for sel in ("#section-edit", "#save-section", "#draft-section", ".restore-version"):
        assert not visible(rita, sel), sel

    # -- uploads: a second file of the same name is refused in Chinese; one is deleted ------------
    csv = tmp_path / "水利统计.csv"
    csv.write_text("指标,数值,单位\n河道清淤,52,公里\n", encoding="utf-8")
    dora.set_input_files("input#upload-file", str(csv))
    expect(dora.locator("#uploads-list")).to_contain_text("水利统计.csv")
    dora.set_input_files("input#upload-file", str(csv))
    status = dora.locator("#upload-status")
    expect(status).to_contain_text("已有同名文件“水利统计.csv”")
    expect(status).to_contain_text("删除")
    assert_chinese(dora)
    rita.reload()  # the address keeps the report open
    expect(rita.locator("#uploads-list")).to_contain_text("水利统计.csv")
    assert not visible(rita, ".delete-upload")
    dora.once("dialog", lambda d: d.accept())
    dora.locator("#uploads-list .delete-upload").first.click()
    expect(status).to_contain_text("已删除“水利统计.csv”")
    expect(dora.locator("#uploads-list li")).to_have_count(0)
    audit = app.json("GET", f"/reports/{rid}/audit")
    assert "upload.delete" in [e["action"] for e in audit]

    # -- the drafter submits everything at once ---------------------------------------------------
    dora.click("button#submit-all")
    result = dora.locator("#review-all-result")
    expect(result).to_contain_text("完成 5 个")
    expect(result.locator("li.outcome-done")).to_have_count(5)
    assert_chinese(dora)

    # -- the reviewer: an approval with errors and a return without a comment are refused -------
    rita.reload()
    expect(rita.locator("#report-title")).to_contain_text(TITLE)
    open_section(rita, "achievements")
    review_status = rita.locator("#review-status")
    rita.click("button#approve-section")
    expect(review_status).to_contain_text("放行理由")
    assert_chinese(rita)
    rita.click("button#request-changes")
    expect(review_status).to_contain_text("审核意见")
    assert_chinese(rita)
    rita.fill("textarea#review-comment", COMMENT)
    rita.click("button#request-changes")
    expect(review_status).to_contain_text("需修改")
    assert_chinese(rita)

    # -- the drafter sees the comment in the list and on the section, and fixes the figure -------
    dora.reload()
    expect(dora.locator("#report-title")).to_contain_text(TITLE)
    expect(dora.locator("#open-comments")).to_contain_text(COMMENT)
    expect(dora.locator('#sections-list li[data-section-id="achievements"]')).to_contain_text(
        "有审核意见"
    )
    dora.locator("#open-comments button.open-commented").first.click()
    expect(dora.locator("#section-heading")).to_contain_text("主要工作和成效")
    expect(dora.locator("#section-comments")).to_contain_text(COMMENT)
    expect(dora.locator("#section-comments")).to_contain_text("rita")
    shot(dora, "review-comment", docs=True, at="#sections-panel")
    dora.fill("textarea#section-edit", FIXED)
    dora.click("button#save-section")
    expect(dora.locator("#section-status")).to_contain_text("已保存为第 2 版")
    newest = dora.locator("#versions-list li[data-version-id]").first
    expect(newest.locator("details.changes")).to_be_attached()
    newest.locator("details.changes summary").click()
    expect(newest.locator(".changes-text del.del")).to_have_text("77")
    expect(newest.locator(".changes-text ins.add")).to_have_text("52")
    assert "@@" not in newest.inner_text() and "+++" not in newest.inner_text()
    dora.click("button#submit-all")
    expect(result).to_contain_text("完成 1 个")
    expect(result.locator('li.outcome-done[data-section-id="achievements"]')).to_contain_text(
        "已提交审核"
    )
    expect(result.locator('li[data-section-id="overview"]')).to_contain_text("已提交审核")
    expect(dora.locator("#open-comments")).to_contain_text("暂无待处理的审核意见")
    assert_chinese(dora)

    # -- the reviewer approves everything at once; the report can be exported ------------------
    rita.reload()
    expect(rita.locator("#report-title")).to_contain_text(TITLE)
    rita.click("button#approve-all")
    rita_result = rita.locator("#review-all-result")
    expect(rita_result).to_contain_text("完成 5 个")
    expect(rita_result.locator("li.outcome-done").first).to_contain_text("已批准")
    shot(rita, "review-approve-all", docs=True, at="#sections-panel")
    expect(rita.locator("a#export-docx")).not_to_have_attribute("aria-disabled", "true")
    assert_chinese(rita)
    statuses = {s["id"]: s["status"] for s in app.json("GET", f"/reports/{rid}")["sections"]}
    assert set(statuses.values()) == {"approved"}


def test_refusals_the_page_can_meet_are_worded_in_chinese(app: App, page: Page) -> None:
    """The table in messages.js, through the page's own module: English details, pydantic's
    validation lists and unknown codes all come out as a Chinese sentence that says what to do."""
    login(page, app, "dora")
    said: list[str] = page.evaluate(
        """async () => {
            const { explain } = await import('/static/messages.js');
            return [
                explain(403, "only the report's owner (or an admin) may change it", "forbidden"),
                explain(403, "只有本报告指定的审核人（或管理员）可以审核", "not_reviewer"),
                explain(409, {message: "“二、工作成效”第2版还有 1 个错误：override_reason"},
                        "review_blocked"),
                explain(422, [{loc: ["body", "reviewers", 0], msg: "String should have at most 64 characters",
                               type: "string_too_long"}], "validation"),
                explain(422, "reviewers[0]：没有用户“李主任”（或已停用），请从审核人名单中选择", "invalid"),
                explain(422, "reviewers[0]: no user '李主任'", "invalid"),
                explain(409, "a file of that name is already uploaded (id 3); delete it first",
                        "duplicate_upload"),
                explain(404, "no report 7", "not_found"),
                explain(500, "internal error", "internal"),
                explain(502, null, undefined),
                explain(0, "网络错误，上传失败", "network"),
            ];
        }"""
    )
    for text in said:
        assert re.search(r"[\u4e00-\u9fff]", text) and not english(text), text
        assert "请" in text, text  # each says what to do
    assert said[3] == "审核人第1项太长了，请删减。请修改后重试。"
    assert said[4].startswith("审核人第1项：没有用户“李主任”")
    assert "放行理由" in said[2]


def test_a_bad_fact_value_is_refused_naming_the_row_and_the_reason(app: App, page: Page) -> None:
    # from the walk-through: 很多 次 got only 填写的内容有误。请检查后重试。
    login(page, app, "dora")
    said: str = page.evaluate(
        """async () => {
            const { explain } = await import('/static/messages.js');
            return explain(422, "facts[7]: value '很多' is not a number, but unit '次' says it counts",
                           "invalid");
        }"""
    )
    assert said.startswith("事实表第8项：数值“很多”不是数字，但单位“次”表示计数"), said
