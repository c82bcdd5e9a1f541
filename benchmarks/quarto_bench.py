"""Quarto in parallel (issue #38): the demo year built with the Quarto renderer against the built-in renderer,
measured in the same run: a build from an empty output directory (ingest, compute, execute, render, publish) and
a build after one body's data changed (a goal's text in gains/goals.csv: that body's report executed again and
its pages rendered again). Quarto runs in the build's workers (`--workers`, default the machine's cores), and
once more in one Quarto process (the rest of the build still in the workers) for comparison: its build is the
render before issue #38; its rebuild renders the changed pages as one render in a copy of the project.

    python benchmarks/quarto_bench.py [--year 2025] [--workers 2] [--rounds 1]

Each variant builds into its own output directory from its own copy of the demo data, so no build reuses
another's work. With `--rounds` above 1 the variants run again in reverse order and the ratios are the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import demo, params, pipeline  # noqa: E402
from analysis.writers import quarto_run  # noqa: E402

# issue #38: the demo year in at most 2× the built-in renderer's time, a rebuild after one body's change in 1.5×
GOALS = {"build": 2.0, "rebuild": 1.5}


def build(p: params.Params) -> float:
    start = time.perf_counter()
    pipeline.ingest(p)
    pipeline.compute(p)
    results = pipeline.execute(p)
    pipeline.render(p)
    pipeline.publish(p)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok][:3]
    return time.perf_counter() - start


def change_one_body(data: Path) -> None:
    """One goal's text of the second body in gains/goals.csv, as tests/test_incremental.py changes it."""
    goals = data / "gains" / "goals.csv"
    frame = pd.read_csv(goals, dtype=str, keep_default_na=False)
    body = sorted(frame["org_nr"].unique())[1]
    first = frame.index[frame["org_nr"] == body][0]
    frame.loc[first, "text"] = frame.loc[first, "text"] + " (endret)"
    frame.to_csv(goals, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/quarto"))
    parser.add_argument("--year", default="2025")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("quarto") is None:
        sys.exit("quarto_bench: `quarto` is not on PATH; nothing measured")
    # each variant: its renderer, and the fewest pages a Quarto process gets (all of them: one process)
    variants = {"builtin": ("builtin", quarto_run.MIN_SHARE), "quarto": ("quarto", quarto_run.MIN_SHARE),
                "quarto, one process": ("quarto", 10**9)}
    shutil.rmtree(args.out, ignore_errors=True)
    data = demo.generate(args.out / "demo-data")
    times: dict[str, dict[str, list[float]]] = {name: {"build": [], "rebuild": []} for name in variants}
    for round_ in range(args.rounds):
        order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
        ps = {}
        for k, name in enumerate(order):
            renderer, quarto_run.MIN_SHARE = variants[name]
            root = args.out / f"round{round_}-{k}"
            shutil.copytree(data, root / "data")
            # The Quarto writer renders its pages in the build's workers; the reports are rendered by a pool of
            # them in either renderer (PARALLEL_FROM reports and more).
            ps[name] = params.parse({"data": str(root / "data"), "output": str(root / "out"), "years": [args.year],
                                     "renderer": renderer, "workers": str(args.workers)}, "benchmark")
            times[name]["build"].append(build(ps[name]))
            print(f"  {name}: build {times[name]['build'][-1]:.1f} s", flush=True)
        for name in order:
            quarto_run.MIN_SHARE = variants[name][1]
            change_one_body(ps[name].data)
            times[name]["rebuild"].append(build(ps[name]))
            print(f"  {name}: after one body's change {times[name]['rebuild'][-1]:.1f} s", flush=True)
    base = {kind: statistics.median(times["builtin"][kind]) for kind in GOALS}
    print(f"demo year {args.year}, {args.workers} workers, {args.rounds} round(s), load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    for kind, goal in GOALS.items():
        label = "build" if kind == "build" else "build after one body's change"
        for name in variants:
            seconds = statistics.median(times[name][kind])
            ratio = seconds / base[kind]
            verdict = "" if name == "builtin" else (f" (goal ≤ {goal}×: {'met' if ratio <= goal else 'NOT met'})"
                                                    if name == "quarto" else "")
            print(f"{label}, {name}: {seconds:.1f} s, {ratio:.2f}× the built-in renderer's{verdict}")


if __name__ == "__main__":
    main()
