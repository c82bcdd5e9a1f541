"""Numbers, money, percentages and dates formatted for the report language with Babel (nb_NO or en_GB)."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def missing(value) -> bool:
    """No value to show: None, NaN or pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _sign(v) -> str:
    return "+" if v > 0 else "−" if v < 0 else "±"


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
    """A share (0.124) as `12,4 %` in bokmål and `12.4%` in English."""
    if missing(value):
        return "–"
    text = number(value * 100, lang, decimals)
    return f"{text}\u00a0%" if lang == "nb" else f"{text}%"


def points(value, lang: str = "nb", decimals: int = 1, signed: bool = True) -> str:
    """A difference between two shares, in percentage points, with its sign (unless `signed` is False)."""
    if missing(value):
        return "–"
    sign = _sign(value) if signed else ""
    unit = "prosentpoeng" if lang == "nb" else "percentage points"
    return f"{sign}{number(abs(value) * 100, lang, decimals)} {unit}"


def nok(value, lang: str = "nb") -> str:
    """Kroner as `1 234 567 kr` (bokmål) or `NOK 1,234,567` (English)."""
    if missing(value):
        return "–"
    text = number(round(float(value)), lang)
    return f"{text}\u00a0kr" if lang == "nb" else f"NOK\u00a0{text}"


def day(value: date | str, lang: str = "nb") -> str:
    """A date as `1. mars 2024` (bokmål) or `1 March 2024` (English)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="d. MMMM y" if lang == "nb" else "d MMMM y", locale=LOCALES[lang])


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
