"""The data basis: which sources a dataset supplied, what it holds for one body and year, and the sentences
that say so.

Say what is known. A source the dataset does not have (no survey files), or that has no row for a body in any
year (a gain register that covers other bodies), is *not supplied* for that body: its indicators are "not
measured", never "none" or "0". A source that covers the body but holds nothing for the year is *supplied and
empty*: only then may a report say the body has no goals, no purchases, no contracts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from babel.lists import format_list

from . import catalogue, fmt
from .i18n import LOCALES, N_, translations

# The dataset layout's folders per source (quality.json counts the files read under each).
FILES = {"notices": ("notices", "ted"), "surveys": ("surveys",), "gains": ("gains",), "contracts": ("contracts",),
         "evaluations": ("evaluations",), "training": ("training",), "spend": ("spend",),
         "suppliers": ("suppliers",), "accounts": ("accounts",)}

# Where each source goes in the dataset directory (README: the dataset layout); a pair is two ways, joined by
# the language's "or" (Babel's format_list).
LAYOUT = {"notices": "notices/**.xml, ted/**.csv", "surveys": "surveys/**.csv, .xlsx",
          "gains": ("gains/goals.csv, measures.csv, implementations.csv, effects.csv", "gains/*.xlsx"),
          "contracts": "contracts/*.csv, .xlsx", "evaluations": "evaluations/*.csv, .xlsx",
          "training": "training/*.csv, .xlsx", "spend": "spend/**.csv",
          "suppliers": "suppliers/**", "accounts": "accounts/**.json"}


@dataclass(frozen=True)
class Template:
    """A workbook of `innomaal templates`, which a body fills in for one of its own sources. The data basis names
    them beside each source (the method page's Sources table); `analysis.workbooks` writes them."""

    name: str  # the file: <name>.xlsx
    source: str  # the catalogue's source (FILES), also the dataset folder
    title: str  # N_
    holder: str  # N_: who in the organisation usually holds the data
    sheets: tuple[str, ...]  # keys of ingest.workbook.SHEETS


TEMPLATES = (
    Template("self-evaluation", "surveys", N_("Self-evaluation"),
             N_("the head of procurement, who asks the leaders and procurement staff to answer"),
             ("self_evaluation",)),
    Template("survey", "surveys", N_("Survey answers"),
             N_("whoever runs the organisation's survey (the answers as the survey tool exports them)"),
             ("answers",)),
    Template("gain-register", "gains", N_("Gain register"),
             N_("the owner of the gain register: often the finance or strategy unit, with the goal owners"),
             ("goals", "measures", "implementations", "effects")),
    Template("contract-register", "contracts", N_("Contract register"),
             N_("the procurement unit, from its contract register or contract management system"),
             ("contracts",)),
    Template("evaluations", "evaluations", N_("Post-contract evaluations"),
             N_("the contract owners, who evaluate each contract when it has run for a while"),
             ("evaluations",)),
    Template("training", "training", N_("Competence (training)"),
             N_("HR or the head of procurement, from the training records"), ("training",)),
)


# What a body's data holds for a year, per source (and per notice form type), as counted phrases.
COUNTS = {
    "notices": lambda t, n: t.ngettext("{n} notice", "{n} notices", n),
    "notices:planning": lambda t, n: t.ngettext("{n} planning notice", "{n} planning notices", n),
    "notices:competition": lambda t, n: t.ngettext("{n} contract notice", "{n} contract notices", n),
    "notices:result": lambda t, n: t.ngettext("{n} result notice", "{n} result notices", n),
    "notices:dir-awa-pre": lambda t, n: t.ngettext("{n} direct-award notice", "{n} direct-award notices", n),
    "notices:cont-modif": lambda t, n: t.ngettext("{n} modification notice", "{n} modification notices", n),
    "notices:other": lambda t, n: t.ngettext("{n} other notice", "{n} other notices", n),
    "contracts": lambda t, n: t.ngettext("{n} contract in the contract register",
                                         "{n} contracts in the contract register", n),
    "surveys": lambda t, n: t.ngettext("{n} survey respondent", "{n} survey respondents", n),
    "gains": lambda t, n: t.ngettext("{n} goal in the gain register", "{n} goals in the gain register", n),
    "evaluations": lambda t, n: t.ngettext("{n} post-contract evaluation", "{n} post-contract evaluations", n),
    "training": lambda t, n: t.ngettext("{n} training record", "{n} training records", n),
    "spend": lambda t, n: t.ngettext("{n} ledger line", "{n} ledger lines", n),
}
NOTICE_KINDS = ("competition", "planning", "result", "dir-awa-pre", "cont-modif")

TEXT = {
    # The sources by name, as they are listed ("Not supplied: the survey, the gain register").
    "names": {
        "notices": N_("notices (Doffin/TED)"),
        "surveys": N_("the survey"),
        "gains": N_("the gain register"),
        "contracts": N_("the contract register"),
        "evaluations": N_("post-contract evaluations"),
        "training": N_("the training register"),
        "spend": N_("the ledger"),
        "suppliers": N_("Enhetsregisteret data on suppliers"),
        "accounts": N_("Regnskapsregisteret accounts"),
    },
    # Why an indicator is not measured: its source is not supplied for the body.
    "missing": {
        "notices": N_("no notices naming the organisation as buyer are in the data"),
        "surveys": N_("no survey answers are supplied for the organisation"),
        "gains": N_("no gain register is supplied for the organisation"),
        "contracts": N_("no contract register is supplied for the organisation"),
        "evaluations": N_("no post-contract evaluations are supplied for the organisation"),
        "training": N_("no training register is supplied for the organisation"),
        "spend": N_("no ledger is supplied for the organisation"),
        "suppliers": N_("no Enhetsregisteret data on suppliers is supplied"),
        "accounts": N_("no Regnskapsregisteret accounts are supplied"),
    },
    "basis": N_("Data basis for {year}: {items}."),
    "basis_none": N_("Data basis for {year}: nothing for this year."),
    "not_supplied": N_("Not supplied for the organisation, so not measured: {items}."),
    "not_measured": N_("Not measured for {year} — {reason}: {items}."),
    "no_units": N_("No data for {year} (the sources hold no units for these indicators this year): {items}."),
    "how": N_("[How to start measuring](../../metode.html#kilder)"),
}


@dataclass(frozen=True)
class Basis:
    """One body's data basis for one year."""

    year: str
    counts: dict[str, int]  # per source (and "notices:<form type>"): rows this year
    covered: frozenset[str]  # the sources that hold a row for the body in some year

    def supplied(self, source: str) -> bool:
        """Whether the source covers the body (the dataset has it and it has rows for the body)."""
        return source in self.covered

    def missing(self, ind: catalogue.Indicator) -> str | None:
        """The first source the indicator reads that is not supplied for the body, if any."""
        return next((s for s in ind.reads if s not in self.covered), None)


def supplied(quality: Path) -> dict[str, int]:
    """Files read per source in the last ingest (its quality.json), by the catalogue's source names."""
    files = json.loads(quality.read_text(encoding="utf-8")).get("files", {}) if quality.is_file() else {}
    return {source: sum(int(files.get(f, 0)) for f in folders) for source, folders in FILES.items()}


def for_body(table: pd.DataFrame, files: dict[str, int], year: str) -> Basis:
    """The basis of one body from its rows of basis.parquet and the dataset's files per source. Registers about
    others (suppliers, accounts) cover every body once supplied."""
    counts: dict[str, int] = {}
    for r in table[table["year"] == year].itertuples(index=False):
        counts[r.source] = counts.get(r.source, 0) + int(r.count)
        if r.source == "notices":
            kind = r.kind if r.kind in NOTICE_KINDS else "other"
            counts[f"notices:{kind}"] = counts.get(f"notices:{kind}", 0) + int(r.count)
    covered = {s for s in set(table["source"]) if files.get(s, 0)} | \
              {s for s in ("suppliers", "accounts") if files.get(s, 0)}
    return Basis(year, counts, frozenset(covered))


def basis_sentence(b: Basis, lang: str) -> str:
    """"Data basis for 2023: 7 notices (4 contract notices, 3 planning notices), 2 survey respondents." """
    t = translations(lang)
    items = []
    for source in ("notices", "contracts", "surveys", "gains", "evaluations", "training", "spend"):
        n = b.counts.get(source, 0)
        if not n and not b.supplied(source):
            continue
        phrase = COUNTS[source](t, n).format(n=fmt.number(n, lang))
        if source == "notices" and n:
            kinds = [COUNTS[k](t, b.counts[k]).format(n=fmt.number(b.counts[k], lang))
                     for k in (f"notices:{kind}" for kind in (*NOTICE_KINDS, "other")) if b.counts.get(k)]
            phrase = kinds[0] if len(kinds) == 1 else f"{phrase} ({', '.join(kinds)})"  # one kind: said once
        items.append(phrase)
    key = "basis" if items else "basis_none"
    return t.gettext(TEXT[key]).format(year=b.year, items=", ".join(items))


def not_supplied_sentence(b: Basis, lang: str) -> str | None:
    """The body's own sources that are not supplied, in one sentence, with the link to how to start measuring
    (None when every one is supplied)."""
    missing = [s for s in ("surveys", "gains", "contracts", "evaluations", "training", "spend") if not b.supplied(s)]
    if not missing:
        return None
    t = translations(lang)
    sentence = t.gettext(TEXT["not_supplied"]).format(items=", ".join(t.gettext(TEXT["names"][s]) for s in missing))
    return f"{sentence} {t.gettext(TEXT['how'])}"


def not_measured(inds: list[catalogue.Indicator], b: Basis, lang: str) -> str:
    """Indicators without units this year, said once (Markdown): one sentence per missing source naming its
    indicators, then the link to how to start measuring; and one for those whose sources are supplied but
    hold no units this year."""
    t = translations(lang)
    by_reason: dict[str | None, list[str]] = {}
    for ind in inds:
        by_reason.setdefault(b.missing(ind), []).append(ind.id)
    lines = [t.gettext(TEXT["not_measured"]).format(year=b.year, reason=t.gettext(TEXT["missing"][source]),
                                                    items=", ".join(ids))
             for source, ids in by_reason.items() if source is not None]
    if None in by_reason:
        lines.append(t.gettext(TEXT["no_units"]).format(year=b.year, items=", ".join(by_reason[None])))
    if set(by_reason) - {None}:
        lines.append(t.gettext(TEXT["how"]))
    return " ".join(lines)


def sources_read(files: dict[str, int], lang: str) -> str:
    """The sources the dataset supplied, by name, for "Sources: …"."""
    t = translations(lang)
    return ", ".join(t.gettext(TEXT["names"][s]) for s in FILES if files.get(s, 0))


def sources_table(files: dict[str, int], cat: catalogue.Catalogue, lang: str) -> list[dict]:
    """Per source: its name, where it goes in the dataset, the indicators that read it, the files read, and for
    the organisation's own sources the workbooks of `innomaal templates` to fill in and who usually holds the
    data (the guide docs/start-measuring.md, on the site)."""
    t = translations(lang)
    return [{"id": s, "name": t.gettext(TEXT["names"][s]), "files": fmt.number(files.get(s, 0), lang),
             "path": LAYOUT[s] if isinstance(LAYOUT[s], str) else format_list(
                 list(LAYOUT[s]), style="or", locale=LOCALES[lang]),
             "indicators": ", ".join(i.id for i in cat.indicators if s in i.reads),
             "workbooks": [{"file": f"{w.name}.xlsx", "title": t.gettext(w.title), "holder": t.gettext(w.holder)}
                           for w in TEMPLATES if w.source == s]} for s in FILES]
