"""The funnel plot: each body's share against its number of units, inside the control limits that
`analysis.funnel` computes."""

from __future__ import annotations

from .. import fmt, i18n
from .. import funnel as funnel_limits  # this draws what analysis.funnel computes
from ..i18n import N_
from .svg import GRID, INK, PALETTE, Canvas, Scale, legend, tick_label, ticks, x_axis

TEXT = {
    "share": N_("Share"),
    "national_share": N_("National share"),
    "limits95": N_("95% limits"),
    "limits998": N_("99.8% limits"),
    "within95": N_("Within the 95% limits"),
    "funnel_above": N_("Above the upper limit"),
    "funnel_below": N_("Below the lower limit"),
    "funnel_within": N_("Within the 95% limits: {k} of {total}."),
    "funnel_group": N_("{position}: {items}."),
    "funnel_item": N_("{name} {value} of {n}"),
}


FUNNEL_MARKS = {"within": ("circle", 7, None), "above95": ("triangle", 9, None), "above998": ("triangle", 12, INK),
                "below95": ("triangle_down", 9, None), "below998": ("triangle_down", 12, INK)}


def funnel(rows: list[dict], national: float, title: str, units: str, year: str, lang: str = "nb"
           ) -> tuple[str, str]:
    """Funnel plot: each body's share against its number of units, with the national share and its 95 % and
    99.8 % control limits (analysis.funnel), which narrow as the number of units grows. Each row: {"name",
    "n" (units, > 0), "value" (share), "position" (funnel.position's key)}. A body's marker says its
    position by shape (circle within, triangle up above, down below; larger and outlined beyond 99.8 %)."""
    t = i18n.text(TEXT, lang)
    counts = [float(r["n"]) for r in rows]
    n_lo, n_hi = min(counts), max(counts)
    edge = [v for z in (funnel_limits.Z95, funnel_limits.Z998)
            for v in funnel_limits.limits(national, n_lo, z) or (national, national)]
    shares = [float(r["value"]) for r in rows]
    marks = ticks(max(0.0, min(*shares, *edge)), min(1.0, max(*shares, *edge)))
    c = Canvas(800, 0)
    top, bottom = 14.0, 300.0
    y = Scale(marks[0], marks[-1], bottom, top)
    n_marks = ticks(0.0, max(n_hi, 5.0))  # whole numbers of units on the axis
    x = Scale(0.0, n_marks[-1], 78, 780)
    for v in marks:
        c.add("line", x1=x.start, y1=y(v), x2=x.end, y2=y(v), stroke=GRID, stroke_width=1)
        c.text(x.start - 8, y(v), tick_label(v, "share", lang, marks[1] - marks[0]), anchor="end")
    c.text(14, (top + bottom) / 2, t["share"], anchor="middle", rotate=True)
    after = x_axis(c, x, n_marks, [tick_label(v, "count", lang, n_marks[1] - n_marks[0]) for v in n_marks], top,
                    bottom, units)
    steps = 48  # the limits at geometrically spaced n: they change fastest where n is small
    grid = [n_lo * (n_hi / n_lo) ** (k / steps) for k in range(steps + 1)]
    c.polyline([(x.start, y(national)), (x.end, y(national))], INK, 1.5)
    for z, colour, dash in ((funnel_limits.Z95, PALETTE[0], "7 3"), (funnel_limits.Z998, PALETTE[1], "2 3")):
        bounds = [funnel_limits.limits(national, n, z) for n in grid]
        for side in (0, 1):
            c.polyline([(x(n), y(b[side])) for n, b in zip(grid, bounds, strict=True)], colour, 1.8, dash)
    ordered = sorted(rows, key=lambda r: (r["position"] != "within", float(r["n"]), str(r["name"])))
    for r in ordered:  # the bodies outside the limits drawn last, on top
        kind, size, outline = FUNNEL_MARKS.get(r["position"], FUNNEL_MARKS["within"])
        colour = PALETTE[0] if r["position"] == "within" else PALETTE[2] if r["position"].startswith("above") \
            else PALETTE[3]
        c.marker(kind, x(float(r["n"])), y(float(r["value"])), size, colour, outline)
    entries = [(t["national_share"], {"line": 1.5, "marker": "bar", "size": 0, "colour": INK}),
               (t["limits95"], {"line": 1.8, "dash": "7 3", "marker": "bar", "size": 0, "colour": PALETTE[0]}),
               (t["limits998"], {"line": 1.8, "dash": "2 3", "marker": "bar", "size": 0, "colour": PALETTE[1]}),
               (t["within95"], {"marker": "circle", "size": 7, "colour": PALETTE[0]}),
               (t["funnel_above"], {"marker": "triangle", "size": 9, "colour": PALETTE[2]}),
               (t["funnel_below"], {"marker": "triangle_down", "size": 9, "colour": PALETTE[3]})]
    c.height = legend(c, after + 4, entries, 3, 30) + 6
    alt = [i18n.translations(lang).ngettext(
        "Funnel plot of {title} in {year}: the share of {k} organisation against its number of {units}, with "
        "95% and 99.8% control limits around the national share of {national}.",
        "Funnel plot of {title} in {year}: the shares of {k} organisations against their number of {units}, with "
        "95% and 99.8% control limits around the national share of {national}.", len(rows)).format(
        title=title, year=year, k=len(rows), units=funnel_limits.lowered(units),
        national=fmt.value(national, "share", lang)),
        t["funnel_within"].format(k=sum(r["position"] == "within" for r in rows), total=len(rows))]
    for key in funnel_limits.POSITIONS:
        group = sorted((r for r in rows if r["position"] == key and key != "within"), key=lambda r: str(r["name"]))
        if group:
            label = funnel_limits.label(key, lang)
            alt.append(t["funnel_group"].format(position=label[:1].upper() + label[1:], items="; ".join(
                t["funnel_item"].format(name=r["name"], value=fmt.value(r["value"], "share", lang),
                                        n=fmt.number(r["n"], lang)) for r in group)))
    text = " ".join(alt)
    return c.svg(text), text
