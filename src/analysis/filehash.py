"""Content hashes (SHA-256) of input files, computed once per build and, through an index kept under the
build's output directory, not again in the next build for files that did not change.

A build needs each input file's hash three times: for the ingest key (`incremental.files_key`), for the
per-file notice cache and for provenance.json. All three ask `sha256()`, which remembers each file's hash
in the process under its stat stamp (size, modification time, change time and inode), so a file is read
once per build. At national scale (150,000 notice files, about 4 GB) reading everything again in the next
build would take longer than the ingest it protects, so `index()` keeps the stamps between builds, as git's
index does.

The trade-off: an unchanged stamp is taken to mean unchanged content. The stamp holds the change time
(ctime), which every write and every `touch`/`utime` sets to the current time and which no ordinary program
can set back, so a file rewritten with the same size and a restored modification time is still seen as
changed. What the index cannot see: content changed behind the file system's back (a disk edited directly,
a network file system without change times, a clock set backwards). A file changed within the file system's
timestamp granularity of being hashed could keep its stamp, so stamps younger than RACY_SECONDS are never
written to the index (git's "racily clean" rule): such files are hashed again next time. Deleting the
index makes the next build hash every file again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .io import write_text

RACY_SECONDS = 2
INDEX_VERSION = 1
Stamp = tuple[int, int, int, int]

_known: dict[str, tuple[Stamp, str]] = {}  # absolute path -> (stamp, sha256), for this process
_used: set[str] = set()  # paths whose hash was asked for since the index was opened


def files_below(root: Path, suffix: str = "", skip_hidden: bool = False) -> list[str]:
    """The relative paths (with /) of the files below `root` whose names end in `suffix`, sorted component by
    component as sorted(Path) sorts. One scandir pass: pathlib's rglob and sort take about ten times as long
    for 150,000 files."""
    def walk(top: str, parts: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        with os.scandir(top) as entries:
            for entry in entries:
                if entry.is_dir():
                    yield from walk(entry.path, (*parts, entry.name))
                elif entry.is_file() and entry.name.endswith(suffix) and not (
                        skip_hidden and entry.name.startswith(".")):
                    yield (*parts, entry.name)
    return ["/".join(parts) for parts in sorted(walk(str(root), ()))] if root.is_dir() else []


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def sha256(path: str | os.PathLike) -> str:
    """The file's SHA-256 (hex), read again only when its stat stamp changed."""
    return _remembered(path) or _read(path)


def _remembered(path: str | os.PathLike) -> str | None:
    """The file's SHA-256 if its stamp is the one it was hashed under, else None."""
    name = os.path.abspath(path)
    known = _known.get(name)
    if known is None or known[0] != _stamp(os.stat(name)):
        return None
    _used.add(name)
    return known[1]


def _read(path: str | os.PathLike) -> str:
    name = os.path.abspath(path)
    with open(name, "rb") as f:
        stamp = _stamp(os.fstat(f.fileno()))
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    _known[name] = (stamp, digest)
    _used.add(name)
    return digest


def remember(path: str | os.PathLike, stamp: Stamp, digest: str) -> None:
    """Takes `digest` as the file's hash under `stamp` (what another process read when the file had that
    stamp), so that the file is not read again here."""
    name = os.path.abspath(path)
    _known[name] = (stamp, digest)
    _used.add(name)


def sha256_many(files: Iterable[str | os.PathLike], unreadable_ok: bool = False, threads: int = 4) -> list:
    """The SHA-256 of each file, in order (None for a file that cannot be read, with `unreadable_ok`).
    Remembered hashes are looked up here; hashing releases the GIL, so the files to read are read and
    hashed by threads in parallel."""
    def attempt(step, path):
        try:
            return step(path)
        except OSError:
            if unreadable_ok:
                return None
            raise

    files = list(files)
    found = [attempt(_remembered, f) for f in files]
    todo = [i for i, digest in enumerate(found) if digest is None]
    if todo:
        with ThreadPoolExecutor(threads) as pool:
            for i, digest in zip(todo, pool.map(attempt, [_read] * len(todo), [files[i] for i in todo]), strict=True):
                found[i] = digest
    return found


@contextmanager
def index(path: Path) -> Iterator[None]:
    """Remembers the stamps and hashes written to `path` by the previous build, and writes the ones asked
    for in this build (files no longer asked for drop out) when the block ends, atomically."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("version") == INDEX_VERSION:
            for name, (size, mtime, ctime, ino, digest) in saved["files"].items():
                _known.setdefault(name, ((size, mtime, ctime, ino), digest))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass  # no index, or not one this code wrote: every file is hashed
    _used.clear()
    try:
        yield
    finally:
        settled = time.time_ns() - RACY_SECONDS * 1_000_000_000
        files = {name: [*stamp, digest] for name in sorted(_used)
                 for stamp, digest in [_known[name]] if max(stamp[1], stamp[2]) < settled}
        write_text(path, json.dumps({"version": INDEX_VERSION, "files": files}, separators=(",", ":")) + "\n")
