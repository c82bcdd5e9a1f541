"""Compute benchmark: every indicator for every organisation and year in one DuckDB pass, against a
straightforward per-organisation, per-year pandas loop computing the same values (P4, P5a, G3, G4, P7a,
P7b, F1a), timed on a sample of organisations in the same run and scaled to all 600. The benchmark asserts
that the loop's numerators and denominators equal the DuckDB pass's.

    python benchmarks/compute_bench.py --data benchmarks/out/national/data [--sample 12]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from analysis import compute

GOALS = {"wall_s": 15.0, "peak_gb": 3.0, "ratio": 20.0}


def timed_compute(data: Path) -> tuple[float, float]:
    """Wall time and peak memory of a fresh process computing everything (imports excluded)."""
    code = ("import sys, time; from pathlib import Path; from analysis import compute; t = time.perf_counter(); "
            f"compute.compute_all(Path({str(data)!r})); print(time.perf_counter() - t)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(done.stdout.strip().splitlines()[-1]), max(peak_kb, before) / 1024 / 1024


def naive(data: Path, orgs: list[str]) -> pd.DataFrame:
    """The straightforward way: load the tables, then for each organisation and year filter and count."""
    notices = pd.read_parquet(data / "notices.parquet")
    buyers = pd.read_parquet(data / "notice_buyers.parquet")
    lots = pd.read_parquet(data / "lots.parquet")
    spend = pd.read_parquet(data / "spend.parquet")
    suppliers = pd.read_parquet(data / "suppliers.parquet").set_index("org_nr")
    surveys = pd.read_parquet(data / "surveys.parquet")
    rows = []
    for org in orgs:
        mine = notices[notices["notice_id"].isin(buyers.loc[buyers["org_nr"] == org, "notice_id"])]
        cn = mine[mine["form_type"] == "competition"]
        for year in sorted(notices["year"].unique()):
            procs = cn[cn["year"] == year]
            if len(procs):
                rows.append((org, year, "P4", procs["procedure_type"].isin(["innovation", "comp-dial"]).sum(),
                             len(procs)))
            my_lots = lots[lots["notice_id"].isin(procs["notice_id"])]
            answered = my_lots[my_lots["sme_suitable"].notna()]  # BT-726 left empty is unknown, not "no"
            if len(answered):
                rows.append((org, year, "P5a", (answered["sme_suitable"] == True).sum(), len(answered)))  # noqa: E712
            # BT-776 is opt-in: only a buyer that fills it in some notice that year answers it for every lot.
            uses_bt776 = lots[lots["notice_id"].isin(mine.loc[mine["year"] == year, "notice_id"])][
                "innovative"].map(len).gt(0).any()
            if len(my_lots) and uses_bt776:
                rows.append((org, year, "G3", my_lots["innovative"].map(lambda c: "mar-nov" in c).sum(),
                             len(my_lots)))
                rows.append((org, year, "G4", my_lots["innovative"].map(lambda c: "org-nov" in c).sum(),
                             len(my_lots)))
            lines = spend[(spend["org_nr"] == org) & (spend["year"] == year)]
            if len(lines):
                joined = lines.join(suppliers, on="supplier_org_nr")
                known = joined[joined["employees"].notna()]
                rows.append((org, year, "P7a", known.loc[known["employees"] < 250, "amount_ore"].sum() / 100,
                             known["amount_ore"].sum() / 100))
                aged = joined[joined["founded"].notna() & joined["org_form"].notna()]
                young = (aged["org_form"].isin(["AS", "ASA"]) & (pd.to_datetime(aged["founded"]) > pd.to_datetime(
                    aged["invoice_date"]) - pd.DateOffset(years=5)))
                rows.append((org, year, "P7b", aged.loc[young, "amount_ore"].sum() / 100,
                             aged["amount_ore"].sum() / 100))
            answers = surveys[(surveys["org_nr"] == org) & (surveys["year"] == year)
                              & (surveys["item_id"] == "strategy_innovation")]["value"].dropna()
            if len(answers):
                rows.append((org, year, "F1a", answers.sum(), len(answers)))
    return pd.DataFrame(rows, columns=["org_nr", "year", "indicator_id", "numerator", "denominator"])


def compare(fast: pd.DataFrame, slow: pd.DataFrame) -> int:
    """The loop's numerators and denominators equal DuckDB's raw ones; returns how many were compared."""
    fast = fast.set_index(["org_nr", "year", "indicator_id"])
    checked = 0
    for row in slow.itertuples(index=False):
        got = fast.loc[(row.org_nr, row.year, row.indicator_id)]
        if got["status"] != "ok":
            continue
        assert abs(float(got["numerator"]) - float(row.numerator)) < 1e-6, (row, got["numerator"])
        assert abs(float(got["denominator"]) - float(row.denominator)) < 1e-6, (row, got["denominator"])
        checked += 1
    return checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("benchmarks/out/national/data"))
    parser.add_argument("--sample", type=int, default=12, help="organisations timed in the pandas loop")
    args = parser.parse_args()
    wall, peak = timed_compute(args.data)
    full = compute.compute_all(args.data).indicators
    orgs = sorted(full["org_nr"].unique())
    sample = orgs[:: max(1, len(orgs) // args.sample)][: args.sample]
    start = time.perf_counter()
    slow = naive(args.data, sample)
    loop = (time.perf_counter() - start) / len(sample) * len(orgs)
    checked = compare(full, slow)
    ratio = loop / wall
    print(f"compute: {wall:.1f} s wall, {peak:.2f} GB peak ({len(full)} rows; goal ≤ {GOALS['wall_s']:.0f} s, "
          f"≤ {GOALS['peak_gb']:.0f} GB)")
    print(f"pandas loop: {loop:.1f} s for {len(orgs)} organisations (timed on {len(sample)}); "
          f"ratio {ratio:.1f}× (goal ≥ {GOALS['ratio']:.0f}×); {checked} values equal")
    met = wall <= GOALS["wall_s"] and peak <= GOALS["peak_gb"] and ratio >= GOALS["ratio"]
    print("compute goals met" if met else "compute goals NOT met")


if __name__ == "__main__":
    main()
