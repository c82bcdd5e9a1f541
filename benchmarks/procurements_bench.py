"""A body with about 400 procurements a year against one with about 10 (issue #36: under 2× the time): the
demo generator makes both (the same trajectory, 400 and 10 notices a year), and each one's 2025 report is
executed (papermill parameters, a warm kernel) and rendered (HTML, then PDF) on its own, best of three. The
report's list of procurements is folded, so the page does not grow with it; the PDF prints
a table of more than 40 rows as one paragraph per row.

Example: .venv/bin/python benchmarks/procurements_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import demo, notebooks, params, pipeline, report  # noqa: E402
from analysis.writers import pdf  # noqa: E402

CALLS = [lambda r: r.title(), lambda r: r.key_messages(), lambda r: r.scorecard(), lambda r: r.effects_chain(),
         lambda r: r.next_steps(), *(lambda r, a=a: r.section(a) for a in ("rammebetingelser", "innkjopspraksis",
                                                                             "gevinster", "spredning",
                                                                             "samfunnseffekter")),
         lambda r: r.peers(), lambda r: r.self_evaluation(), lambda r: r.summary(), lambda r: r.procurements(),
         lambda r: r.method()]
SMALL, LARGE = 3, 1  # the demo bodies made small and large: notices a year
SIZES = {SMALL: 12, LARGE: 480}


def main() -> None:
    demo.BODIES = [(b[0], b[1], SIZES.get(k, b[2]), *b[3:]) for k, b in enumerate(demo.BODIES)]
    small_name, large_name = demo.BODIES[SMALL][0], demo.BODIES[LARGE][0]
    with tempfile.TemporaryDirectory() as tmp:
        data = demo.generate(Path(tmp) / "data")
        p = params.parse({"data": str(data), "output": f"{tmp}/out", "years": ["2025"], "renderer": "builtin",
                          "workers": "1"}, "bench")
        pipeline.ingest(p)
        pipeline.compute(p)
        listed = pd.read_parquet(p.output / "procurements.parquet")
        orgs = pd.read_parquet(p.output / "data" / "organisations.parquet")
        times = {}
        for org, name in zip(orgs["org_nr"], orgs["name"], strict=True):
            if name not in (small_name, large_name):
                continue
            n = int(((listed["org_nr"] == org) & (listed["year"] == "2025")).sum())
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                pipeline.execute(p, pairs=[(org, "2025")], force=True)
                executed = nbformat.read(pipeline.build_paths(p).report("2025", org), as_version=4)
                html = notebooks.html(executed)
                (p.output / "site").mkdir(parents=True, exist_ok=True)
                pdf.write(html, f"{name} 2025", "nb", p.output / "site" / f"{org}.pdf", p.output / "site")
                best = min(best, time.perf_counter() - start)
            # The report's own work without the kernel's start: the notebook's calls in this process, its HTML
            # and PDF (what a warm kernel and the renderer do for each report of a build).
            shown: list = []
            report.display = lambda obj, shown=shown: shown.append(getattr(obj, "data", ""))
            own = float("inf")
            for _ in range(3):
                shown.clear()
                start = time.perf_counter()
                r = report.load(org, "2025", "nb", p.output)
                for call in CALLS:
                    call(r)
                html = "".join(str(x) for x in shown)
                pdf.write(html, f"{name} 2025", "nb", p.output / "site" / f"{org}-own.pdf", p.output / "site")
                own = min(own, time.perf_counter() - start)
            times[name] = (n, best, own)
    (small_n, small, small_own), (large_n, large, large_own) = times[small_name], times[large_name]
    print(f"procurements: a report of {small_n} procurements {small:.2f} s, of {large_n} procurements {large:.2f} s "
          f"(execute in a new kernel, HTML and PDF); ratio {large / small:.2f} (goal under 2)")
    print(f"  the report's own work (its calls, HTML and PDF, no kernel start): {small_own:.2f} s and "
          f"{large_own:.2f} s; ratio {large_own / small_own:.2f}")


if __name__ == "__main__":
    main()
