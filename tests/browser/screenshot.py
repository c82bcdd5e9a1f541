"""`make screenshots`: the first screen of a report of the demo build, as the browser tests' Chromium shows it
at 1280×900, for the README (docs/img/report-first-screen.png).

    python -m tests.browser.screenshot [SITE] [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import paths
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import report_pages

SCREEN = {"width": 1280, "height": 900}
OUT = paths.ROOT / "docs" / "img" / "report-first-screen.png"


def first_screen(site: Path, out: Path) -> Path:
    """The first report (by organisation number) of the newest year, its first 1280×900 pixels."""
    from playwright.sync_api import sync_playwright

    reports = report_pages(site)
    if not reports:
        raise SystemExit(f"no report pages under {site}: run `make report` first")
    newest = max(p.parent.name for p in reports)
    report = report_pages(site, newest)[0]
    if CHROMIUM is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=SCREEN)
        page.goto(report.as_uri())
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    return out


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else paths.BuildPaths(paths.OUTPUT).site
    print(first_screen(site, Path(sys.argv[2]) if len(sys.argv) > 2 else OUT))
