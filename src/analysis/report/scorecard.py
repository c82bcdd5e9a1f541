"""The first screen's overview ("At a glance"): per area of the framework its headline indicators with value,
direction since the previous year and position among peers or against the target, and the goals on track."""

from __future__ import annotations

from html import escape

from IPython.display import HTML

from .. import fmt, narrative
from . import values
from .values import quartile_text


def scorecard(r) -> list:
    """Per area, in the framework's order, the headline indicators with value, direction since the previous
    year (a shape and words, never colour alone) and position among peers or against the target; for
    gevinster also the goals on track."""
    t = r.t
    cards = []
    for area in r.cat.areas:
        items = [headline(r, ind) for ind in headlines(r, area)] or [  # none has units this year
            f'<li class="unmeasured"><span class="name">{escape(t[label])}</span> {escape(", ".join(ids))}</li>'
            for label, ids in gaps(r, area)]
        if area == "gevinster":
            items.insert(0, f'<li class="goals">{escape(r._goals_line())}</li>')
        cards.append(f'<li class="area"><h3>{escape(r.cat.areas[area][r.lang])}</h3>'
                     f'<ul>{"".join(items)}</ul></li>')
    return [HTML(f'<section class="scorecard" aria-labelledby="scorecard"><h2 id="scorecard">'
                 f'{escape(t["scorecard"])}</h2><p class="note">{escape(t["scorecard_caption"])}</p>'
                 f'<ul class="areas">{"".join(cards)}</ul></section>')]


def headlines(r, area: str, count: int = 2) -> list:
    """The area's headline indicators: the first with a value this year, in catalogue order (else the first
    that could have one)."""
    measured = [i for i in r.cat.in_area(area) if r.now.loc[i.id, "status"] != "no_data"]
    ranked = sorted(measured, key=lambda i: (r.now.loc[i.id, "status"] != "ok",
                                             r.now.loc[i.id, "status"] == "unavailable"))
    return ranked[:count]


def unmeasured(r) -> list:
    """The indicators without units this year whose sources are not supplied for the organisation."""
    return [i for i in r.cat.indicators if r.now.loc[i.id, "status"] == "no_data" and r.basis.missing(i)]


def gaps(r, area: str) -> list[tuple[str, list[str]]]:
    """An area without a headline value this year: its indicators not measured (their source not supplied),
    and those with no data, each as (the words' key, their IDs), where there are any."""
    inds = r.cat.in_area(area)
    return [(label, ids) for label, ids in (("area_unmeasured", [i.id for i in inds if r.basis.missing(i)]),
                                            ("area_no_data", [i.id for i in inds if not r.basis.missing(i)]))
            if ids]


def movement(r, ind) -> tuple[dict, dict, str, str, str]:
    """A headline indicator's row and narrative facts, its direction since last year in words and as a shape
    ("" for a value not shown), and its position: against its target, else among its peers by quarter."""
    t = r.t
    row = r.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": r.year}
    f = narrative.facts(row, r.lang, r.targets.get(ind.id))
    prev = str(int(r.year) - 1)
    if f["status"] != "ok":
        move, glyph = "", ""
    elif f.get("trend") in ("up", "down"):
        move, glyph = t[f["trend"]].format(change=f["change"], year=prev), "▲" if f["trend"] == "up" else "▼"
    elif f.get("trend") == "stable":
        move, glyph = t["stable"].format(year=prev), "◆"
    else:
        move, glyph = t["no_change"].format(year=prev), "–"
    if f.get("on_track") is not None:
        where = t["on_track" if f["on_track"] else "off_track"].format(target=f["target"], year=f["target_year"])
    elif f.get("quartile"):
        where = quartile_text(f["quartile"], f["peer_n"], r.lang)
    else:
        where = ""
    return row, f, move, glyph, where


def headline(r, ind) -> str:
    """One scorecard line: indicator, value, direction since last year and position."""
    t = r.t
    row, f, move, glyph, where = movement(r, ind)
    judged = f' data-judgement="{f["judgement"]}"' if f.get("judgement") else ""
    parts = [f'<span class="name"><a href="#{escape(ind.id)}">{escape(ind.id)}</a> '
             f'{escape(ind.title[r.lang])}</span>',
             f'<span class="value">{escape(values.value(r, row, ind))}</span>']
    base = [f["count"]] if f.get("count") else []
    base += [t["small_base"]] if f.get("small_base") else []
    if base:
        parts.append(f'<span class="base">{escape(" · ".join(base))}</span>')
    if move:
        parts.append(f'<span class="move"{judged}><span aria-hidden="true">{glyph}</span> {escape(move)}</span>')
    if where:
        parts.append(f'<span class="where">{escape(where)}</span>')
    return f'<li>{" ".join(parts)}</li>'


def headline_values(r) -> list[tuple[str, str]]:
    """(indicator ID, its line) of the scorecard's headline indicators: ID, title, value and the change
    since the previous year, as `innomaal new-commentary` lists them for the body to comment on."""
    lines = []
    for area in r.cat.areas:
        for ind in headlines(r, area):
            row = r.now.loc[ind.id]
            change = (fmt.change(row["change_prev"], ind.unit, r.lang)
                      if row["status"] == "ok" and not fmt.missing(row["change_prev"])
                      else r.t["no_change"].format(year=int(r.year) - 1))
            lines.append((ind.id, f"{ind.id} {ind.title[r.lang]}: {r._value(row, ind)} ({change})"))
    return lines


def goals_line(r) -> str:
    """The goals of the gain register on track to their targets, as a line of the scorecard's gevinster."""
    goals = r._goals()
    if not goals:
        return r.t["no_goals"] if r.basis.supplied("gains") else r.t["gains_not_supplied"]
    tracked = [c[0] for c in (r._chain(g) for g in goals) if c[0].get("on_track") is not None]
    if not tracked:
        return r.t["goals_unmeasured"].format(count=len(goals))
    return r.t["goals_on_track"].format(on_track=sum(bool(f["on_track"]) for f in tracked), count=len(tracked))
