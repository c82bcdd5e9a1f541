"""What a report notebook calls: it loads one organisation's slice, and shows tables, figures and text.

The notebook only loads, calls, displays and narrates; every number comes from the indicator table
that the compute stage wrote, and every sentence from analysis.narrative.
"""

from __future__ import annotations

import math
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from . import catalogue, figures, fmt, narrative, paths

TEXT = {
    "nb": {"title": "{name}: innovative anskaffelser {year}", "indicator": "Indikator", "value": "Verdi",
           "n": "n", "coverage": "Dekning", "change": "Endring fra året før", "peer": "Gruppemedian",
           "summary_caption": "Alle indikatorer for {year}", "intro":
           "Rapporten følger DFØs rammeverk for måling av innovative anskaffelser: rammebetingelser, "
           "innkjøpspraksis, gevinster, spredning og samfunnseffekter. Sammenlignbare virksomheter er "
           "virksomheter av samme type ({org_type}).",
           "method": "Data og metode", "method_link": "Definisjonene av alle indikatorene står på "
           "[metodesiden](../../metode.html).", "trend_caption": "Utvikling {years} for {area}, med "
           "gruppemedian (prikket) og midtre halvdel av sammenlignbare virksomheter (skravert).",
           "suppressed": "n<{min_n}", "unavailable": "ikke tilgjengelig", "no_data": "ingen data",
           "quality": "Datakvalitet", "sources": "Kilder: kunngjøringer i eForms-format (Doffin/TED), "
           "Enhetsregisteret, regnskapsdata, spørreundersøkelser og virksomhetens gevinstregister.",
           "suppression": "Verdier med færre enn {min_n} enheter eller respondenter vises ikke (n<{min_n}).",
           "counts": "I {year} har {ok} av {total} indikatorer verdi; {suppressed} er skjult på grunn av lite "
           "grunnlag, {no_data} mangler data, og {unavailable} krever data som ikke er en del av datasettet.",
           "types": {"state": "statlige virksomheter", "municipality": "kommuner", "county": "fylkeskommuner",
                     "health": "helseforetak", "enterprise": "offentlige foretak", "other": "andre"}},
    "en": {"title": "{name}: innovative procurement {year}", "indicator": "Indicator", "value": "Value",
           "n": "n", "coverage": "Coverage", "change": "Change from previous year", "peer": "Peer median",
           "summary_caption": "All indicators for {year}", "intro":
           "This report follows DFØ's framework for measuring innovative procurement: framework conditions, "
           "procurement practice, benefits, diffusion and societal effects. Peers are organisations of the "
           "same type ({org_type}).",
           "method": "Data and method", "method_link": "Every indicator is defined on the "
           "[method page](../../metode.html).", "trend_caption": "Development {years} for {area}, with the "
           "peer median (dotted) and the middle half of peers (shaded).",
           "suppressed": "n<{min_n}", "unavailable": "not available", "no_data": "no data",
           "quality": "Data quality", "sources": "Sources: eForms notices (Doffin/TED), Enhetsregisteret, "
           "ledger data, surveys and the organisation's gain register.",
           "suppression": "Values resting on fewer than {min_n} units or respondents are not shown (n<{min_n}).",
           "counts": "In {year}, {ok} of {total} indicators have a value; {suppressed} are hidden because they "
           "rest on too few units, {no_data} lack data, and {unavailable} need data that is not part of the "
           "dataset.",
           "types": {"state": "state bodies", "municipality": "municipalities", "county": "counties",
                     "health": "health trusts", "enterprise": "public enterprises", "other": "others"}},
}


@lru_cache(maxsize=4)
def _table(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def indicators(build_dir: str | Path = "") -> pd.DataFrame:
    """The indicator table of a build (cached while the file is unchanged)."""
    path = paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT).indicators
    return _table(str(path), path.stat().st_mtime_ns)


