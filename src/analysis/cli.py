"""The `innomaal` command: one subcommand per pipeline stage, and `build` to run them all.

Bad input ends with one line per problem (file, row or element, field) and exit code 2, never a
traceback; a report that fails to execute ends the build with exit code 1 after the rest is published.
Commands that write to the output directory hold its lock (`analysis.lock`): a second build waits, or
with --no-wait exits with code 75. A rendered site with a broken link is not published (exit 3); a file
that cannot be written (disk full, no permission) is named on one line (exit 74).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from . import paths
from .errors import EXIT_WRITE_FAULT, WRITE_FAULTS, BuildError, InputError, Problem

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Innomål: indicators and reports on innovative public procurement (DFØ's framework).\n\n"
                       "Stages: ingest -> compute -> execute -> render -> publish; `build` runs them all.\n\n"
                       "Example: innomaal build --params params/demo.yaml")
out = Console()
err = Console(stderr=True)

ParamsOpt = Annotated[Path, typer.Option("--params", "-p", help="Params file (YAML).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Any refused notice, TED row or register file is an "
                                                           "error (exit 2), as `strict: true` in params.")]
DEFAULT_PARAMS = paths.PARAMS / "demo.yaml"


def _error(line: str) -> None:
    err.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)


def clean_errors(fn):
    """Turns input errors into one line per problem on stderr and exit code 2, build errors into their
    lines and exit code, and a failed write (disk full, no permission) into one line naming the file."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                _error(str(problem))
            raise typer.Exit(2) from None
        except BuildError as exc:
            for line in exc.lines:
                _error(line)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno not in WRITE_FAULTS:
                raise
            _error(f"{exc.filename or 'a file'}: {exc.strerror}; nothing was published, the site is unchanged")
            raise typer.Exit(EXIT_WRITE_FAULT) from None
        except KeyboardInterrupt:
            err.print("interrupted: the published site is unchanged")
            raise typer.Exit(130) from None
    return wrapper


NoWaitOpt = Annotated[bool, typer.Option("--no-wait", help="When another build of the same output directory "
                                                           "is running, exit (code 75) instead of waiting.")]


def _locked(p, no_wait: bool = False):
    """The output directory's lock, held while a command writes to it."""
    from . import lock

    return lock.hold(p.output, wait=not no_wait,
                     notify=lambda message: err.print(message, markup=False, highlight=False, soft_wrap=True))


def _params(path: Path, **overrides):
    from . import params

    return params.load(path, **overrides)


@app.command()
@clean_errors
def demo(out_dir: Annotated[Path, typer.Option("--out", help="Where to write the dataset.")] = paths.DEMO_DATA,
         seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 20261129):
    """Write the demo dataset (12 fictional public bodies, 2019-2025) in the input layout.

    Example: innomaal demo --out data/demo
    """
    from . import demo as demo_mod

    demo_mod.generate(out_dir, seed)
    out.print(f"demo dataset written to {out_dir}")


@app.command()
@clean_errors
def ingest(params_file: ParamsOpt = DEFAULT_PARAMS, strict: StrictOpt = False, no_wait: NoWaitOpt = False):
    """Stage 1: read and validate the dataset directory; write normalised Parquet tables.

    Third-party files that cannot be read (notices, TED CSV rows, register files) are refused and listed in
    output/data/quality.json, and the rest goes on; --strict makes each an error (exit 2).

    Examples: innomaal ingest --params params/demo.yaml
              innomaal ingest --params params/annual.yaml --strict
    """

    p = _params(params_file, strict="true" if strict else None)
    with _locked(p, no_wait):
        result = _ingest(p)
    _quality(result.quality)
    _refusals(result.quality, _quality_file(p))


def _bar(bar: Progress, description: str, total: int | None = None):
    """A progress callback: `progress(total=n)` sets the total, `progress()` advances by one."""
    task = bar.add_task(description, total=total)

    def progress(total: int | None = None) -> None:
        if total is not None:
            bar.update(task, total=total)
        else:
            bar.advance(task)
    return progress


def _ingest(p, force: bool = False):
    from . import pipeline

    with _progress() as bar:
        return pipeline.ingest(p, force, progress=_bar(bar, "ingest notices"))


def _quality_file(p) -> Path:
    from . import pipeline

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


