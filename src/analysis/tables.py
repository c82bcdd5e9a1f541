"""The cached reads of a build's tables: a kernel that runs many reports (and the render stage that lists
every report's procurements) reads each table once and splits it once, while its file is unchanged."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import basis, paths


@lru_cache(maxsize=16)
def _table(path: str, mtime_ns: int) -> pd.DataFrame:
    """A table with its text columns as Python strings: a report picks single rows and values many times,
    which costs a pyarrow call per column and pick with pandas' Arrow-backed strings."""
    table = pd.read_parquet(path)
    return table.astype({c: object for c in table.columns if isinstance(table[c].dtype, pd.StringDtype)})


def stamp(path: Path) -> tuple[str, int]:
    """The cache key of a build's file: its path and modification time, so a rebuilt table is read again."""
    return str(path), path.stat().st_mtime_ns


def read(path: Path) -> pd.DataFrame:
    """A table of a build (cached while the file is unchanged)."""
    return _table(*stamp(path))


@lru_cache(maxsize=16)
def _groups(path: str, mtime_ns: int, columns: tuple[str, ...]) -> dict:
    return dict(iter(_table(path, mtime_ns).groupby(list(columns), sort=False)))


def group(path: Path, columns: tuple[str, ...], *key: str) -> pd.DataFrame | None:
    """The rows of a build's table with these values in `columns`, None when there are none. The table is
    split once per process (while the file is unchanged), so a kernel that runs many reports looks each one
    up instead of filtering the whole table again."""
    return _groups(*stamp(path), columns).get(key)


def rows(path: Path, columns: tuple[str, ...], *key: str) -> pd.DataFrame:
    """`group`, with no rows (and the table's columns) when there are none."""
    found = group(path, columns, *key)
    return found if found is not None else read(path).iloc[0:0]


@lru_cache(maxsize=64)
def _peer_values(path: str, mtime_ns: int, year: str, org_type: str) -> dict[str, list[float]]:
    rows = _groups(path, mtime_ns, ("year", "org_type", "status")).get((year, org_type, "ok"))
    if rows is None:
        return {}
    return {ind: sorted(float(v) for v in values) for ind, values in rows.groupby("indicator_id", sort=False)["value"]}


def peer_values(path: Path, year: str, org_type: str) -> dict[str, list[float]]:
    """Per indicator, the sorted values of every organisation of a type with a value that year."""
    return _peer_values(*stamp(path), year, org_type)


@lru_cache(maxsize=4)
def _supplied(path: str, mtime_ns: int) -> dict[str, int]:
    return basis.supplied(Path(path))


def supplied(path: Path) -> dict[str, int]:
    """The data files supplied for the build, from its quality file (none when there is no such file)."""
    return _supplied(*stamp(path)) if path.is_file() else {}


def indicators(build_dir: str | Path = "") -> pd.DataFrame:
    """The indicator table of a build (cached while the file is unchanged)."""
    return read(paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT).indicators)
