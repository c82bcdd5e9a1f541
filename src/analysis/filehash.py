"""Content hashes (SHA-256) of input files, computed once per build and, through an index kept under the
build's output directory, not again in the next build for files that did not change.

A build needs each input file's hash three times: for the ingest key (`incremental.files_key`), for the
per-file notice cache and for provenance.json. All three ask `sha256()`, which remembers each file's hash
in the process under its stat stamp (size, modification time, change time and inode), so a file is read
once per build; a notice file parsed by an ingest worker is not read for hashing at all, since the worker
hashes the bytes it parses and `remember()` takes that hash under the stamp the worker saw. At national
scale (150,000 notice files, about 5 GB) reading everything again in the next build would take longer than
the ingest it protects, so `index()` keeps the stamps between builds, as git's index does.

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
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .io import atomic_write

RACY_SECONDS = 2
INDEX_VERSION = 2
Stamp = tuple[int, int, int, int]

_known: dict[str, tuple[Stamp, str]] = {}  # absolute path -> (stamp, sha256), for this process
_used: dict[str, None] = {}  # paths whose hash was asked for since the index was opened, in the order asked
_listed: dict[str, list[str]] = {}  # absolute folder -> every file below it, listed once inside index()
_fresh: set[str] = set()  # paths hashed by this process (their stamps may be too young for the index)
_session = False  # inside index()
_changed = False  # a hash was read or taken since the index was opened


def files_below(root: Path, suffix: str = "", skip_hidden: bool = False) -> list[str]:
    """The relative paths (with /) of the files below `root` whose names end in `suffix` (and do not start with
    a dot, nor a folder's on the way, with `skip_hidden`), sorted component by component as sorted(Path) sorts.
    Inside `index()` a folder is listed once: a folder below one listed before is taken from that listing (the
    build works from one snapshot of its inputs, and listing 150,000 files takes about half a second)."""
    folder = os.path.abspath(root)
    if not _session:
        listing = _walk(folder)
    elif (listing := _listed.get(folder)) is None:
        above = next((f for f in _listed if folder.startswith(os.path.join(f, ""))), None)
        if above is None:
            listing = _listed[folder] = _walk(folder)
        else:
            prefix = os.path.relpath(folder, above).replace(os.sep, "/") + "/"
            listing = [f[len(prefix):] for f in _listed[above] if f.startswith(prefix)]
    return [f for f in listing if f.endswith(suffix) and not (skip_hidden and hidden(f))]


def hidden(path: str) -> bool:
    """A relative path (with /) whose file name, or a folder's on the way, starts with a dot (`.fetch/…`, the
    fetch's own record): no input of the build."""
    return path[0] == "." or "/." in path


def _walk(top: str) -> list[str]:
    """Every file below `top`: each folder's entries sorted by name and walked in that order, in one scandir
    pass (pathlib's rglob and sort take about ten times as long for 150,000 files)."""
    found: list[str] = []

    def walk(top: str, prefix: str) -> None:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.is_dir():
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append(prefix + entry.name)

    if os.path.isdir(top):
        walk(top, "")
    return found


def stamp(st: os.stat_result) -> Stamp:
    """What a file's content is remembered under: size, modification and change time, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def sha256(path: str | os.PathLike) -> str:
    """The file's SHA-256 (hex), read again only when its stat stamp changed."""
    name = os.path.abspath(path)
    return _lookup([name])[0] or _read(name)


def _lookup(names: list[str]) -> list[str | None]:
    """The remembered SHA-256 of each of `names` (absolute paths) whose stamp is the one it was hashed under,
    else None (also for a file that cannot be stat'ed: reading it says why). One loop: at 150,000 files a
    call per file takes a while. Inside `index()`, a file checked or read once is not checked again: the
    block works from one snapshot of its inputs."""
    found: list[str | None] = []
    known_get, checked, stat = _known.get, _used if _session else {}, os.stat  # locals: 150,000 turns
    for name in names:
        known = known_get(name)
        if known is not None and name not in checked:
            try:
                st = stat(name)
                now = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)  # stamp(st), inlined
            except OSError:
                now = None
            if now == known[0]:
                _used[name] = None
            else:
                known = None
        found.append(None if known is None else known[1])
    return found


