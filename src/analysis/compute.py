"""Stage 2, compute: every indicator for every organisation and year, in one DuckDB pass.

The result is one long table (indicators.parquet) with, per organisation, year and indicator: value,
numerator, denominator, n, coverage, status and its reason, which source answered (`answered_by`, where more
than one can: G3/G4 from the notices, the contract register or both), the peer-group statistics (peer group =
org_type) and the change against the previous year and the baseline year. Status: ok; suppressed (answers of
persons with n below the minimum n; public records are never suppressed); not_reported (there were units, but
none of them could answer: the field was never filled, so the value is "not reported", never 0 %); not_yet
(there were units, but the data that answers them cannot be in the dataset yet: E3's accounts two years after
the award); no_data (no units at all); unavailable (needs data outside the layout); derived. A public-record
share or mean resting on fewer units than `settings.small_base` is marked `small_base`, is no peer of the
others and gets no quarter among them; the quarter and the median come from the same peers (a published value on
a sufficient base), and there is no quarter with fewer than `settings.min_peers` of them; every share whose
denominator counts its units has its 95 % Wilson interval (`ci_low`,
`ci_high`). Beside it: national totals per indicator and year (national.parquet, over every buyer, also those
outside organisations.csv), the self-evaluation scores (self_evaluation.parquet), both suppressed below the
minimum n like the indicators, and the data basis of each organisation and year (basis.parquet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from . import catalogue, paths
from .ingest import self_evaluation_questions, survey_items
from .io import atomic_write, write_parquet

COLUMNS = ["org_nr", "name", "org_type", "year", "area", "indicator_id", "unit", "polarity", "value", "numerator",
           "denominator", "n", "min_n", "coverage", "status", "reason", "small_base", "ci_low", "ci_high",
           "answered_by", "peer_n", "peer_median",
           "peer_q1", "peer_q3", "peer_quartile", "prev_value", "change_prev", "baseline_year", "baseline_value",
           "change_baseline"]


def connect(data: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the normalised tables of `data` as views."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    items = pd.DataFrame([{"item_id": k, "indicator": v["indicator"]} for k, v in survey_items().items()],
                         columns=["item_id", "indicator"])
    con.register("survey_items", items)
    questions = pd.DataFrame([{"question": q["id"], "ord": k, "item_id": q["item"], "barriers": q.get("barriers")}
                              for k, q in enumerate(self_evaluation_questions())],
                             columns=["question", "ord", "item_id", "barriers"])
    con.register("questions", questions)
    cat = catalogue.load()
    views = (paths.PACKAGE / "sql" / "views.sql").read_text(encoding="utf-8")
    con.execute(catalogue.sql_env().from_string(views).render(data=data.as_posix(), settings=cat.settings))
    return con


def _raw_union(cat: catalogue.Catalogue, counted: bool = False) -> str:
    """Every indicator's counts per organisation and year, as one query. With `counted`, those counted from flags
    read the temp table `unit_flags` (_unit_flags) instead of running their flags query again."""
    parts = []
    for ind in cat.indicators:
        if ind.sql is None:
            continue
        source = (catalogue.FLAG_SHARE.format(flags=f"SELECT * FROM unit_flags WHERE indicator_id = '{ind.id}'")
                  if counted and ind.flags else cat.render_sql(ind))
        parts.append(
            f"SELECT '{ind.id}' AS indicator_id, org_nr, CAST(year AS VARCHAR) AS year, "
            "CAST(numerator AS DECIMAL(38, 4)) AS numerator, CAST(denominator AS DECIMAL(38, 4)) AS denominator, "
            f"CAST(n AS BIGINT) AS n, CAST(coverage AS DOUBLE) AS coverage, "
            f"CAST({'answered_by' if ind.answered_by else 'NULL'} AS VARCHAR) AS answered_by, "
            f"CAST({'not_yet' if ind.not_yet else 'false'} AS BOOLEAN) AS not_yet "
            f"FROM ({source})")
    return "\nUNION ALL\n".join(parts)


# The 95 % Wilson score interval of k successes in n trials: its lower (side -1) or upper (side 1) bound. Unlike
# p ± 1.96·se it stays inside [0, 1] and is not zero-width at 0 of 3 (Newcombe 1998; ONS and NHS use it for small n).
WILSON = """
    CREATE OR REPLACE TEMP MACRO wilson(k, n, side) AS
        least(1, greatest(0, ((k / n + 1.96 ^ 2 / (2 * n))
                              + side * 1.96 * sqrt(k / n * (1 - k / n) / n + 1.96 ^ 2 / (4 * n ^ 2)))
                             / (1 + 1.96 ^ 2 / n)))
