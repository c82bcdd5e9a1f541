"""The stages in order, driven by one params file: ingest -> compute -> execute -> render -> publish."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from . import analyses, demo, filehash, incremental, manifest, orgyears, provenance
from . import compute as compute_stage
from . import execute as execute_stage
from . import ingest as ingest_stage
from . import publish as publish_stage
from . import render as render_stage
from .errors import InputError, Problem
from .io import write_text
from .params import Params
from .paths import BuildPaths


def build_paths(p: Params) -> BuildPaths:
    return BuildPaths(p.output)


def ingest(p: Params, force: bool = False, progress: Callable | None = None) -> ingest_stage.Ingested:
    """Reads the dataset; skipped when no dataset file and no code changed since the last ingest."""
    if p.demo and not p.data.exists():
        demo.generate(p.data)
    b = build_paths(p)
    if not p.data.is_dir():
        raise InputError.one(p.data, "directory", "data", "the dataset directory does not exist")

    def key(hashes: dict[str, str | None]) -> str:
        return incremental.digest(incremental.code_key(), incremental.files_key(hashes), p.strict)

    # Every input file is read once per build, and not again in the next build while its stamp is the same.
    # The key describes what ingest read: the other files are hashed before ingest reads them, and a notice
    # under the hash its worker parsed it with (with an empty notice cache, no notice file is read before).
    with filehash.index(b.file_hashes):
        previous = None if force or not b.quality.is_file() else incremental.read(b.data_key)
        if previous:
            hashes = filehash.hashes_below(p.data, unreadable_ok=True)
            if (known := key(hashes)) == previous:
                return ingest_stage.Ingested({}, json.loads(b.quality.read_text(encoding="utf-8")), cached=True)
        else:
            hashes = filehash.hashes_below(p.data, leave_out=lambda f: f.startswith("notices/") and f.endswith(".xml"),
                                           unreadable_ok=True)
        b.data_key.unlink(missing_ok=True)
        result = ingest_stage.run(p.data, b.data, p.workers, progress, p.strict, cache=b.notice_cache,
                                  source_cache=b.source_cache)
    read = hashes | {f: h for f, h in result.notice_hashes.items()  # hidden files are no inputs (provenance)
                     if not filehash.hidden(f)}
    write_text(b.data_key, (known if previous and read == hashes else key(read)) + "\n")
    return result


def compute(p: Params, force: bool = False) -> pd.DataFrame:
    """Every indicator; skipped when the ingested data, `min_n`, the baseline year and the code are unchanged."""
    b = build_paths(p)
    if not (b.data / "organisations.parquet").is_file():
        raise InputError.one(b.data, "directory", "data", "no ingested data (run ingest first)")
    if p.strict and b.quality.is_file():  # data ingested leniently is not computed in strict mode
        refused = json.loads(b.quality.read_text(encoding="utf-8")).get("refused", [])
        if refused:
            raise InputError([Problem(str(p.data / r["file"]), r["where"], r["field"], r["reason"])
                              for r in refused])
    key = incremental.digest(incremental.read(b.data_key), p.baseline_year, p.min_n, incremental.code_key())
    if not force and incremental.read(b.compute_key) == key and b.indicators.is_file():
        return pd.read_parquet(b.indicators)
    b.compute_key.unlink(missing_ok=True)
    tables = compute_stage.compute_all(b.data, p.baseline_year, survey_min_n=p.min_n)
    compute_stage.write(tables.national, b.national)
    compute_stage.write(tables.self_evaluation, b.self_evaluation)
    compute_stage.write(tables.basis, b.basis)
    compute_stage.write(tables.procurements, b.procurements)
    compute_stage.write(tables.flags, b.procurement_flags)
    compute_stage.write(tables.examples, b.examples)
    compute_stage.write(tables.indicators, b.indicators)
    write_text(b.compute_key, key + "\n")  # last: its presence means compute completed
    return tables.indicators


def report_plan(p: Params) -> orgyears.Plan:
    """The organisation-years the params ask for, split into those with data (a report each) and those
    with no data of any kind (no report: their organisation page and the index say so)."""
    b = build_paths(p)
    if not b.indicators.is_file():
        raise InputError.one(b.indicators, "file", "indicators", "no indicator table (run compute first)")
    table = pd.read_parquet(b.indicators, columns=["org_nr", "year", "status"])
    if p.orgs is not None:
        unknown = sorted(set(p.orgs) - set(table["org_nr"]))
        if unknown:
            raise InputError.one(p.source, "key orgs", "orgs", f"not in the data: {', '.join(unknown)}")
    held = pd.read_parquet(b.basis, columns=["org_nr", "year"]) if b.basis.is_file() else None
    return orgyears.plan(table, p.orgs, p.years, held)


def report_pairs(p: Params) -> list[tuple[str, str]]:
    """(org_nr, year) of every report the params ask for, in a stable order: only organisation-years with
    data of any kind."""
    return report_plan(p).reports


def _remove_empty(b: BuildPaths) -> None:
    """Removes what earlier builds executed for organisation-years that now have no data at all (their data
    was withdrawn), so no stage finds a report of theirs: notebooks, failed runs and keys, with the analyses'."""
    for org, year in orgyears.read(b.indicators, basis=b.basis).empty:
        notebooks = [b.report(year, org), *(b.analysis(a.name, year, org) for a in analyses.registered())]
        for notebook in notebooks:
            for stale in (notebook, notebook.with_suffix(".key"), notebook.with_suffix(".failed.ipynb"),
                          notebook.with_suffix(".running.ipynb")):
                stale.unlink(missing_ok=True)


