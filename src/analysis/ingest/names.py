"""Buyers without an organisation number, found by name in the dataset's own registers.

Notices converted from TED XML often name a buyer without its organisation number (no `CompanyID`). Such a
buyer is looked up by name among the Enhetsregisteret units of the dataset (`suppliers/`) and the
organisations of `organisations.csv`: names match exactly after normalising case, spacing and punctuation
("TRØNDELAG FYLKESKOMMUNE", "Trøndelag  fylkeskommune." are one name). Where the notice and the unit both
give a postal code, it must match as well. Only a unique match is used: a name that fits two different
organisation numbers is ambiguous and stays unattributed. Resolved, ambiguous and unresolved buyers are
counted in quality.json.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

import pandas as pd

# What quality.json counts, one key per outcome (the method page reads them).
RESOLVED = "buyers: without an organisation number, resolved by name"
AMBIGUOUS = "buyers: without an organisation number, ambiguous by name (unresolved)"
NO_MATCH = "buyers: without an organisation number, no match by name (unresolved)"
NO_NAME = "buyers: without an organisation number or a name (unresolved)"
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalise_name(name: object) -> str | None:
    """A name compared as text: Unicode-normalised, case-folded, punctuation dropped, spaces collapsed."""
    if not isinstance(name, str):
        return None
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
    return text or None


def resolve(buyers: pd.DataFrame, registers: list[pd.DataFrame], quality: Counter) -> pd.DataFrame:
    """`buyers` (notice_buyers) with `org_nr` filled in where a buyer without one has a unique match by name
    (and postal code) in `registers` (frames with org_nr, name and optionally postal_code); `resolved_by_name`
    says which rows were filled."""
    index: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for frame in registers:
        codes = frame["postal_code"] if "postal_code" in frame else [None] * len(frame)
        for org_nr, name, code in zip(frame["org_nr"], frame["name"], codes, strict=True):
            if (key := normalise_name(name)) and isinstance(org_nr, str):
                index[key].append((org_nr, code if isinstance(code, str) else None))
    out = buyers.copy()
    out["resolved_by_name"] = False
    for i in out.index[out["org_nr"].isna()]:
        key = normalise_name(out.at[i, "name"])
        if key is None:
            quality[NO_NAME] += 1
            continue
        code = out.at[i, "postal_code"]
        found = {org for org, unit_code in index.get(key, [])
                 if not (isinstance(code, str) and unit_code and unit_code != code)}
        if len(found) == 1:
            out.at[i, "org_nr"] = found.pop()
            out.at[i, "resolved_by_name"] = True
            quality[RESOLVED] += 1
        elif found:
            quality[AMBIGUOUS] += 1
        else:
            quality[NO_MATCH] += 1
    return out
