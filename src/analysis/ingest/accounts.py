"""Regnskapsregisteret: annual accounts as the API returns them (`GET …/regnskapsregisteret/regnskap/{orgnr}`).

accounts/**.json (or .json.gz) holds the responses as they come: an array of filings (possibly empty: no
filings), or one filing as an object (`…/regnskap/{orgnr}/{id}`). A third-party source, so tolerant: a file
that cannot be read (malformed JSON, an HTTP error body such as the 500 banks and insurers get, anything
else) is refused and listed, and the rest goes on.

Per filing: the organisation number, the calendar year in which its period ends (a financial year from
2024-06-01 to 2025-05-31 is 2025), the currency and the revenue
(`resultatregnskapResultat.driftsresultat.driftsinntekter.sumDriftsinntekter`). Absent revenue is unknown,
never 0. Revenue in another currency than NOK is left out (unknown) and counted: no dated rate table is
configured, so nothing is converted. Group accounts (KONSERN) are left out: growth is measured on the
company's own accounts (SELSKAP). Of two filings for the same company and year, the one with the later
period end (then the higher id) is kept.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..orgnr import normalise
from . import csvfiles

COLUMNS = ["org_nr", "year", "period_start", "period_end", "currency", "revenue"]


def read(paths: list[Path], quality: Counter, refused: list[Problem]) -> pd.DataFrame:
    filings = []
    for path in paths:
        try:
            items = _filings(path)
        except InputError as exc:
            refused += exc.problems
            continue
        if not items:
            quality["accounts: responses with no filings (empty array)"] += 1
        for i, item in enumerate(items):
            if (row := _filing(item, path, i, quality, refused)) is not None:
                filings.append(row)
    frame = pd.DataFrame(filings, columns=[*COLUMNS, "id"])
    frame = frame.sort_values(["org_nr", "year", "period_end", "id"])
    repeated = frame.duplicated(["org_nr", "year"], keep="last")
    quality["accounts: several filings for a company and year (the latest period kept)"] += int(repeated.sum())
    frame = frame[~repeated].drop(columns="id").reset_index(drop=True)
    frame["revenue"] = frame["revenue"].astype("float64")
    return frame


def _filings(path: Path) -> list:
    try:
        doc = json.loads(csvfiles.read_text(path))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError.one(path, f"line {getattr(exc, 'lineno', '?')}", "json", "malformed JSON") from None
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and "regnskapsperiode" in doc:
        return [doc]
    if isinstance(doc, dict) and "status" in doc and "error" in doc:
        raise InputError.one(path, "document", "status", f"an HTTP error response ({doc['status']} "
                             f"{doc['error']}), not accounts: fetch it again or leave it out")
    raise InputError.one(path, "document", "regnskapsperiode", "not a Regnskapsregisteret response (an array of "
                         "filings or one filing)")


def _get(item: dict, *keys: str):
    for key in keys:
        item = item.get(key) if isinstance(item, dict) else None
    return item


def _filing(item, path: Path, i: int, quality: Counter, refused: list[Problem]) -> dict | None:
    where = f"[{i}]"
    if not isinstance(item, dict):
        refused.append(Problem(str(path), where, "filing", "not a filing object"))
        return None
    org_nr = normalise(str(_get(item, "virksomhet", "organisasjonsnummer") or ""))
    if org_nr is None:
        refused.append(Problem(str(path), where + ".virksomhet", "organisasjonsnummer",
                               "not a valid organisation number"))
        return None
    end = csvfiles.parse_date(str(_get(item, "regnskapsperiode", "tilDato") or ""))
    if end is None:
        refused.append(Problem(str(path), where + ".regnskapsperiode", "tilDato", "not a date"))
        return None
    if item.get("regnskapstype") == "KONSERN":
        quality["accounts: group accounts (KONSERN; left out, company accounts are used)"] += 1
        return None
    revenue = _get(item, "resultatregnskapResultat", "driftsresultat", "driftsinntekter", "sumDriftsinntekter")
    currency = item.get("valuta")
    if not isinstance(revenue, int | float) or isinstance(revenue, bool):
        quality["accounts: filings without revenue (sumDriftsinntekter absent; unknown, not 0)"] += 1
        revenue = None
    elif currency != "NOK":
        quality["accounts: filings in another currency than NOK (revenue left out; no rate table)"] += 1
        revenue = None
    start = csvfiles.parse_date(str(_get(item, "regnskapsperiode", "fraDato") or ""))
    if start is not None and not (start[5:] == "01-01" and end[5:] == "12-31"):
        quality["accounts: periods that are not a calendar year (assigned to the year they end in)"] += 1
    return {"org_nr": org_nr, "year": end[:4], "period_start": start, "period_end": end, "currency": currency,
            "revenue": revenue, "id": item.get("id") if isinstance(item.get("id"), int) else 0}
