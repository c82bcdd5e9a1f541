"""A report as a manager on the intranet reads it, in Chromium at 1280×900 (as each renderer makes it): the
first screen tells the story (title, key messages, the five areas), details are folded so the page stays short,
no missing value leaks into the text as "nan"/"None", and every disclosure opens with the keyboard
with a visible focus."""

from __future__ import annotations

import re

from analysis import catalogue, i18n
from analysis.report import TEXT
from tests.browser.test_site import pages
from tests.conftest import page_lang, report_pages

SCREEN = {"width": 1280, "height": 900}
MAX_HEIGHT = 6000
LEAKS = re.compile(r"\b(nan|NaN|NaT|null|undefined)\b|\bNone\b(?!\s+of\b)")  # English prose says "None of …"


def newest_reports(root):
    newest = max(p.parent.name for p in report_pages(root))
    return report_pages(root, newest)


def bottom(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().bottom + window.scrollY")


def test_every_newest_report_tells_its_story_on_the_first_screen(rendered_site, browser):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    reports = newest_reports(rendered_site)
    assert len(reports) >= 10
    for path in reports:
        page.goto(path.as_uri())
        where, lang = path.name, page_lang(path)  # each demo body's report speaks its own language
        key_messages = i18n.translate(lang, TEXT["key_messages"])
        assert page.locator("h1").is_visible() and bottom(page, "h1") <= SCREEN["height"], where
        messages = page.locator("h2", has_text=key_messages)
        assert messages.count() == 1 and bottom(page, f"h2:text('{key_messages}') + ul") <= SCREEN["height"], where
        areas = page.locator(".scorecard .area h3").all_inner_texts()
        assert areas == [titles[lang] for titles in catalogue.load().areas.values()], where
        lowest = page.eval_on_selector_all(".scorecard .area", "els => Math.max(...els.map("
                                           "e => e.getBoundingClientRect().bottom + window.scrollY))")
        assert lowest <= SCREEN["height"], f"{where}: the scorecard ends at {lowest} px"
        assert page.locator(".scorecard .move").count() > 0, where  # a direction, in words
        assert page.eval_on_selector_all("details", "els => els.filter(e => e.open).length") == 0, where
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= MAX_HEIGHT, f"{where}: {height} px tall with details folded"
        text = page.evaluate("document.querySelector('main').textContent")  # folded details too (not innerText)
        leak = LEAKS.search(text)
        assert not leak, f"{where}: {text[max(0, leak.start() - 60):leak.end()]!r}"
    context.close()


def test_report_reflows_on_a_phone(rendered_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(newest_reports(rendered_site)[0].as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = page.eval_on_selector_all(".scorecard .area", "els => els.map(e => e.getBoundingClientRect().x)")
    assert len(set(round(x) for x in boxes)) == 1  # one card per row
    context.close()


def test_sparklines_have_text_alternatives(rendered_site, page):
    page.goto(newest_reports(rendered_site)[0].as_uri())
    labels = page.eval_on_selector_all("svg.sparkline", "els => els.map(e => [e.getAttribute('role'), "
                                       "e.getAttribute('aria-label')])")
    assert labels, "no sparkline"
    for role, label in labels:
        assert role == "img" and re.search(r"20\d\d: ", label), label


def test_every_disclosure_opens_with_the_keyboard_and_focus_is_visible(rendered_site, browser):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(pages(rendered_site)["report"].as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector(location.hash).tagName") == "MAIN"
    total = page.evaluate("document.querySelectorAll('details').length")
    assert total > 20
    opened = 0
    for _ in range(600):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                                  "return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
            assert style[0] != "none" and style[1] >= 2, style
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.parentElement.open")
            opened += 1
        if opened == total:
            break
    assert opened == total, f"{opened} of {total} disclosures reached and opened with the keyboard"
    context.close()


def test_print_shows_every_detail_unfolded(rendered_site, page):
    page.goto(newest_reports(rendered_site)[0].as_uri())
    shown = "[...document.querySelectorAll('details > :not(summary)')].filter(e => e.checkVisibility()).length"
    total = page.evaluate("document.querySelectorAll('details > :not(summary)').length")
    assert total > 20 and page.evaluate(shown) == 0  # folded on screen
    page.emulate_media(media="print")
    assert page.evaluate(shown) == total
