"""Incremental builds: a content key for each stage's inputs, so unchanged work is not done again.

- The code key hashes the package (Python, SQL, configuration), the templates and the report notebook:
  any change to them invalidates everything downstream.
- Ingest runs again only when a dataset file or the code changed (key over every input file's SHA-256).
- Compute runs again only when the ingested tables, the params that shape them or the code changed.
- A report runs again only when its own slice of the data changed: the organisation's indicator rows
  (which carry its peer statistics), the published values of its peer group that year (the dot plot),
  its gain register and its self-evaluation, its commentary file and the one of the year before (whose
  next steps it shows as follow-up), or the language, notebook or code.
- A report's published files are copied from the previous site when its render key (report key, site
  title, language and newest year) is the one that site recorded in provenance.json, and its files there
  still match the site's manifest (`analysis.manifest`); the site is kept as a whole only when all do.
Keys are SHA-256 hex digests written beside what they describe; a missing or different key means "build".
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pandas as pd

from . import basis, i18n, paths


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


def files_key(hashes: dict[str, str | None]) -> str:
    """A digest over files (relative path and content hash), sorted by path."""
    return digest(*(f"{f}:{h}" for f, h in sorted(hashes.items())))


def _group_keys(frame: pd.DataFrame, by) -> dict:
    """A digest of each group's rows (their content and order), for `by` as groupby takes it. Rows are
    hashed once for the whole table, so this stays fast for hundreds of organisations."""
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    columns = ",".join(frame.columns).encode()
    return {key: hashlib.sha256(rows[index].tobytes() + columns).hexdigest()
            for key, index in frame.groupby(by, sort=False, dropna=True).indices.items()}


def report_keys(build: paths.BuildPaths, pairs: list[tuple[str, str]], lang: str) -> dict[tuple[str, str], str]:
    """The content key of each (org_nr, year) report."""
    table = pd.read_parquet(build.indicators)
    by_org = _group_keys(table, "org_nr")
    ok = table[table["status"] == "ok"][["org_nr", "org_type", "year", "indicator_id", "value"]]
    peers = _group_keys(ok, ["org_type", "year"])
    org_type = dict(zip(table["org_nr"], table["org_type"], strict=False))
    goals = pd.read_parquet(build.data / "goals.parquet")
    measures = pd.read_parquet(build.data / "measures.parquet")
    impls = pd.read_parquet(build.data / "implementations.parquet")
    effects = pd.read_parquet(build.data / "effects.parquet")
    goal_org = dict(zip(goals["goal_id"], goals["org_nr"], strict=True))
    measure_org = dict(zip(measures["measure_id"], measures["goal_id"].map(goal_org), strict=True))
    register = [_group_keys(goals, "org_nr"), _group_keys(measures, measures["goal_id"].map(goal_org)),
                _group_keys(impls, impls["measure_id"].map(measure_org)),
                _group_keys(effects, effects["goal_id"].map(goal_org))]
    self_eval = _group_keys(pd.read_parquet(build.self_evaluation), "org_nr")
    bases = _group_keys(pd.read_parquet(build.basis), "org_nr")
    procurements = [_group_keys(pd.read_parquet(t), "org_nr") if t.is_file() else {}
                    for t in (build.procurements, build.procurement_flags)]
    national = _group_keys(pd.read_parquet(build.national), "year")  # the funnel sentences' national shares
    table = build.data / "commentary.parquet"
    words = _group_keys(pd.read_parquet(table), ["org_nr", "year"]) if table.is_file() else {}
    base = digest(code_key(), lang, json.dumps(basis.supplied(build.quality), sort_keys=True))
    langs = i18n.report_languages(build, lang)
    return {(org, year): digest(base, org, year, langs.get(org, lang), by_org.get(org),
                                peers.get((org_type.get(org), year)), *(keys.get(org) for keys in register),
                                self_eval.get(org), bases.get(org), *(keys.get(org) for keys in procurements),
                                national.get(year), words.get((org, year)),
                                words.get((org, str(int(year) - 1))))
            for org, year in pairs}


def read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None
