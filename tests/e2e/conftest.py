"""End-to-end fixtures: the app in uvicorn on 127.0.0.1 with the scripted LLM, driven by headless
Chromium through Playwright (sync API).

The browser is Debian's ``chromium`` (``.ci/run`` installs it when absent), launched by its path:
nothing is downloaded at run time (never ``playwright install``). Without chromium or the
``playwright`` package the tests are skipped with the reason, except in CI (``CI=true``), where
they fail, so a missing install step cannot pass unnoticed.

One app serves the whole session: fake embeddings, the sample corpus indexed, users dora
(drafter) and rita (reviewer). The scripted LLM answers a draft of the section 一、加强组织领导…
with one figure backed by a fact (常委会议9次〔F1〕) and one it invented (覆盖党员8888名), which the
checker must mark; every other section gets a plain paragraph without numbers.

Screenshots go to ``tests/e2e/screenshots/`` (git-ignored). With ``E2E_DOCS=1`` the main screens
are also written, palette-compressed, to ``docs/screen-*.png`` for the README.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from assistant.config import Settings
from assistant.services import Services
from tests.benchmarks.bench_api import Server
from tests.conftest import ROOT
from tests.llm_server import Reply, ScriptedLLM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the browser fixture says so (skip, or fail in CI)
    expect = None  # type: ignore[assignment]
    sync_playwright = None  # type: ignore[assignment]

SHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS = ROOT / "docs"
DOCS_MAX_BYTES = 250 * 1024
TIMEOUT_MS = 15_000  # every browser wait; no wait in these tests is longer than 30 s

PASSWORDS = {"dora": "dora-e2e-password", "rita": "rita-e2e-password"}
ROLES = {"dora": "drafter", "rita": "reviewer"}
MODEL = "scripted-e2e"
KEY = "sk-e2e"

WORK_1_PROMPT = "的“一、加强组织领导，"  # the draft prompt of work_1, whatever the subject
INVENTED = "8888"
WORK_1_ANSWER = (
    "第一时间学习贯彻。县委先后召开常委会议9次〔{label}〕，专题传达学习中央和省委、市委部署要求，"
    "研究制定实施方案，明确目标任务和责任分工。\n"
    "第一时间组织发动。各级党组织迅速行动，覆盖党员8888名，推动各项部署落地见效。"
)
OTHER_ANSWER = "围绕中心工作，扎实推进各项任务落实，各项工作取得阶段性成效。"
TEMPLATE = "工作情况汇报"
META = {
    "organization": "中共青川县委",
    "recipient": "市委第二巡回指导组",
    "period": "2024年4月以来",
    "date": "2024-08-20",
}


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if _chromium() is None:
        return "Debian's chromium is not installed (apt-get install chromium; .ci/run does it)"
    return None


# -- the scripted LLM ---------------------------------------------------------------------------


@dataclass
class Pace:
    """How the scripted LLM streams: small chunks with a pause, so streaming shows on screen."""

    chunk_chars: int = 4
    delay_first: float = 0.0
    delay_between: float = 0.08


def _user_prompt(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    users = [str(m.get("content", "")) for m in messages if m.get("role") == "user"]
    return users[-1] if users else ""


def make_reply(pace: Pace) -> Callable[[Any], Reply]:
    def reply(body: Any) -> Reply:
        prompt = _user_prompt(body) if isinstance(body, dict) else ""
        if WORK_1_PROMPT in prompt:
            # The fact's label as the prompt lists it ("- F1 常委会议：9次").
            found = re.search(r"(F\d+)\s*常委会议", prompt)
            text = WORK_1_ANSWER.format(label=found.group(1) if found else "F1")
        else:
            text = OTHER_ANSWER
        return Reply(
            text=text,
            chunk_chars=pace.chunk_chars,
            delay_first=pace.delay_first,
            delay_between=pace.delay_between,
        )

    return reply


# -- the app ------------------------------------------------------------------------------------


@dataclass
class App:
    """The running service, with an HTTP client for the steps a test does behind the page."""

    url: str
    services: Services
    llm: ScriptedLLM
    pace: Pace
    client: httpx.Client
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            r = self.client.post(
                "/api/v1/auth/login", json={"username": user, "password": PASSWORDS[user]}
            )
            assert r.status_code == 200, r.text
            self.tokens[user] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def call(self, method: str, path: str, user: str = "dora", **kw: Any) -> httpx.Response:
        return self.client.request(method, f"/api/v1{path}", headers=self.headers(user), **kw)

    def json(self, method: str, path: str, user: str = "dora", **kw: Any) -> Any:
        r = self.call(method, path, user, **kw)
        assert r.status_code < 300, f"{method} {path} as {user}: {r.status_code} {r.text[:300]}"
        return r.json() if r.content else None

    def create_report(
        self, title: str, facts: list[dict[str, Any]] | None = None, user: str = "dora"
    ) -> dict[str, Any]:
        sheet = {
            "report": {"template": TEMPLATE, "title": title, **META},
            "facts": facts if facts is not None else [],
            "reviewers": ["rita"],
        }
        report: dict[str, Any] = self.json("POST", "/reports", user, json=sheet)
        return report

    def report_by_title(self, title: str, user: str = "dora") -> dict[str, Any]:
        found = [r for r in self.json("GET", "/reports", user) if r["title"] == title]
        assert len(found) == 1, f"{len(found)} reports titled {title!r} for {user}"
        report: dict[str, Any] = self.json("GET", f"/reports/{found[0]['id']}", user)
        return report

    def draft(self, rid: int, sid: str, user: str = "dora") -> dict[str, Any]:
        """Draft one section over SSE; the ``done`` event's data (fails on ``error``)."""
        r = self.call("POST", f"/reports/{rid}/sections/{sid}/draft", user, json={})
        assert r.status_code == 200, r.text
        events = parse_events(r.text)
        names = [name for name, _ in events]
        assert names and names[-1] == "done", f"draft {sid}: {events[-1:]}"
        done: dict[str, Any] = events[-1][1]
        return done

    def review(self, rid: int, sid: str, action: str, user: str, **extra: Any) -> Any:
        return self.json(
            "POST", f"/reports/{rid}/sections/{sid}/review", user, json={"action": action, **extra}
        )