class Report:
    def __init__(self, org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = ""):
        table = indicators(build_dir)
        self.rows = table[table["org_nr"] == str(org_nr)]
        if self.rows.empty:
            raise ValueError(f"organisation {org_nr} is not in the indicator table")
        self.org_nr, self.year, self.lang = str(org_nr), str(year), lang
        self.t = TEXT[lang]
        self.cat = catalogue.load()
        self.name = self.rows["name"].iloc[0]
        self.org_type = self.rows["org_type"].iloc[0]
        self.now = self.rows[self.rows["year"] == self.year].set_index("indicator_id")
        self.years = sorted(self.rows["year"].unique())
        self.years = [y for y in self.years if y <= self.year]

    # ---------------------------------------------------------------- sections
    def title(self) -> None:
        t = self.t
        display(Markdown(f"# {_md(t['title'].format(name=self.name, year=self.year))}\n\n"
                         + t["intro"].format(org_type=t["types"][self.org_type])))

    def summary(self) -> None:
        t = self.t
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in
                       (t["indicator"], t["value"], t["n"], t["coverage"], t["change"], t["peer"]))
        body = []
        for ind in self.cat.indicators:
            row = self.now.loc[ind.id]
            body.append(
                f'<tr><th scope="row">{escape(ind.id)} {escape(ind.title[self.lang])}</th>'
                f"<td>{escape(self._value(row, ind))}</td><td>{escape(self._n(row, ind))}</td>"
                f"<td>{escape(fmt.percent(row['coverage'], self.lang, 0) if row['status'] == 'ok' else '–')}</td>"
                f"<td>{escape(fmt.change(row['change_prev'], ind.unit, self.lang))}</td>"
                f"<td>{escape(fmt.value(row['peer_median'], ind.unit, self.lang))}</td></tr>")
        caption = t["summary_caption"].format(year=self.year)
        display(HTML(f'<table class="indicators"><caption>{escape(caption)}</caption><thead><tr>{head}</tr>'
                     f"</thead><tbody>{''.join(body)}</tbody></table>"))

    def section(self, area: str) -> None:
        """One area of the framework: a paragraph per indicator and a trend figure."""
        parts = [f"## {self.cat.areas[area][self.lang]}"]
        for ind in self.cat.in_area(area):
            row = self.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": self.year}
            parts.append(f"### {ind.id} {ind.title[self.lang]}\n\n{narrative.indicator_text(row, self.lang)}")
        display(Markdown("\n\n".join(parts)))
        shown = [i for i in self.cat.in_area(area) if i.unit == "share" and self.now.loc[i.id, "status"] == "ok"]
        if shown:
            display(HTML(self.trend_figure([i.id for i in shown[:4]], self.cat.areas[area][self.lang])))

    def trend_figure(self, ids: list[str], area_title: str) -> str:
        series = []
        for ind_id in ids:
            rows = self.rows[(self.rows["indicator_id"] == ind_id) & (self.rows["year"].isin(self.years))]
            rows = rows.sort_values("year")
            series.append({"name": f"{ind_id} {self.cat[ind_id].title[self.lang]}", "years": list(rows["year"]),
                           "values": _list(rows["value"]), "median": _list(rows["peer_median"]),
                           "q1": _list(rows["peer_q1"]), "q3": _list(rows["peer_q3"])})
        span = f"{self.years[0]}–{self.years[-1]}"
        fig, alt = figures.trend(series, "share", area_title.lower(), self.lang)
        return figures.html(fig, alt, self.t["trend_caption"].format(years=span, area=area_title.lower()))

    def method(self) -> None:
        t = self.t
        counts = self.now["status"].value_counts()
        min_n = min(i.min_n for i in self.cat.indicators if i.survey)
        display(Markdown("\n\n".join([
            f"## {t['method']}", t["sources"], t["suppression"].format(min_n=min_n),
            t["counts"].format(year=self.year, total=len(self.now), ok=counts.get("ok", 0),
                               suppressed=counts.get("suppressed", 0), no_data=counts.get("no_data", 0),
                               unavailable=counts.get("unavailable", 0)),
            t["method_link"]])))

    # ---------------------------------------------------------------- cells
    def _value(self, row, ind) -> str:
        status = row["status"]
        if status == "ok":
            return fmt.value(row["value"], ind.unit, self.lang)
        if status == "suppressed":
            return self.t["suppressed"].format(min_n=ind.min_n)
        return self.t["unavailable" if status == "unavailable" else "no_data"]

    def _n(self, row, ind) -> str:
        if row["status"] == "suppressed":
            return self.t["suppressed"].format(min_n=ind.min_n)
        return fmt.number(row["n"], self.lang) if row["status"] == "ok" else "–"


def _list(series: pd.Series) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in series]


def _md(text: str) -> str:
    """Escapes Markdown syntax in data-derived text."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+!|" else c for c in str(text))


def load(org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = "") -> Report:
    return Report(org_nr, year, lang, build_dir)
