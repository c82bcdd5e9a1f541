"""The site's own pages in the model: the index, an overview per year, a page per organisation, the method page
and the accessibility statement, and the reports to read (one task each). Read once per build."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from .. import analyses, basis, catalogue, dataquality, fmt, i18n, manifest, notebooks, overview, paths
from ..execute import read_summary
from ..i18n import N_
from ..report import TEXT as REPORT_TEXT
from ..report import history_sparkline, status_word
from . import Page, ReportTask, Site, SiteModel
from .images import split_images

# The site's words that Python places (the templates translate their own with Jinja2's i18n extension).
SITE_TEXT = {
    "reports": N_("Reports"),
    "overview": N_("Overview"),
    "method": N_("Method"),
    "a11y": N_("Accessibility"),
    "polarities": {"higher": N_("better"), "lower": N_("worse"), "neutral": N_("neither better nor worse")},
    "units": {"share": N_("share"), "mean": N_("mean"), "count": N_("count"), "nok": N_("NOK"),
              "tco2e": N_("tonnes CO₂e"), "difference": N_("difference")},
}


def read(site: Site, previous: Path | None = None) -> SiteModel:
    """The site model of a build: the plan read once, every page but the reports' own (read by their tasks),
    and one task per report (a report whose render key the `previous` site recorded is copied from it)."""
    lang = site.lang
    t = i18n.text(SITE_TEXT, lang)
    cat = catalogue.load()
    plan = site.plan()
    found = site.reports(plan)
    if site.newest_year is None:
        site = replace(site, newest_year=max((year for year, _, _ in found), default=None))
    table = pd.read_parquet(site.build.indicators)
    orgs = {r.org_nr: r for r in table[["org_nr", "name", "org_type"]].drop_duplicates().itertuples(index=False)}
    type_label = i18n.text(REPORT_TEXT["type"], lang)  # one organisation's type, in its row of the index
    slices = dict(iter(table.groupby(["org_nr", "year"], sort=False)))
    reuse = _reusable(site, previous)
    langs = i18n.report_languages(site.build, lang)
    registered = analyses.registered()
    summary = read_summary(site.build.executions)
    failed = {(f["parameters"]["year"], f["parameters"]["org_nr"], f.get("analysis")) for f in summary if not f["ok"]}
    tasks, by_year, by_org = [], {}, {}
    for year, org_nr, nb_path in found:
        org = orgs.get(org_nr)
        name = org.name if org else org_nr
        extra = tuple((a.name, a.title[langs.get(org_nr, lang)], site.build.analysis(a.name, year, org_nr))
                      for a in registered
                      if site.build.analysis(a.name, year, org_nr).is_file() and (year, org_nr, a.name) not in failed)
        tasks.append(ReportTask(site, year, org_nr, name, nb_path, slices.get((org_nr, year)),
                                previous if (year, org_nr) in reuse else None, extra, langs.get(org_nr, lang)))
        by_year.setdefault(year, []).append(_listed(org_nr, name, org, type_label, f"reports/{year}/{org_nr}.html"))
        by_org.setdefault(org_nr, []).append(year)
    empty_by_year, empty_by_org = {}, {}
    for org_nr, year in ([] if plan is None else plan.empty):  # no report to link: the index says there is no data
        empty_by_year.setdefault(year, []).append(_listed(org_nr, orgs[org_nr].name, orgs[org_nr], type_label, None))
        empty_by_org.setdefault(org_nr, []).append(year)
    pages = _org_pages(site, table, orgs, by_org, empty_by_org, langs, cat)
    national = pd.read_parquet(site.build.national)
    pages += _overviews(site, table, national, by_year)
    failures = [{"org_nr": f["parameters"]["org_nr"], "year": f["parameters"]["year"],
                 "name": orgs[f["parameters"]["org_nr"]].name if f["parameters"]["org_nr"] in orgs else "",
                 "error": f["error"]} for f in summary if not f["ok"]]
    listing = [(y, sorted(by_year.get(y, []) + empty_by_year.get(y, []), key=lambda r: (r["name"], r["org_nr"])))
               for y in sorted(by_year.keys() | empty_by_year.keys(), reverse=True)]
    types = sorted({r["org_type"] for _, rows in listing for r in rows if r["org_type"]})
    groups = i18n.text(REPORT_TEXT["types"], lang)
    pages.append(page(site, "index.html", "index", t["reports"], active="index", failures=failures,
                       scorecard=overview.national_scorecard(national, max(by_year), lang) if by_year else None,
                       reports_by_year=listing, types=[(k, groups.get(k, k)) for k in types],  # the filter: groups
                       total=sum(len(rows) for rows in by_year.values())))
    pages.append(_method(site, table, cat, t))
    statement = (paths.SITE_TEMPLATES / f"tilgjengelighet.{lang}.md").read_text(encoding="utf-8")
    pages.append(page(site, "tilgjengelighet.html", "page", t["a11y"], active="a11y",
                       body=Markup(notebooks.markdown(statement))))
    empty = {(org, y) for org, years in empty_by_org.items() for y in years}
    return SiteModel(site, pages, tasks, sorted(by_year), empty)


def page(site: Site, rel: str, kind: str, title: str, lang: str | None = None, figures=(), notebook=None,
          **content) -> Page:
    """A page with what every page shows: its title, the site's title in its language, its depth (links to
    the root) and the navigation's overview year."""
    lang = lang or site.lang
    return Page(rel, kind, title, lang, {"page_title": title, "site_title": site.title_in(lang),
                                         "root": "../" * rel.count("/"), "overview_year": site.newest_year,
                                         "lang": lang, **content}, tuple(figures), notebook)


