"""The site model: every page of the site, read once per build, for writers that only write.

As Sphinx reads every source into one environment before its builders write HTML or LaTeX, the render stage
first reads the indicator table, the plan of organisation-years, the executed notebooks and the commentary
into this model, and the writers (analysis.writers: the built-in HTML site, the Quarto project, the PDFs, the
downloads, the decks) then write it. Nothing here knows of HTML files, Quarto or Typst; a writer reads no build table.

- `Site`: what the params ask for (title, language, build folder, organisations, years, strictness).
- `Page`: one page: where it is in the site, its kind, title, language, the content it shows, its figures.
- `Report`: one report: its page, the pages of the analyses beside it and its downloads, read in the report's
  worker (`reports.read`) since reading a notebook is the costly part.
- `SiteModel`: the site's own pages (`pages.read`) and the reports to read (`ReportTask`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import orgyears, paths
from ..params import title_in
from .story import Story


@dataclass(frozen=True)
class Site:
    title: str | dict[str, str]  # params `title`: one, or one per language (see title_in)
    lang: str
    build: paths.BuildPaths
    provenance: dict | None = None  # written as provenance.json at the site root
    newest_year: str | None = None  # the year the navigation's overview link points to
    strict: bool = False  # what the checks find (model.checks) is an error, not a warning
    orgs: tuple[str, ...] | None = None  # the organisations the params ask for (None: all)
    years: tuple[str, ...] | None = None  # the years the params ask for (None: all)
    deck_template: Path | None = None  # params `deck_template`: the body's .pptx whose layouts the decks use

    def title_in(self, lang: str) -> str:
        """The site's title on a page in `lang`."""
        return title_in(self.title, lang, self.lang)

    def plan(self) -> orgyears.Plan | None:
        """The organisation-years the params ask for, with data or without (None before compute ran)."""
        if not self.build.indicators.is_file():
            return None
        return orgyears.read(self.build.indicators, self.orgs, self.years, self.build.basis)

    def reports(self, plan: orgyears.Plan | None = None) -> list[tuple[str, str, Path]]:
        """(year, org_nr, notebook) for every successfully executed report of an organisation-year that the
        params ask for and that has data (a notebook left from an earlier build is not a report of this one)."""
        plan = self.plan() if plan is None else plan
        wanted = None if plan is None else set(plan.reports)
        found = []
        for nb in sorted(self.build.reports.glob("*/*.ipynb")):
            if nb.name.endswith((".failed.ipynb", ".running.ipynb")):
                continue
            if wanted is None or (nb.stem, nb.parent.name) in wanted:
                found.append((nb.parent.name, nb.stem, nb))
        return found


@dataclass(frozen=True)
class Figure:
    """An image of a page, written as a file beside it (`name`: its file name there)."""
    name: str
    data: bytes


@dataclass(frozen=True)
class Page:
    """One page of the site. `kind` says what it is (index, overview, method, org, page, report, analysis) and
    so how a writer lays it out; `content` is what it shows (the blocks its layout places, links relative to
    the page); `notebook` is the executed notebook a report or analysis page shows."""
    rel: str  # its path in the site: "virksomheter/974760673.html"
    kind: str
    title: str
    lang: str
    content: dict = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()
    notebook: Path | None = None

    @property
    def folder(self) -> str:
        """The folder the page and its figures are in, relative to the site ("" at the root)."""
        return self.rel.rpartition("/")[0]


@dataclass(frozen=True)
class Download:
    """A table published beside a report: a CSV, or a sheet of the report's workbook."""
    name: str  # the CSV's file name; its sheet's name in the workbook is `sheet`
    frame: pd.DataFrame
    sheet: str | None = None


@dataclass(frozen=True)
class Report:
    """One report as the site shows it. `body` is the report's content (the executed notebook's outputs, its
    images as `page.figures`), None when the report is `reused`: the previous site holds its files for the
    same render key and they are copied, not written again."""
    year: str
    org_nr: str
    name: str
    page: Page
    body: str | None
    analyses: tuple[Page, ...] = ()
    downloads: tuple[Download, ...] = ()
    workbook: str | None = None  # the workbook's file name (its sheets: the downloads with a `sheet`)
    missing_alt: tuple[tuple[str | None, tuple[int, ...]], ...] = ()  # (None or the analysis, its cells)
    reused: Path | None = None  # the previous site the files are copied from
    story: Story | None = None  # the report as slides tell it (story.build), None when reused

    @property
    def title(self) -> str:
        return f"{self.name} {self.year}"

    def slim(self) -> Report:
        """The report without its content and tables: what the build keeps once its files are written."""
        return replace(self, body=None, downloads=(), story=None, page=replace(self.page, figures=(), content={}),
                       analyses=tuple(replace(p, figures=(), content={}) for p in self.analyses))


@dataclass(frozen=True)
class ReportTask:
    """What reading one report needs, on this machine or a worker (see reports.read)."""
    site: Site
    year: str
    org_nr: str
    name: str
    notebook: Path
    table: pd.DataFrame | None  # this organisation-year of the indicator table (downloads)
    previous: Path | None  # the published site, when it holds this report's files for the same key
    analyses: tuple[tuple[str, str, Path], ...] = ()  # (name, title, executed notebook) shown beside it
    lang: str | None = None  # the report's language, when organisations.csv gives it one (else the site's)


@dataclass
class SiteModel:
    """The whole site: its own pages, the reports to read, and the years and organisations it lists."""
    site: Site
    pages: list[Page]
    tasks: list[ReportTask]
    years: list[str]  # the years with reports, in order
    empty: set[tuple[str, str]]  # (org_nr, year) the params ask for that have no data of any kind
    reports: list[Report] = field(default_factory=list)  # the reports as read (their tasks done)