def parse_events(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for block in text.split("\n\n"):
        name, data = None, None
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                data = json.loads(line.split(":", 1)[1])
        if name:
            out.append((name, data))
    return out


@pytest.fixture(scope="session")
def app() -> Iterator[App]:
    pace = Pace()
    with (
        tempfile.TemporaryDirectory(prefix="e2e-") as tmp,
        ScriptedLLM(api_key=KEY, reply_fn=make_reply(pace)) as llm,
    ):
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            embeddings_provider="fake",
            llm_base_url=llm.base_url,
            llm_api_key=KEY,
            llm_model=MODEL,
            llm_timeout=20,
            llm_max_retries=0,
            _env_file=None,
        )
        with Server(settings) as server:
            services = server.services
            assert services.indexer.index([ROOT / "corpus"], kb="corpus").ok
            for name, role in ROLES.items():
                services.accounts.add(name, PASSWORDS[name], role)
            with httpx.Client(base_url=server.url, timeout=30) as client:
                yield App(server.url, services, llm, pace, client)


# -- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = missing()
    if reason is not None:
        if _in_ci():
            pytest.fail(f"e2e: {reason}; CI must run the browser tests", pytrace=False)
        pytest.skip(f"e2e: {reason}")
    assert sync_playwright is not None and expect is not None
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox"], timeout=30_000
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def open_page(browser: Browser, width: int = 1280, height: int = 800) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def close_page(page: Page, request: pytest.FixtureRequest, name: str = "") -> None:
    """Closes the page's context; on a failed test, keeps a screenshot of where it stopped."""
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        with contextlib.suppress(Exception):  # the page may be gone; the test's error says why
            shot(page, f"failed-{request.node.name}{name}")
    page.context.close()


@pytest.fixture
def pages(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Opens fresh browser contexts (``pages(width, height)``), all closed after the test;
    an uncaught error in any of them fails it."""
    opened: list[Page] = []

    def make(width: int = 1280, height: int = 800) -> Page:
        page = open_page(browser, width, height)
        opened.append(page)
        return page

    yield make
    for n, page in enumerate(opened):
        close_page(page, request, f"-{n}" if n else "")
    errors = [e for page in opened for e in page.js_errors]  # type: ignore[attr-defined]
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(pages: Callable[..., Page]) -> Page:
    """A fresh browser context at 1280×800 that accepts downloads."""
    return pages()


def shot(page: Page, name: str, *, docs: bool = False, at: str | None = None) -> Path:
    """Screenshot to tests/e2e/screenshots/NAME.png; with E2E_DOCS=1 and docs, to docs/ too.

    ``at`` scrolls first: a selector to bring to the top of the window, or "top" for the page's.
    """
    SHOTS.mkdir(exist_ok=True)
    if at == "top":
        page.evaluate("window.scrollTo(0, 0)")
    elif at is not None:
        page.locator(at).evaluate("el => el.scrollIntoView({block: 'start'})")
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), timeout=TIMEOUT_MS)
    if docs and os.environ.get("E2E_DOCS") == "1":
        compress_png(path, DOCS / f"screen-{name}.png")
    return path


def compress_png(source: Path, target: Path, limit: int = DOCS_MAX_BYTES) -> Path:
    """A palette PNG under ``limit`` bytes (fewer colours, then a smaller image, until it fits)."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as opened:
        image = opened.convert("RGB")
    for scale in (1.0, 0.85, 0.7, 0.5):
        sized = image
        if scale < 1:
            sized = image.resize((round(image.width * scale), round(image.height * scale)))
        for colours in (256, 128, 64):
            sized.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(
                target, optimize=True
            )
            if target.stat().st_size < limit:
                return target
    raise AssertionError(f"{target} stays over {limit} bytes")


def login(page: Page, app: App, user: str) -> None:
    """Log in through the form and wait for the header to name the user."""
    assert expect is not None
    page.goto(app.url + "/", wait_until="domcontentloaded")
    expect(page.locator("form#login-form")).to_be_visible()
    page.fill("input#login-username", user)
    page.fill("input#login-password", PASSWORDS[user])
    page.click("button#login-submit")
    expect(page.locator("#whoami")).to_contain_text(user)


def open_report(page: Page, rid: int) -> None:
    """Open a report from the list (the list must show it): its link or button, or the row."""
    assert expect is not None
    item = page.locator(f'#reports-list li[data-report-id="{rid}"]')
    expect(item).to_be_visible()
    target = item.locator("a, button")
    (target.first if target.count() else item).click()
    expect(page.locator("#report-title")).to_be_visible()


def open_section(page: Page, sid: str) -> None:
    """Open a section of the open report from the list: its button or link, or the row."""
    assert expect is not None
    item = page.locator(f'#sections-list li[data-section-id="{sid}"]')
    expect(item).to_be_visible()
    target = item.locator("button, a")
    (target.first if target.count() else item).click()
    expect(page.locator("#section-editor")).to_be_visible()
