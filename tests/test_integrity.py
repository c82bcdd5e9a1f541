"""Builds that cannot corrupt the published site: one build per output directory at a time, a site that is
kept only when it matches its manifest, and write faults (disk full, no permission) that leave it intact."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import io, links
from analysis import publish as publish_stage
from analysis.cli import app
from analysis.errors import EXIT_BUSY, EXIT_WRITE_FAULT
from tests.test_publish import CLI, build, digests, finish, params_file


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_data) -> tuple[Path, Path, Path]:
    """A published site of three organisations' 2025 reports: (its params file, the same with another title,
    so that a build renders the site again without executing the reports again, its site)."""
    root = tmp_path_factory.mktemp("integrity")
    orgs = list(pd.read_csv(demo_data / "organisations.csv", dtype=str)["org_nr"][:3])
    params = params_file(root, demo_data, "Innomål", orgs)
    finish(params, root / "first.log")
    return params, params_file(root, demo_data, "Ny tittel", orgs), root / "out" / "site"


def verify(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "verify", "--site", str(site)], capture_output=True, text=True, timeout=120)


def test_two_builds_at_once_the_second_waits_and_the_site_stays_whole(built, tmp_path):
    params, _, site = built
    lock = site.parent / ".lock"
    first = build(params, tmp_path / "first.log", "--force")
    deadline = time.monotonic() + 120
    while str(first.pid) not in (lock.read_text() if lock.is_file() else "") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first build ended before the test could start a second one"
    second = build(params, tmp_path / "second.log", "--force")
    busy = subprocess.run([*CLI, "build", "--params", str(params), "--no-wait"], capture_output=True, text=True,
                          timeout=120)
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    logs = [(tmp_path / name).read_text() for name in ("first.log", "second.log")] + [busy.stdout + busy.stderr]
    assert not any("Traceback" in log for log in logs), logs
    assert busy.returncode == EXIT_BUSY
    running = rf"another build of {site.parent}/ is running since \d\d:\d\d"
    # --no-wait names whichever build holds the lock: the first, or the second once the first has ended
    assert re.search(rf"{running} \(pid ({first.pid}|{second.pid})\); not waiting \(--no-wait\)", busy.stderr), \
        busy.stderr
    assert re.search(rf"{running} \(pid {first.pid}\); waiting…", logs[1]), logs[1]
    assert "site (builtin renderer)" in logs[1]
    assert links.check(site) == []
    checked = verify(site)
    assert checked.returncode == 0 and "match manifest.json" in checked.stdout
    assert len(list(site.glob("reports/2025/?????????.html"))) == 3


def test_a_deleted_or_altered_published_file_is_built_again_without_force(built, tmp_path):
    params, _, site = built
    before = digests(site)
    page = sorted(site.glob("reports/2025/?????????.html"))[0]
    pdf = sorted(site.glob("reports/2025/?????????.pdf"))[-1]
    page.unlink()
    pdf.write_bytes(pdf.read_bytes()[:100])
    (site / "assets" / "style.css").unlink()
    checked = verify(site)
    assert checked.returncode == 1
    assert {f"{page}: missing", f"{site}/assets/style.css: missing"} <= set(checked.stdout.splitlines())
    finish(params, tmp_path / "again.log")  # what `make report` runs: an ordinary build
    assert "kept)" not in (tmp_path / "again.log").read_text().split("render …")[1]
    assert digests(site) == before
    assert verify(site).returncode == 0


def _failing(monkeypatch, when, error: int) -> list[str]:
    """Makes every atomic write of a path for which `when(path)` holds fail with `error` after writing part
    of the file (as a full disk does); returns the list the failing paths are appended to."""
    real, failed = io.atomic_write, []

    def atomic_write(path: Path, write) -> None:
        if not when(Path(path)):
            return real(path, write)

        def partly(tmp: Path) -> None:
            write(tmp)
            failed.append(str(path))
            raise OSError(error, "simulated", str(tmp))
        return real(path, partly)
    monkeypatch.setattr(io, "atomic_write", atomic_write)
    return failed


def _in(part: str):
    return lambda path: part in path.parts


def _named(name: str):
    return lambda path: path.name == name


@pytest.mark.parametrize("stage, when, error", [
    ("ingest", _in("data"), errno.EACCES),
    ("compute", _named("indicators.parquet"), errno.ENOSPC),
    ("execute", _named("executions.json"), errno.EACCES),
    ("render", _in("staging"), errno.ENOSPC),
    ("render", _named("manifest.json"), errno.EACCES),
    ("publish", None, errno.EACCES),
])
def test_a_write_fault_in_any_stage_is_one_clear_error_and_the_site_stays_byte_identical(
        built, monkeypatch, stage, when, error):
    """A build with a new title (every page rendered again; with --force for the stages before execute,
    which otherwise have nothing to do) meets a full disk or a refused write in one stage."""
    _, retitled, site = built
    before = digests(site)
    if stage == "publish":  # no renameat2 here, and the output directory refuses the renames
        real = publish_stage.os.replace

        def replace(src, dst):
            if Path(src) in (site, site.parent / "staging"):
                raise PermissionError(error, os.strerror(error), str(src))
            return real(src, dst)
        monkeypatch.setattr(publish_stage, "_exchange", lambda a, b: False)
        monkeypatch.setattr(publish_stage.os, "replace", replace)
        failed = [str(site)]
    else:
        failed = _failing(monkeypatch, when, error)
    force = ["--force"] if stage in ("ingest", "compute") else []
    result = CliRunner().invoke(app, ["build", "--params", str(retitled), *force])
    assert result.exit_code == EXIT_WRITE_FAULT, result.output
    assert failed, f"the {stage} stage wrote nothing that could fail"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {failed[0]}: {os.strerror(error)}; nothing was published, "
                      "the site is unchanged"], result.stderr
    assert "Traceback" not in result.output
    assert digests(site) == before
    assert not [p for p in site.parent.rglob("*.tmp")]
