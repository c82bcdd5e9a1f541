"""Notice files as table rows, and the per-file cache that keeps those rows between builds, so that a
national download of 150,000 files is parsed once and a later ingest parses only the files that are new or
changed.

- Rows: `Rows` turns each file's parse result into rows of the tables in `SCHEMA`: one `files` row per file
  (a notice, a refusal or a skip) and, for a notice, its `notices` row, both carrying `sha`, the SHA-256 of
  the file's bytes; the notice's buyers, lots, awards, submissions and `notes` (values read as unknown,
  unknown codes) follow in their tables in the order of the notices, found by the counts on the notice row.
  Rows hold no file path, so a copy or a moved file is the same rows. Workers parse files in batches and
  send back Arrow tables; `ingest.notice_tables.assemble` joins them to the files in order and makes
  ingest's notice tables.
- Key: the file's content hash, under `parser_key()`, a digest of the code and configuration the parser's
  answer depends on: a parser change misses every entry. The hash is the one of the bytes the worker parsed,
  so a file that changes while ingest runs is kept under what was actually read.
- Storage: Arrow tables in segment files (`<parser key>-<n>.segment`) under one directory
  (`BuildPaths.notice_cache`), each written whole and renamed into place, one per `ingest.CACHE_BATCH`
  parsed files: an ingest that is killed keeps the segments written before it, each of them right. When
  more than a quarter of the rows belong to content no longer in the dataset (changed or deleted files), or
  there are many segments, the live rows are written into one segment and the others are deleted. Segments
  of another parser, and a directory that cannot be read, are deleted (the next ingest parses everything).
- Segments are pickled dicts of Arrow tables (fast to load); the cache is trusted like the rest of the
  build's output directory. A file that cannot be read has no content hash (`UNREADABLE` and its path
  stand in for one): its refusal is kept for the ingest that found it and never stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from .. import paths
from ..errors import InputError
from ..filehash import Stamp, stamp
from ..io import atomic_write
from . import eforms

# What the parser's answer depends on: the parser, the modules it calls and the configuration they read
# (tests/ingest/test_notice_cache.py checks that every module eforms imports is here).
PARSER_CODE = ("ingest/eforms/__init__.py", "ingest/eforms/fields.py", "ingest/eforms/reader.py",
               "ingest/eforms/records.py", "ingest/eforms/values.py", "ingest/csvfiles.py", "ingest/notice_cache.py",
               "errors.py", "i18n.py", "orgnr.py", "thresholds.py", "codelists.py", "yamlfile.py", "paths.py",
               "config/codelists.yaml", "config/thresholds.csv")
_S, _B, _I = pa.string(), pa.bool_(), pa.int64()
SCHEMA = {
    "files": pa.schema([("sha", _S), ("kind", _S), ("detail", _S)]),  # kind: notice | refused | skipped
    "notices": pa.schema([("sha", _S), ("notice_id", _S), ("version", _S), ("folder_id", _S), ("subtype", _S),
                          ("form_type", _S), ("notice_type", _S), ("issue_date", _S), ("year", _S),
                          ("above_eea", _B), ("procedure_type", _S), ("main_cpv", _S), ("changed_notice", _S),
                          ("n_buyers", _I), ("converted", _B), ("sdk", _S), ("publication_id", _S),
                          ("internal_id", _S), ("title", _S), ("estimated_value", pa.float64()), ("currency", _S),
                          ("content", _S), ("n_lots", _I), ("n_awards", _I), ("n_submissions", _I),
                          ("n_notes", _I)]),
    # A notice's rows in these tables follow one another, in the order of the notices (counts above).
    "notice_buyers": pa.schema([("org_nr", _S), ("raw_id", _S), ("legal_type", _S), ("name", _S),
                                ("postal_code", _S)]),
    "lots": pa.schema([("lot_id", _S), ("main_cpv", _S), ("sme_suitable", _B), ("strategic", pa.list_(_S)),
                       ("innovative", pa.list_(_S)), ("variants", _S)]),
    "awards": pa.schema([("lot_id", _S), ("winner_org_nr", _S), ("winner_size", _S)]),
    "submissions": pa.schema([("lot_id", _S), ("code", _S), ("count", _I)]),
    "notes": pa.schema([("kind", _S), ("list", _S), ("value", _S)]),  # kind: issue | unknown
}
COUNTS = {"notice_buyers": "n_buyers", "lots": "n_lots", "awards": "n_awards", "submissions": "n_submissions",
          "notes": "n_notes"}  # each notice's number of rows in each of the tables that follow it
_PARTS = ("buyers", "lots", "awards", "submissions")  # the Notice fields that are lists of dataclasses
UNREADABLE = "unreadable:"  # the `sha` of a file that cannot be read: its refusal is never stored
COMPACT_SEGMENTS = 32


@cache
def parser_key() -> str:
    digest = hashlib.sha256(f"lxml {etree.LXML_VERSION} arrow {pa.__version__}".encode())
    for name in PARSER_CODE:
        digest.update(name.encode() + b"\0" + (paths.PACKAGE / name).read_bytes() + b"\0")
    return digest.hexdigest()[:32]


class Rows:
    """Parse results as columns of the `SCHEMA` tables."""

    def __init__(self):
        self.columns = {table: {name: [] for name in schema.names} for table, schema in SCHEMA.items()}

    def _row(self, table: str, *values) -> None:
        for column, value in zip(self.columns[table].values(), values, strict=True):
            column.append(value)

    def add(self, sha: str, result: eforms.Notice | InputError | eforms.NotProcurement) -> None:
        if isinstance(result, InputError):
            self._row("files", sha, "refused", json.dumps([[p.where, p.field, p.message] for p in result.problems],
                                                          ensure_ascii=False))
            return
        if isinstance(result, eforms.NotProcurement):
            self._row("files", sha, "skipped", result.reason)
            return
        n = result
        self._row("files", sha, "notice", None)
        self._row("notices", sha, n.notice_id, n.version, n.folder_id, n.subtype, n.form_type, n.notice_type,
                  n.issue_date, n.year, n.above_eea, n.procedure_type, n.main_cpv, n.changed_notice, len(n.buyers),
                  n.converted, n.sdk, n.publication_id, n.internal_id, n.title, n.estimated_value, n.currency,
                  content(n), len(n.lots), len(n.awards), len(n.submissions), len(n.issues) + len(n.unknown_codes))
        for b in n.buyers:
            self._row("notice_buyers", b.org_nr, b.raw_id, b.legal_type, b.name, b.postal_code)
        for lot in n.lots:
            self._row("lots", lot.lot_id, lot.main_cpv, lot.sme_suitable, lot.strategic, lot.innovative, lot.variants)
        for a in n.awards:
            self._row("awards", a.lot_id, a.winner_org_nr, a.winner_size)
        for sub in n.submissions:
            self._row("submissions", sub.lot_id, sub.code, sub.count)
        for issue in n.issues:
            self._row("notes", "issue", None, issue)
        for listname, code in n.unknown_codes:
            self._row("notes", "unknown", listname, code)

    def tables(self) -> dict[str, pa.Table]:
        return {table: pa.table(columns, schema=SCHEMA[table]) for table, columns in self.columns.items()}


def content(notice: eforms.Notice) -> str:
    """A digest of everything read from a notice but its file's path: two files with the same digest hold
    the same notice (a copy)."""
    body = tuple([tuple(vars(part).values()) for part in value] if name in _PARTS else value
                 for name, value in vars(notice).items() if name != "source")
    return hashlib.sha256(pickle.dumps(body, protocol=5)).hexdigest()


def parse(path: str) -> tuple[str, Stamp | None, eforms.Notice | InputError | eforms.NotProcurement]:
    """One file: (SHA-256 of the bytes parsed, the file's stat stamp when read, its parse result). A file that
    cannot be read gets `UNREADABLE` and its path as hash, and no stamp."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except OSError as exc:
        return UNREADABLE + path, None, eforms.unreadable(path, exc)
    try:
        result = eforms.parse_bytes(data, path)
    except (InputError, eforms.NotProcurement) as exc:
        result = exc
    return hashlib.sha256(data).hexdigest(), stamp(st), result


def parse_batch(files: list[str]) -> tuple[list[tuple[str, Stamp | None]], dict[str, pa.Table]]:
    """Files parsed in a worker: each file's (hash, stamp), and the rows of all of them."""
    rows, read, seen = Rows(), [], set()
    for path in files:
        sha, stamped, result = parse(path)
        if sha not in seen:  # a copy's rows once
            rows.add(sha, result)
            seen.add(sha)
        read.append((sha, stamped))
    return read, rows.tables()


def concat(parts: Iterable[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    parts = list(parts)
    return {table: pa.concat_tables([p[table] for p in parts]) if parts else schema.empty_table()
            for table, schema in SCHEMA.items()}


def select(tables: dict[str, pa.Table], shas: set[str]) -> dict[str, pa.Table]:
    """The rows of the files whose hash is in `shas`."""
    wanted = pa.array(sorted(shas), _S)
    keep = pc.is_in(tables["notices"]["sha"], value_set=wanted).to_numpy(zero_copy_only=False)
    return {"files": tables["files"].filter(pc.is_in(tables["files"]["sha"], value_set=wanted)),
            "notices": tables["notices"].filter(keep),
            **{name: tables[name].filter(pa.array(np.repeat(keep, tables["notices"][count].to_numpy())))
               for name, count in COUNTS.items()}}


class NoticeCache:
    """Rows of parsed notice files by content hash: in segment files under `path`, or in memory only (None)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.prefix = parser_key() + "-"
        self.segments: list[Path] = []
        self.parts: list[dict[str, pa.Table]] = []
        self.shas: set[str] = set()
        self.pending: list[dict[str, pa.Table]] = []
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self._load()

    def _load(self) -> None:
        for f in sorted(self.path.iterdir()):
            if not (f.name.startswith(self.prefix) and f.name.endswith(".segment")):
                f.unlink()  # another parser's segment, or the temporary file of an ingest that was killed
                continue
            try:
                part = pickle.loads(f.read_bytes())
                if set(part) != set(SCHEMA) or any(part[t].schema != SCHEMA[t] for t in SCHEMA):
                    raise ValueError("not a segment of this parser")
            except Exception:  # noqa: BLE001 - any damage: start again, the next ingest parses every file
                self.clear()
                return
            self.segments.append(f)
            self.parts.append(part)
            self.shas.update(part["files"]["sha"].to_pylist())

    def clear(self) -> None:
        for f in self.path.iterdir():
            f.unlink()
        self.segments, self.parts, self.shas = [], [], set()

    def __len__(self) -> int:
        return len(self.shas)

    def add(self, batch: dict[str, pa.Table]) -> None:
        """Keeps the rows of files whose content is not stored yet."""
        shas = batch["files"]["sha"].to_pylist()  # each content once in a batch (parse_batch)
        new = {sha for sha in shas if sha not in self.shas}
        if new:
            if len(new) < len(shas):
                batch = select(batch, new)
            self.shas |= new
            self.parts.append(batch)
            self.pending.append(batch)

    def commit(self) -> None:
        """Writes the rows added since the last commit as one segment (files that could not be read left out)."""
        if self.path is None or not self.pending:
            self.pending = []
            return
        rows = {name: table.combine_chunks() for name, table in concat(self.pending).items()}
        self.pending = []
        shas = rows["files"]["sha"].to_pylist()
        stored = {s for s in shas if not s.startswith(UNREADABLE)}
        if stored:
            self._write(rows if len(stored) == len(shas) else select(rows, stored))

    def _write(self, rows: dict[str, pa.Table]) -> None:
        number = max((int(f.name[len(self.prefix):-len(".segment")]) for f in self.segments), default=0) + 1
        target = self.path / f"{self.prefix}{number:06d}.segment"
        blob = pickle.dumps(rows, protocol=5)
        atomic_write(target, lambda tmp: tmp.write_bytes(blob))
        self.segments.append(target)

    def rows(self) -> dict[str, pa.Table]:
        """Every stored row (`assemble` takes the ones of the files it is given)."""
        return concat(self.parts)

    def keep_only(self, live: set[str]) -> None:
        """Writes the rows of `live` content into one segment and deletes the others, when more than a quarter
        of the stored rows are of content no longer in the dataset or there are many segments."""
        self.commit()
        stored = {s for s in self.shas if not s.startswith(UNREADABLE)}
        stale = stored - live
        if self.path is None or not (len(stale) * 4 > len(stored) or len(self.segments) > COMPACT_SEGMENTS):
            return
        rows = {name: table.combine_chunks() for name, table in select(concat(self.parts), self.shas & live).items()}
        old, self.segments = self.segments, []
        for f in old:  # first, so that no content is ever stored twice; a kill here only costs parsing again
            f.unlink()
        if stored & live:
            self._write(select(rows, stored & live))
        self.parts, self.shas = [rows], self.shas & live
