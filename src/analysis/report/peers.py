"""The position among peers: a dot plot of the organisation's shares against those of every other organisation
of its type, with the peer median."""

from __future__ import annotations

from html import escape

from IPython.display import HTML, Markdown

from .. import figures, narrative, tables
from .values import as_float


def peers(r) -> list:
    """A dot plot of the organisation's shares against every peer's."""
    t = r.t
    every = tables.peer_values(r.build.indicators, r.year, r.org_type)  # this one included
    rows = []
    for ind in r.cat.indicators:
        mine = r.now.loc[ind.id]
        if ind.unit != "share" or mine["status"] != "ok" or len(every.get(ind.id, ())) < narrative.MIN_PEERS:
            continue
        others = list(every[ind.id])
        others.remove(float(mine["value"]))  # the organisation's own value: the others are its peers
        rows.append({"name": f"{ind.id} {ind.title[r.lang]}", "value": float(mine["value"]),
                     "peers": others, "median": as_float(mine["peer_median"])})
    heading = f"## {t['peers_title']}"
    if not rows:
        return [Markdown(f"{heading}\n\n{t['peers_none'].format(year=r.year)}")]
    svg, alt = figures.peers(rows, "share", r.year, r.lang)
    return [Markdown(heading),
            HTML(f'<details class="figure"><summary>{escape(t["peers_details"])}</summary>' + figures.html(
                svg, alt, t["peers_caption"].format(year=r.year, org_type=t["types"][r.org_type])) + "</details>")]
