"""The writers: each takes the site model (analysis.model) and writes its files, and nothing else.

A writer has three methods: `report(report)` writes one report's files (called in the report's worker, so
a writer keeps no state between reports), `page(page)` writes one of the site's own pages, and
`finish(model)` completes the output once every page is written. `site_files` says whether its report files
are part of the site (then a report the previous site holds for the same key is copied, not written again).

- `files.Files`: figures, downloads (CSV, XLSX), assets, provenance.json: the files every site has.
- `pdf.Pdf`: a PDF per report (Typst).
- `deck.Deck`: a PowerPoint deck per report (python-pptx), for the leadership meeting.
- `html.Html`: the built-in site (Jinja2 templates), or `quarto.Quarto`: a Quarto project, rendered.

To add an output, subclass `Writer` with the methods it needs and add it to `render.writers`.
"""

from __future__ import annotations

from ..model import Page, Report, SiteModel


class Writer:
    """A writer that writes nothing: each output overrides what it writes."""

    site_files = True  # its report files are files of the site (copied, not written, for a reused report)

    def page(self, page: Page) -> None:
        """Writes one of the site's own pages (in the main process or a worker)."""

    def report(self, report: Report) -> None:
        """Writes one report's files (in the report's worker: no state kept between calls)."""

    def finish(self, model: SiteModel) -> None:
        """Completes the output once every report and page is written."""
