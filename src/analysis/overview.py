"""The national (sector) overview of one year: national totals, the distribution of each indicator by type
of organisation, and the leaders and movers. Only published values (status ok) are used, so nothing
suppressed in a report can be read here; national totals are themselves suppressed below the minimum n.
"""

from __future__ import annotations

import pandas as pd

from . import catalogue, figures, fmt, funnel, i18n, narrative
from .i18n import N_
from .procurements import DOFFIN_PAGE
from .report import TEXT as REPORT_TEXT

TEXT = {
    "title": N_("National overview {year}"),
    "intro": N_("The overview covers {orgs} organisations in {year}: {types}."),
    "national": N_("National figures"),
    "national_caption": N_("National figures for {year}, over every buyer (also those without a report); a procedure "
                          "shared by several buyers counts once"),
    "value": N_("Value"),
    "n": N_("n"),
    "orgs": N_("Organisations"),
    "by_type": N_("Distribution by type of organisation"),
    "by_type_caption": N_("{area} {year}: median (middle half) and number of organisations with a value, by type"),
    "leaders": N_("Best value and largest improvement"),
    "leaders_caption": N_("Best value (by the indicator's direction) and largest improvement since the previous "
                          "year, {year}, where the best value lies beyond the 95 % limits of the funnel plot and "
                          "one organisation holds it alone"),
    "leader": N_("Best value"),
    "mover": N_("Largest improvement"),
    "indicator": N_("Indicator"),
    "none": N_("–"),
    "range": N_("{low} to {high}"),  # a range in words: "−0,13 til 0,36", never a dash after a minus sign
    "trend": N_("National development"),
    "trend_caption": N_("National shares {years} for selected indicators."),
    "suppressed": N_("n<{min_n}"),
    "not_reported": N_("not reported"),
    "not_yet": N_("not yet measurable"),
    "funnels": N_("Bodies of different size"),
    "funnels_intro": N_("A share resting on few procurements varies more by chance than one resting on many. Each "
                        "funnel plot shows every organisation's share against the number of units the share rests "
                        "on. The national share is a horizontal line with control limits of 95% and 99.8% around "
                        "it. The limits narrow the more units a share rests on (Spiegelhalter 2005). A share "
                        "outside the limits differs from the national share by more than chance would usually "
                        "give. There is one funnel plot for each of the {k} indicators that are shares of "
                        "procedures, lots, awards or goals in notices and registers. Below each plot you can open "
                        "a table of its values. Indicators that are shares of money or of survey answers have no "
                        "funnel plot."),
    # the funnel's summary names only the sides that have bodies beyond the limits (never "0 above")
    "funnel_summary": N_("national {national}: {above} above and {below} below the 95% limits"),
    "funnel_above": N_("national {national}: {above} above the 95% limits"),
    "funnel_below": N_("national {national}: {below} below the 95% limits"),
    "funnel_within": N_("national {national}: all within the 95% limits"),
    "funnel_caption": N_("{id} {title} {year}: each organisation's share against its number of {units}, with the "
                         "national share ({national}) and its 95% and 99.8% control limits."),
    "funnel_table": N_("{id} {title} {year}: organisations by position against the national share "
                       "({national})"),
    "organisation": N_("Organisation"),
    "share": N_("Share"),
    "position": N_("Position"),
    "scorecard": N_("The national picture {year}"),
    "scorecard_caption": N_("Headline indicators of the five areas, in the framework's order, over every buyer in "
                            "the country (a procedure shared by several buyers counted once): national value and "
                            "change since the previous year."),
    "scorecard_link": N_("All national figures for {year}"),
    "no_national": N_("No national figures"),
    "examples": N_("Examples to learn from"),
    "examples_intro": N_("Procurements announced in {year} that used a procedure made for innovation or said in "
                         "their notices that they buy research and development or something new: whom to call to "
                         "learn how it went. Each is listed once, under the first kind it fits."),
    "examples_none": N_("No competition announced in {year} used an innovation partnership, a competitive dialogue "
                        "or a negotiated procedure after market dialogue, or was marked as research and development "
                        "or innovative."),
    "kinds": {"innovation": N_("Innovation partnership"), "comp-dial": N_("Competitive dialogue"),
              "dialogue": N_("Negotiated procedure after early market dialogue"),
              "rd": N_("Research and development"), "innovative": N_("Marked as innovative (BT-776)")},
    "buyer": N_("Buyer"),
    "type": N_("Type"),
    "procurement": N_("Procurement"),
    "announced": N_("Announced"),
    "examples_caption": N_("{kind}, {year}"),
}
EXAMPLES_SENTENCE = lambda t, procurements, bodies: t.ngettext(  # noqa: E731
    "{procurements} by {bodies} body.", "{procurements} by {bodies} bodies.", bodies)
