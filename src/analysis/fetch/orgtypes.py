"""The type of a buyer (organisations.csv's org_type), derived from Enhetsregisteret and the notices.

There is no official mapping from the register's codes to state / municipality / county / health trust: health
trusts (HF, RHF) are registered as `SÆR` ("annet foretak iflg. særskilt lov"), and sector code 6500 covers both
municipalities and counties. So the type comes from these rules, in this order; the first that applies gives
it, and the fetch counts how many types each rule gave (docs/real-data.md states them for users):

  form        organisational form KOMM → municipality, FYLK → county
  health      form SÆR named "… HF" or "… RHF", or under a unit so named → health
  state       form STAT, or institutional sector 6100 (state administration) or 1110 (the state's business
              operations), e.g. an ORGL under its ministry → state
  enterprise  form SF, KF, FKF or IKS, or sector 1120, 1510 or 1520 (state- or municipally-owned
              companies and enterprises) → enterprise
  parent      sector 6500 (municipal administration) under a KOMM or FYLK (overordnetEnhet, followed up to
              four levels) → municipality or county
  notices     the buyer legal type the body declares in its notices (BT-11), the most frequent:
              cga, body-pl-cga, def-cont → state; ra, body-pl-ra → county; la, body-pl-la → municipality;
              pub-undert-* → enterprise
  sector      sector 6500 left unresolved → municipality (the larger of the two municipal levels)
  untyped     none of these → other, listed in the summary to be checked by hand
"""

from __future__ import annotations

import re
from collections import Counter

RULES = ("form", "health", "state", "enterprise", "parent", "notices", "sector", "untyped")
_HEALTH = re.compile(r"\bR?HF\s*$", re.IGNORECASE)
_BT11 = {"cga": "state", "body-pl-cga": "state", "def-cont": "state",
         "ra": "county", "body-pl-ra": "county", "la": "municipality", "body-pl-la": "municipality",
         "pub-undert-cga": "enterprise", "pub-undert-ra": "enterprise", "pub-undert-la": "enterprise",
         "pub-undert": "enterprise"}
_LEVEL = {"KOMM": "municipality", "FYLK": "county"}


def _code(unit: dict | None, key: str) -> str | None:
    value = (unit or {}).get(key)
    return value.get("kode") if isinstance(value, dict) else None


def _parents(unit: dict, units: dict[str, dict]) -> list[dict]:
    """The units above `unit` (overordnetEnhet), nearest first, as far as `units` holds them (four at most)."""
    chain, seen = [], {unit.get("organisasjonsnummer")}
    while len(chain) < 4 and (up := unit.get("overordnetEnhet")) in units and up not in seen:
        seen.add(up)
        unit = units[up]
        chain.append(unit)
    return chain


def org_type(unit: dict | None, units: dict[str, dict], legal_types: list[str]) -> tuple[str, str]:
    """(org_type, rule) for a buyer: its Enhetsregisteret `unit` (None when not found), the register's units
    fetched (by number, for its parents), and the BT-11 codes of its notices."""
    form, sector = _code(unit, "organisasjonsform"), _code(unit, "institusjonellSektorkode")
    parents = _parents(unit, units) if unit else []
    if form in _LEVEL:
        return _LEVEL[form], "form"
    if form == "SÆR" and any(_HEALTH.search(str(u.get("navn") or "")) for u in [unit, *parents]):
        return "health", "health"
    if form == "STAT" or sector in ("6100", "1110"):
        return "state", "state"
    if form in ("SF", "KF", "FKF", "IKS") or sector in ("1120", "1510", "1520"):
        return "enterprise", "enterprise"
    if sector == "6500":
        level = next((_LEVEL[_code(u, "organisasjonsform")] for u in parents
                      if _code(u, "organisasjonsform") in _LEVEL), None)
        if level:
            return level, "parent"
    declared = Counter(_BT11[c] for c in legal_types if c in _BT11).most_common()
    if declared and (len(declared) == 1 or declared[0][1] > declared[1][1]):
        return declared[0][0], "notices"
    if sector == "6500":
        return "municipality", "sector"
    return "other", "untyped"


def language(unit: dict | None) -> str | None:
    """nb or nn from the unit's `maalform` (Bokmål / Nynorsk), else None."""
    return {"bokmål": "nb", "nynorsk": "nn"}.get(str((unit or {}).get("maalform") or "").strip().lower())
