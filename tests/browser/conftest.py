"""A real browser for the published site: Debian's Chromium driven by Playwright (no browser download).

CI (`.ci/run`) installs Chromium with apt and sets INNOMAAL_REQUIRE_BROWSER=1, so there these tests fail
rather than skip when the browser is missing. Elsewhere they skip, saying why.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run",
        "--allow-file-access-from-files"]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("INNOMAAL_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (INNOMAAL_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that refuses and records every request leaving the local file system."""
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.external = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            page.external.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield page
    context.close()
