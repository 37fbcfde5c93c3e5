"""The API explorer and the console's icon work with no internet: every file comes from this server."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import httpx
from PIL import Image
from playwright.sync_api import Page, Route, expect

from tests.support.stacks import Stack


def offline_but_for(page: Page, stack: Stack) -> list[str]:
    """Refuse every request to another host, as on a network with no internet; return what was asked."""
    ours = urlsplit(stack.base_url).netloc
    elsewhere: list[str] = []

    def only_ours(route: Route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_ours)
    return elsewhere


def test_the_api_explorer_shows_every_operation_without_the_internet(page: Page, stack: Stack) -> None:
    elsewhere = offline_but_for(page, stack)
    page.goto("/schema/swagger")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Timetabler API")
    # An operation from the document, rendered by Swagger UI's script (not a blank page).
    expect(page.locator("#operations-auth-login")).to_be_visible()
    assert elsewhere == []
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/favicon.ico"


def test_the_console_has_an_icon(page: Page, stack: Stack) -> None:
    elsewhere = offline_but_for(page, stack)
    page.goto("/admin/login")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href == "/favicon.ico" and elsewhere == []
    answer = httpx.get(stack.base_url + href)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/vnd.microsoft.icon"
    image = Image.open(io.BytesIO(answer.content))
    assert image.format == "ICO" and (32, 32) in image.info["sizes"]
