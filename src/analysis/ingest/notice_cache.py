"""The per-file notice cache: each notice file's parse result, kept by the file's content hash and the
parser's code, so that a national download of 150,000 files is parsed once and a later build parses only
the files that are new or changed.

- Key: the SHA-256 of the bytes that were parsed (computed by the worker that parsed them, so a file that
  changes while ingest runs is stored under what was actually read) and `parser_key()`, a digest of the code
  and configuration the parser's answer depends on. A parser change therefore misses every entry.
- Value: the result, whatever it was: a notice, a refusal (the file stays refused without being parsed
  again) or a skip. Values do not hold the file's path, so a copy or a moved file is a hit; the path is put
  back when a value is read.
- Storage: one SQLite file (`BuildPaths.notice_cache`), written in transactions, so an ingest that is
  killed leaves the entries committed before it, each of them right. Entries whose content is no longer
  in the dataset (deleted or changed files) or whose parser key is old are dropped at the end of an ingest.
  A cache file that SQLite cannot read is replaced by an empty one.
- Values are pickled compact tuples (much faster to load than dataclasses); the cache is trusted like the
  rest of the build's output directory.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from dataclasses import fields
from functools import cache
from pathlib import Path

from lxml import etree

from .. import paths
from ..errors import InputError, Problem
from . import eforms

# What the parser's answer depends on: the parser, the modules it calls and the configuration they read
# (tests/ingest/test_notice_cache.py checks that every module eforms imports is here).
PARSER_CODE = ("ingest/eforms.py", "ingest/csvfiles.py", "ingest/notice_cache.py", "errors.py", "i18n.py", "orgnr.py",
               "thresholds.py", "codelists.py", "paths.py", "config/codelists.yaml", "config/thresholds.csv")
_PARTS = {"buyers": eforms.Buyer, "lots": eforms.Lot, "awards": eforms.Award, "submissions": eforms.Submissions}
_FIELDS = [f.name for f in fields(eforms.Notice) if f.name != "source"]
Result = eforms.Notice | InputError | eforms.NotProcurement


@cache
def parser_key() -> str:
    digest = hashlib.sha256(f"lxml {etree.LXML_VERSION} pickle {pickle.HIGHEST_PROTOCOL}".encode())
    for name in PARSER_CODE:
        digest.update(name.encode() + b"\0" + (paths.PACKAGE / name).read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def parse(path: Path) -> tuple[str | None, bytes]:
    """Parses one file: (SHA-256 of the bytes parsed, or None when the file cannot be read; packed result)."""
    try:
        data = eforms.read(path)
    except InputError as exc:
        return None, pack(exc)
    try:
        result: Result = eforms.parse_bytes(data, str(path))
    except (InputError, eforms.NotProcurement) as exc:
        result = exc
    return hashlib.sha256(data).hexdigest(), pack(result)


def pack(result: Result) -> bytes:
    """The result without its file's path, as compact tuples."""
    if isinstance(result, eforms.Notice):
        body = tuple([tuple(vars(part).values()) for part in value] if name in _PARTS else value
                     for name, value in vars(result).items() if name != "source")
        return pickle.dumps(("notice", body), protocol=pickle.HIGHEST_PROTOCOL)
    if isinstance(result, InputError):
        return pickle.dumps(("refused", [(p.where, p.field, p.message) for p in result.problems]))
    return pickle.dumps(("skipped", result.reason))


def unpack(blob: bytes, source: str) -> Result:
    """The result `pack` packed, for the file `source`."""
    kind, body = pickle.loads(blob)
    if kind == "refused":
        return InputError([Problem(source, *problem) for problem in body])
    if kind == "skipped":
        return eforms.NotProcurement(source, body)
    values = dict(zip(_FIELDS, body, strict=True))
    for name, part in _PARTS.items():
        values[name] = [part(*row) for row in values[name]]
    return eforms.Notice(source=source, **values)


class NoticeCache:
    """Packed parse results by (parser key, content hash), in one SQLite file."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:  # not a cache this code can read: start again
            path.unlink(missing_ok=True)
            self.db = self._open()
        self.prefix = parser_key() + ":"

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
        db.commit()
        return db

    def key(self, content_hash: str) -> str:
        return self.prefix + content_hash

    def get(self, keys: set[str]) -> dict[str, bytes]:
        """The stored values of those of `keys` that are stored."""
        return {k: v for k, v in self.db.execute("SELECT key, value FROM parsed") if k in keys}

    def put(self, values: dict[str, bytes]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", values.items())

    def keep_only(self, keys: set[str]) -> None:
        """Drops every entry not in `keys` (content no longer in the dataset, or an old parser)."""
        stale = [(k,) for (k,) in self.db.execute("SELECT key FROM parsed") if k not in keys]
        with self.db:
            self.db.executemany("DELETE FROM parsed WHERE key = ?", stale)

    def close(self) -> None:
        self.db.close()
