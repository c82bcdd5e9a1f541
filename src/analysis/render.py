"""Stage 4, render: the executed notebooks become a website in the staging directory.

The render reads the site model once (analysis.model: the site's pages, and each report in its worker), checks
its content once (analysis.model.checks), and hands it to the writers (analysis.writers), which only write:
the files every site has (figures, downloads, assets), a PDF per report, and the pages, laid out either by
the built-in writer (Jinja2, in process) or by Quarto (a standard Quarto website project rendered with
`quarto render`, with `quarto` on PATH and renderer `auto` or `quarto`). Either way the site has the index
(with filters), one report per organisation and year with its CSV, XLSX, PDF and deck (PPTX), one page per organisation,
an overview per year, the method page, the accessibility statement and provenance.json.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from .io import write_bytes
from .model import Page, Report, ReportTask, Site, SiteModel, checks, pages, reports
from .writers.deck import Deck
from .writers.files import Files
from .writers.html import Html
from .writers.pdf import Pdf
from .writers.quarto import Quarto

__all__ = ["Site", "run", "choose", "report_files"]
PARALLEL_FROM = 24  # reports; below this a process pool costs more than it saves


def writers(site: Site, out: Path, used: str, full: bool, workers: int = 1) -> tuple:
    """The writers of a build, in the order they write: the files first (the PDF reads the figures)."""
    return (Files(out), Pdf(out), Deck(out, site.deck_template),
            Quarto(site, out, full=full, workers=workers) if used == "quarto" else Html(out))


def report_files(site_dir: Path, year: str, org_nr: str) -> list[Path]:
    """A report's files in a site: its page, downloads, PDF and figures, and its analyses' pages."""
    folder = site_dir / "reports" / year
    return sorted([*folder.glob(f"{org_nr}.*"), *folder.glob(f"{org_nr}-*.svg"), *folder.glob(f"{org_nr}-*.png"),
                   *folder.glob(f"{org_nr}-*.jpg"), *folder.glob(f"{org_nr}-*.html")])


def write_report(task: ReportTask, writers: tuple, out: Path) -> Report:
    """Reads one report and has every writer write it; a report the previous site holds for the same key is
    copied from it instead (by the writers whose files are the site's). Returns the report without its
    content, which the process that called it needs no more."""
    report = reports.read(task)
    if report.reused:
        for f in report_files(report.reused, task.year, task.org_nr):
            write_bytes(out / "reports" / task.year / f.name, f.read_bytes())
    for writer in writers:
        if not (report.reused and writer.site_files):
            writer.report(report)
    return report.slim()


def write_page(page: Page, writers: tuple) -> None:
    """Has every writer write one of the site's own pages."""
    for writer in writers:
        writer.page(page)


def render_site(model: SiteModel, out: Path, used: str, full: bool, mapper=map, progress=None,
                warn=None, workers: int = 1) -> None:
    """Every page and file of the site, the same with either writer. Reports are read and written, and then the
    site's own pages written, through `mapper` (the built-in `map`, a process pool's or a Dask client's)."""
    chosen = writers(model.site, out, used, full, workers)
    if progress:
        progress(total=len(model.tasks))
    model.reports = []
    for report in mapper(partial(write_report, writers=chosen, out=out), model.tasks):
        model.reports.append(report)
        if progress:
            progress()
    checks.run(model, warn)
    for _ in mapper(partial(write_page, writers=chosen), model.pages):  # in the workers too: a page per body
        pass
    for writer in chosen:
        writer.finish(model)


def choose(renderer: str) -> str:
    if renderer == "auto":
        return "quarto" if shutil.which("quarto") else "builtin"
    return renderer


def run(site: Site, renderer: str = "auto", previous: Path | None = None, executor: str = "local",
        scheduler: str | None = None, workers: int = 1, progress=None, warn=None) -> tuple[str, Path]:
    """Renders into a fresh staging directory; returns the renderer used and the staging path. With
    `executor="dask"` the reports and pages are written as tasks on the cluster (a shared file system is assumed)."""
    out = site.build.staging
    if out.exists():  # what an interrupted build left (no other build runs: the caller holds the lock)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    used = choose(renderer)
    model = pages.read(site, previous)
    render = partial(render_site, model, out, used, previous is None, progress=progress, warn=warn, workers=workers)
    if executor == "dask":
        from .execute import dask_client

        with dask_client(scheduler, workers) as client:
            render(mapper=lambda fn, items: client.gather(client.map(fn, list(items), pure=False)))
    elif workers > 1 and len(model.tasks) > PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            render(mapper=lambda fn, items: pool.map(fn, items, chunksize=8))
    else:
        render()
    return used, out
