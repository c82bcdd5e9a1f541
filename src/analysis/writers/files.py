"""The files of every site, whichever writer lays out its pages: the pages' figures, each report's downloads
(its indicators and procurements as CSV, both in one workbook), the assets and provenance.json."""

from __future__ import annotations

import json
from pathlib import Path

from .. import paths
from ..io import atomic_write, write_bytes, write_text, write_xlsx
from ..model import Page, Report, SiteModel
from . import Writer

# Copied from templates/site/ into the site's assets/: the site's own style and script, and Digdir's
# Designsystemet (vendored by `make designsystemet`, with its licences and versions).
STYLESHEETS = ("vendor/designsystemet/theme-digdir.css", "vendor/designsystemet/designsystemet.css", "style.css")
ASSETS = (*STYLESHEETS, "filter.js", "vendor/designsystemet/LICENSE", "vendor/designsystemet/LICENSE.theme",
          "vendor/designsystemet/VERSION")


def write_figures(out: Path, page: Page) -> None:
    """A page's figures, as files beside it in the site `out`."""
    for figure in page.figures:
        write_bytes(out / page.folder / figure.name, figure.data)


class Files(Writer):
    def __init__(self, out: Path):
        self.out = out

    def page(self, page: Page) -> None:
        write_figures(self.out, page)

    def report(self, report: Report) -> None:
        """The report's figures (its content's: the PDF and the built-in page show them) and downloads. An
        analysis' figures are the built-in page's alone (Quarto shows the analysis' notebook): `Html` writes
        them."""
        folder = self.out / report.page.folder
        self.page(report.page)
        for table in report.downloads:
            atomic_write(folder / table.name, lambda tmp, frame=table.frame: frame.to_csv(
                tmp, index=False, float_format="%.10g", lineterminator="\n"))
        if report.workbook:
            first, *more = report.downloads
            write_xlsx(first.frame, folder / report.workbook, first.sheet,
                       more={d.sheet: d.frame for d in more} or None)

    def finish(self, model: SiteModel) -> None:
        for asset in ASSETS:
            write_bytes(self.out / "assets" / asset, (paths.SITE_TEMPLATES / asset).read_bytes())
        if model.site.provenance is not None:
            write_text(self.out / "provenance.json", json.dumps(model.site.provenance, indent=2,
                                                                ensure_ascii=False) + "\n")
