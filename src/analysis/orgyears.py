"""Which organisation-years get a report: only those with data of any kind.

An organisation-year has data when any of its indicators has a status other than no_data or unavailable
(derived indicators carry their source's status once compute resolved them; one still marked `derived` rests
on nothing). Notices as buyer, survey answers, the gain register, contracts, evaluations, training and spend
lines all reach some indicator; a notice that reaches none (a planning notice or a contract modification
alone) is in the data basis (basis.parquet) and counts as data too. An organisation-year with neither gets
no report, and the organisation page and the index say so instead. Every place that lists
organisation-years (the pairs executed, the reports rendered, the pages linking them) asks this module, so
they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

NOTHING = ("no_data", "unavailable", "derived")  # statuses that say there is no data behind the value


@dataclass(frozen=True)
class Plan:
    reports: list[tuple[str, str]]  # (org_nr, year) with data, sorted by year then org_nr
    empty: list[tuple[str, str]]  # (org_nr, year) with no data of any kind, in the same order


def plan(table: pd.DataFrame, orgs=None, years=None, basis: pd.DataFrame | None = None) -> Plan:
    """The organisation-years of the indicator table (columns org_nr, year, status) within `orgs` and `years`
    (None: all), split into those with data and those without. `basis` (columns org_nr, year: the data basis)
    adds data that reaches no indicator."""
    if orgs is not None:
        table = table[table["org_nr"].isin(orgs)]
    if years is not None:
        table = table[table["year"].isin(years)]
    has_data = table["status"].notna() & ~table["status"].isin(NOTHING)
    if basis is not None:
        held = pd.MultiIndex.from_frame(basis[["org_nr", "year"]].astype(str))
        has_data |= pd.MultiIndex.from_frame(table[["org_nr", "year"]].astype(str)).isin(held)
    by_pair = has_data.groupby([table["org_nr"], table["year"]], sort=False).any()
    pairs = sorted(by_pair.items(), key=lambda item: (item[0][1], item[0][0]))
    return Plan([pair for pair, data in pairs if data], [pair for pair, data in pairs if not data])


def read(indicators: Path, orgs=None, years=None, basis: Path | None = None) -> Plan:
    """`plan` of the indicator table written by compute, with its data basis where given."""
    held = pd.read_parquet(basis, columns=["org_nr", "year"]) if basis is not None and basis.is_file() else None
    return plan(pd.read_parquet(indicators, columns=["org_nr", "year", "status"]), orgs, years, held)