def execute(p: Params, progress: Callable | None = None, pairs: list[tuple[str, str]] | None = None,
            force: bool = False) -> list[execute_stage.Result]:
    """Runs the report of every pair (default: `report_pairs(p)`) whose content key changed, and writes the
    executions summary. Reports whose key is unchanged are kept as they are (`cached`)."""
    b = build_paths(p)
    pairs = report_pairs(p) if pairs is None else pairs
    _remove_empty(b)
    keys = incremental.report_keys(b, pairs, p.lang)
    jobs = execute_stage.jobs_for(pairs, b, p.lang)
    job_keys = [keys[pair] for pair in pairs]
    report_jobs = list(jobs)
    for a in analyses.registered():  # each registered analysis runs beside every report, with its parameters
        notebook_key = incremental.digest(provenance.sha256(a.notebook))
        for (org, year), report_job in zip(pairs, report_jobs, strict=True):
            jobs.append(execute_stage.Job(str(a.notebook), str(b.analysis(a.name, year, org)),
                                          dict(report_job.parameters)))
            job_keys.append(incremental.digest(keys[(org, year)], notebook_key))
    todo, kept = [], {}
    for job, key in zip(jobs, job_keys, strict=True):
        key_file = Path(job.output).with_suffix(".key")
        if not force and incremental.read(key_file) == key and Path(job.output).is_file():
            kept[job.output] = execute_stage.Result(job.output, job.parameters, True, 0.0, cached=True)
        else:
            key_file.unlink(missing_ok=True)
            todo.append(job)
    if progress:
        for result in kept.values():
            progress(result)
    done = {r.output: r for r in execute_stage.run(todo, p.workers, p.engine, progress, executor=p.executor,
                                                   scheduler=p.scheduler)}
    for job, key in zip(jobs, job_keys, strict=True):
        if job.output in done and done[job.output].ok:
            write_text(Path(job.output).with_suffix(".key"), key + "\n")
    results = [kept.get(job.output) or done[job.output] for job in jobs]
    execute_stage.write_summary(results, b.executions)
    return results


def render(p: Params, force: bool = False, progress: Callable | None = None) -> tuple[str, Path | None]:
    """Renders the site into staging, with its manifest. Reports whose render key the published site
    recorded, and whose files there match its manifest, are copied from it; when nothing changed and the
    published site matches its manifest, nothing is rendered (returns no staging path)."""
    b = build_paths(p)
    renderer = render_stage.choose(p.renderer)
    site = render_stage.Site(p.title, p.lang, b, strict=p.strict, orgs=p.orgs, years=p.years,
                             deck_template=p.deck_template)
    reports = [(year, org) for year, org, _ in site.reports()]
    newest = max((year for year, _ in reports), default="")
    registered = analyses.registered()
    keys = {(year, org): incremental.digest(
        incremental.read(b.report(year, org).with_suffix(".key")), p.title, p.lang, newest, renderer,
        provenance.sha256(p.deck_template) if p.deck_template else "",  # the decks' layouts
        *(f"{a.name}:{a.title}:{incremental.read(b.analysis(a.name, year, org).with_suffix('.key'))}"
          for a in registered)) for year, org in reports}
    with filehash.index(b.file_hashes):  # no input file read again when ingest ran in this process or before
        record = provenance.collect(p, renderer, reports, keys)
    site_key = incremental.digest(json.dumps(record, sort_keys=True), incremental.read(b.compute_key),
                                  b.executions.read_text(encoding="utf-8") if b.executions.is_file() else "")
    if not force and incremental.read(b.site_key) == site_key and not manifest.verify(b.site):
        return renderer, None  # the published site is what this build would render, and it is intact
    b.site_key.unlink(missing_ok=True)
    used, staging = render_stage.run(replace(site, provenance=record, newest_year=newest or None), renderer,
                                     previous=None if force else b.site,
                                     executor=p.executor, scheduler=p.scheduler, workers=p.workers,
                                     progress=progress)
    manifest.write(staging)
    write_text(staging.parent / ".staging.key", site_key + "\n")
    return used, staging


def publish(p: Params) -> Path:
    """Swaps the rendered staging site in (atomically); nothing to do when render found nothing changed."""
    b = build_paths(p)
    pending = b.staging.parent / ".staging.key"
    if not b.staging.exists() and incremental.read(b.site_key) and (b.site / "index.html").is_file():
        return b.site
    site = publish_stage.publish(b.staging, b.site)
    if pending.is_file():
        os.replace(pending, b.site_key)
    return site
