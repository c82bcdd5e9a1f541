"""`make bench`: generates the national-scale datasets once, then runs the XML ingest, compute and build
benchmarks, and the fetch client's against a replay of a national Doffin year.

Each prints its figures and its ratio against a baseline measured in the same run. Scale them down for a
quick look with BENCH_SCALE (dataset size) and BENCH_ORGS (reports built).
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "national"


def main() -> None:
    scale = os.environ.get("BENCH_SCALE", "1.0")
    orgs = os.environ.get("BENCH_ORGS", "600")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    version = hashlib.sha256(Path(__file__).with_name("generate.py").read_bytes()).hexdigest()[:12]
    marker = OUT / "data" / f".scale-{scale}-{version}"  # a new generator (new columns) makes the data again
    if not marker.is_file():
        for old in (OUT / "data").glob(".scale-*"):
            old.unlink()
        subprocess.run([sys.executable, "benchmarks/generate.py", "--out", str(OUT / "data"), "--scale", scale],
                       check=True)
        marker.touch()
    notices = str(round(150_000 * float(scale)))
    subprocess.run([sys.executable, "benchmarks/ingest_bench.py", "--count", notices], check=True)
    subprocess.run([sys.executable, "benchmarks/compute_bench.py", "--data", str(OUT / "data")], check=True)
    subprocess.run([sys.executable, "benchmarks/build_bench.py", "--out", str(OUT), "--orgs", orgs], check=True)
    subprocess.run([sys.executable, "benchmarks/fetch_bench.py"], check=True)
    subprocess.run([sys.executable, "benchmarks/procurements_bench.py"], check=True)
    subprocess.run([sys.executable, "benchmarks/deck_bench.py"], check=True)


if __name__ == "__main__":
    main()