"""


@dataclass
class Tables:
    indicators: pd.DataFrame
    national: pd.DataFrame
    self_evaluation: pd.DataFrame
    basis: pd.DataFrame
    procurements: pd.DataFrame  # the procurements behind the notice-based indicators, one row each
    flags: pd.DataFrame  # each of their units' answer per indicator: what the indicator counts
    examples: pd.DataFrame  # procurements to learn from, nationally, per year and kind


FLAG_COLUMNS = ["org_nr", "year", "indicator_id", "folder_id", "lot_id", "flag"]
EXAMPLE_KINDS = ("innovation", "comp-dial", "dialogue", "rd", "innovative")
EXAMPLE_COLUMNS = ["year", "kind", "org_nr", "buyer", "org_type", "folder_id", "doffin_id", "notice_id", "title",
                   "first_date"]
PROCUREMENT_COLUMNS = ["org_nr", "year", "folder_id", "notice_id", "doffin_id", "title", "first_date",
                       "procedure_type", "estimated_value", "currency", "lots"]


def _unit_flags(con: duckdb.DuckDBPyConnection, cat: catalogue.Catalogue) -> None:
    """The temp table `unit_flags`: every unit of every indicator counted from flags (catalogue `flags`), over
    every buyer: yes (True), no (False) or unknown (NULL), and whether it is covered. The indicators' values are
    counted from this table (_raw_union), and the procurement lists are read from it: its yes rows are the
    numerator and its yes and no rows the denominator, by construction."""
    parts = [f"SELECT '{i.id}' AS indicator_id, org_nr, CAST(year AS VARCHAR) AS year, folder_id, "
             f"CAST(lot_id AS VARCHAR) AS lot_id, flag, covered FROM ({cat.render_sql(i, sql=i.flags)})"
             for i in cat.indicators if i.flags]
    con.execute(f"CREATE OR REPLACE TEMP TABLE unit_flags AS {' UNION ALL '.join(parts)}")


def _flags(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The flags of the organisations of the dataset (procurement_flags.parquet)."""
    return con.execute(f"""
        SELECT {', '.join(FLAG_COLUMNS)} FROM unit_flags
        WHERE org_nr IN (SELECT org_nr FROM orgs) AND year IS NOT NULL
        ORDER BY org_nr, year, folder_id, indicator_id, lot_id NULLS FIRST, flag NULLS LAST
    """).df()


