"""The procurements behind the numbers: what each notice-based indicator of a report counts, procurement by
procurement.

Compute writes two tables (procurements.parquet, procurement_flags.parquet): the procurements of each
organisation and year that an indicator counted from flags (catalogue `flags`) and each of their units' answer
(yes, no, unknown). The indicator's value is counted from those same flags, so its numerator is the number of
yes rows and its denominator the yes and no rows: the list and the number cannot disagree. This module turns
the two into a report's table, the names in each indicator's details and the downloadable list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from babel.lists import format_list

from . import catalogue, codelists, fmt, i18n, paths
from .i18n import N_
from .markdown import PROSE
from .tables import group

DOFFIN_PAGE = "https://www.doffin.no/notices/{}"
NAMED = 5  # procurements named in an indicator's details; more are counted and left to the list
TEXT = {
    "heading": N_("The procurements behind the numbers"),
    "intro": N_("Every procurement of {year} that the notice-based indicators count, and how each of them counts "
                "it: ✓ yes, ✗ no, ? unknown (the notices leave the field empty). Sorted by the date of the first "
                "notice. The columns:"),
    "caption": N_("Procurements {year} and how the indicators count them"),
    "title": N_("Procurement"),
    "number": N_("Doffin number"),
    "notice": N_("Notice ID"),
    "date": N_("First notice"),
    "procedure": N_("Procedure"),
    "value": N_("Estimated value"),
    "lots": N_("Lots"),
    "yes": N_("yes"),
    "no": N_("no"),
    "unknown": N_("unknown"),
    "untitled": N_("(no title)"),
    "link_label": N_("{number} on doffin.no"),
    "of_lots": N_("{yes} of {answered}"),
    "see_list": N_("the list of procurements"),
    "filter": N_("Find a procurement (title, number, procedure, mark):"),
    "filter_count": N_("Showing {shown} of {total}."),
    "learn": N_("Procurements in {year}, by this and other bodies, that used innovation partnerships, competitive "
                "dialogue or early market dialogue, or bought research and development: [examples to learn "
                "from]({href})."),
    "procedures": {"open": N_("open"), "restricted": N_("restricted"), "neg-w-call": N_("negotiated with call"),
                   "neg-wo-call": N_("negotiated without call"), "comp-dial": N_("competitive dialogue"),
                   "innovation": N_("innovation partnership"), "oth-single": N_("other, one stage"),
                   "oth-mult": N_("other, several stages")},
}
# Sentences with a number: the plurals through ngettext on the number they count.
COUNT = lambda t, n: t.ngettext("Show the list ({n} procurement)", "Show the list ({n} procurements)", n)  # noqa: E731
UNITS = {"procedure": lambda t, n: t.ngettext("{n} procurement", "{n} procurements", n),
         "lot": lambda t, n: t.ngettext("{n} lot", "{n} lots", n),
         "award": lambda t, n: t.ngettext("{n} award", "{n} awards", n)}
NAMED_YES = N_("Counted as yes in {yes} of {answered}: {items}.")
NONE_YES = N_("Counted as yes in 0 of {answered} ({items}).")
MORE = N_("{items} and {more} more (see {list})")
UNKNOWN = N_("Unknown in {k} ({source} not filled in): {items}.")
DOWNLOAD_COLUMNS = ["org_nr", "year", "folder_id", "doffin_id", "notice_id", "title", "first_date", "procedure_type",
                    "estimated_value", "currency", "lots"]


def fields(ind: catalogue.Indicator, lang: str) -> str:
    """The eForms fields an indicator reads (BT-105-Procedure, BT-726-Lot …), from its source text."""
    found = re.findall(r"\bBT-\d+[a-z]?(?:-[A-Z][a-z]+)?", ind.source[lang])
    return ", ".join(dict.fromkeys(found)) or ind.source[lang]


@dataclass
class Behind:
    """One organisation-year's procurements (`items`) and their units' flags (`flags`)."""
    items: pd.DataFrame
    flags: pd.DataFrame
    lang: str

    @classmethod
    def empty(cls, lang: str) -> Behind:
        return cls(pd.DataFrame(columns=DOWNLOAD_COLUMNS), pd.DataFrame(columns=["indicator_id", "folder_id",
                                                                                "lot_id", "flag"]), lang)

    def __post_init__(self):
        self.t = i18n.text(TEXT, self.lang)
        self.by_folder = {r["folder_id"]: r for r in self.items.to_dict("records")}
        self.by_indicator = dict(iter(self.flags.groupby("indicator_id", sort=False)))

    @property
    def indicators(self) -> list[catalogue.Indicator]:
        """The flagged indicators that count something this year, in the catalogue's order."""
        return [i for i in catalogue.load().indicators if i.flags and i.id in self.by_indicator]

    def _plural(self, sentence, n: int) -> str:
        return sentence(i18n.translations(self.lang), n)

    def _say(self, message: str, **values) -> str:
        """A sentence (HTML) with `values` already HTML (names) or plain text (escaped here)."""
        return i18n.translate(self.lang, message).format(
            **{k: v if k in ("items", "list") else escape(str(v)) for k, v in values.items()})

    def _title(self, item: dict) -> str:
        return fmt.present(item["title"]) or self.t["untitled"]

    def _name(self, item: dict) -> str:
        """A procurement named in a sentence (HTML): its title, in the notices' language (marked, for screen
        readers and an English page), in the page language's quotation marks."""
        title = f'<span lang="no">{escape(self._title(item))}</span>'
        return f"«{title}»" if self.lang != "en" else f"“{title}”"

    def _names(self, folders: list[str], anchor: str) -> str:
        """The procurements of `folders` by title, all of them when few, else the first ones and the count."""
        wanted = set(folders)
        names = [self._name(item) for f, item in self.by_folder.items() if f in wanted]  # the list's order: by date
        locale = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}[self.lang]
        if len(names) <= NAMED:
            return format_list(names, locale=locale)
        more = len(names) - NAMED + 1
        link = f'<a href="#{anchor}">{escape(self.t["see_list"])}</a>'
        return self._say(MORE, items=", ".join(names[:NAMED - 1]), more=more, list=link)

    def details(self, ind: catalogue.Indicator) -> str:
        """HTML for an indicator's details: which procurements it counts as yes (and of how many units), and
        which it cannot answer because the notices leave its field empty; "" when it counts none."""
        rows = self.by_indicator.get(ind.id)
        if rows is None:
            return ""
        answered = int(rows["flag"].notna().sum())
        yes_folders = list(dict.fromkeys(rows.loc[rows["flag"] == True, "folder_id"]))  # noqa: E712 (NA-safe)
        unknown = list(dict.fromkeys(rows.loc[rows["flag"].isna(), "folder_id"]))
        units = self._plural(UNITS[ind.units], answered).format(n=fmt.number(answered, self.lang))
        counted = list(dict.fromkeys(rows.loc[rows["flag"].notna(), "folder_id"]))
        lines = []
        if answered:
            yes = int((rows["flag"] == True).sum())  # noqa: E712
            lines.append(self._say(NAMED_YES, yes=fmt.number(yes, self.lang), answered=units,
                                   items=self._names(yes_folders, "procurements")) if yes
                         else self._say(NONE_YES, answered=units, items=self._names(counted, "procurements")))
        if unknown:
            k = int(rows["flag"].isna().sum())
            lines.append(self._say(UNKNOWN, k=self._plural(UNITS[ind.units], k).format(n=fmt.number(k, self.lang)),
                                   source=fields(ind, self.lang),
                                   items=self._names(unknown, "procurements")))
        return f'<p class="named">{" ".join(lines)}</p>' if lines else ""

    @staticmethod
    def _tally(flags) -> tuple[int, int, int]:
        """(yes, no, unknown) of a procurement's units' flags (True, False, None or NA)."""
        known = [bool(f) for f in flags if f is not None and not pd.isna(f)]
        return sum(known), len(known) - sum(known), len(flags) - len(known)

    def _cell(self, flags: list) -> str:
        """One procurement's answer to one indicator (its units' flags: True, False, None): a mark and a word,
        never colour alone; for several units (lots, awards) the yes among those answered, and the unknown."""
        t = self.t
        if not flags:
            return "<td></td>"
        yes, no, unknown = self._tally(flags)
        if len(flags) == 1:
            mark, word = (("✓", t["yes"]) if yes else ("✗", t["no"]) if no else ("?", t["unknown"]))
            return f'<td class="flag"><span aria-hidden="true">{mark}</span> {escape(word)}</td>'
        parts = []
        if yes + no:
            parts.append(f'<span aria-hidden="true">{"✓" if yes else "✗"}</span> '
                         + escape(t["of_lots"].format(yes=yes, answered=yes + no)) + " " + escape(t["yes"]))
        if unknown:
            parts.append(f'<span aria-hidden="true">?</span> {unknown} {escape(t["unknown"])}')
        return f'<td class="flag">{"<br>".join(parts)}</td>'

    def _link(self, item: dict) -> str:
        t = self.t
        number = fmt.present(item["doffin_id"])
        if number:
            return (f'<a href="{DOFFIN_PAGE.format(escape(number))}" aria-label="'
                    f'{escape(t["link_label"].format(number=number))}">{escape(number)}</a>')
        return f"<code>{escape(str(item['notice_id']))}</code>"

    def table(self, year: str, examples: bool = True) -> str:
        """The list as an accessible HTML table (caption, header cells with scope), folded with a legend of the
        indicator columns, and (with `examples`: the overview has them) a link to the examples to learn from;
        "" when the year has no procurement."""
        if self.items.empty:
            return ""
        t = self.t
        inds = self.indicators
        legend = "".join(f"<li><abbr>{escape(i.id)}</abbr>: {escape(i.title[self.lang])}</li>" for i in inds)
        number = t["number"] if self.items["doffin_id"].notna().any() else t["notice"]  # what the column holds
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in
                       (t["title"], number, t["date"], t["procedure"], t["value"], t["lots"]))
        head += "".join(f'<th scope="col"><abbr title="{escape(i.title[self.lang])}">{escape(i.id)}</abbr></th>'
                        for i in inds)
        flags: dict[tuple[str, str], list] = {}
        for folder, ind_id, flag in zip(self.flags["folder_id"], self.flags["indicator_id"], self.flags["flag"],
                                        strict=True):
            flags.setdefault((folder, ind_id), []).append(None if pd.isna(flag) else bool(flag))
        days: dict[str, str] = {}  # each date formatted once (Babel's formatting costs more than the rest of a row)
        body = []
        for item in self.items.to_dict("records"):
            if item["first_date"] not in days:
                days[item["first_date"]] = fmt.day(item["first_date"], self.lang)
            procedure = fmt.present(item["procedure_type"])
            kind = t["procedures"].get(procedure) or (codelists.label("procurement-procedure-type", procedure,
                                                                       self.lang) if procedure else "–")
            value = fmt.present(item["estimated_value"])
            shown = ("–" if value is None or value <= 0 else fmt.nok(value, self.lang) if item["currency"] == "NOK"
                     else f"{fmt.number(value, self.lang)} {item['currency']}")
            body.append(f'<tr><th scope="row"><span lang="no">{escape(self._title(item))}</span></th>'
                        f"<td>{self._link(item)}</td><td>{escape(days[item['first_date']])}</td>"
                        f"<td>{escape(kind)}</td>"
                        f"<td>{escape(shown)}</td><td>{int(item['lots'])}</td>"  # lots: the same digits anywhere
                        + "".join(self._cell(flags.get((item["folder_id"], i.id), [])) for i in inds) + "</tr>")
        caption = t["caption"].format(year=year)
        table = (f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
                 f'<table class="procurements" data-filter-label="{escape(t["filter"])}" '
                 f'data-filter-count="{escape(t["filter_count"])}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
                 f"<tbody>{''.join(body)}</tbody></table></div>")
        n = len(self.items)  # folded, with what explains it, like every detail of the report: the page stays short
        summary = self._plural(COUNT, n).format(n=fmt.number(n, self.lang))
        learn = (f'<p>{PROSE.renderInline(t["learn"].format(year=year, href=f"../../oversikt/{year}.html#examples"))}'
                 "</p>" if examples else "")
        return (f'<section class="procurements" aria-labelledby="procurements"><h2 id="procurements">'
                f'{escape(t["heading"])}</h2><details class="procurements"><summary>{escape(summary)}</summary>'
                f'<p>{escape(t["intro"].format(year=year))}</p><ul class="legend">{legend}</ul>{table}{learn}'
                "</details></section>")

    def download(self) -> pd.DataFrame:
        """The list as published (CSV): the procurement's columns, then one per indicator: yes, no, unknown, or
        for several units 'yes/answered' (and '+k unknown'); empty where the indicator does not count it."""
        frame = self.items[DOWNLOAD_COLUMNS].reset_index(drop=True).copy()
        for ind in self.indicators:
            rows = self.by_indicator[ind.id]
            answers = {}
            for folder, unit in rows.groupby("folder_id", sort=False)["flag"]:
                yes, no, unknown = self._tally(list(unit))
                answers[folder] = (("yes" if yes else "no" if no else "unknown") if len(unit) == 1
                                   else f"{yes}/{yes + no}" + (f" +{unknown} unknown" if unknown else ""))
            frame[ind.id] = frame["folder_id"].map(answers)
        return frame


def _slice(path: Path, org_nr: str, year: str) -> pd.DataFrame | None:
    """One organisation-year's rows of a build's table (the report's cached reads: the table is read and split
    once per process while its file is unchanged); None when the file or the rows are absent."""
    if not path.is_file():
        return None
    return group(path, ("org_nr", "year"), org_nr, year)


def load(build: paths.BuildPaths, org_nr: str, year: str, lang: str) -> Behind:
    """The procurements behind one organisation-year's numbers, as compute wrote them."""
    items, flags = (_slice(build.procurements, org_nr, year), _slice(build.procurement_flags, org_nr, year))
    if items is None or flags is None:
        return Behind.empty(lang)
    return Behind(items.reset_index(drop=True), flags.reset_index(drop=True), lang)
