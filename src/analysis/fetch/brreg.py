"""Brønnøysundregistrene: Enhetsregisteret's units and Regnskapsregisteret's annual accounts, one request per
organisation number, saved as they come (the ingest reads both shapes as they are).

  GET {base}/enhetsregisteret/api/enheter/{orgnr}   200 a unit (a deleted one carries `slettedato`),
                                                    404 no such unit, 410 removed
  GET {base}/regnskapsregisteret/regnskap/{orgnr}    200 an array of filings (maybe empty), 404 no filings,
                                                    500 for banks and insurers (their accounts are not here)

No key is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .http import Client, GaveUp, save

DEFAULT_URL = "https://data.brreg.no"
UNIT = "/enhetsregisteret/api/enheter/{}"
ACCOUNTS = "/regnskapsregisteret/regnskap/{}"
_JSON = {"Accept": "application/json"}


def parsed(body: bytes):
    try:
        return json.loads(body.decode("utf-8"), strict=False)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def check_unit(body: bytes) -> str | None:
    doc = parsed(body)
    if not isinstance(doc, dict) or not isinstance(doc.get("organisasjonsnummer"), str):
        return "not an Enhetsregisteret unit (an error page or a cut-off answer)"
    return None


def check_accounts(body: bytes) -> str | None:
    doc = parsed(body)
    if isinstance(doc, list) and all(isinstance(item, dict) for item in doc):
        return None
    if isinstance(doc, dict) and "regnskapsperiode" in doc:
        return None
    return "not Regnskapsregisteret filings (an error page or a cut-off answer)"


def unit(client: Client, org_nr: str, write: Callable[[bytes], None]) -> tuple[dict | None, str | None]:
    """(the unit, None) when found and written, else (None, why not)."""
    try:
        response = client.get(UNIT.format(org_nr), accept=_JSON, check=check_unit)
    except GaveUp as exc:
        return None, exc.reason
    if response.status_code == 404:
        return None, "not in Enhetsregisteret (404)"
    if response.status_code == 410:
        return None, "removed from Enhetsregisteret (410)"
    if response.status_code != 200:
        return None, f"HTTP {response.status_code}"
    doc = parsed(response.content)
    if doc["organisasjonsnummer"] != org_nr:
        return None, f"the register answered with another unit ({doc['organisasjonsnummer']})"
    write(response.content)
    return doc, None


NO_FILINGS = "no filings in Regnskapsregisteret (404)"


def accounts(client: Client, org_nr: str, write: Callable[[bytes], None]) -> str | None:
    """None when the filings were written; NO_FILINGS; else why not."""
    return save(client, ACCOUNTS.format(org_nr), check_accounts, write, accept=_JSON, final=(500,), answers={
        404: NO_FILINGS,
        500: "the register answers 500 for this unit, as it does for banks and insurers (no accounts)"})
