"""A real browser (Debian's chromium, driven by Playwright) against pytest-django's live server."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop running in this thread, and Django then refuses
# database calls from it; the tests' own queries are synchronous, so the guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("SOUK_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling home, and the closed network
# here refuses every call; --no-sandbox because the suite may run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install Debian's browser and fonts with "
            "`apt-get install chromium fonts-noto-core` (make test does it), "
            "or point SOUK_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    """Return the folder this test's screenshots go to (kept after the run, to look at)."""
    root = Path(
        os.environ.get("SOUK_SCREENSHOTS", Path(tempfile.gettempdir()) / "souk-screenshots")
    )
    folder = root / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
