"""The organisation's own words: its assessment beside the key messages, its notes on indicators (shown in the
areas), and its next steps, with last year's as follow-up (analysis.commentary reads and writes them)."""

from __future__ import annotations

from IPython.display import HTML

from .. import commentary, paths, tables


def load(build: paths.BuildPaths, org_nr: str, year: str) -> commentary.Commentary:
    """The organisation's own words for this year, and its next steps of the year before (follow-up)."""
    table = build.data / "commentary.parquet"
    if not table.is_file():
        return commentary.Commentary(year)
    key = ("org_nr", "year")
    return commentary.Commentary.of(tables.rows(table, key, org_nr, year), year,
                                    tables.rows(table, key, org_nr, str(int(year) - 1)))


def assessment(r) -> str:
    """The organisation's assessment (HTML), "" when it wrote none."""
    return commentary.assessment_html(r.commentary, r.lang) if r.commentary.assessment else ""


def next_steps(r) -> list:
    """The next steps in the organisation's own words, and last year's as follow-up (nothing when it set out
    none)."""
    html = commentary.actions_html(r.commentary, r.lang)
    return [HTML(html)] if html else []
