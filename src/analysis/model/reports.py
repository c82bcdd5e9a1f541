"""One report in the model, read in its worker: the executed notebook's content and figures, the analyses shown
beside it, and the tables published with it (the indicators, the procurements behind them)."""

from __future__ import annotations

import nbformat
import pandas as pd
from markupsafe import Markup

from .. import catalogue, i18n, notebooks, procurements
from ..report import MISSING
from ..report import TEXT as REPORT_TEXT
from . import Download, Report, ReportTask, story
from .images import split_images
from .pages import page as make_page

# The columns of the downloadable indicator table (CSV and XLSX), in order.
DOWNLOAD_COLUMNS = ["org_nr", "name", "year", "area", "indicator_id", "title", "unit", "value", "numerator",
                    "denominator", "n", "coverage", "status", "reason", "peer_n", "peer_median", "peer_q1",
                    "peer_q3", "change_prev", "change_baseline"]
PROCUREMENTS_CSV = "procurements.csv"  # <org_nr>.procurements.csv beside the report


def read(task: ReportTask) -> Report:
    """The report of `task`. Its notebooks are read either way (the alt-text check covers every report); a
    reused report's content and tables are not made again, since its files are copied from the previous site."""
    site, lang = task.site, task.lang or task.site.lang
    report = nbformat.read(task.notebook, as_version=4)
    extra = [(name, title, nbformat.read(notebook, as_version=4)) for name, title, notebook in task.analyses]
    notebooks_shown = [(None, report)] + [(name, nb) for name, _, nb in extra]
    lacking = tuple((name, tuple(cells)) for name, nb in notebooks_shown if (cells := notebooks.missing_alt(nb)))
    rel = f"reports/{task.year}/{task.org_nr}.html"
    title = f"{task.name} {task.year}"
    tables, body, figures, told, pages = (), None, [], None, []
    listed = f"{task.org_nr}.{PROCUREMENTS_CSV}"
    if task.previous is not None:  # its files are copied from there: the page links the procurements' CSV if there
        listed = listed if (task.previous / "reports" / task.year / listed).is_file() else None
    else:
        body, figures = split_images(notebooks.html(report), task.org_nr)
        told = story.read(site.build, task.org_nr, task.year, lang)
        tables = _tables(task, lang)
        listed = listed if any(t.name == listed for t in tables) else None
    for (name, heading, nb), (_, _, path) in zip(extra, task.analyses, strict=True):
        html, more = ("", []) if task.previous else split_images(notebooks.html(nb), f"{task.org_nr}-{name}")
        pages.append(make_page(site, f"reports/{task.year}/{task.org_nr}-{name}.html", "analysis",
                               f"{heading}: {title}", lang, more, path, active="report", body=Markup(html),
                               report_href=f"{task.org_nr}.html", report_title=title))
    shown = make_page(site, rel, "report", title, lang, figures, task.notebook, active="report",
                      body=Markup(body or ""), org_nr=task.org_nr, procurements_csv=listed,
                      org_href=f"../../virksomheter/{task.org_nr}.html", name=task.name,
                      analyses=[{"title": t, "href": f"{task.org_nr}-{n}.html"} for n, t, _ in task.analyses])
    return Report(task.year, task.org_nr, task.name, shown, body, tuple(pages), tables,
                  f"{task.org_nr}.xlsx" if tables else None, lacking, task.previous, told)


def _tables(task: ReportTask, lang: str) -> tuple[Download, ...]:
    """The report's downloads: its indicators (a CSV, the workbook's first sheet) and, when it has any, the
    procurements behind them (a CSV of their own, a sheet of the workbook)."""
    if task.table is None:
        return ()
    listed = procurements.load(task.site.build, task.org_nr, task.year, lang).download()
    return (Download(f"{task.org_nr}.csv", downloads(task.table, lang), f"{task.org_nr} {task.year}"),
            *([Download(f"{task.org_nr}.{PROCUREMENTS_CSV}", listed, "procurements")] if len(listed) else []))


def downloads(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One organisation-year of the indicator table as published: suppressed and missing values stay empty,
    and so do their n and coverage. Titles and the reasons for a missing value are in `lang`."""
    cat = catalogue.load()
    words = i18n.text(REPORT_TEXT, lang)
    reasons = [(cat[i].unavailable or {}).get(lang) if status == "unavailable" else
               words[status] if status in MISSING else reason
               for i, status, reason in zip(table["indicator_id"], table["status"], table["reason"], strict=True)]
    frame = table.assign(title=table["indicator_id"].map(lambda i: cat[i].title[lang]), reason=reasons)
    hidden = frame["status"] != "ok"
    frame.loc[hidden, ["n", "coverage"]] = None
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("float64")
    return frame[DOWNLOAD_COLUMNS].reset_index(drop=True)
