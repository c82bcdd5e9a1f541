"""Stage 5, publish: check the rendered staging directory, then swap it in as the site, atomically.

A staged site is published only when it matches its manifest (render completed) and every internal link
and asset of it resolves; otherwise the build stops, naming each problem, and the previous site stays.

On Linux the two directories are exchanged with renameat2(RENAME_EXCHANGE), so `output/site` is at every
instant either the complete previous site or the complete new one. Elsewhere two renames are used, and a
run that finds `site` missing restores it from the kept previous copy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from . import links, manifest
from .errors import EXIT_NOT_PUBLISHED, BuildError, InputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def check(staging: Path) -> None:
    """Raises BuildError, one line per problem, unless `staging` matches its manifest and has no broken link."""
    problems = [f"{staging / d.path}: {d.what}" for d in manifest.verify(staging)]
    if not problems:  # links are checked in a complete site
        problems = [f"{staging / b.page}: link {b.link!r}: {b.why}" for b in links.check(staging)]
    if problems:
        raise BuildError([*problems, f"{len(problems)} problem(s) in the rendered site: not published, "
                                     "the previous site is unchanged"], EXIT_NOT_PUBLISHED)


def publish(staging: Path, site: Path) -> Path:
    """Makes `staging` the new `site` once it passes `check`; the previous site is removed only after the swap."""
    if not (staging / "index.html").is_file():
        raise InputError.one(staging, "directory", "index.html", "nothing rendered to publish (run render first)")
    check(staging)
    previous = site.with_name(site.name + ".previous")
    if not site.exists() and previous.exists():  # an interrupted fallback swap: restore first
        os.replace(previous, site)
    if site.exists() and _exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # the previous site; the next render clears what is left
        return site
    shutil.rmtree(previous, ignore_errors=True)
    if site.exists():
        os.replace(site, previous)
    os.replace(staging, site)
    shutil.rmtree(previous, ignore_errors=True)
    return site
