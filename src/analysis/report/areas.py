"""The five areas of the framework, one section each: per indicator its value, history and paragraph, folded,
and a trend figure; then every indicator in one table, and the procurements the notice-based indicators count."""

from __future__ import annotations

from html import escape

from IPython.display import HTML

from .. import basis, commentary, figures, fmt, funnel, narrative
from ..markdown import PROSE
from . import values
from .markup import scroll
from .values import floats, ok


def section(r, area: str) -> list:
    """One area of the framework: per indicator a folded disclosure whose summary shows its value and a
    sparkline, and whose details hold value, n, coverage, peer median, target and a paragraph; then a
    trend figure with the peer band and the targets, folded too."""
    title = r.cat.areas[area][r.lang]
    parts = [f'<section class="area" aria-labelledby="area-{area}"><h2 id="area-{area}">{escape(title)}</h2>']
    empty = [i for i in r.cat.in_area(area) if r.now.loc[i.id, "status"] == "no_data"]
    notes = r.commentary.notes
    for ind in r.cat.in_area(area):
        if ind in empty and ind.id not in notes:  # said once below, per missing source
            continue
        row = r.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": r.year}
        target = r.targets.get(ind.id)
        text = " ".join(filter(None, (narrative.indicator_text(row, r.lang, target), _funnel(r, row, ind))))
        body = "".join(PROSE.render(p) for p in (facts(r, row, ind, target), text) if p)
        if ind.flags:  # the procurements it counts, by name
            body += r.behind.details(ind)
        if ind.id in notes:  # the organisation's own note on the indicator
            body += commentary.note_html(notes[ind.id], r.lang)
        parts.append(f'<details class="indicator" id="{escape(ind.id)}"><summary>'
                     f'<span class="name">{escape(ind.id)} {escape(ind.title[r.lang])}</span> '
                     f'<span class="value">{escape(values.value(r, row, ind))}</span> '
                     f"{values.sparkline(r, ind)}</summary>{body}</details>")
    if empty:
        said = basis.not_measured(empty, r.basis, r.lang)
        parts.append(f'<div class="unmeasured">{PROSE.render(said)}</div>')
    shown = [i for i in r.cat.in_area(area) if i.unit == "share" and r.now.loc[i.id, "status"] == "ok"]
    if shown:
        parts.append(f'<details class="figure"><summary>{escape(r.t["trend_details"])}</summary>'
                     f"{trend_figure(r, [i.id for i in shown[:4]], title)}</details>")
    return [HTML("".join(parts) + "</section>")]


def facts(r, row: dict, ind, target) -> str:
    """The indicator's numbers in one line (Markdown, in italics): value, n, coverage, count, interval of an
    uncertain base, peer median, target and the source that answered; "" without a value."""
    if row["status"] != "ok":
        return ""
    t, lang = r.t, r.lang
    text = t["facts"].format(value=fmt.value(row["value"], ind.unit, lang), n=fmt.number(row["n"], lang),
                             coverage=fmt.percent(row["coverage"], lang, 0))
    count = narrative.count_phrase(row, ind, lang)
    if count:
        text += t["facts_count"].format(count=count)
    if row.get("small_base") and ok(row.get("ci_low")):
        text += t["facts_small"].format(low=fmt.percent(row["ci_low"], lang, 0),
                                        high=fmt.percent(row["ci_high"], lang, 0))
    if ok(row.get("peer_median")) and int(row.get("peer_n") or 0) >= narrative.MIN_PEERS:
        text += t["facts_peer"].format(median=fmt.value(row["peer_median"], ind.unit, lang))
    if target is not None:
        text += t["facts_target"].format(target=fmt.value(target.target, ind.unit, lang), year=target.target_year)
    if row.get("answered_by") in t["answered_by"]:  # which source answered (G3/G4: notices or register)
        text += t["facts_source"].format(source=t["answered_by"][row["answered_by"]])
    return f"*{text}*"


def _funnel(r, row: dict, ind) -> str:
    """Where the value lies against the national share's funnel limits for its number of units (the
    overview's funnel plot, in words); "" for indicators without a funnel or a value."""
    if not funnel.eligible(ind) or row["status"] != "ok":
        return ""
    where = funnel.position(row["value"], row["denominator"], r.national.get(ind.id))
    return funnel.sentence(where, r.lang, funnel.units_word(ind, r.lang))


def trend_figure(r, ids: list[str], area_title: str) -> str:
    """The indicators' development over the report's years, with the peer median and band and their targets."""
    series = []
    for ind_id in ids:
        rows = r.rows[(r.rows["indicator_id"] == ind_id) & (r.rows["year"].isin(r.years))]
        rows = rows.sort_values("year")
        target = r.targets.get(ind_id)
        series.append({"name": f"{ind_id} {r.cat[ind_id].title[r.lang]}", "years": list(rows["year"]),
                       "values": floats(rows["value"]), "median": floats(rows["peer_median"]),
                       "q1": floats(rows["peer_q1"]), "q3": floats(rows["peer_q3"]),
                       "target": (target.target_year, target.target) if target else None})
    span = fmt.span(r.years[0], r.years[-1])
    svg, alt = figures.trend(series, "share", area_title.lower(), r.lang)
    return figures.html(svg, alt, r.t["trend_caption"].format(years=span, area=area_title.lower()))


def summary(r) -> list:
    """Every indicator in one table, folded: the sections above tell the story."""
    t, lang = r.t, r.lang
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in
                   (t["indicator"], t["value"], t["n"], t["coverage"], t["change"], t["peer"]))
    body = []
    for ind in r.cat.indicators:
        row = r.now.loc[ind.id]
        body.append(
            f'<tr><th scope="row">{escape(ind.id)} {escape(ind.title[lang])}</th>'
            f"<td>{escape(values.value(r, row, ind))}</td><td>{escape(values.n(r, row, ind))}</td>"
            f"<td>{escape(values.coverage(row, lang))}</td>"
            f"<td>{escape(fmt.change(row['change_prev'], ind.unit, lang))}</td>"
            f"<td>{escape(fmt.value(row['peer_median'], ind.unit, lang))}</td></tr>")
    caption = t["summary_caption"].format(year=r.year)
    note = t["low_coverage_note"].format(share=values.low_share(lang))
    return [HTML(f'<details class="all-indicators"><summary>{escape(t["all_indicators"])}</summary>'
                 + scroll(f'<table class="indicators"><caption>{escape(caption)}</caption><thead><tr>{head}'
                          f"</tr></thead><tbody>{''.join(body)}</tbody></table>", caption)
                 + f'<p class="note">{escape(note)}</p></details>')]


def procurements(r) -> list:
    """Anskaffelsene bak tallene: every procurement the notice-based indicators count this year, with how
    each counts it (nothing when the year has none)."""
    table = r.behind.table(r.year, examples=r.build.examples.is_file())
    return [HTML(table)] if table else []
