"""The data-quality section of the method page: what the last ingest read, refused and skipped per source, the
buyers found by name, and how well the fields the indicators read are reported (coverage).

Its figures come from ingest's quality.json and the indicator table, so a reader sees on the site what the
build left out and how much of each indicator rests on reported fields; nothing here names a person.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from . import catalogue, fmt, i18n
from .i18n import N_
from .ingest import names

SOURCES = {"notices": N_("eForms notices (notices/)"), "ted": N_("TED CSV files (ted/)"),
           "suppliers": N_("Enhetsregisteret files (suppliers/)")}
COUNTED_UNITS = {"lot": N_("lots"), "procedure": N_("procedures"), "award": N_("awards"),
                 "respondent": N_("respondents"), "goal": N_("goals"), "effect": N_("effects"),
                 "spend-line": N_("ledger lines"), "organisation-year": N_("organisations and years")}
ABSENT = {"unknown": N_("unknown: the unit cannot answer, is left out of the share and lowers the coverage"),
          "opt-in": N_("“none” only where the buyer uses the code list that year; otherwise not reported"),
          "counts-as-no": N_("counts as no")}
BUYERS = {"resolved": (names.RESOLVED,), "ambiguous": (names.AMBIGUOUS,), "unresolved": (names.NO_MATCH, names.NO_NAME)}


def summary(quality: dict, table: pd.DataFrame, lang: str) -> dict:
    """What the method page shows about data quality, formatted for `lang`."""
    t = i18n.translations(lang)

    def source(file: str) -> str:
        return file.split("/", 1)[0]

    refused = Counter(source(r["file"]) for r in quality.get("refused", []))
    skipped = Counter(source(s["file"]) for s in quality.get("skipped", []))
    files = quality.get("files", {})
    sources = [{"name": t.gettext(label), "read": fmt.number(files.get(key, 0), lang),
                "refused": fmt.number(refused[key], lang), "skipped": fmt.number(skipped[key], lang)}
               for key, label in SOURCES.items()]
    by_field = Counter(r["field"] for r in quality.get("refused", []))
    counts = quality.get("counts", {})
    buyers = {k: fmt.number(sum(counts.get(c, 0) for c in keys), lang) for k, keys in BUYERS.items()}
    return {"sources": sources,
            "refused_fields": [(field, fmt.number(n, lang)) for field, n in sorted(by_field.items())],
            "skipped_reasons": [(t.gettext(reason), fmt.number(n, lang))
                                for reason, n in sorted(quality.get("skipped_by_reason", {}).items())],
            "buyers": buyers, **_coverage(table, lang)}


def _coverage(table: pd.DataFrame, lang: str) -> dict:
    """Per computable indicator, the mean coverage across the organisations with units in the newest year."""
    if table.empty:
        return {"coverage_year": None, "coverage": []}
    year = max(table["year"])
    now = table[(table["year"] == year) & table["coverage"].notna()]
    means = now.groupby("indicator_id")["coverage"].mean()
    cat, t = catalogue.load(), i18n.translations(lang)
    rows = [{"id": i.id, "title": i.title[lang], "units": t.gettext(COUNTED_UNITS[i.units]),
             "coverage": fmt.percent(means[i.id], lang, 0)}
            for i in cat.indicators if i.units and i.id in means.index]
    return {"coverage_year": year, "coverage": rows}


def indicator_terms(ind: catalogue.Indicator, lang: str) -> dict:
    """What an indicator counts and what a missing field means, for the method page's indicator entries."""
    t = i18n.translations(lang)
    return {"units": t.gettext(COUNTED_UNITS[ind.units]) if ind.units else None,
            "absent": t.gettext(ABSENT[ind.absent]) if ind.absent else None}