def _listed(org_nr: str, name: str, org, type_label: dict, href: str | None) -> dict:
    """One organisation-year's row of the index (`href` None: no data that year, so no report)."""
    return {"href": href, "org_href": f"virksomheter/{org_nr}.html", "name": name, "org_nr": org_nr,
            "org_type": org.org_type if org else "",
            "org_type_label": type_label.get(org.org_type, org.org_type) if org else ""}


def _org_pages(site: Site, table: pd.DataFrame, orgs: dict, by_org: dict, empty_by_org: dict, langs: dict,
               cat: catalogue.Catalogue) -> list[Page]:
    """One page per organisation, in its reports' language: its years (with a report or without data) and its
    indicators' published values over the years."""
    base_table = pd.read_parquet(site.build.basis)  # which sources cover each body: "not measured" where none
    bases, no_basis = dict(iter(base_table.groupby("org_nr", sort=False))), base_table.iloc[0:0]
    files = basis.supplied(site.build.quality)
    pages = []
    for org_nr in sorted(by_org.keys() | empty_by_org.keys()):
        org, own = orgs[org_nr], langs.get(org_nr, site.lang)
        years, empty = sorted(by_org.get(org_nr, [])), empty_by_org.get(org_nr, [])
        pages.append(page(
            site, f"virksomheter/{org_nr}.html", "org", org.name, own, active="org", name=org.name, org_nr=org_nr,
            org_type_label=i18n.text(REPORT_TEXT["type"], own).get(org.org_type, org.org_type), years=years,
            entries=[{"year": y, "report": y in years} for y in sorted({*years, *empty})],
            rows=_org_rows(table[table["org_nr"] == org_nr], years, cat, own,
                           basis.for_body(bases.get(org_nr, no_basis), files, "")) if years else []))
    return pages


