"""The built-in writer: each page as a complete HTML file with the project's layout (templates/site/, Jinja2,
base.html.j2), in process, with nothing to install."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .. import i18n, paths
from ..io import write_text
from ..model import Page, Report
from . import Writer
from .files import write_figures

# The template that lays out each kind of page.
TEMPLATES = {"index": "index.html.j2", "overview": "overview.html.j2", "method": "method.html.j2",
             "org": "org.html.j2", "page": "page.html.j2", "report": "report.html.j2",
             "analysis": "analysis.html.j2"}


def template(kind: str, lang: str) -> jinja2.Template:
    """The template of a kind of page, speaking `lang` (a report and its organisation's page may speak another
    language than the site: organisations.csv's `lang`)."""
    return i18n.jinja_env(str(paths.SITE_TEMPLATES), lang, autoescape=True).get_template(TEMPLATES[kind])


class Html(Writer):
    def __init__(self, out: Path):
        self.out = out

    def page(self, page: Page) -> None:
        write_text(self.out / page.rel, template(page.kind, page.lang).render(**page.content))

    def report(self, report: Report) -> None:
        self.page(report.page)
        for page in report.analyses:  # its figures too: only this writer shows an analysis' converted content
            write_figures(self.out, page)
            self.page(page)