def _examples(con: duckdb.DuckDBPyConnection, cat: catalogue.Catalogue) -> pd.DataFrame:
    """Procurements to learn from, over every buyer in the country: the competitions of each year that used an
    innovation partnership, a competitive dialogue, or a negotiated procedure after early market dialogue (P2's
    flag, of any of its buyers), or that are marked as research and development (an R&D CPV code or BT-776
    rd-act) or innovative (another BT-776 code). Each procurement under the first kind it fits, in that order,
    with a row per buyer (a joint procurement has several); a buyer named as organisations.csv names it, else as
    its notice does."""
    rd = ", ".join(f"'{c}'" for c in cat.settings["rd_cpv"])
    return con.execute(f"""
        WITH lots AS (
            SELECT folder_id, bool_or(list_contains(innovative, 'rd-act')) AS rd_act,
                   bool_or(len(innovative) > 0) AS innovative
            FROM cn_lots GROUP BY folder_id),
        dialogue AS (SELECT DISTINCT org_nr, folder_id FROM unit_flags WHERE indicator_id = 'P2' AND flag),
        kinds AS (  -- one kind per procurement, however many buyers share it
            SELECT p.year, p.folder_id,
                   CASE WHEN bool_or(p.procedure_type = 'innovation') THEN 'innovation'
                        WHEN bool_or(p.procedure_type = 'comp-dial') THEN 'comp-dial'
                        WHEN bool_or(p.procedure_type = 'neg-w-call' AND d.folder_id IS NOT NULL) THEN 'dialogue'
                        WHEN bool_or(p.main_cpv IN ({rd}) OR coalesce(l.rd_act, false)) THEN 'rd'
                        WHEN bool_or(coalesce(l.innovative, false)) THEN 'innovative' END AS kind
            FROM cn_procedures p LEFT JOIN lots l USING (folder_id)
            LEFT JOIN dialogue d ON d.org_nr = p.org_nr AND d.folder_id = p.folder_id
            GROUP BY p.year, p.folder_id),
        told AS (
            SELECT n.folder_id, n.doffin_id, n.notice_id, n.title,
                   min(n.issue_date) OVER (PARTITION BY n.folder_id) AS first_date,
                   row_number() OVER (PARTITION BY n.folder_id
                                      ORDER BY n.issue_date DESC, n.version DESC, n.notice_id DESC) AS rank
            FROM notices n WHERE n.form_type = 'competition')
        SELECT k.year, k.kind, p.org_nr, coalesce(o.name, bn.name, p.org_nr) AS buyer, o.org_type, k.folder_id,
               t.doffin_id, t.notice_id, t.title, t.first_date
        FROM kinds k JOIN told t ON t.folder_id = k.folder_id AND t.rank = 1
        JOIN cn_procedures p ON p.folder_id = k.folder_id AND p.year = k.year
        LEFT JOIN orgs o ON o.org_nr = p.org_nr LEFT JOIN buyer_names bn ON bn.org_nr = p.org_nr
        WHERE k.kind IS NOT NULL AND k.year IS NOT NULL
        ORDER BY k.year, list_position({list(EXAMPLE_KINDS)}, k.kind), t.first_date, k.folder_id, p.org_nr
    """).df()[EXAMPLE_COLUMNS]


