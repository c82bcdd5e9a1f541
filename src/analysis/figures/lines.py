"""Lines over the years: an indicator's trend against its peers (`trend`), and the word-sized line of one
indicator in a table (`sparkline`)."""

from __future__ import annotations

from html import escape

from .. import fmt, i18n
from ..i18n import N_
from .svg import DASHES, GRID, INK, MARKERS, PALETTE, Canvas, Scale, legend, num, runs, tick_label, ticks, x_axis

TEXT = {
    "year": N_("Year"),
    "band": N_("Middle half of peers"),
    "value": N_("Value"),
    "trend_alt": N_("Line chart of {title} for {years}."),
    "point": N_("{name}: {value} in {year}"),
    "no_point": N_("{name}: no value in {year}"),
    "target": N_("target {value} by {year}"),
    "target_label": N_("Target for {name}"),
}


def trend(series: list[dict], unit: str, title: str, lang: str = "nb") -> tuple[str, str]:
    """Line chart of one or more indicator series over the years, with the peer median and middle half.

    Each series: {"name", "years": [...], "values": [...], "median": [...], "q1": [...], "q3": [...]} (None
    where a value is missing or suppressed), and optionally "target": (year, value). Returns the SVG and
    its alt text.
    """
    t = i18n.text(TEXT, lang)
    targets = [s["target"] for s in series if s.get("target")]
    years = sorted({int(y) for s in series for y in s["years"]} | {int(y) for y, _ in targets})
    found = [v for s in series for key in ("values", "median", "q1", "q3") for v in s.get(key, [])
             if not fmt.missing(v)] + [v for _, v in targets]
    lo = 0.0 if unit == "share" or not found else min(0.0, min(found))
    marks = ticks(lo, max(found) if found else 1.0)
    c = Canvas(800, 0)
    top, bottom = 14.0, 250.0
    y = Scale(marks[0], marks[-1], bottom, top)
    x = Scale((years[0] if years else 0) - 0.5, (years[-1] if years else 0) + 0.5, 78, 780)
    for v in marks:
        c.add("line", x1=x.start, y1=y(v), x2=x.end, y2=y(v), stroke=GRID, stroke_width=1)
        c.text(x.start - 8, y(v), tick_label(v, unit, lang, marks[1] - marks[0]), anchor="end")
    c.text(14, (top + bottom) / 2, t["value"], anchor="middle", rotate=True)
    step = 1 if len(years) <= 12 else 2
    shown = years[::step]
    after = x_axis(c, x, shown, [str(v) for v in shown], top, bottom, t["year"])
    entries = []
    for i, s in enumerate(series):
        colour, marker, dash = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)], DASHES[i % len(DASHES)]
        xs = [int(v) for v in s["years"]]
        for run in runs(xs, s.get("q1", [None] * len(xs)), s.get("q3", [None] * len(xs))):
            points = [(x(p[0]), y(p[1])) for p in run] + [(x(p[0]), y(p[2])) for p in reversed(run)]
            c.add("polygon", points=" ".join(f"{num(a)},{num(b)}" for a, b in points), fill=colour,
                  fill_opacity=0.12, stroke="none")
        for run in runs(xs, s.get("median", [None] * len(xs))):
            c.polyline([(x(a), y(b)) for a, b in run], colour, 1.3, "1.5 3")
        for run in runs(xs, s["values"]):
            c.polyline([(x(a), y(b)) for a, b in run], colour, 2.2, dash)
            for a, b in run:
                c.marker(marker, x(a), y(b), 8, colour)
        entries.append((s["name"], {"line": 2.2, "dash": dash, "marker": marker, "size": 8, "colour": colour}))
        if s.get("target"):
            target_year, target = s["target"]
            c.marker("star", x(int(target_year)), y(target), 16, colour, INK)
            entries.append((t["target_label"].format(name=s["name"].split()[0]),
                            {"marker": "star", "size": 16, "colour": colour, "edge": INK}))
    c.height = legend(c, after + 4, entries, 2, 48) + 6
    observed = sorted({int(y) for s in series for y in s["years"]})  # the alt text's span: no target years
    span = fmt.span(observed[0], observed[-1]) if observed else ""
    points = []
    for s in series:
        last = s["years"][-1] if s["years"] else ""
        v = s["values"][-1] if s["values"] else None
        point = (t["point"] if v is not None else t["no_point"]).format(
            name=s["name"], value=fmt.value(v, unit, lang), year=last)
        if s.get("target"):
            point += f" ({t['target'].format(value=fmt.value(s['target'][1], unit, lang), year=s['target'][0])})"
        points.append(point)
    alt = t["trend_alt"].format(title=title, years=span) + " " + "; ".join(points) + "."
    return c.svg(alt), alt


def sparkline(values: list[float | None], alt: str, width: float = 96, height: float = 24) -> str:
    """A word-sized line of one indicator over the years, as inline SVG markup (not a file: dozens per page)
    with `alt` as its text alternative. A missing or hidden value breaks the line; the last value is a dot."""
    known = [v for v in values if not fmt.missing(v)]
    c = Canvas(width, height)
    if known:
        y = Scale(min(known), max(known), height - 4, 4)
        x = Scale(0, max(len(values) - 1, 1), 4, width - 4)
        for run in runs(list(range(len(values))), values):
            if len(run) > 1:
                c.polyline([(x(k), y(v)) for k, v in run], PALETTE[0], 1.5)
            else:
                c.marker("circle", x(run[0][0]), y(run[0][1]), 3, PALETTE[0])
        last = max(k for k, v in enumerate(values) if not fmt.missing(v))
        c.marker("circle", x(last), y(values[last]), 5, PALETTE[0])
    return (f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{num(width)}" '
            f'height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" role="img" '
            f'aria-label="{escape(alt)}"><title>{escape(alt)}</title>{"".join(c.items)}</svg>')
