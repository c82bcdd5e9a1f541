"""The tables of the dataset's sources other than the notice files (organisations, suppliers, accounts, spend,
surveys, gains, the registers), kept between ingests: an ingest run because notices were added does not read
ten million ledger lines, nor check organisations.csv, again.

A source's tables are kept under a digest of its name, the dataset's path (as given: refusals name files by
it), the code (`incremental.code_key`: any change to the code or configuration misses every entry), the
pandas and Arrow versions, and each of its files' relative path and SHA-256 (`filehash`, which a build has
already taken for its ingest key). With them are kept the quality counts and refusals that reading the
source gave, which the ingest adds to its own as if it had read the files. An organisation's file with an
error raises its InputError and nothing is kept, so the error is raised again until the file is mended; nor
is a source kept when one of its files could not be read (the next ingest may read it). Entries are pickles
in one directory (`BuildPaths.source_cache`), each written whole and renamed into place, and trusted like
the rest of the build's output directory; an ingest deletes the entries it did not use. An entry that cannot
be read is read around: the source is read again.
"""

from __future__ import annotations

import os
import pickle
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa

from .. import filehash, incremental
from ..errors import Problem
from ..io import atomic_write
from . import csvfiles

T = TypeVar("T")


class SourceCache:
    """Sources' tables by the content of their files, in `path` (None: every source is read)."""

    def __init__(self, path: Path | None, data: Path):
        self.path, self.data = path, data
        self.used: set[str] = set()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)

    def read(self, name: str, files: list[Path], read: Callable[[Counter, list[Problem]], T], quality: Counter,
             refused: list[Problem]) -> T:
        """What `read(quality, refused)` gives for the source `name`, which is made of `files`: kept from an
        earlier ingest when the files, the dataset's path and the code are the same."""
        if self.path is None:
            return read(quality, refused)
        hashes = filehash.sha256_many(files, unreadable_ok=True)
        key = incremental.digest(name, self.data, os.path.abspath(self.data), incremental.code_key(),
                                 f"pandas {pd.__version__} arrow {pa.__version__}",  # what the pickles hold
                                 *(f"{os.path.relpath(f, self.data)}:{h}" for f, h in zip(files, hashes, strict=True)))
        target = self.path / f"{name}-{key[:32]}.pickle"
        self.used.add(target.name)
        try:
            result, counts, problems = pickle.loads(target.read_bytes())
            kept = True
        except Exception:  # noqa: BLE001 - not kept (or not readable): the source is read
            kept = False
        if not kept:
            counts, problems = Counter(), []
            result = read(counts, problems)
            unreadable = any(p.message.startswith(csvfiles.UNREADABLE_REASON) for p in problems)
            if None not in hashes and not unreadable:
                def dump(tmp: Path) -> None:  # a file that could not be read may be read next time: not kept
                    with tmp.open("wb") as f:
                        pickle.dump((result, counts, problems), f, protocol=5)
                atomic_write(target, dump)
        quality.update(counts)
        refused += problems
        return result

    def prune(self) -> None:
        """Deletes the entries this ingest did not use (sources whose files changed, or are gone)."""
        if self.path is not None and self.path.is_dir():
            for f in self.path.iterdir():
                if f.name not in self.used and f.is_file():
                    f.unlink(missing_ok=True)
