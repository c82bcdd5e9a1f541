"""One value as every part of the report shows it: the value, or the one word for why it is not shown (the
same words on the organisation pages and in the downloads), its coverage, n, and its history."""

from __future__ import annotations

import pandas as pd

from .. import figures, fmt, i18n, narrative
from .words import MISSING, TEXT


def status_word(status: str, t: dict, min_n: int, not_measured: bool = False) -> str:
    """A value that is not shown, in the one vocabulary of every table (`t`: TEXT in the page's language):
    "not measured" (its source is not supplied), "no data", "not reported", "hidden (n<5)", "not yet
    measurable", "not available"."""
    if status == "suppressed":
        return t["hidden"].format(min_n=min_n)
    if status == "no_data" and not_measured:
        return t["not_measured"]
    return t[status if status in (*MISSING, "unavailable") else "no_data"]


def quartile_text(quartile: str, n: int, lang: str) -> str:
    """The scorecard's peer position, in the quarter words of the indicator paragraph (the plural follows n)."""
    tr = i18n.translations(lang)
    return {
        "lowest": lambda: tr.ngettext("lowest quarter of {n} peer", "lowest quarter of {n} peers", n),
        "lower_middle": lambda: tr.ngettext("second-lowest quarter of {n} peer",
                                            "second-lowest quarter of {n} peers", n),
        "upper_middle": lambda: tr.ngettext("second-highest quarter of {n} peer",
                                            "second-highest quarter of {n} peers", n),
        "highest": lambda: tr.ngettext("highest quarter of {n} peer", "highest quarter of {n} peers", n),
    }[quartile]().format(n=fmt.number(n, lang))


def history_sparkline(points: list[tuple[str, str, float | None]], lang: str) -> str:
    """A sparkline of (year, shown value, value or None where hidden) points, its text alternative naming every
    shown value; nothing where fewer than two years have a value."""
    if sum(v is not None for _, _, v in points) < 2:
        return ""
    alt = i18n.text(TEXT, lang)["history"].format(items=", ".join(f"{year}: {shown}" for year, shown, _ in points))
    return figures.sparkline([v for _, _, v in points], alt)


def value(r, row, ind) -> str:
    """The value as shown in report `r`'s language, or the status word for why it is not shown."""
    if row["status"] == "ok":
        return fmt.value(row["value"], ind.unit, r.lang)
    return status_word(row["status"], r.t, min_n(row, ind), bool(r.basis.missing(ind)))


def coverage(row, lang: str) -> str:
    """Coverage beside every value (and beside "not reported": 0 %), with * where it is low."""
    if row["status"] not in ("ok", "not_reported"):
        return "–"
    low = row["status"] == "ok" and row["coverage"] < narrative.LOW_COVERAGE
    return fmt.percent(row["coverage"], lang, 0) + (" *" if low else "")


def low_share(lang: str) -> str:
    """The coverage below which a value is marked as low, as a percentage."""
    return fmt.percent(narrative.LOW_COVERAGE, lang, 0)


def n(r, row, ind) -> str:
    if row["status"] == "suppressed":
        return r.t["suppressed"].format(min_n=min_n(row, ind))
    return fmt.number(row["n"], r.lang) if row["status"] == "ok" else "–"


def by_indicator(r) -> dict[str, list[dict]]:
    """Report `r`'s rows up to the report year, per indicator, in year order (computed once per report)."""
    if "_rows_by_indicator" not in r.__dict__:
        rows = r.rows[r.rows["year"].isin(r.years)].sort_values(["indicator_id", "year"])
        r._rows_by_indicator = {}
        for row in rows.to_dict("records"):
            r._rows_by_indicator.setdefault(row["indicator_id"], []).append(row)
    return r._rows_by_indicator


def sparkline(r, ind) -> str:
    """The indicator's published values up to this year as a sparkline (suppressed values as n<5)."""
    rows = [row for row in by_indicator(r).get(ind.id, []) if row["status"] in ("ok", "suppressed")]
    return history_sparkline([(row["year"], value(r, row, ind), float(row["value"]) if row["status"] == "ok"
                               else None) for row in rows], r.lang)


def min_n(row, ind) -> int:
    """The minimum n the row was computed with (params `min_n` for survey indicators)."""
    found = row.get("min_n")  # rows are dicts or Series: both have .get
    return int(found) if ok(found) else ind.min_n


def ok(v) -> bool:
    return not fmt.missing(v)


def none(v):
    return v if ok(v) else None


def as_float(v) -> float | None:
    return float(v) if ok(v) else None


def signed(v, lang: str) -> str:
    return "–" if not ok(v) else ("+" if v > 0 else "") + fmt.number(v, lang, 1)


def floats(series: pd.Series) -> list:
    return [None if fmt.missing(v) else float(v) for v in series]
