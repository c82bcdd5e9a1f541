"""Numbers, money, percentages and dates formatted for the report language with Babel's locale data (nb_NO,
nn_NO or en_GB); the words and word order around them (kr, percentage points) come from the catalogs."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from . import i18n
from .i18n import LOCALES, N_


def missing(value) -> bool:
    """No value to show: None, NaN (Python's or NumPy's), NaT or pandas' NA. The one test of missingness: no
    "nan", "None", "NaT" or "<NA>" may reach a page, so every value from a table passes here or `present`."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return not isinstance(value, str) and pd.api.types.is_scalar(value) and bool(pd.isna(value))


def present(value, default=None):
    """The value, or `default` when it is missing."""
    return default if missing(value) else value


def record(row: dict) -> dict:
    """A row of a table (a dict, as from `DataFrame.to_dict`) with every missing value as None, so that
    `row.get(key) or ""`, `if row.get(key)` and str() read a missing field as absent, never as "nan"."""
    return {key: present(value) for key, value in row.items()}


def _sign(v) -> str:
    """"+" or "−"; nothing for no change ("0,0 prosentpoeng", not "±0,0")."""
    return "+" if v > 0 else "−" if v < 0 else ""


def number(value, lang: str = "nb", decimals: int = 0) -> str:
    if missing(value):
        return "–"
    return _number(value, lang, decimals)


@lru_cache(maxsize=8192)
def _number(value, lang: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if round(float(value), decimals) == 0:
        value = 0  # never "-0,00"
    return format_decimal(value, format=pattern, locale=LOCALES[lang]).replace("-", "\u2212")


def percent(value, lang: str = "nb", decimals: int = 1) -> str:
    """A share (0.124) as `12,4 %` in bokmål and nynorsk and `12.4%` in English (the locale's percent sign)."""
    if missing(value):
        return "–"
    return _percent_pattern(lang).replace("#,##0", number(value * 100, lang, decimals))


@lru_cache(maxsize=8)
def _percent_pattern(lang: str) -> str:
    return Locale.parse(LOCALES[lang]).percent_formats[None].pattern


def points(value, lang: str = "nb", decimals: int = 1, signed: bool = True) -> str:
    """A difference between two shares, in percentage points, with its sign (unless `signed` is False)."""
    if missing(value):
        return "–"
    sign = _sign(round(value * 100, decimals)) if signed else ""  # no sign where it rounds to 0
    return i18n.translate(lang, N_("{value} percentage points")).format(
        value=sign + number(abs(value) * 100, lang, decimals))


def nok(value, lang: str = "nb") -> str:
    """Kroner as `1 234 567 kr` (bokmål, nynorsk) or `NOK 1,234,567` (English)."""
    if missing(value):
        return "–"
    return i18n.translate(lang, N_("NOK\u00a0{amount}")).format(amount=number(round(float(value)), lang))


def day(value: date | str, lang: str = "nb") -> str:
    """A date in the locale's long format: `1. mars 2024` (bokmål, nynorsk) or `1 March 2024` (English)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="long", locale=LOCALES[lang])


def value(v, unit: str, lang: str = "nb") -> str:
    """An indicator value in its unit."""
    if unit == "share":
        return percent(v, lang)
    if unit in ("mean", "difference"):
        return number(v, lang, 2)
    if unit == "nok":
        return nok(v, lang)
    if unit == "tco2e":
        return f"{number(v, lang, 0)}\u00a0t CO₂e"
    return number(v, lang)


def change(v, unit: str, lang: str = "nb", signed: bool = True) -> str:
    """A change in an indicator's unit: percentage points for shares, signed values otherwise."""
    if unit == "share":
        return points(v, lang, signed=signed)
    if missing(v):
        return "–"
    sign = _sign(v) if signed else ""
    return sign + value(abs(v), unit, lang)


def span(first, last) -> str:
    """Years from first to last ("2019–2025"); one year as itself ("2022", never "2022–2022")."""
    return str(first) if str(first) == str(last) else f"{first}–{last}"
