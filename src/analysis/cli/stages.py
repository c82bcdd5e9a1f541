"""The pipeline's stages, one command each (ingest, compute, execute, render, publish), and `build`, which runs
them all."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from .common import (
    DEFAULT_PARAMS,
    ExecutorOpt,
    ForceOpt,
    NoWaitOpt,
    ParamsOpt,
    SchedulerOpt,
    StrictOpt,
    clean_errors,
    err,
    load_params,
    locked,
    out,
    progress_bars,
    progress_callback,
)


@clean_errors
def ingest(params_file: ParamsOpt = DEFAULT_PARAMS, strict: StrictOpt = False, no_wait: NoWaitOpt = False):
    """Stage 1: read and validate the dataset directory; write normalised Parquet tables.

    Third-party files that cannot be read (notices, TED CSV rows, register files) are refused and listed in
    output/data/quality.json, and the rest goes on; --strict makes each an error (exit 2).

    Examples: innomaal ingest --params params/demo.yaml
              innomaal ingest --params params/annual.yaml --strict
    """

    p = load_params(params_file, strict="true" if strict else None)
    with locked(p, no_wait):
        result = _ingest(p)
    _quality(result.quality)
    _refusals(result.quality, _quality_file(p))


def _ingest(p, force: bool = False):
    from .. import pipeline

    with progress_bars() as bar:
        return pipeline.ingest(p, force, progress=progress_callback(bar, "ingest notices"))


def _quality_file(p) -> Path:
    from .. import pipeline

    return pipeline.build_paths(p).quality


def _refusals(quality: dict, where: Path | str) -> None:
    """The closing summary of what ingest refused and skipped ("12 notices refused, 2 skipped: see …")."""
    refused, skipped = len(quality.get("refused", [])), len(quality.get("skipped", []))
    if refused or skipped:
        err.print(f"{refused} refused, {skipped} skipped (not procurement notices): see {where}",
                  markup=False, highlight=False, soft_wrap=True)


def _quality(quality: dict) -> None:
    table = Table(title="Data quality", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, rows in quality["rows"].items():
        table.add_row(f"rows: {name}", str(rows))
    for what, count in quality["counts"].items():
        table.add_row(what, str(count))
    for code in quality["unknown_codes"]:
        table.add_row(f"unknown code {code}", "")
    for reason, count in quality.get("refused_by_reason", {}).items():
        table.add_row(f"refused: {reason}", str(count))
    for reason, count in quality.get("skipped_by_reason", {}).items():
        table.add_row(f"skipped: {reason}", str(count))
    out.print(table)


@clean_errors
def compute(params_file: ParamsOpt = DEFAULT_PARAMS,
            data: Annotated[Path | None, typer.Option(help="A dataset directory: ingest it and compute.")] = None,
            out_path: Annotated[Path | None,
                                typer.Option("--out", help="Write the table here (.csv or .parquet).")] = None,
            baseline_year: Annotated[str | None, typer.Option(help="Baseline year (default: the first year).")] = None,
            strict: StrictOpt = False, no_wait: NoWaitOpt = False):
    """Stage 2: compute every indicator for every organisation and year (one DuckDB pass).

    With --strict, data whose ingest refused anything is not computed (exit 2, naming what was refused).

    Examples: innomaal compute --params params/demo.yaml
              innomaal compute --data my-dataset --out indicators.csv --strict
    """
    from .. import compute as compute_mod
    from .. import ingest as ingest_mod
    from .. import pipeline

    if data is not None:
        import tempfile

        if out_path is None or out_path.suffix not in (".csv", ".parquet"):
            raise InputError.one(str(out_path), "option --out", "out", "give a path ending in .csv or .parquet")
        with tempfile.TemporaryDirectory() as tmp:
            ingested = ingest_mod.run(data, Path(tmp), strict=strict)
            frame = compute_mod.compute(Path(tmp), baseline_year)
        compute_mod.write(frame, out_path)
        _quality(ingested.quality)
        _refusals(ingested.quality, "the data-quality table above")
        out.print(f"{len(frame)} rows written to {out_path}")
        return
    p = load_params(params_file, baseline_year=baseline_year, strict="true" if strict else None)
    with locked(p, no_wait):
        frame = pipeline.compute(p)
    if out_path is not None:
        compute_mod.write(frame, out_path)
    out.print(f"{len(frame)} indicator rows written to {pipeline.build_paths(p).indicators}")


@clean_errors
def execute(params_file: ParamsOpt = DEFAULT_PARAMS,
            engine: Annotated[str | None, typer.Option(help="warm (kept-warm kernels) or papermill.")] = None,
            workers: Annotated[int | None, typer.Option(help="Parallel workers (default: the cores).")] = None,
            executor: ExecutorOpt = None, scheduler: SchedulerOpt = None, force: ForceOpt = False,
            no_wait: NoWaitOpt = False):
    """Stage 3: run notebooks/report.ipynb for every organisation and year (papermill parameters).

    Reports whose data, notebook and code are unchanged since their last run are kept (use --force to run
    them all again).

    Examples: innomaal execute --params params/demo.yaml --workers 2
              innomaal execute --executor dask --scheduler tcp://10.0.0.5:8786
    """
    p = load_params(params_file, engine=engine, workers=str(workers) if workers else None, executor=executor,
                scheduler=scheduler)
    with locked(p, no_wait):
        failures = _execute(p, force)
    if failures:
        raise typer.Exit(1)


def _execute(p, force: bool = False) -> list:
    from .. import analyses, pipeline

    pairs = pipeline.report_pairs(p)
    with progress_bars() as bar:
        advance = progress_callback(bar, "execute notebooks")
        advance(total=len(pairs) * (1 + len(analyses.registered())))
        results = pipeline.execute(p, progress=lambda result: advance(), pairs=pairs, force=force)
    kept = sum(1 for r in results if r.cached)
    if kept:
        err.print(f"{kept} of {len(results)} reports unchanged (kept)")
    failures = [r for r in results if not r.ok]
    for r in failures:
        err.print(f"failed: report {r.parameters['org_nr']} {r.parameters['year']}: {r.error}", markup=False)
    return failures


@clean_errors
def render(params_file: ParamsOpt = DEFAULT_PARAMS,
           renderer: Annotated[str | None, typer.Option(help="auto, builtin or quarto.")] = None,
           executor: ExecutorOpt = None, scheduler: SchedulerOpt = None, force: ForceOpt = False,
           no_wait: NoWaitOpt = False):
    """Stage 4: render the executed notebooks into the staging site (Quarto when installed).

    Nothing is rendered when the published site is up to date; reports the published site already holds
    for the same content are copied from it.

    Example: innomaal render --params params/demo.yaml --renderer builtin
    """

    p = load_params(params_file, renderer=renderer, executor=executor, scheduler=scheduler)
    with locked(p, no_wait):
        used, staging = _render(p, force)
    out.print(f"rendered with {used} into {staging}" if staging else "the published site is up to date")


def _render(p, force: bool = False):
    """The render stage with a progress bar (rate and ETA) over the reports."""
    from .. import pipeline

    with progress_bars() as bar:
        return pipeline.render(p, force, progress=progress_callback(bar, "render reports"))


@clean_errors
def publish(params_file: ParamsOpt = DEFAULT_PARAMS, no_wait: NoWaitOpt = False):
    """Stage 5: check the staging site (its manifest, every internal link), then swap it in as output/site.

    A staging site with a broken link or a file that differs from its manifest is not published (exit 3).

    Example: innomaal publish --params params/demo.yaml
    """
    from .. import pipeline

    p = load_params(params_file)
    with locked(p, no_wait):
        site = pipeline.publish(p)
    out.print(f"published {site / 'index.html'}")


@clean_errors
def build(params_file: ParamsOpt = DEFAULT_PARAMS,
          renderer: Annotated[str | None, typer.Option(help="auto, builtin or quarto.")] = None,
          workers: Annotated[int | None, typer.Option(help="Parallel workers (default: the cores).")] = None,
          executor: ExecutorOpt = None, scheduler: SchedulerOpt = None, force: ForceOpt = False,
          year: Annotated[list[str] | None, typer.Option(help="Only this year (repeat for more).")] = None,
          strict: StrictOpt = False, no_wait: NoWaitOpt = False):
    """Run every stage: ingest, compute, execute, render, publish; print the site's index.html.

    Incremental: a stage (or a report) whose inputs are unchanged since the last build is not done again,
    so a rebuild with nothing changed takes seconds; a published file that no longer matches the site's
    manifest is built again. --force builds everything. One build per output directory runs at a time:
    another waits for it, or with --no-wait exits with code 75. Refused third-party files are listed in
    output/data/quality.json and the build goes on; --strict stops it instead (exit 2).


    Examples: innomaal build --params params/demo.yaml
              innomaal build --params params/annual.yaml --year 2025
              innomaal build --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from .. import pipeline

    p = load_params(params_file, renderer=renderer, workers=str(workers) if workers else None, executor=executor,
                scheduler=scheduler, years=list(year) if year else None, strict="true" if strict else None)
    with locked(p, no_wait):
        err.print("ingest …")
        ingested = _ingest(p, force)
        if ingested.cached:
            err.print("  dataset unchanged (kept)")
        _refusals(ingested.quality, _quality_file(p))
        err.print("compute …")
        with err.status("computing every indicator (one DuckDB pass)"):
            pipeline.compute(p, force)
        failures = _execute(p, force)
        err.print("render …")
        used, staging = _render(p, force)
        if staging is None:
            err.print("  site unchanged and intact (kept)")
        site = pipeline.publish(p)
    out.print(f"site ({used} renderer): {site / 'index.html'}")
    if failures:
        err.print(f"{len(failures)} report(s) failed; they are listed on the index page")
        raise typer.Exit(1)