def _org_rows(rows: pd.DataFrame, years: list[str], cat: catalogue.Catalogue, lang: str,
             body: basis.Basis) -> list[dict]:
    """One row per indicator: its published value in each year (suppressed and missing values in the reports'
    words, status_word: "not measured" where the body's data basis lacks its source), and a sparkline of them."""
    t = i18n.text(REPORT_TEXT, lang)
    cells = {(r.indicator_id, r.year): r for r in rows.itertuples(index=False) if r.year in years}
    out = []
    for ind in cat.indicators:
        values, points = [], []
        for year in years:
            r = cells.get((ind.id, year))
            if r is None or r.status != "ok":
                min_n = int(r.min_n) if r is not None and not fmt.missing(r.min_n) else ind.min_n
                values.append(status_word("no_data" if r is None else r.status, t, min_n,
                                          bool(body.missing(ind))))
                if r is not None and r.status == "suppressed":
                    points.append((year, values[-1], None))
            else:
                values.append(fmt.value(r.value, ind.unit, lang))
                points.append((year, values[-1], float(r.value)))
        out.append({"id": ind.id, "title": ind.title[lang], "values": values,
                    "sparkline": Markup(history_sparkline(points, lang))})
    return out


def _overviews(site: Site, table: pd.DataFrame, national: pd.DataFrame, by_year: dict) -> list[Page]:
    """The overview of each year with reports: the national trend, the year's figures, funnels and examples."""
    lang, pages = site.lang, []
    learn = pd.read_parquet(site.build.examples) if site.build.examples.is_file() else None
    for year in sorted(by_year):
        years = sorted(y for y in national["year"].unique() if y <= year)
        figure, figures = split_images(overview.trend_figure(national, years, lang), year)
        data = overview.build(table, national, year, lang)
        funnels = []
        for f in overview.funnels(table, national, year, lang):
            html, more = split_images(f["figure"], f"{year}-{f['id']}")
            funnels.append(f | {"figure": Markup(html)})
            figures += more
        pages.append(page(site, f"oversikt/{year}.html", "overview", data["title"], figures=figures,
                           active="overview", o=data, figure=Markup(figure), funnels=funnels,
                           published={r["org_nr"] for r in by_year[year]},
                           examples=overview.examples(learn, year, lang) if learn is not None else None))
    return pages


def _method(site: Site, table: pd.DataFrame, cat: catalogue.Catalogue, t: dict) -> Page:
    """The method page: every indicator's definition by area, the data quality and the sources."""
    lang = site.lang
    areas = [({"id": a, "title": titles[lang]}, [{
        "id": i.id, "title": i.title[lang], "definition": i.definition[lang], "numerator": i.numerator[lang],
        "denominator": i.denominator[lang], "unit": t["units"][i.unit], "polarity": t["polarities"][i.polarity],
        "min_n": i.min_n, "persons": i.persons, "source": i.source[lang],
        "unavailable": (i.unavailable or {}).get(lang),
        "note": (i.note or {}).get(lang),
        **dataquality.indicator_terms(i, lang),
    } for i in cat.in_area(a)]) for a, titles in cat.areas.items()]
    quality = json.loads(site.build.quality.read_text(encoding="utf-8")) if site.build.quality.is_file() else {}
    return page(site, "metode.html", "method", t["method"], active="method", areas=areas,
                 quality=dataquality.summary(quality, table, lang), small_base=cat.settings["small_base"],
                 sources=basis.sources_table(basis.supplied(site.build.quality), cat, lang))


def _reusable(site: Site, previous: Path | None) -> set[tuple[str, str]]:
    """Reports whose render key the previous site recorded, with their files there."""
    if previous is None or site.provenance is None or not (previous / "provenance.json").is_file():
        return set()
    old = json.loads((previous / "provenance.json").read_text(encoding="utf-8"))
    if old.get("renderer") != site.provenance.get("renderer"):
        return set()
    damaged = [d.path for d in manifest.verify(previous)]  # what was deleted or altered there is rendered again
    if manifest.NAME in damaged:
        return set()
    before = {(r["year"], r["org_nr"]): r.get("key") for r in old.get("reports", [])}
    return {(r["year"], r["org_nr"]) for r in site.provenance.get("reports", [])
            if r.get("key") and before.get((r["year"], r["org_nr"])) == r["key"]
            and not any(path.startswith(f"reports/{r['year']}/{r['org_nr']}") for path in damaged)}
