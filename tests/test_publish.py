"""Publishing is atomic and builds are reproducible: a killed build leaves the published site as it was,
and building again gives the same bytes as a build that was never interrupted."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from analysis import manifest, publish

CLI = [sys.executable, "-m", "analysis.cli"]


def digests(root: Path) -> dict[str, str]:
    return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(root.rglob("*")) if f.is_file()}


def params_file(tmp_path: Path, data: Path, title: str, orgs: list[str]) -> Path:
    path = tmp_path / f"params-{len(list(tmp_path.glob('params-*')))}.yaml"
    path.write_text(yaml.safe_dump({
        "title": title, "data": str(data), "output": str(tmp_path / "out"), "years": ["2025"], "orgs": orgs,
        "renderer": "builtin", "workers": 2}), encoding="utf-8")
    return path


def build(params: Path, log: Path, *options: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        return subprocess.Popen([*CLI, "build", "--params", str(params), *options], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)


def finish(params: Path, log: Path) -> None:
    proc = build(params, log)
    assert proc.wait(timeout=600) == 0, log.read_text()


@pytest.fixture(scope="module")
def orgs(demo_data) -> list[str]:
    import csv

    with (demo_data / "organisations.csv").open(encoding="utf-8") as f:
        return [row["org_nr"] for row in csv.DictReader(f)][:3]


def test_killed_builds_leave_the_site_intact_and_a_rerun_is_byte_identical(tmp_path, demo_data, orgs):
    same = params_file(tmp_path, demo_data, "Innomål", orgs)
    finish(same, tmp_path / "first.log")
    site = tmp_path / "out" / "site"
    reference = digests(site)
    assert "index.html" in reference and any(k.endswith(".pdf") for k in reference)

    # A build with a new title, killed at several points (the whole process group, as CI does on cancel).
    changed = params_file(tmp_path, demo_data, "Ny tittel", orgs)
    # Kill points by what the build has printed: in ingest, compute, execute and render.
    points = [("ingest …", 0.5, signal.SIGKILL), ("compute …", 0.2, signal.SIGKILL),
              ("execute notebooks", 0.1, signal.SIGKILL), ("render …", 0.2, signal.SIGINT)]
    for i, (marker, delay, sig) in enumerate(points):
        log = tmp_path / f"killed-{i}.log"
        proc = build(changed, log)
        deadline = time.monotonic() + 300
        while marker not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
        proc.wait(timeout=120)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything that outlived an interrupt (kernels)
        except ProcessLookupError:
            pass
        published = "site (builtin renderer)" in log.read_text()
        now = digests(site)
        if not published:
            assert now == reference, f"kill {i} after {delay}s changed the published site"
        else:  # it got through: then the new site is complete
            assert all("Ny tittel" in (site / k).read_text(encoding="utf-8") for k in now if k.endswith(".html"))
        assert not [k for k in now if k.endswith(".tmp") or "/." in k]

    finish(same, tmp_path / "rerun.log")
    assert digests(site) == reference


def test_publish_swaps_whole_directories(tmp_path):
    staging, site = tmp_path / "staging", tmp_path / "site"
    (staging / "a").mkdir(parents=True)
    (staging / "index.html").write_text("new")
    manifest.write(staging)
    site.mkdir()
    (site / "old.html").write_text("old")
    publish.publish(staging, site)
    assert set(digests(site)) == {"index.html", "manifest.json"} and not manifest.verify(site)
    assert not staging.exists() and not (tmp_path / "site.previous").exists()
