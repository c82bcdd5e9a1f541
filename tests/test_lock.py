"""The output directory's lock: exclusive, says who holds it, released by the kernel when its holder dies,
and not taken by read-only commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from analysis import lock, manifest
from analysis.cli import app
from analysis.errors import EXIT_BUSY, BuildError


def test_a_second_holder_is_refused_with_the_holders_pid_and_start(tmp_path):
    out = tmp_path / "out"
    minutes = {time.strftime("%H:%M")}
    with lock.hold(out):
        minutes.add(time.strftime("%H:%M"))  # the minute may turn while the test runs
        with pytest.raises(BuildError) as caught, lock.hold(out, wait=False):
            pass
    assert caught.value.exit_code == EXIT_BUSY
    assert caught.value.lines in [[f"another build of {out}/ is running since {minute} (pid {os.getpid()}); "
                                   "not waiting (--no-wait)"] for minute in minutes]
    with lock.hold(out, wait=False):  # released on leaving the block
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    out = tmp_path / "out"
    code = f"from pathlib import Path; from analysis import lock\nwith lock.hold(Path({str(out)!r})):\n" \
           "    print('held', flush=True); import time; time.sleep(600)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildError), lock.hold(out, wait=False):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    with lock.hold(out, wait=False):  # the kernel released it with the process
        pass


def test_verify_does_not_wait_for_a_build(tmp_path):
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    manifest.write(out / "site")
    with lock.hold(out):
        result = CliRunner().invoke(app, ["verify", "--site", str(out / "site")])
    assert result.exit_code == 0, result.output
