"""The data contract of the normalised tables, as pandera schemas.

Loaders convert text to values cell by cell (csvfiles.Converter); these schemas then check what must hold
for each table as a whole (formats, uniqueness, allowed codes, rules across columns). `check` validates
lazily and turns every failure into a Problem naming the file, the row and the field, so that all
problems of a file are reported together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..errors import InputError, Problem
from ..i18n import LANGS
from .vocabularies import GAIN_TYPES, ORG_TYPES, STANDARDS, STATUSES

# Units that a gain type must be measured in (other gain types: any unit, but one unit per goal).
GAIN_UNITS = {"efficiency": {"NOK", "kr"}, "co2e": {"tCO₂e", "tCO2e", "t CO2e", "tonn CO2e"}}


def _co2(unit) -> str:
    """A unit as compared: CO₂ and CO2 are the same."""
    return str(unit).replace("₂", "2")


_ORG_NR = pa.Check.str_matches(r"^\d{9}$", error="a 9-digit organisation number")
_DATE = pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="an ISO date")
_YEAR = pa.Check.str_matches(r"^(19|20)\d\d$", error="a year")


def _rule(field: str, message: str, fn, *columns: str) -> pa.Check:
    """A rule across columns, evaluated row by row on the values of `columns` (None where empty); a failing
    row is reported under `field`."""
    def check(frame: pd.DataFrame) -> pd.Series:
        cells = [[None if pd.isna(v) or v == "" else v for v in frame[c]] for c in columns]
        return pd.Series([bool(fn(*row)) for row in zip(*cells, strict=True)], index=frame.index)
    return pa.Check(check, name=field, error=message)


def _text(nullable: bool = False, **kw) -> pa.Column:
    """A text column; any string dtype (object, str, string[pyarrow]) as pandas gives it."""
    return pa.Column(None, nullable=nullable, **kw)


SCHEMAS = {
    "organisations": pa.DataFrameSchema({
        "org_nr": _text(checks=_ORG_NR, unique=True, report_duplicates="all"),
        "name": _text(),
        "org_type": _text(checks=pa.Check.isin(ORG_TYPES)),
        "lang": _text(nullable=True, checks=pa.Check.isin(LANGS)),
    }),
    "spend": pa.DataFrameSchema({
        "org_nr": _text(checks=_ORG_NR),
        "supplier_org_nr": _text(nullable=True, checks=_ORG_NR),
        "amount_ore": pa.Column("int64"),
        "invoice_date": _text(checks=_DATE),
    }),
    "surveys": pa.DataFrameSchema({
        "org_nr": _text(checks=_ORG_NR),
        "year": _text(checks=_YEAR),
        "respondent_id": _text(),
        "item_id": _text(),
        "value": pa.Column(float, nullable=True, checks=pa.Check.ge(0, error="a value of 0 or more")),
    }),
    "goals": pa.DataFrameSchema({
        "goal_id": _text(unique=True, report_duplicates="all"),
        "org_nr": _text(checks=_ORG_NR),
        "baseline_date": _text(nullable=True, checks=_DATE),
        "target_year": _text(nullable=True, checks=_YEAR),
    }, checks=[_rule("target_year", "the target year is before the baseline year",
                     lambda target, baseline: not (target and baseline) or target >= baseline[:4],
                     "target_year", "baseline_date")]),
    "measures": pa.DataFrameSchema({
        "measure_id": _text(unique=True, report_duplicates="all"),
        "goal_id": _text(),
        "start": _text(nullable=True, checks=_DATE),
        "end": _text(nullable=True, checks=_DATE),
    }, checks=[_rule("end", "the measure ends before it starts",
                     lambda start, end: not (start and end) or end >= start, "start", "end")]),
    "implementations": pa.DataFrameSchema({
        "measure_id": _text(),
        "status": _text(checks=pa.Check.isin(STATUSES)),
        "date": _text(nullable=True, checks=_DATE),
    }),
    "effects": pa.DataFrameSchema({
        "effect_id": _text(unique=True, report_duplicates="all"),
        "goal_id": _text(),
        "gain_type": _text(checks=pa.Check.isin(GAIN_TYPES)),
        "unit": _text(nullable=True),
        "date": _text(nullable=True, checks=_DATE),
    }, checks=[_rule("unit", "the unit does not match the gain type (efficiency: NOK; co2e: tCO₂e)",
                     lambda gain_type, unit: gain_type not in GAIN_UNITS
                     or _co2(unit) in map(_co2, GAIN_UNITS[gain_type]),
                     "gain_type", "unit")]),
    "contracts": pa.DataFrameSchema({
        "org_nr": _text(checks=_ORG_NR),
        "contract_id": _text(unique=True, report_duplicates="all"),
        "procurement_id": _text(),
        "supplier_org_nr": _text(nullable=True, checks=_ORG_NR),
        "signed_date": _text(checks=_DATE),
        "standard": _text(checks=pa.Check.isin(STANDARDS)),
    }),
    "training": pa.DataFrameSchema({
        "org_nr": _text(checks=_ORG_NR),
        "year": _text(checks=_YEAR),
        "procurement_fte": pa.Column(float, checks=pa.Check.ge(0, error="a number of FTE of 0 or more")),
        "trained_fte": pa.Column(float, checks=pa.Check.ge(0, error="a number of FTE of 0 or more")),
    }, checks=[_rule("trained_fte", "more FTE trained than procurement FTE",
                     lambda trained, total: trained is None or total is None or trained <= total,
                     "trained_fte", "procurement_fte")]),
}


def problems(name: str, frame: pd.DataFrame, default_file: str | Path = "") -> list[Problem]:
    """Every way `frame` breaks the contract of table `name`. Rows are named by `_file`/`_line` when the
    frame carries them."""
    frame = frame.reset_index(drop=True)
    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except SchemaErrors as exc:
        found = {}
        for case in exc.failure_cases.itertuples(index=False):
            row = None if pd.isna(case.index) else int(case.index)
            rule = case.schema_context == "DataFrameSchema"  # a rule across columns: reported once per row
            field = next((c.name for c in SCHEMAS[name].checks if c.error == case.check), None) if rule \
                else case.column
            found.setdefault((row, field), _message(case, rule))
        return [Problem(_file(frame, row, default_file), _where(frame, row), field or "table", message)
                for (row, field), message in sorted(found.items(), key=lambda kv: (kv[0][0] or -1, kv[0][1] or ""))]
    return []


def check(name: str, frame: pd.DataFrame, default_file: str | Path = "") -> None:
    if found := problems(name, frame, default_file):
        raise InputError(found)


def _message(case, rule: bool) -> str:
    check = str(case.check)
    if rule:
        return check
    value = "" if pd.isna(case.failure_case) else repr(case.failure_case)
    if check == "not_nullable":
        return "a value is required"
    if check == "field_uniqueness":
        return f"{value} occurs more than once"
    if check.startswith("isin("):
        return f"{value} is not one of {check[5:-1]}"
    if check.startswith("dtype("):
        return f"has the wrong type ({check})"
    return f"{value} is not {check}"


def _file(frame: pd.DataFrame, row: int | None, default: str | Path) -> str:
    if row is not None and "_file" in frame.columns:
        return str(frame.at[row, "_file"])
    return str(default)


def _where(frame: pd.DataFrame, row: int | None) -> str:
    if row is None:
        return "table"
    if "_line" not in frame.columns:
        return f"record {row + 1}"
    line = frame.at[row, "_line"]
    return line if isinstance(line, str) else f"row {line}"
