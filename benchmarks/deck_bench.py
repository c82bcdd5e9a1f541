"""Deck benchmark (issue #39): the build time per report with and without the deck (<org_nr>.pptx).

    python benchmarks/deck_bench.py [--out benchmarks/out/deck] [--year 2025]

Builds the demo dataset's reports of one year once (ingest, compute, execute; reused while they are there),
then renders them twice from scratch, with the deck and without it (the story and the deck writer replaced
by nothing), best of `--repeat` each. The build time per report is execute plus render; the goal is that the
deck adds at most 20 % to it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from analysis import demo, params, pipeline, render
from analysis.model import reports as reports_model
from analysis.writers.deck import Deck

GOAL = 1.20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/deck"))
    parser.add_argument("--year", default="2025")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    data = args.out / "data"
    if not data.is_dir():
        demo.generate(data)
    p = params.parse({"data": str(data), "output": str(args.out / "output"), "years": [args.year],
                      "renderer": "builtin", "workers": str(args.workers)}, "deck-bench")
    pipeline.ingest(p)
    pipeline.compute(p)
    start = time.perf_counter()
    results = pipeline.execute(p, force=True)
    reports = sum(Path(r.output).stem.isdigit() for r in results)  # the analyses beside them are part of the cost
    execute = (time.perf_counter() - start) / reports

    def rendered() -> float:
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            pipeline.render(p, force=True)
            best = min(best, time.perf_counter() - start)
        return best / reports

    with_deck = rendered()
    # Without the deck: no story read (model.reports) and no deck written (the Deck writer left out).
    keep = reports_model.story.read, render.writers
    reports_model.story.read = lambda *args: None
    render.writers = lambda *args, **kwargs: tuple(w for w in keep[1](*args, **kwargs) if not isinstance(w, Deck))
    try:
        without = rendered()
    finally:
        reports_model.story.read, render.writers = keep
    ratio = (execute + with_deck) / (execute + without)
    print(f"{reports} reports of {args.year}, {args.workers} workers: execute {execute:.3f} s per report; "
          f"render {without:.3f} s without the deck, {with_deck:.3f} s with it")
    print(f"build per report: {execute + without:.3f} s without the deck, {execute + with_deck:.3f} s with it: "
          f"{ratio:.2f}× (goal ≤ {GOAL:.2f}×: {'met' if ratio <= GOAL else 'not met'})")


if __name__ == "__main__":
    main()