def _procurements(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per organisation, year and procurement (contract folder) that a flagged indicator counts: told
    by its latest competition notice where there is one (the notice the indicators read: a change corrects the
    announcement), else by its latest notice (title, Doffin number, procedure type, estimated value, lots),
    dated by its first notice."""
    return con.execute("""
        WITH asked AS (SELECT DISTINCT org_nr, year, folder_id FROM unit_flags
                       WHERE org_nr IN (SELECT org_nr FROM orgs) AND year IS NOT NULL),
        told AS (
            SELECT b.org_nr, n.*,
                   min(n.issue_date) OVER (PARTITION BY b.org_nr, n.folder_id) AS first_date,
                   row_number() OVER (PARTITION BY b.org_nr, n.folder_id
                                      ORDER BY n.form_type = 'competition' DESC, n.issue_date DESC,
                                               n.version DESC, n.notice_id DESC) AS rank
            FROM notices n JOIN notice_buyers b USING (notice_id, version)
            WHERE b.org_nr IN (SELECT org_nr FROM asked))
        SELECT a.org_nr, a.year, a.folder_id, t.notice_id, t.doffin_id, t.title, t.first_date, t.procedure_type,
               t.estimated_value, t.currency,
               (SELECT count(*) FROM lots l WHERE l.notice_id = t.notice_id AND l.version = t.version) AS lots
        FROM asked a JOIN told t ON t.org_nr = a.org_nr AND t.folder_id = a.folder_id AND t.rank = 1
        ORDER BY a.org_nr, a.year, t.first_date, a.folder_id
    """).df()[PROCUREMENT_COLUMNS]


def compute(data: Path, baseline_year: str | None = None, threads: int | None = None,
            survey_min_n: int | None = None) -> pd.DataFrame:
    """The indicator table. `survey_min_n` (params `min_n`) overrides the minimum n of the indicators whose
    units are persons (privacy)."""
    return compute_all(data, baseline_year, threads, survey_min_n).indicators


def compute_all(data: Path, baseline_year: str | None = None, threads: int | None = None,
                survey_min_n: int | None = None) -> Tables:
    """The indicator table, national totals and self-evaluation scores, from one connection."""
    cat = catalogue.load()
    con = connect(data, threads)
    meta = pd.DataFrame([{
        "indicator_id": i.id, "ord": k, "area": i.area, "unit": i.unit, "polarity": i.polarity,
        "min_n": (survey_min_n or i.min_n) if i.persons else 0, "persons": i.persons,
        "computable": i.sql is not None, "derived_from": i.derived_from,
        "unavailable": (i.unavailable or {}).get("nb"),
    } for k, i in enumerate(cat.indicators)])
    con.register("meta", meta)
    _unit_flags(con, cat)
    con.execute(f"CREATE TEMP TABLE raw AS {_raw_union(cat, counted=True)}")
    con.execute(WILSON)
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
            SELECT g.*, r.numerator, r.denominator, r.n, r.coverage, r.answered_by,
                   CASE WHEN NOT g.computable AND g.derived_from IS NULL THEN 'unavailable'
                        WHEN g.derived_from IS NOT NULL THEN 'derived'
                        WHEN coalesce(r.n, 0) = 0 AND r.coverage = 0 THEN
                             CASE WHEN r.not_yet THEN 'not_yet' ELSE 'not_reported' END
                        WHEN r.n IS NULL OR r.n = 0 OR (g.unit IN ('share', 'mean')
                             AND coalesce(r.denominator, 0) = 0) THEN 'no_data'
                        WHEN r.n < g.min_n THEN 'suppressed'
                        ELSE 'ok' END AS status
            FROM grid g LEFT JOIN raw r USING (indicator_id, org_nr, year))
        SELECT org_nr, name, org_type, year, area, indicator_id, unit, polarity, ord, min_n, derived_from,
               status = 'ok' AND NOT persons AND unit IN ('share', 'mean') AND n < {small_base} AS small_base,
               CASE WHEN status = 'ok' AND unit = 'share' AND denominator = n THEN
                    wilson(CAST(numerator AS DOUBLE), CAST(n AS DOUBLE), -1) END AS ci_low,
               CASE WHEN status = 'ok' AND unit = 'share' AND denominator = n THEN
                    wilson(CAST(numerator AS DOUBLE), CAST(n AS DOUBLE), 1) END AS ci_high,
               CASE WHEN status = 'ok' THEN
                    CASE WHEN unit IN ('share', 'mean') THEN CAST(numerator AS DOUBLE) / CAST(denominator AS DOUBLE)
                         ELSE CAST(numerator AS DOUBLE) END END AS value,
               CASE WHEN status = 'ok' THEN numerator END AS numerator,
               CASE WHEN status = 'ok' THEN denominator END AS denominator,
               coalesce(n, 0) AS n, coverage, status, answered_by,
               CASE status WHEN 'unavailable' THEN unavailable
                           WHEN 'suppressed' THEN 'n < ' || min_n
                           WHEN 'no_data' THEN 'ingen data'
                           WHEN 'not_reported' THEN 'ikke oppgitt'
                           WHEN 'not_yet' THEN 'ikke målbart ennå' END AS reason
        FROM joined
    """.replace("{small_base}", str(int(cat.settings["small_base"])))).df()
    frame = _derive(frame)
    con.register("base", frame)
    out = con.execute(f"""
        WITH peers AS (  -- the comparable peers: a published value on a sufficient base (never a small one)
            SELECT year, org_type, indicator_id, count(value) AS peer_n,
                   median(value) AS peer_median, quantile_cont(value, 0.25) AS peer_q1,
                   quantile_cont(value, 0.75) AS peer_q3
            FROM base WHERE status = 'ok' AND NOT small_base GROUP BY ALL),
        ranked AS (
            SELECT *,
                   lag(value) OVER (PARTITION BY org_nr, indicator_id ORDER BY year) AS prev_value,
                   max(value) FILTER (WHERE year = '{baseline}')
                       OVER (PARTITION BY org_nr, indicator_id) AS baseline_value
            FROM base)
        SELECT r.*, p.peer_n, p.peer_median, p.peer_q1, p.peer_q3,
               -- the quarter among the same peers as the median: below the lower quartile, below the median,
               -- above it, above the upper quartile; a value at the median (ties) is placed in no quarter
               CASE WHEN r.status = 'ok' AND NOT r.small_base AND p.peer_n >= {int(cat.settings['min_peers'])} THEN
                    CASE WHEN r.value < p.peer_q1 THEN 1 WHEN r.value < p.peer_median THEN 2
                         WHEN r.value > p.peer_q3 THEN 4 WHEN r.value > p.peer_median THEN 3 END END AS peer_quartile,
               value - prev_value AS change_prev, '{baseline}' AS baseline_year,
               value - baseline_value AS change_baseline
        FROM ranked r LEFT JOIN peers p USING (year, org_type, indicator_id)
        ORDER BY org_nr, year, ord
    """).df()
    out["peer_n"] = out["peer_n"].fillna(0).astype("int64")
    out["peer_quartile"] = out["peer_quartile"].astype("Int64")
    survey_n = survey_min_n or min(i.min_n for i in cat.indicators if i.survey)
    flags = _flags(con)
    return Tables(out[COLUMNS], _national(con), _self_evaluation(con, survey_n), _basis(con), _procurements(con),
                  flags, _examples(con, cat))