def _read(name: str) -> str:
    with open(name, "rb") as f:
        stamp_now = stamp(os.fstat(f.fileno()))
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    remember(name, stamp_now, digest)
    return digest


def remember(name: str, stamp: Stamp, digest: str) -> None:
    """Takes `digest` as the hash of the file at the absolute, normalised path `name` under `stamp` (what this
    process, or a worker that parsed the file, read when the file had that stamp)."""
    global _changed
    _changed = _changed or _known.get(name) != (stamp, digest)
    _known[name] = (stamp, digest)
    _used[name] = None
    _fresh.add(name)


def sha256_many(files: Iterable[str | os.PathLike], unreadable_ok: bool = False, threads: int = 4,
                absolute: bool = False) -> list:
    """The SHA-256 of each file, in order (None for a file that cannot be read, with `unreadable_ok`).
    Remembered hashes are looked up here; hashing releases the GIL, so the files to read are read and
    hashed by threads in parallel. `absolute`: the files are given as absolute, normalised paths (as
    `os.path.abspath` gives them), which saves normalising 150,000 of them again."""
    def read(name: str) -> str | None:
        try:
            return _read(name)
        except OSError:
            if unreadable_ok:
                return None
            raise

    files = list(files) if absolute else [os.path.abspath(f) for f in files]
    found = _lookup(files)
    todo = [i for i, digest in enumerate(found) if digest is None]
    if todo:
        with ThreadPoolExecutor(threads) as pool:
            for i, digest in zip(todo, pool.map(read, [files[i] for i in todo]), strict=True):
                found[i] = digest
    return found


def hashes_below(directory: Path, leave_out: Callable[[str], bool] = lambda path: False,
                 unreadable_ok: bool = False) -> dict[str, str | None]:
    """The SHA-256 of every file below `directory` but hidden ones, by relative path in `files_below` order;
    without the files `leave_out` picks (None: cannot be read, with `unreadable_ok`)."""
    files = [f for f in files_below(directory, skip_hidden=True) if not leave_out(f)]
    base = os.path.join(os.path.abspath(directory), "")
    return dict(zip(files, sha256_many([base + f for f in files], unreadable_ok=unreadable_ok, absolute=True),
                    strict=True))


@contextmanager
def index(path: Path) -> Iterator[None]:
    """Remembers the stamps and hashes written to `path` by the previous build, and writes the ones asked
    for in this build (files no longer asked for drop out) when the block ends, atomically, unless they are
    the same. Within the block each file's stamp is checked once and each folder listed once. The index is a
    pickle of {path: (stamp, hash)} (at 150,000 files, JSON takes a second to read and another to write); an
    index of another INDEX_VERSION, or one that cannot be read, is ignored."""
    global _session, _changed, _known
    saved: dict | None = None  # None: no index this code can read (one is written)
    try:
        version, saved = pickle.loads(path.read_bytes())
        if version != INDEX_VERSION or not all(type(entry) is tuple and len(entry) == 2 and type(entry[0]) is tuple
                                               and len(entry[0]) == 4 for entry in saved.values()):
            saved = None
    except Exception:  # noqa: BLE001 - no index, or not one this code wrote: every file is hashed
        saved = None
    _known = (saved or {}) | _known  # what this process hashed itself wins
    _used.clear()
    _listed.clear()
    _session, _changed = True, False
    try:
        yield
    finally:
        _session = False
        _listed.clear()
        if saved is None or _changed or _used.keys() != saved.keys():  # else the same files, the same stamps
            _write_index(path, saved)


def _write_index(path: Path, saved: dict | None) -> None:
    files = {name: _known[name] for name in _used}
    settled = time.time_ns() - RACY_SECONDS * 1_000_000_000
    for name in _fresh & files.keys():  # the others come from an index, whose stamps were settled then
        if max(files[name][0][1], files[name][0][2]) >= settled:
            del files[name]
    if files != saved:
        blob = pickle.dumps((INDEX_VERSION, files), protocol=5)
        atomic_write(path, lambda tmp: tmp.write_bytes(blob))