EXAMPLE_COUNT = lambda t, n: t.ngettext("{n} procurement", "{n} procurements", n)  # noqa: E731
TREND_IDS = ("P4", "P5a", "G3", "P7a")  # the national trend figure


def build(table: pd.DataFrame, national: pd.DataFrame, year: str, lang: str = "nb") -> dict:
    """Everything the overview page of `year` shows, formatted for `lang`."""
    t, cat = i18n.text(TEXT, lang), catalogue.load()
    types, one = i18n.text(REPORT_TEXT["types"], lang), i18n.text(REPORT_TEXT["type"], lang)
    now = table[table["year"] == year]
    orgs = now[["org_nr", "org_type"]].drop_duplicates()
    type_counts = orgs["org_type"].value_counts()
    type_keys = [k for k in types if k in type_counts.index]
    nat = national[national["year"] == year].set_index("indicator_id")
    national_rows = []
    for ind in cat.indicators:
        if ind.id not in nat.index:
            continue
        r = nat.loc[ind.id]
        value = (fmt.value(r["value"], ind.unit, lang) if r["status"] == "ok" else t[r["status"]]
                 if r["status"] in ("not_reported", "not_yet") else t["suppressed"].format(
                     min_n=int(now.loc[now["indicator_id"] == ind.id, "min_n"].min()) if "min_n" in now else ind.min_n))
        national_rows.append({"id": ind.id, "title": ind.title[lang], "value": value,
                              "n": fmt.number(r["n"], lang), "orgs": fmt.number(r["orgs"], lang)})
    ok = now[now["status"] == "ok"]
    stats = ok.groupby(["indicator_id", "org_type"])["value"].agg(
        median="median", q1=lambda v: v.quantile(0.25), q3=lambda v: v.quantile(0.75), count="count")
    areas = []
    for area, titles in cat.areas.items():
        rows = []
        for ind in cat.in_area(area):
            cells = []
            for key in type_keys:
                if (ind.id, key) in stats.index:
                    s = stats.loc[(ind.id, key)]
                    middle = t["range"].format(low=fmt.value(s["q1"], ind.unit, lang),
                                               high=fmt.value(s["q3"], ind.unit, lang))
                    cells.append(f"{fmt.value(s['median'], ind.unit, lang)} ({middle}), n = {int(s['count'])}")
                else:
                    cells.append(t["none"])
            if any(c != t["none"] for c in cells):
                rows.append({"id": ind.id, "title": ind.title[lang], "cells": cells})
        if rows:
            areas.append({"id": area, "title": titles[lang], "rows": rows})
    shares = national[(national["year"] == year) & (national["status"] == "ok")].set_index("indicator_id")["value"]
    leaders = [row for ind in cat.indicators if (row := _leader(ok, ind, shares.get(ind.id), lang))]
    return {"title": t["title"].format(year=year), "year": year, "t": t,
            "intro": t["intro"].format(orgs=len(orgs), year=year, types=", ".join(
                f"{int(type_counts[k])} {(one if type_counts[k] == 1 else types)[k]}" for k in type_keys)),
            "types": [types[k] for k in type_keys], "national": national_rows, "areas": areas, "leaders": leaders}


