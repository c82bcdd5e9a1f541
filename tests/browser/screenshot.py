"""`make screenshots`: the first screen of a report of the demo build, as the browser tests' Chromium shows it
at 1280×900, for the README (docs/img/report-first-screen.png), the same report's list of procurements, opened
(docs/img/report-procurements.png), page one of its PDF at 80 ppi (docs/img/pdf-page-one.png, by poppler's
`pdftoppm`: apt-get install poppler-utils), and two slides of its deck, the scorecard and an area's chart
(docs/img/deck-scorecard.png, docs/img/deck-chart.png, drawn by LibreOffice: apt-get install libreoffice-impress).

    python -m tests.browser.screenshot [SITE] [OUT]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from analysis import paths
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import report_pages

SCREEN = {"width": 1280, "height": 900}
OUT = paths.ROOT / "docs" / "img" / "report-first-screen.png"
PDF_OUT = paths.ROOT / "docs" / "img" / "pdf-page-one.png"
LIST_OUT = paths.ROOT / "docs" / "img" / "report-procurements.png"
DECK_OUT = {2: paths.ROOT / "docs" / "img" / "deck-scorecard.png", 6: paths.ROOT / "docs" / "img" / "deck-chart.png"}


def first_report(site: Path) -> Path:
    """The first report page (by organisation number) of the newest year."""
    reports = report_pages(site)
    if not reports:
        raise SystemExit(f"no report pages under {site}: run `make report` first")
    return report_pages(site, max(p.parent.name for p in reports))[0]


def pdf_page_one(site: Path, out: Path) -> Path:
    """Page one of the first report's PDF as a PNG."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is not installed (apt-get install poppler-utils)")
    pdf = first_report(site).with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True)
    return out


def _shot(site: Path, out: Path, take) -> Path:
    """Opens the first report of the newest year at 1280×900 and has `take(page, out)` save the picture."""
    from playwright.sync_api import sync_playwright

    report = first_report(site)
    if CHROMIUM is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=SCREEN)
        page.goto(report.as_uri())
        out.parent.mkdir(parents=True, exist_ok=True)
        take(page, out)
        browser.close()
    return out


def first_screen(site: Path, out: Path) -> Path:
    """The first report (by organisation number) of the newest year, its first 1280×900 pixels."""
    return _shot(site, out, lambda page, path: page.screenshot(path=str(path)))


def procurement_list(site: Path, out: Path) -> Path:
    """The first report's list of procurements, its fold opened, at 1280 pixels wide (the table scrolls sideways
    within the page's width)."""
    def take(page, path: Path) -> None:
        page.evaluate("document.querySelectorAll('details.procurements').forEach(d => d.open = true)")
        section = page.locator("section.procurements")
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(path))

    return _shot(site, out, take)


def deck_slides(site: Path, slides: dict[int, Path]) -> list[Path]:
    """Slides of the first report's deck (by number from 0: the scorecard, innkjøpspraksis' chart) as PNGs."""
    import tempfile

    from analysis.writers import deck

    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice is not installed (apt-get install --no-install-recommends libreoffice-impress)")
    with tempfile.TemporaryDirectory() as work:
        return [deck.slide_png(first_report(site).with_suffix(".pptx"), k, out, Path(work), 960)
                for k, out in slides.items()]


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else paths.BuildPaths(paths.OUTPUT).site
    print(pdf_page_one(site, PDF_OUT))
    print(first_screen(site, Path(sys.argv[2]) if len(sys.argv) > 2 else OUT))
    print(procurement_list(site, LIST_OUT))
    print(*deck_slides(site, DECK_OUT), sep="\n")
