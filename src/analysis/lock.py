"""One build per output directory at a time: an exclusive `flock` on `output/.lock`.

The kernel releases the lock when its holder ends, however it ends (killed, crashed), so there are no stale
locks to clean up. The holder writes its pid and start time into the file, only so that a second build can
say whom it is waiting for. Read-only commands (`serve`, `verify`) do not take the lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import EXIT_BUSY, BuildError
from .paths import BuildPaths


def _holder(lock: Path) -> str:
    """'since 10:42 (pid 1234)' from the lock file, or '' while its holder has not written it yet."""
    try:
        pid, started = lock.read_text(encoding="utf-8").split()
        when = time.localtime(float(started))
    except (OSError, ValueError):
        return ""
    same_day = time.strftime("%Y-%m-%d", when) == time.strftime("%Y-%m-%d")
    return f" since {time.strftime('%H:%M' if same_day else '%Y-%m-%d %H:%M', when)} (pid {pid})"


@contextmanager
def hold(output: Path, wait: bool = True, notify: Callable[[str], None] = print,
         what: str = "build") -> Iterator[None]:
    """Holds the lock of `output` for the block. When another process holds it: waits, after telling
    `notify` whom for, or with `wait=False` raises BuildError (exit code EXIT_BUSY) saying the same. `what`
    names the holder in that message (a build, a fetch)."""
    lock = BuildPaths(output).lock
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = f"another {what} of {output}/ is running{_holder(lock)}"
            if not wait:
                raise BuildError(f"{busy}; not waiting (--no-wait)", EXIT_BUSY) from None
            notify(f"{busy}; waiting…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
        yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock
