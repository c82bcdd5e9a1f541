"""The stages in order, driven by one params file: ingest -> compute -> execute -> render -> publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from . import compute as compute_stage
from . import demo, provenance
from . import execute as execute_stage
from . import ingest as ingest_stage
from . import publish as publish_stage
from . import render as render_stage
from .errors import InputError
from .params import Params
from .paths import BuildPaths


def build_paths(p: Params) -> BuildPaths:
    return BuildPaths(p.output)


def ingest(p: Params) -> ingest_stage.Ingested:
    if p.demo and not p.data.exists():
        demo.generate(p.data)
    return ingest_stage.run(p.data, build_paths(p).data, p.workers)


def compute(p: Params) -> pd.DataFrame:
    b = build_paths(p)
    if not (b.data / "organisations.parquet").is_file():
        raise InputError.one(b.data, "directory", "data", "no ingested data (run ingest first)")
    tables = compute_stage.compute_all(b.data, p.baseline_year, survey_min_n=p.min_n)
    compute_stage.write(tables.national, b.national)
    compute_stage.write(tables.self_evaluation, b.self_evaluation)
    compute_stage.write(tables.indicators, b.indicators)  # last: its presence means compute completed
    return tables.indicators


def report_pairs(p: Params) -> list[tuple[str, str]]:
    """(org_nr, year) of every report the params ask for, in a stable order."""
    b = build_paths(p)
    if not b.indicators.is_file():
        raise InputError.one(b.indicators, "file", "indicators", "no indicator table (run compute first)")
    table = pd.read_parquet(b.indicators, columns=["org_nr", "year"]).drop_duplicates()
    if p.orgs is not None:
        unknown = sorted(set(p.orgs) - set(table["org_nr"]))
        if unknown:
            raise InputError.one(p.source, "key orgs", "orgs", f"not in the data: {', '.join(unknown)}")
        table = table[table["org_nr"].isin(p.orgs)]
    if p.years is not None:
        table = table[table["year"].isin(p.years)]
    return sorted(zip(table["org_nr"], table["year"], strict=True), key=lambda t: (t[1], t[0]))


def execute(p: Params, progress: Callable | None = None,
            pairs: list[tuple[str, str]] | None = None) -> list[execute_stage.Result]:
    """Runs the report of every pair (default: `report_pairs(p)`) and writes the executions summary."""
    b = build_paths(p)
    jobs = execute_stage.jobs_for(report_pairs(p) if pairs is None else pairs, b, p.lang)
    results = execute_stage.run(jobs, p.workers, p.engine, progress)
    execute_stage.write_summary(results, b.executions)
    return results


def render(p: Params) -> tuple[str, Path]:
    b = build_paths(p)
    renderer = render_stage.choose(p.renderer)
    site = render_stage.Site(p.title, p.lang, b)
    record = provenance.collect(p, renderer, [(year, org) for year, org, _ in site.reports()])
    return render_stage.run(replace(site, provenance=record), renderer)


def publish(p: Params) -> Path:
    b = build_paths(p)
    return publish_stage.publish(b.staging, b.site)
