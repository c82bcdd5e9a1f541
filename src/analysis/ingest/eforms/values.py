"""The values of a notice as eForms defines them: dates, times, amounts and identifiers, the notice subtypes
(config/codelists.yaml) and whether a notice is above the EEA threshold by its CustomizationID.

Each check answers for one value and keeps no state, so the reader (`eforms.reader`) decides what a bad value
means (a refusal, or an unknown counted in `Notice.issues`).
"""

from __future__ import annotations

import math
import re
from datetime import date, time
from decimal import Decimal
from functools import cache

from ...codelists import codelists
from ..csvfiles import parse_number

NORWEGIAN = "urn:fdc:anskaffelser.no"
CUSTOMIZATION = re.compile(r"^eforms-(?:sdk-)?(\d+)\.(\d+)(?:\.\d+)?(?:#.*)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
IDENTIFIER = re.compile(r"^[^\x00-\x1f]{1,200}$")


@cache
def subtypes() -> dict[str, dict[str, str]]:
    """Notice subtype → {notice_type, legal_basis, form_type} (config/codelists.yaml, `notice-subtype`)."""
    return codelists()["notice-subtype"]


@cache
def _subtype_by_type() -> dict[tuple[str, str], str]:
    return {(v["notice_type"], v["legal_basis"]): k for k, v in subtypes().items() if not k.startswith("N")}


def derive_subtype(notice_type: str, legal_basis: str | None, national: bool) -> str | None:
    """The subtype of a notice whose SubTypeCode is missing, from its notice type (BT-02) and legal basis
    (BT-01); a Norwegian national notice takes Doffin's N-clone of the EU subtype. None when no subtype fits."""
    basis = legal_basis if legal_basis in {v["legal_basis"] for v in subtypes().values()} else "32014L0024"
    if legal_basis and legal_basis.lower() == "other":
        basis = "other"
    found = _subtype_by_type().get((notice_type, basis)) or _subtype_by_type().get((notice_type, "32014L0024"))
    if found and national and found.isdigit() and f"N{found}" in subtypes():
        return f"N{found}"
    return found


def valid_date(value: str) -> str | None:
    """The ISO date of an xs:date (`2024-03-14`, with or without an offset), None when not a real date."""
    m = _DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def valid_time(value: str) -> bool:
    m = _TIME.match(value)
    if not m:
        return False
    try:
        time(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


def valid_amount(value: str | None, currency: str | None) -> tuple[Decimal, str] | None:
    """A finite, non-negative amount with an ISO 4217-shaped currency code, or None."""
    if value is None or currency is None or not _CURRENCY.match(currency.strip()):
        return None
    number = parse_number(value)
    if number is None or number < 0 or not math.isfinite(number):
        return None
    return number, currency.strip()



def above_eea(customization: str, subtype: str) -> bool | None:
    """Above the EEA threshold: a Norwegian notice bound for TED (`:eu`), or an EU numbered subtype
    without the Norwegian extension. E-subtypes and Norwegian national notices are below it. None: a
    Norwegian notice whose CustomizationID has no threshold class."""
    if NORWEGIAN in customization:
        suffix = customization.strip().rsplit(":", 1)[-1]
        return True if suffix == "eu" else False if suffix.startswith("national") else None
    return subtype.isdigit()