NATIONAL_COLUMNS = ["year", "area", "indicator_id", "unit", "value", "numerator", "denominator", "n", "orgs",
                    "status"]


# Views whose rows are a notice's procedure, lots or awards once per buyer of it: a national figure reading
# them counts each of those units once (one buyer stands for a joint procedure), not once per buyer.
_PER_BUYER = re.compile(r"\b(cn_procedures|cn_lots|cn_lots_flagged|can_awards|can_submissions|can_lots)\b")


def _once_per_procedure(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Computes the indicators that read per-buyer notice views again with each procedure under one buyer (its
    lowest organisation number, so joint procedures count once and buyer-specific answers stay a real buyer's),
    into the temp table `national_raw`; returns their IDs. The per-organisation rows are left as they are."""
    cat = catalogue.load()
    once = tuple(i for i in cat.indicators if i.sql and _PER_BUYER.search(i.sql))
    database = con.execute("SELECT current_database()").fetchone()[0]  # `main` alone is the temp schema too
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW procedures AS
        SELECT * FROM "{database}".main.procedures
        QUALIFY row_number() OVER (PARTITION BY form_type, folder_id ORDER BY org_nr) = 1
    """)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE national_raw AS {_raw_union(replace(cat, indicators=once))}")
    finally:
        con.execute("DROP VIEW temp.procedures")
    return [i.id for i in once]


def _national(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Totals over every buyer per indicator and year: shares and means from summed numerators and
    denominators (not a mean of organisations' shares), counts and money summed. A procedure (its lots, its
    awards) counts once however many buyers share it; the other units (spend lines, respondents, the
    organisations' own registers) are each one organisation's and are summed over its rows."""
    once = _once_per_procedure(con)
    return con.execute("""
        WITH units AS (
            SELECT * FROM raw WHERE indicator_id NOT IN (SELECT unnest($once))
            UNION ALL SELECT * FROM national_raw),
        totals AS (
            SELECT r.indicator_id, r.year, sum(r.numerator) AS numerator, sum(r.denominator) AS denominator,
                   sum(r.n) AS n, bool_and(r.not_yet) AS not_yet
            FROM units r WHERE r.year IS NOT NULL AND r.year IN (SELECT year FROM years) GROUP BY ALL),
        orgs AS (
            SELECT indicator_id, year, count(DISTINCT org_nr) AS orgs FROM raw GROUP BY ALL)
        SELECT t.year, m.area, t.indicator_id, m.unit,
               CASE WHEN t.n < m.min_n OR (m.unit IN ('share', 'mean') AND t.denominator = 0) THEN NULL
                    WHEN m.unit IN ('share', 'mean') THEN CAST(t.numerator AS DOUBLE) / CAST(t.denominator AS DOUBLE)
                    ELSE CAST(t.numerator AS DOUBLE) END AS value,
               CASE WHEN t.n >= m.min_n THEN t.numerator END AS numerator,
               CASE WHEN t.n >= m.min_n THEN t.denominator END AS denominator,
               t.n, o.orgs, CASE WHEN t.n >= m.min_n THEN 'ok'
                                 WHEN t.n = 0 THEN CASE WHEN t.not_yet THEN 'not_yet' ELSE 'not_reported' END
                                 ELSE 'suppressed' END AS status
        FROM totals t JOIN (SELECT * REPLACE (greatest(min_n, 1) AS min_n) FROM meta) m USING (indicator_id)
        JOIN orgs o USING (indicator_id, year)
        ORDER BY t.year, m.ord
    """, {"once": once}).df()[NATIONAL_COLUMNS]


BASIS_COLUMNS = ["org_nr", "year", "source", "kind", "count"]


def _basis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The data basis of each organisation and year: what the dataset holds for it, per source (notices by
    form type, contracts signed, survey respondents, goals set by that year, post-contract evaluations,
    training records, ledger lines). A source without a row for a body does not cover it: reports say it is
    not supplied for the body rather than stating an absence as a fact."""
    return con.execute("""
        WITH counts AS (
            SELECT b.org_nr, n.year, 'notices' AS source, n.form_type AS kind, count(DISTINCT n.notice_id) AS count
            FROM notices n JOIN notice_buyers b USING (notice_id, version) GROUP BY ALL
            UNION ALL SELECT org_nr, substr(signed_date, 1, 4), 'contracts', '', count(*) FROM contracts GROUP BY ALL
            UNION ALL SELECT org_nr, year, 'surveys', '', count(DISTINCT respondent_id) FROM surveys GROUP BY ALL
            UNION ALL SELECT c.org_nr, substr(e.evaluation_date, 1, 4), 'evaluations', '', count(*)
                      FROM evaluations e JOIN contracts c USING (contract_id) GROUP BY ALL
            UNION ALL SELECT org_nr, year, 'training', '', count(*) FROM training GROUP BY ALL
            UNION ALL SELECT org_nr, year, 'spend', '', count(*) FROM spend GROUP BY ALL
            UNION ALL SELECT g.org_nr, y.year, 'gains', '', count(*)
                      FROM goals g JOIN years y ON coalesce(substr(g.baseline_date, 1, 4), y.year) <= y.year
                      GROUP BY ALL)
        SELECT org_nr, CAST(year AS VARCHAR) AS year, source, coalesce(kind, '') AS kind,
               CAST(sum(count) AS BIGINT) AS count
        FROM counts
        WHERE org_nr IN (SELECT org_nr FROM orgs) AND year IN (SELECT year FROM years)
        GROUP BY ALL ORDER BY org_nr, year, source, kind
    """).df()[BASIS_COLUMNS]


SELF_EVALUATION_COLUMNS = ["org_nr", "year", "question", "kind", "item_id", "n", "value", "share_agree", "status",
                           "prev_year", "prev_value", "change"]


def _self_evaluation(con: duckdb.DuckDBPyConnection, min_n: int) -> pd.DataFrame:
    """Per organisation, year and question: the mean score (1–5) and the share answering 4 or 5; for the
    barrier question also the share of respondents naming each barrier. Fewer respondents than `min_n`:
    suppressed (no value). The previous wave is the organisation's previous year with a published value."""
    return con.execute(f"""
        WITH scores AS (
            SELECT s.org_nr, s.year, q.question, q.ord, 'score' AS kind, s.item_id,
                   count(DISTINCT s.respondent_id) FILTER (WHERE s.value IS NOT NULL) AS n,
                   avg(s.value) AS value, avg(CASE WHEN s.value >= 4 THEN 1.0 ELSE 0.0 END)
                       FILTER (WHERE s.value IS NOT NULL) AS share_agree
            FROM surveys s JOIN questions q USING (item_id) GROUP BY ALL),
        barriers AS (
            SELECT a.org_nr, a.year, q.question, q.ord, 'barrier' AS kind, a.item_id,
                   count(DISTINCT a.respondent_id) FILTER (WHERE a.value IS NOT NULL) AS n,
                   avg(a.value) AS value, NULL::DOUBLE AS share_agree
            FROM survey_answers a JOIN questions q ON a.indicator = q.barriers GROUP BY ALL),
        published AS (
            SELECT *, CASE WHEN n >= {int(min_n)} THEN 'ok' ELSE 'suppressed' END AS status
            FROM (SELECT * FROM scores UNION ALL SELECT * FROM barriers)
            WHERE org_nr IN (SELECT org_nr FROM orgs)),
        shown AS (
            SELECT * REPLACE (CASE WHEN status = 'ok' THEN value END AS value,
                              CASE WHEN status = 'ok' THEN share_agree END AS share_agree)
            FROM published)
        SELECT *, lag(CASE WHEN status = 'ok' THEN year END IGNORE NULLS) OVER w AS prev_year,
               lag(value IGNORE NULLS) OVER w AS prev_value,
               value - lag(value IGNORE NULLS) OVER w AS change
        FROM shown
        WINDOW w AS (PARTITION BY org_nr, question, item_id ORDER BY year)
        ORDER BY org_nr, year, ord, kind DESC, item_id
    """).df()[SELF_EVALUATION_COLUMNS]


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
