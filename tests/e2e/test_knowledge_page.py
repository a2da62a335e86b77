"""The 知识库 area of 管理 (issue 15 item 2): an admin uploads a small policy text, sees it listed and
found by search, sees a corrupt file listed as failed with its reason in Chinese, and removes
the policy text again (after a confirmation), after which search no longer finds it. A drafter
does not see the area."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORDS, App, login, shot

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

ADMIN = "kira"
TITLE = "关于规范机关公文流转管理的通知"
PHRASE = "雪松公文流转登记簿"
POLICY = f"# {TITLE}\n\n各科室要建立{PHRASE}，收文当日登记，办结后及时归档。\n"
# Latin letters in the page's visible text, beyond what the page itself writes (file names,
# kinds, sizes): an English message or a raw status would show up here.
ALLOWED_LATIN = {"API", "Word", "WPS", "PDF", "OFD", "Excel", "KB", "MB", "md", "docx", "txt"}


def _admin(app: App) -> None:
    PASSWORDS.setdefault(ADMIN, "kira-e2e-password")
    with contextlib.suppress(Exception):  # made by an earlier test of this session
        app.services.accounts.add(ADMIN, PASSWORDS[ADMIN], "admin")


def open_knowledge(page: Page, app: App) -> None:
    """Log in as the admin and open 管理, where the 知识库 area is."""
    login(page, app, ADMIN)
    page.click("#open-admin")
    expect(page.locator("#kb-panel")).to_be_visible()


def _found(app: App, phrase: str) -> bool:
    hits = app.json("GET", "/search", "dora", params={"q": phrase, "k": 20})
    return any(phrase in h["text"] for h in hits)


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN - {ADMIN}


def test_admin_uploads_finds_and_removes_a_policy_text(
    page: Page, app: App, tmp_path: Path
) -> None:
    _admin(app)
    policy = tmp_path / "公文流转通知.md"
    policy.write_text(POLICY, encoding="utf-8")
    broken = tmp_path / "损坏的总结.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x14\x00 not really a Word file " * 40)
    assert not _found(app, PHRASE)

    open_knowledge(page, app)
    panel = page.locator("#kb-panel")
    expect(panel).to_be_visible()
    # What `assistant index` put there is listed too, read-only.
    expect(panel.locator('tr[data-kb-origin="cli"]').first).to_contain_text("命令行索引")

    page.set_input_files("#kb-files", [str(policy), str(broken)])
    expect(page.locator("#kb-chosen")).to_have_text(
        "已选择 2 个文件：公文流转通知.md、损坏的总结.docx"
    )
    page.click("#kb-upload")
    expect(page.locator("#kb-status")).to_contain_text(
        "完成：1 个文件已入库，1 个未入库", timeout=30_000
    )
    results = page.locator("#kb-results li")
    expect(results.filter(has_text="公文流转通知.md")).to_contain_text("已入库")
    expect(results.filter(has_text="损坏的总结.docx")).to_contain_text("无法读取")

    row = panel.locator('tr[data-kb-origin="page"]', has_text=TITLE)
    expect(row).to_contain_text("公文流转通知.md")
    expect(row).to_contain_text("已入库")
    expect(row).to_contain_text(ADMIN)
    failed = panel.locator('tr[data-status="failed"]', has_text="损坏的总结.docx")
    expect(failed).to_contain_text("失败")
    expect(failed.locator(".kb-reason")).to_contain_text("另存")
    expect(page.locator("#kb-failed-count")).to_contain_text("1 个失败")
    shot(page, "knowledge", docs=True, at="#kb-panel")
    assert not _latin_words(panel.inner_text()), _latin_words(panel.inner_text())
    assert _found(app, PHRASE)

    row.locator("button.kb-reindex").click()
    expect(page.locator("#kb-status")).to_contain_text("“公文流转通知.md”已重新索引")
    expect(row).to_contain_text("已入库")
    assert _found(app, PHRASE)

    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.locator("button.kb-remove").click()
    expect(page.locator("#kb-status")).to_contain_text("已删除“公文流转通知.md”")
    expect(row).to_have_count(0)
    assert asked and TITLE in asked[0]
    assert not _found(app, PHRASE)

    page.once("dialog", lambda d: d.accept())
    failed.locator("button.kb-remove").click()
    expect(failed).to_have_count(0)


def test_a_drafter_does_not_see_the_knowledge_area(page: Page, app: App) -> None:
    login(page, app, "dora")
    expect(page.locator("#keys-panel")).to_be_visible()
    expect(page.locator("#open-admin")).to_be_hidden()
    page.goto(app.url + "/#/admin")
    expect(page.locator("#reports-list")).to_be_visible()
    expect(page.locator("#kb-panel")).to_be_hidden()


class SlowEmbeddings:
    """The app's embeddings, one chunk at a time with a pause: indexing takes long enough for
    the page's progress polls to see it under way."""

    def __init__(self, inner: Any, delay: float) -> None:
        self.inner = inner
        self.delay = delay

    def embed_documents(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> list[list[float]]:
        out: list[list[float]] = []
        for text in texts:
            time.sleep(self.delay)
            out += self.inner.embed_documents([text])
            if progress is not None:
                progress(1)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_page_shows_indexing_progress(
    page: Page, app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _admin(app)
    paragraph = "各部门要严格执行公文处理办法，规范收文登记、拟办、批办、承办和催办各环节。" * 6
    text = "# 关于公文处理工作的若干意见\n\n" + "".join(
        f"## 第{n}条\n\n{paragraph}\n\n" for n in range(1, 9)
    )
    long_policy = tmp_path / "公文处理意见.md"
    long_policy.write_text(text, encoding="utf-8")
    indexer = app.services.indexer
    monkeypatch.setattr(indexer, "embeddings", SlowEmbeddings(indexer.embeddings, 0.4))
    open_knowledge(page, app)
    page.set_input_files("#kb-files", str(long_policy))
    page.click("#kb-upload")
    status = page.locator("#kb-status")
    expect(status).to_contain_text("正在向量化")
    expect(status).to_contain_text(re.compile(r"已向量化 \d+/\d+ 段"))
    expect(status).to_contain_text("完成：1 个文件已入库", timeout=30_000)
    row = page.locator('#kb-table tr[data-kb-origin="page"]', has_text="公文处理意见.md")
    expect(row).to_contain_text("已入库")
    doc_id = row.get_attribute("data-kb-id")
    assert app.call("DELETE", f"/knowledge/documents/{doc_id}", ADMIN).status_code == 204
