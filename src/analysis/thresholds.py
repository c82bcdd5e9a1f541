"""EEA thresholds as dated configuration data (config/thresholds.csv), not code.

The notice's own threshold class (Doffin CustomizationID `:eu`/`:national`, or an EU subtype) is always
preferred; these thresholds are the fallback for notices that do not say, comparing the estimated value
(BT-27, or VALUE_EURO in legacy TED CSV) with the threshold valid on the notice's date for its buyer type
and contract nature. Lines starting with `#` are comments; an empty `valid_to` means "until replaced".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from . import paths

STATE_LEGAL_TYPES = {"cga"}  # BT-11 buyer-legal-type of central government authorities
UTILITIES_DOMAIN = "32014L0025"


@dataclass(frozen=True)
class Threshold:
    valid_from: str
    valid_to: str | None
    buyer_type: str  # state | other | utilities | any
    contract_nature: str  # supplies | services | works
    currency: str
    amount: Decimal
    source: str


@cache
def load() -> tuple[Threshold, ...]:
    with paths.THRESHOLDS.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return tuple(Threshold(r["valid_from"], r["valid_to"] or None, r["buyer_type"], r["contract_nature"],
                               r["currency"], Decimal(r["amount"]), r["source"]) for r in rows)


def buyer_type(legal_type: str | None, regulatory_domain: str | None = None) -> str:
    if regulatory_domain == UTILITIES_DOMAIN:
        return "utilities"
    return "state" if legal_type in STATE_LEGAL_TYPES else "other"


def find(day: str, buyer: str, nature: str, currency: str) -> Threshold | None:
    """The threshold valid on `day` (ISO date) for the buyer type, contract nature and currency."""
    for t in load():
        if (t.valid_from <= day and (t.valid_to is None or day <= t.valid_to) and t.currency == currency
                and t.contract_nature == nature and t.buyer_type in (buyer, "any")):
            return t
    return None


def above(value: Decimal | None, currency: str | None, day: str, buyer: str, nature: str | None) -> bool | None:
    """True/False when a threshold applies; None when the value, currency or a matching threshold is missing."""
    if value is None or not currency or not nature:
        return None
    t = find(day, buyer, nature, currency.upper())
    return None if t is None else value >= t.amount
