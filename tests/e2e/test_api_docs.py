"""The API reference pages render in the browser with every outside request refused, as on an
intranet: Swagger UI lists the routes, ReDoc shows the title."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.e2e.conftest import App

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route


def test_swagger_ui_and_redoc_render_offline(pages: Callable[..., Page], app: App) -> None:
    outside: list[str] = []

    def only_here(route: Route) -> None:
        if route.request.url.startswith(app.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page = pages()
    page.route("**/*", only_here)
    page.goto(app.url + "/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="公文写作助手").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/chat").first.wait_for()
    page.goto(app.url + "/redoc")
    page.locator("h1", has_text="公文写作助手").first.wait_for()
    assert outside == []