def examples(frame: pd.DataFrame, year: str, lang: str = "nb") -> list[dict]:
    """The overview's examples to learn from in `year`, grouped by kind (compute.EXAMPLE_KINDS' order): each
    with a sentence saying how many bodies used it, and its procurements (buyer, type, title, date, link)."""
    t, tr = i18n.text(TEXT, lang), i18n.translations(lang)
    one = i18n.text(REPORT_TEXT["type"], lang)
    now = frame[frame["year"] == year]
    groups = []
    for kind, rows in now.groupby("kind", sort=False):
        folders = list(dict.fromkeys(rows["folder_id"]))  # a joint procurement once, with all its buyers
        n, bodies = len(folders), rows["org_nr"].nunique()
        count = EXAMPLE_COUNT(tr, n).format(n=fmt.number(n, lang))
        items = []
        for _, shared in rows.groupby("folder_id", sort=False):
            first = shared.iloc[0]
            items.append({
                "buyers": [{"org_nr": r["org_nr"], "name": r["buyer"],
                            "type": one.get(r["org_type"], "–") if isinstance(r["org_type"], str) else "–"}
                           for r in shared.to_dict("records")],
                "title": fmt.present(first["title"]) or first["folder_id"], "date": fmt.day(first["first_date"], lang),
                "href": DOFFIN_PAGE.format(first["doffin_id"]) if isinstance(first["doffin_id"], str) else None})
        groups.append({"id": kind, "title": t["kinds"][kind], "items": items,
                       "sentence": EXAMPLES_SENTENCE(tr, n, bodies).format(procurements=count,
                                                                           bodies=fmt.number(bodies, lang)),
                       "caption": t["examples_caption"].format(kind=t["kinds"][kind], year=year)})
    return groups


def _single_top(rows: pd.DataFrame, key: pd.Series) -> pd.Series | None:
    """The one row with the highest key, or None where it is shared (a tie names no one)."""
    if rows.empty:
        return None
    best = key.max()
    return rows.loc[key.idxmax()] if (key == best).sum() == 1 else None


def _leader(ok: pd.DataFrame, ind, national_share, lang: str) -> dict | None:
    """The best value of an indicator with a funnel plot and its largest improvement, only where the best value
    lies beyond the funnel's 95 % limits around the national share on the right side (what the funnel plot
    says differs by more than chance), and only where one organisation holds it alone."""
    if ind.polarity == "neutral" or not funnel.eligible(ind) or fmt.missing(national_share):
        return None
    sign = 1 if ind.polarity == "higher" else -1
    rows = ok[ok["indicator_id"] == ind.id]
    top = _single_top(rows, sign * rows["value"])
    if top is None or funnel.position(top["value"], top["denominator"], float(national_share)) not in (
            ("above95", "above998") if sign == 1 else ("below95", "below998")):
        return None
    moved = rows[rows["change_prev"].notna()]
    mover = _single_top(moved, sign * moved["change_prev"])
    if mover is not None and sign * mover["change_prev"] <= 0:
        mover = None
    return {"id": ind.id, "title": ind.title[lang],
            "leader": {"name": top["name"], "org_nr": top["org_nr"], "value": fmt.value(top["value"], ind.unit, lang)},
            "mover": None if mover is None else {"name": mover["name"], "org_nr": mover["org_nr"],
                                                 "change": fmt.change(mover["change_prev"], ind.unit, lang)}}


def trend_figure(national: pd.DataFrame, years: list[str], lang: str = "nb") -> str:
    """National shares over the years for a few headline indicators, as an HTML figure."""
    t, cat = i18n.text(TEXT, lang), catalogue.load()
    series = []
    for ind_id in TREND_IDS:
        rows = national[(national["indicator_id"] == ind_id) & national["year"].isin(years)].sort_values("year")
        if rows.empty:
            continue
        series.append({"name": f"{ind_id} {cat[ind_id].title[lang]}", "years": list(rows["year"]),
                       "values": [None if fmt.missing(v) else float(v) for v in rows["value"]]})
    span = fmt.span(years[0], years[-1])
    svg, alt = figures.trend(series, "share", t["trend"].lower(), lang)
    return figures.html(svg, alt, t["trend_caption"].format(years=span))


