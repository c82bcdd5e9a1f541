"""The commands that start an author's work: a new analysis notebook, and a body's commentary on its report."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from .. import paths
from ..errors import InputError
from .common import DEFAULT_PARAMS, ParamsOpt, clean_errors, load_params, out


@clean_errors
def new_analysis(name: Annotated[str, typer.Argument(help="Short name: lower-case letters, digits and _.")],
                 title: Annotated[str | None, typer.Option(help="The analysis's title on the site.")] = None):
    """Scaffold a new parameterised analysis notebook and register it.

    Writes notebooks/analyses/NAME.ipynb (a parameters cell, imports from `analysis`, a narrative cell) and
    adds it to notebooks/analyses/analyses.yaml, so the next build runs it for every organisation × year
    and links it from each report. Open it with `make lab`.

    Example: innomaal new-analysis leverandorer --title "Leverandørene våre"
    """
    from .. import analyses

    notebook = analyses.scaffold(name, title or name.replace("_", " ").capitalize())
    out.print(f"created {notebook} and registered it in {paths.ANALYSES_REGISTRY}")


@clean_errors
def new_commentary(org_nr: Annotated[str, typer.Argument(help="The organisation number (9 digits).")],
                   year: Annotated[str, typer.Argument(help="The year of the report (4 digits).")],
                   params_file: ParamsOpt = DEFAULT_PARAMS):
    """Write a starting commentary file: the organisation's own words in its report of YEAR.

    Writes <data>/commentary/YEAR/ORG_NR.md (never over an existing file): front matter for author and date,
    the report's headline values as comments, a heading per headline indicator and one for the next steps
    (Tiltak). Fill in what you want to say in any text editor; empty sections are not shown. Needs a computed
    build (innomaal compute). See docs/commentary.md.

    Example: innomaal new-commentary 974760673 2025
    """
    from .. import commentary, i18n, pipeline, report
    from ..io import write_text

    p = load_params(params_file)
    build = pipeline.build_paths(p)
    if not build.indicators.is_file():
        raise InputError.one(build.indicators, "file", "indicators", "no indicator table (run compute first)")
    if not re.fullmatch(r"\d{9}", org_nr):
        raise InputError.one("ORG_NR", "argument", "org_nr", f"{org_nr!r} is not a 9-digit organisation number")
    if not re.fullmatch(r"\d{4}", year):
        raise InputError.one("YEAR", "argument", "year", f"{year!r} is not a year")
    plan = pipeline.report_plan(p)
    if org_nr not in {org for org, _ in plan.reports + plan.empty}:
        raise InputError.one("ORG_NR", "argument", "org_nr", f"the organisation {org_nr} is not in the data")
    if (org_nr, year) not in plan.reports:
        raise InputError.one("YEAR", "argument", "year", f"the organisation {org_nr} has no report for {year}")
    target = p.data / commentary.FOLDER / year / f"{org_nr}.md"
    if target.exists():
        raise InputError.one(target, "file", "commentary", "exists already; not overwritten")
    lang = i18n.report_languages(build, p.lang).get(org_nr, p.lang)
    r = report.load(org_nr, year, lang, build.output)
    write_text(target, commentary.starting_file(org_nr, r.name, year, lang, r.headline_values()))
    out.print(f"created {target}: write the organisation's own words in it and build again", markup=False,
              highlight=False, soft_wrap=True)
