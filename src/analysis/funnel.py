"""Funnel plots: a body's share placed against the national share, allowing for its number of units.

A share resting on 8 procurements varies far more by chance than one resting on 800, so ranking bodies of
different size by their shares mostly ranks their luck. A funnel plot (Spiegelhalter 2005, "Funnel plots for
comparing institutional performance", Statistics in Medicine 24: 1185–1202; the method the NHS and ONS use)
draws control limits around the national share that narrow as the number of units grows: a body inside them
is within the range expected for its number of units, one outside them differs by more than chance would
usually give (95 % limits: about 1 in 20 bodies by chance alone; 99.8 %: about 1 in 500).

The limits use the normal approximation to the binomial, p ± z·sqrt(p(1−p)/n), clipped to [0, 1], where p
is the national share (summed numerators over summed denominators, national.parquet) and n the body's
denominator (the units its share is a share of). This module is pure: numbers in, keys and sentences out,
so the report, the overview page and the tests place a body the same way.
"""

from __future__ import annotations

import math
import re

from . import fmt, i18n
from .i18n import N_

Z95 = 1.959963984540054  # two-sided 95 %: the standard normal's 97.5 % quantile
Z998 = 3.090232306167813  # two-sided 99.8 %: its 99.9 % quantile
# What a share must count for the binomial to hold: units that are each in or out of the numerator. Shares
# of money (ledger lines, gains in NOK) or of FTE are weighted, and have no funnel.
COUNTED_UNITS = ("procedure", "lot", "award", "goal")
POSITIONS = ("above998", "above95", "within", "below95", "below998")  # from high to low

TEXT = {
    "labels": {
        "above998": N_("above the upper 99.8% limit"),
        "above95": N_("above the upper 95% limit"),
        "within": N_("within the expected range"),
        "below95": N_("below the lower 95% limit"),
        "below998": N_("below the lower 99.8% limit"),
    },
    "sentences": {
        "above998": N_("Against the national share, the value is above the upper 99.8% limit for its number of "
                       "{units}: far higher than chance alone would give."),
        "above95": N_("Against the national share, the value is above the upper 95% limit for its number of "
                      "{units}: higher than chance alone would usually give."),
        "within": N_("Against the national share, the value is within the range expected for its number of "
                     "{units}."),
        "below95": N_("Against the national share, the value is below the lower 95% limit for its number of "
                      "{units}: lower than chance alone would usually give."),
        "below998": N_("Against the national share, the value is below the lower 99.8% limit for its number of "
                       "{units}: far lower than chance alone would give."),
    },
}


def eligible(ind) -> bool:
    """Whether an indicator of the catalogue gets a funnel: a share of counted units from notices or
    registers (answers from persons are suppressed below min_n instead, and weighted shares are no binomial)."""
    return ind.unit == "share" and not ind.persons and ind.units in COUNTED_UNITS and ind.derived_from is None


def _number(v) -> float | None:
    return None if fmt.missing(v) else float(v)


def limits(p, n, z: float) -> tuple[float, float] | None:
    """The lower and upper control limits around the share `p` for `n` units at `z` standard errors,
    clipped to [0, 1]; None without a share in [0, 1] or without units."""
    p, n = _number(p), _number(n)
    if p is None or n is None or n <= 0 or not 0 <= p <= 1:
        return None
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def position(share, n, national_share) -> str | None:
    """Where a body's share lies against the national share's limits for its `n` units: 'above998',
    'above95', 'within', 'below95' or 'below998'; None when it cannot be placed (no share, no units, or
    no national share). A share on a limit is within it."""
    share = _number(share)
    inner, outer = limits(national_share, n, Z95), limits(national_share, n, Z998)
    if share is None or inner is None or outer is None:
        return None
    if share > outer[1]:
        return "above998"
    if share > inner[1]:
        return "above95"
    if share < outer[0]:
        return "below998"
    if share < inner[0]:
        return "below95"
    return "within"


def label(position: str | None, lang: str = "nb") -> str:
    """A position in a few words (a table cell); "" when it cannot be placed."""
    return i18n.text(TEXT["labels"], lang)[position] if position in POSITIONS else ""


def units_word(ind, lang: str = "nb") -> str:
    """What an indicator's share counts, as `sentence` names it: the catalogue's denominator ("Tenders
    received" → "tenders received"; an initialism such as "FoU" keeps its capitals)."""
    return lowered(ind.denominator[lang])


def lowered(text: str) -> str:
    """A label's words for use inside a sentence: the first letter in lower case, unless the first word is an
    initialism ("FoU", "SMB")."""
    first = re.split(r"[\s-]", text, maxsplit=1)[0]
    return text if any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


def sentence(position: str | None, lang: str = "nb", units_word: str = "") -> str:
    """The sentence placing a body, with `units_word` (plural, in `lang`: "procedures") naming what its
    share counts; "" when it cannot be placed."""
    if position not in POSITIONS:
        return ""
    return i18n.text(TEXT["sentences"], lang)[position].format(units=units_word)
