"""Build benchmark: execute and render the reports of one year for the national dataset's organisations,
against the naive loop (papermill's Python API with a fresh kernel, then render, one report at a time)
timed on a sample of reports in the same run.

    python benchmarks/build_bench.py --out benchmarks/out/national [--orgs 600] [--naive 20] [--quarto 60]

With Quarto on PATH it also renders `--quarto` of the executed reports with each renderer (a full render,
the site's other pages included) and prints Quarto's time per report and its ratio to the built-in one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis import analyses, params, paths, pipeline, render
from analysis.model import ReportTask

# issue #16: nbconvert pages keep the ratio ≥ 10×; issue #25: Quarto within 1.5× the built-in renderer
GOALS = {"minutes_600": 6.0, "ratio": 10.0, "quarto": 1.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/national"))
    parser.add_argument("--year", default="2025")
    parser.add_argument("--orgs", type=int, default=600, help="organisations to build (all 600 by default)")
    parser.add_argument("--naive", type=int, default=20, help="reports timed in the naive loop")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quarto", type=int, default=60, help="reports rendered by both renderers (0: none)")
    args = parser.parse_args()
    analyses.registered = lambda *a, **k: []  # the reports alone: registered analyses would add their own cost
    build = paths.BuildPaths(args.out)
    every = sorted(pd.read_parquet(build.data / "organisations.parquet")["org_nr"])
    orgs = every[:: max(1, len(every) // args.orgs)][: args.orgs]  # spread over all types of organisation
    p = params.parse({"data": str(args.out / "dataset"), "output": str(args.out), "years": [args.year],
                      "orgs": orgs, "renderer": "builtin", "workers": str(args.workers)}, "benchmark")
    pipeline.compute(p)
    for stale in (build.reports, build.staging):
        shutil.rmtree(stale, ignore_errors=True)
    start = time.perf_counter()
    results = pipeline.execute(p, force=True)
    render_from = time.perf_counter() - start
    pipeline.render(p, force=True)
    ours = time.perf_counter() - start
    assert all(r.ok for r in results), [r.error for r in results if not r.ok][:3]
    per_report = ours / len(results)
    total_600 = per_report * 600 / 60
    print(f"build: {len(results)} reports executed and rendered in {ours:.0f} s (render {ours - render_from:.0f} s; "
          f"{per_report:.2f} s per report with {args.workers} workers; {total_600:.1f} min for 600, "
          f"goal ≤ {GOALS['minutes_600']:.0f} min)", flush=True)

    # The naive loop: papermill (fresh kernel) then render, one report at a time.
    import papermill

    naive_dir = args.out / "naive"
    shutil.rmtree(naive_dir, ignore_errors=True)
    naive_dir.mkdir(parents=True)
    sample = orgs[:: max(1, len(orgs) // args.naive)][: args.naive]
    site = render.Site("benchmark", "nb", build, newest_year=args.year)
    table = pd.read_parquet(build.indicators)
    start = time.perf_counter()
    for org in sample:
        nb = naive_dir / f"{org}.ipynb"
        papermill.execute_notebook(str(paths.REPORT_NOTEBOOK), str(nb), kernel_name="python3", progress_bar=False,
                                   parameters={"org_nr": org, "year": args.year, "lang": "nb",
                                               "build_dir": str(args.out)})
        out = naive_dir / "site"
        render.write_report(ReportTask(site, args.year, org, org, nb,
                                       table[(table["org_nr"] == org) & (table["year"] == args.year)], None),
                            render.writers(site, out, "builtin", True), out)
    naive = (time.perf_counter() - start) / len(sample)
    ratio = naive / per_report
    print(f"naive loop (papermill + render, one at a time): {naive:.2f} s per report on {len(sample)} reports; "
          f"ratio {ratio:.1f}× (goal ≥ {GOALS['ratio']:.0f}×)")
    met = total_600 <= GOALS["minutes_600"] and ratio >= GOALS["ratio"]
    print("build goals met" if met else "build goals NOT met")
    if args.quarto and shutil.which("quarto"):
        quarto_vs_builtin(p, orgs[:: max(1, len(orgs) // args.quarto)][: args.quarto])
    elif args.quarto:
        print("Quarto renderer: not measured (`quarto` is not on PATH)")


def quarto_vs_builtin(p: params.Params, orgs: list[str]) -> None:
    """Both renderers render the same executed reports from scratch (every page of their site)."""
    seconds = {}
    for renderer in ("builtin", "quarto"):
        start = time.perf_counter()
        used, _ = pipeline.render(replace(p, orgs=tuple(orgs), renderer=renderer), force=True)
        seconds[used] = time.perf_counter() - start
    ratio = seconds["quarto"] / seconds["builtin"]
    print(f"Quarto renderer: {len(orgs)} reports in {seconds['quarto']:.0f} s, {seconds['quarto'] / len(orgs):.2f} s "
          f"per report; built-in {seconds['builtin']:.0f} s, {seconds['builtin'] / len(orgs):.2f} s per report; "
          f"ratio {ratio:.1f}× (goal ≤ {GOALS['quarto']}×): {'met' if ratio <= GOALS['quarto'] else 'NOT met'}")


if __name__ == "__main__":
    main()
