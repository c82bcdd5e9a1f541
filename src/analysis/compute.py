"""Stage 2, compute: every indicator for every organisation and year, in one DuckDB pass.

The result is one long table (indicators.parquet) with, per organisation, year and indicator:
value, numerator, denominator, n, coverage, status (ok | suppressed | no_data | unavailable) and its
reason, the peer-group statistics (peer group = org_type) and the change against the previous year and
the baseline year.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from . import catalogue, paths
from .ingest import survey_items
from .io import atomic_write, write_parquet

COLUMNS = ["org_nr", "name", "org_type", "year", "area", "indicator_id", "unit", "polarity", "value", "numerator",
           "denominator", "n", "coverage", "status", "reason", "peer_n", "peer_median", "peer_q1", "peer_q3",
           "peer_quartile", "prev_value", "change_prev", "baseline_year", "baseline_value", "change_baseline"]


def connect(data: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the normalised tables of `data` as views."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    items = pd.DataFrame([{"item_id": k, "indicator": v["indicator"]} for k, v in survey_items().items()])
    con.register("survey_items", items)
    cat = catalogue.load()
    views = (paths.PACKAGE / "sql" / "views.sql").read_text(encoding="utf-8")
    con.execute(catalogue.sql_env().from_string(views).render(data=data.as_posix(), settings=cat.settings))
    return con


def _raw_union(cat: catalogue.Catalogue) -> str:
    parts = []
    for ind in cat.indicators:
        if ind.sql is None:
            continue
        parts.append(
            f"SELECT '{ind.id}' AS indicator_id, org_nr, CAST(year AS VARCHAR) AS year, "
            "CAST(numerator AS DECIMAL(38, 4)) AS numerator, CAST(denominator AS DECIMAL(38, 4)) AS denominator, "
            f"CAST(n AS BIGINT) AS n, CAST(coverage AS DOUBLE) AS coverage FROM ({cat.render_sql(ind)})")
    return "\nUNION ALL\n".join(parts)


def compute(data: Path, baseline_year: str | None = None, threads: int | None = None,
            survey_min_n: int | None = None) -> pd.DataFrame:
    """`survey_min_n` (params `min_n`) overrides the minimum n of survey-based indicators (privacy)."""
    cat = catalogue.load()
    con = connect(data, threads)
    meta = pd.DataFrame([{
        "indicator_id": i.id, "ord": k, "area": i.area, "unit": i.unit, "polarity": i.polarity,
        "min_n": survey_min_n if i.survey and survey_min_n else i.min_n,
        "computable": i.sql is not None, "derived_from": i.derived_from,
        "unavailable": (i.unavailable or {}).get("nb"),
    } for k, i in enumerate(cat.indicators)])
    con.register("meta", meta)
    con.execute(f"CREATE TEMP TABLE raw AS {_raw_union(cat)}")
    con.execute("""
        CREATE TEMP TABLE years AS
        SELECT DISTINCT year FROM raw WHERE org_nr IN (SELECT org_nr FROM orgs) AND year IS NOT NULL
    """)
    baseline = baseline_year or con.execute("SELECT min(year) FROM years").fetchone()[0]
    frame = con.execute("""
        WITH grid AS (
            SELECT o.org_nr, o.name, o.org_type, y.year, m.*
            FROM orgs o CROSS JOIN years y CROSS JOIN meta m),
        joined AS (
            SELECT g.*, r.numerator, r.denominator, r.n, r.coverage,
                   CASE WHEN NOT g.computable AND g.derived_from IS NULL THEN 'unavailable'
                        WHEN g.derived_from IS NOT NULL THEN 'derived'
                        WHEN r.n IS NULL OR r.n = 0 OR (g.unit IN ('share', 'mean')
                             AND coalesce(r.denominator, 0) = 0) THEN 'no_data'
                        WHEN r.n < g.min_n THEN 'suppressed'
                        ELSE 'ok' END AS status
            FROM grid g LEFT JOIN raw r USING (indicator_id, org_nr, year))
        SELECT org_nr, name, org_type, year, area, indicator_id, unit, polarity, ord, min_n, derived_from,
               CASE WHEN status = 'ok' THEN
                    CASE WHEN unit IN ('share', 'mean') THEN CAST(numerator AS DOUBLE) / CAST(denominator AS DOUBLE)
                         ELSE CAST(numerator AS DOUBLE) END END AS value,
               CASE WHEN status = 'ok' THEN numerator END AS numerator,
               CASE WHEN status = 'ok' THEN denominator END AS denominator,
               coalesce(n, 0) AS n, coverage, status,
               CASE status WHEN 'unavailable' THEN unavailable
                           WHEN 'suppressed' THEN 'n < ' || min_n
                           WHEN 'no_data' THEN 'ingen data' END AS reason
        FROM joined
    """).df()
    frame = _derive(frame)
    con.register("base", frame)
    out = con.execute(f"""
        WITH peers AS (
            SELECT year, org_type, indicator_id, count(value) AS peer_n,
                   median(value) AS peer_median, quantile_cont(value, 0.25) AS peer_q1,
                   quantile_cont(value, 0.75) AS peer_q3
            FROM base WHERE status = 'ok' GROUP BY ALL),
        ranked AS (
            SELECT *,
                   CASE WHEN status = 'ok' THEN
                        1 + least(3, floor(4 * percent_rank() OVER (
                            PARTITION BY year, org_type, indicator_id, status = 'ok' ORDER BY value))) END
                       AS peer_quartile,
                   lag(value) OVER (PARTITION BY org_nr, indicator_id ORDER BY year) AS prev_value,
                   max(value) FILTER (WHERE year = '{baseline}')
                       OVER (PARTITION BY org_nr, indicator_id) AS baseline_value
            FROM base)
        SELECT r.*, p.peer_n, p.peer_median, p.peer_q1, p.peer_q3,
               value - prev_value AS change_prev, '{baseline}' AS baseline_year,
               value - baseline_value AS change_baseline
        FROM ranked r LEFT JOIN peers p USING (year, org_type, indicator_id)
        ORDER BY org_nr, year, ord
    """).df()
    out["peer_n"] = out["peer_n"].fillna(0).astype("int64")
    out["peer_quartile"] = out["peer_quartile"].astype("Int64")
    return out[COLUMNS]


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicators derived from another: the source indicator's value minus its peer median."""
    frame = frame.copy()
    for dep, source in frame.loc[frame["derived_from"].notna(), ["indicator_id", "derived_from"]] \
            .drop_duplicates().itertuples(index=False):
        src = frame[frame["indicator_id"] == source]
        ok = src[src["status"] == "ok"]
        medians = ok.groupby(["year", "org_type"])["value"].median().rename("median")
        src = src.join(medians, on=["year", "org_type"])
        mask = frame["indicator_id"] == dep
        target = frame.loc[mask, ["org_nr", "year"]].merge(
            src[["org_nr", "year", "status", "reason", "n", "coverage", "value", "median"]],
            on=["org_nr", "year"], how="left")
        target.index = frame.index[mask]
        frame.loc[mask, "status"] = target["status"]
        frame.loc[mask, "reason"] = target["reason"]
        frame.loc[mask, "n"] = target["n"]
        frame.loc[mask, "coverage"] = target["coverage"]
        frame.loc[mask, "value"] = (target["value"] - target["median"]).where(target["status"] == "ok")
    return frame


def write(frame: pd.DataFrame, path: Path) -> None:
    """Writes the long table as Parquet, or as CSV when `path` ends in .csv."""
    if path.suffix == ".csv":
        atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, float_format="%.10g"))
    else:
        write_parquet(frame, path)
