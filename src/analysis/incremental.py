"""Incremental builds: a content key for each stage's inputs, so unchanged work is not done again.

- The code key hashes the package (Python, SQL, configuration), the templates and the report notebook:
  any change to them invalidates everything downstream.
- Ingest runs again only when a dataset file or the code changed (key over every input file's SHA-256).
- Compute runs again only when the ingested tables, the params that shape them or the code changed.
- A report runs again only when its own slice of the data changed: the organisation's indicator rows
  (which carry its peer statistics), the published values of its peer group that year (the dot plot),
  its gain register and its self-evaluation, or the language, notebook or code.
- A report's published files are copied from the previous site when its render key (report key, site
  title, language and newest year) is the one that site recorded in provenance.json.
Keys are SHA-256 hex digests written beside what they describe; a missing or different key means "build".
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pandas as pd

from . import paths
from .provenance import inputs


@cache
def code_key() -> str:
    """One digest over the code and templates that shape any output."""
    digest = hashlib.sha256()
    roots = [paths.PACKAGE, paths.TEMPLATES, paths.REPORT_NOTEBOOK]
    for root in roots:
        files = [root] if root.is_file() else sorted(f for f in root.rglob("*") if f.is_file()
                                                     and "__pycache__" not in f.parts and f.suffix != ".pyc")
        for f in files:
            digest.update(f.relative_to(paths.ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def files_key(directory: Path) -> str:
    """A digest over every file below `directory` (relative path and content), as provenance lists them."""
    return digest(*(f"{f['path']}:{f['sha256']}" for f in inputs(directory)))


def _frame_key(frame: pd.DataFrame) -> str:
    values = pd.util.hash_pandas_object(frame.reset_index(drop=True), index=False).to_numpy()
    return hashlib.sha256(values.tobytes() + ",".join(frame.columns).encode()).hexdigest()


def report_keys(build: paths.BuildPaths, pairs: list[tuple[str, str]], lang: str) -> dict[tuple[str, str], str]:
    """The content key of each (org_nr, year) report."""
    table = pd.read_parquet(build.indicators)
    by_org = {org: _frame_key(rows) for org, rows in table.groupby("org_nr", sort=True)}
    ok = table[table["status"] == "ok"][["org_nr", "org_type", "year", "indicator_id", "value"]]
    peers = {key: _frame_key(rows) for key, rows in ok.groupby(["org_type", "year"], sort=True)}
    org_type = dict(zip(table["org_nr"], table["org_type"], strict=False))
    goals = pd.read_parquet(build.data / "goals.parquet")
    measures = pd.read_parquet(build.data / "measures.parquet")
    impls = pd.read_parquet(build.data / "implementations.parquet")
    effects = pd.read_parquet(build.data / "effects.parquet")
    self_eval = pd.read_parquet(build.self_evaluation)
    base = digest(code_key(), lang)
    keys = {}
    for org, year in pairs:
        mine = goals[goals["org_nr"] == org]
        ids = set(mine["goal_id"])
        mine_measures = measures[measures["goal_id"].isin(ids)]
        register = digest(_frame_key(mine), _frame_key(mine_measures),
                          _frame_key(impls[impls["measure_id"].isin(set(mine_measures["measure_id"]))]),
                          _frame_key(effects[effects["goal_id"].isin(ids)]))
        keys[(org, year)] = digest(base, org, year, by_org.get(org), peers.get((org_type.get(org), year)), register,
                                   _frame_key(self_eval[self_eval["org_nr"] == org]))
    return keys


def read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None
