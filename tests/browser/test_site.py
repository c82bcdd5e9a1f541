"""Every page type of the demo site in a real browser, as each renderer makes it (the built-in one, and Quarto
where it is installed): zero axe-core violations for WCAG 2.1 A and AA, no request outside the site, the
site navigation, and the structure a screen-reader or keyboard user relies on."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import report_pages

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
KINDS = ["index", "report", "organisation", "overview", "method", "accessibility statement"]


def pages(root: Path) -> dict[str, Path]:
    """One page of every type."""
    report = report_pages(root)[0]
    return {
        "index": root / "index.html",
        "report": report,
        "organisation": root / "virksomheter" / f"{report.stem}.html",
        "overview": root / "oversikt" / f"{report.parent.name}.html",
        "method": root / "metode.html",
        "accessibility statement": root / "tilgjengelighet.html",
    }


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("kind", KINDS)
def test_page_has_no_axe_violations_and_no_external_requests(rendered_site, page, axe, kind):
    path = pages(rendered_site)[kind]
    page.goto(path.as_uri())
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
                                       f"{v['nodes'][0]['target']})" for v in violations)
    assert page.external == []


@pytest.mark.parametrize("kind", KINDS)
def test_page_structure(rendered_site, page, kind):
    page.goto(pages(rendered_site)[kind].as_uri())
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").count() == 1
    menu = page.locator("nav a[href$='metode.html']")  # the site navigation, on every page
    assert menu.count() >= 1 and menu.first.is_visible()
    levels = [int(tag[1]) for tag in page.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                                                "els => els.map(e => e.tagName)")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    for table in page.locator("table").all():
        assert table.locator("th").count() > 0 and table.locator("caption").count() == 1


def test_keyboard_reaches_skip_link_then_navigation(rendered_site, page):
    page.goto(pages(rendered_site)["report"].as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector(location.hash).tagName") == "MAIN"  # the skip link's target
    page.goto(pages(rendered_site)["report"].as_uri())
    reached = []
    for _ in range(8):  # the skip link, the site's name, (Quarto: its search button,) the menu
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert {"../../index.html", "../../metode.html", "../../tilgjengelighet.html"} <= set(reached)
    assert any(h.startswith("../../oversikt/") for h in reached if h)


def test_index_filters_by_name_type_and_year(rendered_site, page):
    page.goto(pages(rendered_site)["index"].as_uri())
    visible = "document.querySelectorAll('section.year:not([hidden]) tbody tr:not([hidden])').length"
    total = page.evaluate(visible)
    assert total > 0 and page.locator("#filters").is_visible()
    page.select_option("#f-year", "2025")
    in_2025 = page.evaluate(visible)
    several = page.locator("section.year").count() > 1  # the Quarto site is built for one year
    assert 0 < in_2025 < total if several else 0 < in_2025 == total
    page.select_option("#f-type", "municipality")
    municipalities = page.evaluate(visible)
    assert 0 < municipalities < in_2025
    page.fill("#f-name", "zzz-no-such-organisation")
    assert page.evaluate(visible) == 0
    assert "0 av" in page.locator("#f-count").inner_text()


def test_a_reports_list_of_procurements_filters_by_what_is_typed(rendered_site, page):
    page.goto(pages(rendered_site)["report"].as_uri())
    page.evaluate("document.querySelectorAll('details.procurements').forEach(d => d.open = true)")
    rows = "document.querySelectorAll('table.procurements tbody tr:not([hidden])').length"
    total = page.evaluate(rows)
    field = page.locator(".procurement-filter input")
    assert total > 1 and field.count() == 1
    title = page.locator("table.procurements tbody tr th").first.inner_text()
    field.fill(title)
    assert 1 <= page.evaluate(rows) < total
    assert page.locator(".procurement-filter [role=status]").inner_text().endswith(f"{total}.")
    field.fill("zzz-no-such-procurement")
    assert page.evaluate(rows) == 0
    field.fill("")
    assert page.evaluate(rows) == total


def test_links_work_from_file_urls(rendered_site, page):
    """Every internal link of every page resolves to a file of the site (relative links only)."""
    root = rendered_site
    for path in pages(root).values():
        page.goto(path.as_uri())
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            target = Path(href.split("#")[0].removeprefix("file://"))
            assert target.is_file(), f"{path.name}: {href}"