@app.command()
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
    from . import compute as compute_mod
    from . import ingest as ingest_mod
    from . import pipeline

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
    p = _params(params_file, baseline_year=baseline_year, strict="true" if strict else None)
    with _locked(p, no_wait):
        frame = pipeline.compute(p)
    if out_path is not None:
        compute_mod.write(frame, out_path)
    out.print(f"{len(frame)} indicator rows written to {pipeline.build_paths(p).indicators}")


ExecutorOpt = Annotated[str | None, typer.Option(help="local (a process pool here) or dask (a Dask cluster).")]
SchedulerOpt = Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                                                       "(default with --executor dask: a local cluster).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Build everything again, even what is up to date.")]


class RateColumn(ProgressColumn):
    """Reports per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "–/s")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                    TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err, transient=False)


@app.command()
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
    p = _params(params_file, engine=engine, workers=str(workers) if workers else None, executor=executor,
                scheduler=scheduler)
    with _locked(p, no_wait):
        failures = _execute(p, force)
    if failures:
        raise typer.Exit(1)


def _execute(p, force: bool = False) -> list:
    from . import analyses, pipeline

    pairs = pipeline.report_pairs(p)
    with _progress() as bar:
        advance = _bar(bar, "execute notebooks")
        advance(total=len(pairs) * (1 + len(analyses.registered())))
        results = pipeline.execute(p, progress=lambda result: advance(), pairs=pairs, force=force)
    kept = sum(1 for r in results if r.cached)
    if kept:
        err.print(f"{kept} of {len(results)} reports unchanged (kept)")
    failures = [r for r in results if not r.ok]
    for r in failures:
        err.print(f"failed: report {r.parameters['org_nr']} {r.parameters['year']}: {r.error}", markup=False)
    return failures


@app.command()
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

    p = _params(params_file, renderer=renderer, executor=executor, scheduler=scheduler)
    with _locked(p, no_wait):
        used, staging = _render(p, force)
    out.print(f"rendered with {used} into {staging}" if staging else "the published site is up to date")


def _render(p, force: bool = False):
    """The render stage with a progress bar (rate and ETA) over the reports."""
    from . import pipeline

    with _progress() as bar:
        return pipeline.render(p, force, progress=_bar(bar, "render reports"))


@app.command()
@clean_errors
def publish(params_file: ParamsOpt = DEFAULT_PARAMS, no_wait: NoWaitOpt = False):
    """Stage 5: check the staging site (its manifest, every internal link), then swap it in as output/site.

    A staging site with a broken link or a file that differs from its manifest is not published (exit 3).

    Example: innomaal publish --params params/demo.yaml
    """
    from . import pipeline

    p = _params(params_file)
    with _locked(p, no_wait):
        site = pipeline.publish(p)
    out.print(f"published {site / 'index.html'}")


@app.command()
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
    from . import pipeline

    p = _params(params_file, renderer=renderer, workers=str(workers) if workers else None, executor=executor,
                scheduler=scheduler, years=list(year) if year else None, strict="true" if strict else None)
    with _locked(p, no_wait):
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


@app.command()
@clean_errors
def fetch(data: Annotated[Path, typer.Option("--data", help="The dataset directory to fetch into (made when absent).")],
          org: Annotated[list[str] | None, typer.Option("--org", help="A body's organisation number (repeat for "
                                                                      "more).")] = None,
          national: Annotated[bool, typer.Option("--national", help="Every notice of the period, of every buyer "
                                                                    "(the national picture).")] = False,
          year_from: Annotated[int | None, typer.Option("--from", help="First year (default: last year).")] = None,
          year_to: Annotated[int | None, typer.Option("--to", help="Last year (default: this year).")] = None,
          sources: Annotated[str, typer.Option(help="What to fetch, comma-separated: doffin (notices), brreg "
                                                    "(Enhetsregisteret units), accounts (Regnskapsregisteret).")]
          = "doffin,brreg,accounts",
          api_key_file: Annotated[Path | None, typer.Option(help="A file holding the Doffin API key (else "
                                                                 "DOFFIN_API_KEY).")] = None,
          rate: Annotated[float, typer.Option(help="Requests a second to each API, at most.")] = 2.0,
          concurrency: Annotated[int, typer.Option(help="Downloads under way at once.")] = 2,
          refresh: Annotated[bool, typer.Option("--refresh", help="Ask the registers again for units and "
                                                                  "accounts already fetched.")] = False):
    """Fetch the public data about bodies into a dataset directory, and make its organisation list.

    Doffin notices (DIR/notices/doffin/<doffinId>.xml), the Enhetsregisteret units of their buyers and
    winners (DIR/suppliers/), the winners' accounts (DIR/accounts/); DIR/organisations.csv is written, or the
    missing bodies are added to it, each typed from the register (docs/real-data.md), and DIR/params.yaml is
    written when absent. Interrupted, it continues where it stopped when run again; a run with nothing new
    fetches nothing. Needs a Doffin API key (free): DOFFIN_API_KEY or --api-key-file.

    Examples: innomaal fetch --data data/nav --org 889640782 --from 2023
              innomaal fetch --data data/norge --national --from 2024 --to 2024
    """
    import datetime

    from . import fetch as fetch_mod
    from .fetch.http import Policy
    from .orgnr import normalise

    today = datetime.date.today()
    chosen = tuple(s.strip() for s in sources.split(",") if s.strip())
    problems = []
    if bad := [s for s in chosen if s not in fetch_mod.SOURCES]:
        problems.append(("--sources", f"{', '.join(bad)}: not a source (choose from {', '.join(fetch_mod.SOURCES)})"))
    orgs = []
    for raw in org or []:
        if (number := normalise(raw)) is None:
            problems.append(("--org", f"{raw!r} is not a valid organisation number (9 digits, MOD11)"))
        else:
            orgs.append(number)
    if not orgs and not national:
        problems.append(("--org", "name a body with --org ORG_NR (or use --national)"))
    first, last = year_from or today.year - 1, year_to or today.year
    if not 2017 <= first <= last <= today.year:
        problems.append(("--from/--to", f"{first}–{last}: the years must run from 2017 (Doffin's first) to "
                                        f"{today.year}, first before last"))
    if rate <= 0 or concurrency < 1:
        problems.append(("--rate/--concurrency", "the rate must be above 0 and the concurrency at least 1"))
    if problems:
        raise InputError([Problem("innomaal fetch", "option", o, m) for o, m in problems])
    doffin_url, brreg_url = fetch_mod.urls()
    key = fetch_mod.read_key(api_key_file) if "doffin" in chosen else None
    request = fetch_mod.Request(data=data, orgs=tuple(sorted(set(orgs))), first=first, last=last, sources=chosen,
                                national=national, refresh=refresh, key=key, today=today,
                                policy=Policy(rate=rate, concurrency=concurrency),
                                doffin_url=doffin_url, brreg_url=brreg_url)
    try:
        with _progress() as bar:
            summary = fetch_mod.run(request, lambda what, total: _bar(bar, what, total))
    except fetch_mod.KeyRefused as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    except fetch_mod.doffin.SearchFailed as exc:
        _error(f"{exc}; what was fetched so far is kept, run the same command again to continue")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted: what was fetched is kept; run the same command again to continue")
        raise typer.Exit(130) from None
    _fetch_summary(summary, data)


def _fetch_summary(summary, data: Path) -> None:
    table = Table(title="Fetched", show_header=True)
    for col in ("source", "asked", "found", "already there", "fetched", "refused"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for t in summary.tallies:
        table.add_row(t.name, str(t.asked), str(t.found), str(t.already), str(t.fetched), str(len(t.refused)))
    out.print(table)
    say = functools.partial(out.print, markup=False, highlight=False, soft_wrap=True)
    for t in summary.tallies:
        for what, why in t.refused:
            say(f"refused: {t.name}: {what}: {why}")
        for note in t.notes:
            say(f"note: {t.name}: {note}")
    if summary.types:
        from .fetch.orgtypes import RULES

        rules = ", ".join(f"{summary.types[r]} by {r}" for r in RULES if summary.types[r])
        say(f"organisations.csv: {summary.added} added; types: {rules} (rules: docs/real-data.md)")
    for body in summary.untyped:
        say(f"not typed (org_type 'other'; correct it in organisations.csv): {body}")
    if summary.params_written:
        say(f"written: {data / 'params.yaml'}")
    say(f"next: innomaal build --params {data / 'params.yaml'}")


@app.command("new-analysis")
@clean_errors
def new_analysis(name: Annotated[str, typer.Argument(help="Short name: lower-case letters, digits and _.")],
                 title: Annotated[str | None, typer.Option(help="The analysis's title on the site.")] = None):
    """Scaffold a new parameterised analysis notebook and register it.

    Writes notebooks/analyses/NAME.ipynb (a parameters cell, imports from `analysis`, a narrative cell) and
    adds it to notebooks/analyses/analyses.yaml, so the next build runs it for every organisation × year
    and links it from each report. Open it with `make lab`.

    Example: innomaal new-analysis leverandorer --title "Leverandørene våre"
    """
    from . import analyses

    notebook = analyses.scaffold(name, title or name.replace("_", " ").capitalize())
    out.print(f"created {notebook} and registered it in {paths.ANALYSES_REGISTRY}")


@app.command("new-commentary")
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
    from . import commentary, i18n, pipeline, report
    from .io import write_text

    p = _params(params_file)
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


@app.command()
@clean_errors
def templates(out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the workbooks to.")],
              lang: Annotated[str, typer.Option(help="Language of the workbooks: nb, nn or en.")] = "nb"):
    """Write one Excel workbook per source an organisation supplies itself, to fill in: self-evaluation,
    survey answers, gain register, contract register, post-contract evaluations and competence (training).

    Each has an instructions sheet, headers in the chosen language with each column's key in brackets, lists
    of the allowed values and example rows (never read). Put a filled-in workbook in the dataset's folder its
    instructions name (surveys/, gains/, contracts/, evaluations/, training/) and build again.

    Example: innomaal templates --out maler --lang nn
    """
    from . import i18n, workbooks

    if lang not in i18n.LANGS:
        raise InputError.one("--lang", "option", "lang", f"{lang!r} is not one of {', '.join(i18n.LANGS)}")
    for path in workbooks.write(out_dir, lang):
        out.print(str(path), markup=False, highlight=False)


@app.command()
@clean_errors
def indicators(format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
               lang: Annotated[str, typer.Option(help="nb, nn or en.")] = "nb"):
    """Print the indicator catalogue (every indicator with its definition and metadata).

    Examples: innomaal indicators
              innomaal indicators --format json
    """
    from . import catalogue

    cat = catalogue.load()
    if format == "json":
        sys.stdout.write(json.dumps({"areas": cat.areas, "settings": cat.settings,
                                     "indicators": [i.public() for i in cat.indicators]},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title="Indicator catalogue")
    for col in ("id", "area", "title", "unit", "polarity", "privacy", "min n", "computable"):
        table.add_column(col)
    for i in cat.indicators:
        table.add_row(i.id, i.area, i.title[lang], i.unit, i.polarity, i.privacy or "–",
                      str(i.min_n) if i.persons else "–", "yes" if i.computable else "no")
    out.print(table)


@app.command()
@clean_errors
def verify(params_file: ParamsOpt = DEFAULT_PARAMS,
           site: Annotated[Path | None, typer.Option(help="A published site or a copy of it (default: the "
                                                          "params' output/site).")] = None):
    """Check a published site against its manifest.json: list every file missing, altered or not listed.

    Exit code 0 when the site matches, 1 when anything differs. Read-only: it does not wait for a build.

    Examples: innomaal verify
              innomaal verify --site /var/www/innovasjon
    """
    from . import manifest, pipeline

    site = site if site is not None else pipeline.build_paths(_params(params_file)).site
    if not site.is_dir():
        raise InputError.one(site, "directory", "site", "no such directory")
    differences = manifest.verify(site)
    for d in differences:
        out.print(f"{site / d.path}: {d.what}", markup=False, highlight=False, soft_wrap=True)
    if differences:
        err.print(f"{len(differences)} difference(s) from {site / manifest.NAME}", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    files = len(manifest.read(site))
    out.print(f"{site}: all {files} files match {manifest.NAME}", markup=False, highlight=False, soft_wrap=True)


@app.command()
@clean_errors
def serve(params_file: ParamsOpt = DEFAULT_PARAMS,
          port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000):
    """Preview the published site on http://127.0.0.1:PORT (local only).

    Example: innomaal serve --port 8000
    """
    import http.server

    from . import pipeline

    site = pipeline.build_paths(_params(params_file)).site
    if not (site / "index.html").is_file():
        raise InputError.one(site, "directory", "index.html", "no published site (run build first)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        out.print(f"serving {site} on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        httpd.serve_forever()


if __name__ == "__main__":
    app()
