"""Checks that judge the site's content, run once on the model for every writer: images without alt text,
commentary for a year with no report to show it in, links from the index and the organisation pages to reports
(and organisation pages) the site does not have. Each finding is a
warning (default: standard error), or with the params' `strict` an error (InputError: exit 2, nothing
published)."""

from __future__ import annotations

import posixpath
import sys
from pathlib import Path

import pandas as pd

from .. import analyses, paths
from ..errors import InputError, Problem
from . import Report, SiteModel


def run(model: SiteModel, warn=None) -> None:
    """Every check on the model, its reports read."""
    _warn(_alt(model, model.reports) + _commentary(model) + _links(model, model.reports), model.site.strict, warn)


def _alt(model: SiteModel, reports: list[Report]) -> list[Problem]:
    """One problem per notebook (the report's or an analysis') naming its cells whose images have no alt
    text, and one executed copy to look at."""
    build, lacking = model.site.build, {}
    for report in reports:
        for name, cells in report.missing_alt:
            lacking.setdefault((name, cells), []).append(
                report.page.notebook if name is None else build.analysis(name, report.year, report.org_nr))
    sources = {a.name: a.notebook for a in analyses.registered()}
    problems = []
    for (name, cells), executed in sorted(lacking.items(), key=lambda item: (item[0][0] or "", item[0][1])):
        source = paths.REPORT_NOTEBOOK if name is None else sources.get(name, executed[0])
        where = ("cell " if len(cells) == 1 else "cells ") + ", ".join(map(str, cells))
        problems.append(Problem(_shown(source), where, "alt", f"image without alt text in {len(executed)} "
                                f"executed notebook(s), e.g. {_shown(sorted(executed)[0])}"))
    return problems


def _commentary(model: SiteModel) -> list[Problem]:
    """A commentary file for an organisation-year without a report (no data of any kind) is not shown: one
    problem naming the file, never a silent drop."""
    table = model.site.build.data / "commentary.parquet"
    if not table.is_file():
        return []
    files = pd.read_parquet(table, columns=["org_nr", "year", "file"]).drop_duplicates().sort_values("file")
    return [Problem(f.file, "file", "year", f"no report for {f.org_nr} in {f.year} (no data of any kind that "
                    "year): its assessment and notes are not shown")
            for f in files.itertuples(index=False) if (f.org_nr, f.year) in model.empty]


def _links(model: SiteModel, reports: list[Report]) -> list[Problem]:
    """Every link the index and the organisation pages give to another page of the site leads to a page of
    the model (a report that failed or was not asked for is not linked)."""
    there = {p.rel for p in model.pages} | {p.rel for r in reports for p in (r.page, *r.analyses)}
    problems = []
    for page in model.pages:
        content, folder = page.content, page.folder
        hrefs = [row[key] for _, rows in content.get("reports_by_year", []) for row in rows
                 for key in ("href", "org_href") if row[key]]
        hrefs += [f"../reports/{e['year']}/{content['org_nr']}.html" for e in content.get("entries", [])
                  if e["report"]]
        for href in hrefs:
            if posixpath.normpath(posixpath.join(folder, href)) not in there:
                problems.append(Problem(page.rel, "link", "href", f"{href} leads to no page of the site"))
    return problems


def _warn(problems: list[Problem], strict: bool, warn=None) -> None:
    if strict and problems:
        raise InputError(problems)
    for problem in problems:
        (warn or _stderr)(f"warning: {problem}")


def _shown(path: Path) -> str:
    """A path as the user knows it: relative to the project where it is inside it."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
