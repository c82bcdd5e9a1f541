"""Norwegian organisation numbers: normalisation from the forms found in real data, and MOD11."""

from __future__ import annotations

import re

_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_NOISE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff.\-]")
_WRAPPED = re.compile(r"^(?:ORG\.?NR\.?:?|ORGNR:?|NO)?(\d{9})(?:MVA)?$")


def check_digit_ok(digits: str) -> bool:
    """True when the 9-digit string carries a valid MOD11 check digit."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:8], _WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[8])


def normalise(raw: object) -> str | None:
    """The 9-digit organisation number in `raw`, or None when it holds none.

    Accepts `974760673`, `974 760 673`, `NO974760673MVA`, `Org.nr. 974760673`, zero-width characters.
    Returns None for foreign identifiers, garbage, and numbers failing the MOD11 check.
    """
    if raw is None:
        return None
    text = _NOISE.sub("", str(raw)).upper()
    match = _WRAPPED.match(text)
    if not match or not check_digit_ok(match.group(1)):
        return None
    return match.group(1)


def with_check_digit(first8: str) -> str | None:
    """Completes 8 digits with their MOD11 check digit; None when no valid digit exists."""
    remainder = sum(int(d) * w for d, w in zip(first8, _WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else first8 + str(check)