def funnels(table: pd.DataFrame, national: pd.DataFrame, year: str, lang: str = "nb") -> list[dict]:
    """Per indicator with a funnel (funnel.eligible) and a national share in `year`: its figure and its table
    of organisations (published values only), by position (outside the limits first), then name."""
    t, cat = i18n.text(TEXT, lang), catalogue.load()
    nat = national[(national["year"] == year) & (national["status"] == "ok")].set_index("indicator_id")["value"]
    now = table[(table["year"] == year) & (table["status"] == "ok")]
    order = {key: k for k, key in enumerate(("above998", "above95", "below998", "below95", "within"))}
    out = []
    for ind in cat.indicators:
        if not funnel.eligible(ind) or ind.id not in nat.index or fmt.missing(nat[ind.id]):
            continue
        p = float(nat[ind.id])
        rows = []
        for r in now[now["indicator_id"] == ind.id].itertuples(index=False):
            where = funnel.position(r.value, r.denominator, p)
            if where is not None:
                rows.append({"name": r.name, "org_nr": r.org_nr, "n": float(r.denominator), "value": float(r.value),
                             "position": where})
        if not rows:
            continue
        rows.sort(key=lambda r: (order[r["position"]], r["name"], r["org_nr"]))
        units, shown = ind.denominator[lang], fmt.value(p, "share", lang)
        title = f"{ind.id} {ind.title[lang]}"
        svg, alt = figures.funnel(rows, p, title, units, year, lang)
        caption = t["funnel_caption"].format(id=ind.id, title=ind.title[lang], year=year, national=shown,
                                             units=funnel.lowered(units))
        out.append({
            "id": ind.id, "title": ind.title[lang], "units": units,
            "summary": _funnel_summary(t, shown, sum(r["position"].startswith("above") for r in rows),
                                       sum(r["position"].startswith("below") for r in rows)),
            "figure": figures.html(svg, alt, caption),
            "caption": t["funnel_table"].format(id=ind.id, title=ind.title[lang], year=year, national=shown),
            "rows": [{"name": r["name"], "org_nr": r["org_nr"], "units": fmt.number(r["n"], lang),
                      "value": fmt.value(r["value"], "share", lang), "position": funnel.label(r["position"], lang)}
                     for r in rows]})
    return out


def _funnel_summary(t: dict, national: str, above: int, below: int) -> str:
    key = ("funnel_summary" if above and below else "funnel_above" if above else "funnel_below" if below
           else "funnel_within")
    return t[key].format(national=national, above=above, below=below)


def national_scorecard(national: pd.DataFrame, year: str, lang: str = "nb") -> dict:
    """The front page's first screen, as the report's scorecard but national: per area of the catalogue, in
    its order, the first two indicators with a national value in `year`, with that value and its change
    since the previous year as a symbol and words (report.scorecard.headline's), never colour alone."""
    t, rt, cat = i18n.text(TEXT, lang), i18n.text(REPORT_TEXT, lang), catalogue.load()
    prev = str(int(year) - 1)
    ok = national[national["status"] == "ok"]
    now = ok[ok["year"] == year].set_index("indicator_id")["value"]
    before = ok[ok["year"] == prev].set_index("indicator_id")["value"]
    areas = []
    for area, titles in cat.areas.items():
        items = []
        for ind in [i for i in cat.in_area(area) if i.id in now.index and not fmt.missing(now[i.id])][:2]:
            value, old = float(now[ind.id]), before.get(ind.id)
            known = old is not None and not fmt.missing(old)
            direction = narrative.trend(value - float(old), ind.unit, old) if known else None
            if direction in ("up", "down"):
                move = rt[direction].format(change=fmt.change(abs(value - float(old)), ind.unit, lang, signed=False),
                                            year=prev)
                glyph = "▲" if direction == "up" else "▼"
            elif direction == "stable":
                move, glyph = rt["stable"].format(year=prev), "◆"
            else:
                move, glyph = rt["no_change"].format(year=prev), "–"
            items.append({"id": ind.id, "title": ind.title[lang], "value": fmt.value(value, ind.unit, lang),
                          "glyph": glyph, "move": move, "judgement": narrative.judgement(direction, ind.polarity)})
        areas.append({"id": area, "title": titles[lang], "indicators": items})
    return {"title": t["scorecard"].format(year=year), "caption": t["scorecard_caption"], "year": year,
            "link": t["scorecard_link"].format(year=year), "none": t["no_national"], "areas": areas}
