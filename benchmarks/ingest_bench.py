"""National scale from XML: ingest of 150,000 notice files (benchmarks/notices.py varies the real Doffin
notices), cold and then incremental with the per-file notice cache, against one process parsing everything.

- cold: an empty output directory (no notice cache, no file-hash index): every file hashed and parsed, then
  distinct notices, tables and Parquet, as `innomaal ingest` runs it (`pipeline.ingest`, 2 workers).
- +1,000 files: 1,000 new notice files added, ingest again (only they are parsed); then they are removed.
- 1 changed: one file's content changed, ingest again (only it is parsed); then it is put back.
  Both are repeated (--repeat, each time with other new files and another change) and the median is
  compared with the goal: on this machine one run of a few seconds varies by a third from one to the next.
- baseline: one process parsing every file (`eforms.parse_file`, no pool, no cache), timed on an evenly
  spread sample (--sample) and scaled to all files, once just before the cold ingest and once just after
  it: the ratios take the mean of the two, so that they compare runs made at the same speed of the machine.

Each ingest runs in a fresh process (wall time and that process's peak memory; the pool's workers are
reported apart). The files are generated once into benchmarks/out/notices and reused while the generator's
version and the count are the same. Every file is read once before the first ingest, so that all runs find
them in the OS page cache (this machine's cache does not keep 5 GB for long: read from its disk, the same
files take a cold ingest 20-30 s longer, and the figures would depend on what ran before).

    python benchmarks/ingest_bench.py [--count 150000] [--sample 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import notices as generator

HERE = Path(__file__).resolve().parent
FILES = HERE / "out" / "notices"
BUILD = HERE / "out" / "ingest"
GOALS = {"cold_s": 60.0, "incremental_s": 5.0}

INGEST = """
import json, resource, sys, time
from pathlib import Path
from analysis import params, pipeline
p = params.parse({"data": sys.argv[1], "output": sys.argv[2], "workers": "2"}, "ingest-bench")
t = time.perf_counter()
result = pipeline.ingest(p)
wall = time.perf_counter() - t
cpu = sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
print(json.dumps({"wall": wall, "cpu": cpu, "rows": result.quality["rows"], "refused": len(result.quality["refused"]),
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
                  "workers_peak_gb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6}))
"""

BASELINE = """
import json, sys, time
from pathlib import Path
from analysis.ingest import eforms
files = [Path(line) for line in sys.stdin.read().splitlines()]
t = time.perf_counter()
for f in files:
    try:
        eforms.parse_file(f)
    except (eforms.InputError, eforms.NotProcurement):
        pass
print(json.dumps({"wall": time.perf_counter() - t}))
"""


def ensure_files(count: int) -> list[Path]:
    """The generated notice files, made again only when the generator's version or the count changed."""
    marker = FILES / f".generated-v{generator.VERSION}-{count}"
    if not marker.is_file():
        if FILES.exists():
            shutil.rmtree(FILES)  # only our own generated folder
        subprocess.run([sys.executable, str(HERE / "notices.py"), "--out", str(FILES), "--count", str(count)],
                       check=True)
        marker.touch()
    return sorted((FILES / "notices").glob("**/*.xml"))


def warm(files: list[Path]) -> tuple[int, float]:
    """Reads every file once (into the OS page cache): their total size and the seconds it took."""
    started = time.perf_counter()
    size = sum(len(f.read_bytes()) for f in files)
    return size, time.perf_counter() - started


def ingest() -> dict:
    done = subprocess.run([sys.executable, "-c", INGEST, str(FILES), str(BUILD)], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline(files: list[Path], sample: int) -> float:
    """Seconds for one process to parse all `files`, timed on `sample` of them spread evenly."""
    step = max(1, len(files) // sample)
    chosen = files[::step]
    done = subprocess.run([sys.executable, "-c", BASELINE], input="\n".join(map(str, chosen)),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["wall"] * len(files) / len(chosen)


def add_files(count: int, seed: int) -> Path:
    """`count` new notice files (another seed), in a folder of their own below the dataset."""
    extra = HERE / "out" / "notices-extra"
    if extra.exists():
        shutil.rmtree(extra)
    generator.generate(extra, count, seed=seed)
    target = FILES / "notices" / "added"
    shutil.move(extra / "notices", target)
    shutil.rmtree(extra)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=150_000)
    parser.add_argument("--sample", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each incremental case (the median counts)")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores; other work on the machine slows every figure)")
    files = ensure_files(args.count)
    size, reading = warm(files)
    print(f"notice files: {len(files):,} ({size / 1e9:.1f} GB, {size / len(files) / 1e3:.0f} KB on average; "
          f"ready in {time.perf_counter() - started:.0f} s, of which {reading:.0f} s reading them once)")
    if BUILD.exists():
        shutil.rmtree(BUILD)
    before = baseline(files, args.sample)
    cold = ingest()
    after = baseline(files, args.sample)
    changed = files[len(files) // 2]
    original = changed.read_bytes()
    runs: dict[str, list[dict]] = {"+1,000 files": [], "1 file changed": []}
    for i in range(args.repeat):
        added = add_files(1_000, seed=7 + i)
        try:
            runs["+1,000 files"].append(ingest())
        finally:
            shutil.rmtree(added)
        try:
            changed.write_bytes(re.sub(rb"<cbc:IssueDate>\d{4}", b"<cbc:IssueDate>2019", original, count=1)
                                .replace(b"</cbc:ContractFolderID>", f"-changed{i}</cbc:ContractFolderID>".encode(), 1))
            runs["1 file changed"].append(ingest())
        finally:
            changed.write_bytes(original)
    base = (before + after) / 2
    rows = cold["rows"]
    print(f"ingest cold: {cold['wall']:.1f} s wall, {cold['peak_gb']:.2f} GB peak "
          f"(workers {cold['workers_peak_gb']:.2f} GB); {rows['notices']:,} notices, {rows['lots']:,} lots, "
          f"{cold['refused']} files refused "
          f"(goal ≤ {GOALS['cold_s']:.0f} s) — {base / cold['wall']:.1f}× one process parsing everything; "
          f"{cold['cpu']:.0f} CPU-s in all processes")
    medians = {}
    for name, done in runs.items():
        walls = sorted(run["wall"] for run in done)
        medians[name] = statistics.median(walls)
        print(f"ingest {name}: {medians[name]:.1f} s wall, median of {len(walls)} ({walls[0]:.1f}–{walls[-1]:.1f}), "
              f"{max(run['peak_gb'] for run in done):.2f} GB peak (goal ≤ {GOALS['incremental_s']:.0f} s) — "
              f"{base / medians[name]:.0f}× one process parsing everything")
    print(f"one process parsing everything: {base:.0f} s ({before:.0f} s before the cold ingest, {after:.0f} s after; "
          f"timed on {len(files[::max(1, len(files) // args.sample)]):,}"
          f" files spread over the set, scaled to {len(files):,})")
    met = cold["wall"] <= GOALS["cold_s"] and max(medians.values()) <= GOALS["incremental_s"]
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("ingest goals met" if met else "ingest goals NOT met")


if __name__ == "__main__":
    main()
