"""Figures: SVG written straight from the data, with an accessible palette, Norwegian number formats and
alt text generated from the data. Each figure is SVG text (text kept as text, no dates, no random ids: the
same data gives the same bytes), shown as an HTML <figure> with the SVG embedded, so pages stay
self-contained.

The report's figures are simple (lines over the years, dots on a scale, bars, boxes), and drawing them
as a few SVG elements takes about a millisecond each; matplotlib took 40–120 ms a figure, which was most of
the cost of a report at national scale (benchmarks/README.md). `html()` and `show()` also take a matplotlib
Figure, for analyses that draw their own with seaborn or matplotlib after `theme()`.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from html import escape

from . import fmt, i18n
from . import funnel as funnel_limits  # figures.funnel draws what it computes
from .i18n import N_

# Okabe-Ito: distinguishable with colour vision deficiency; paired with markers and line styles so the
# series also stay apart in grey scale.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle_down", "plus", "cross"]
DASHES = [None, "7 3", "7 3 2 3", "2 3", None, "7 3", "7 3 2 3"]
INK, MUTED, GRID = "#000000", "#767676", "#dddddd"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TEXT = {
    "year": N_("Year"),
    "median": N_("Peer median"),
    "band": N_("Middle half of peers"),
    "value": N_("Value"),
    "trend_alt": N_("Line chart of {title} for {years}."),
    "point": N_("{name}: {value} in {year}"),
    "no_point": N_("{name}: no value in {year}"),
    "target": N_("target {value} by {year}"),
    "target_label": N_("Target for {name}"),
    "above": N_("Above the median: {items}."),
    "below": N_("Below the median: {items}."),
    "at": N_("At the median: {items}."),
    "organisation": N_("The organisation"),
    "peer": N_("Peers"),
    "profile_alt": N_("Bar chart of the mean answer (1–5) to the seven self-evaluation questions in {year}."),
    "score": N_("Mean (1–5)"),
    "previous": N_("Previous wave ({year})"),
    "question": N_("Question {k}: {value}"),
    "no_score": N_("Question {k}: not shown (n<{min_n})"),
    "chain_steps": [N_("Goal"), N_("Measures"), N_("Implementation"), N_("Result"), N_("Effect")],
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


# ------------------------------------------------------------------------------------------ SVG primitives
def _num(v: float) -> str:
    """A coordinate with at most one decimal, never "-0"."""
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Canvas:
    """An SVG document, element by element. Attribute names are written with dashes (stroke_width=2 becomes
    stroke-width="2"); numbers are rounded to a tenth, so the output depends on the data only."""

    def __init__(self, width: float, height: float):
        self.width, self.height, self.items = width, height, []

    def add(self, tag: str, **attrs) -> None:
        parts = "".join(f' {k.replace("_", "-")}="{_num(v) if isinstance(v, float | int) else escape(str(v))}"'
                        for k, v in attrs.items() if v is not None)
        self.items.append(f"<{tag}{parts}/>")

    def text(self, x: float, y: float, text: str | list[str], size: float = 13, anchor: str = "start",
             weight: str | None = None, rotate: bool = False, colour: str = INK) -> None:
        """One line of text per item of `text`, the block centred vertically on y (baselines computed here, as
        renderers disagree on dominant-baseline)."""
        lines = [text] if isinstance(text, str) else text
        step = size * 1.2
        first = y - step * (len(lines) - 1) / 2 + size * 0.35
        bold = f' font-weight="{weight}"' if weight else ""
        for k, line in enumerate(lines):
            where = (f'transform="translate({_num(x + size * 0.35)} {_num(y)}) rotate(-90)"' if rotate
                     else f'x="{_num(x)}" y="{_num(first + k * step)}"')
            self.items.append(f'<text {where} font-size="{_num(size)}" text-anchor="{anchor}" fill="{colour}"'
                              f"{bold}>{escape(line)}</text>")

    def polyline(self, points: list[tuple[float, float]], colour: str, width: float, dash: str | None = None
                 ) -> None:
        self.add("polyline", points=" ".join(f"{_num(x)},{_num(y)}" for x, y in points), fill="none",
                 stroke=colour, stroke_width=width, stroke_dasharray=dash, stroke_linejoin="round")

    def marker(self, kind: str, x: float, y: float, size: float, fill: str, edge: str | None = None) -> None:
        """A marker of `size` pixels centred on (x, y): circle, square, triangle, diamond, triangle_down, plus,
        cross, star, or for the legends dot (a translucent peer dot), bar (a median) and block (a bar)."""
        r = size / 2
        if kind == "circle":
            self.add("circle", cx=x, cy=y, r=r, fill=fill, stroke=edge or fill, stroke_width=1.2 if edge else 0.5)
        elif kind == "dot":
            self.add("path", d=f"M{_num(x)} {_num(y)}h0", stroke=fill, stroke_width=size, stroke_linecap="round",
                     stroke_opacity=0.7, fill="none")
        elif kind == "bar":
            self.add("line", x1=x, y1=y - r, x2=x, y2=y + r, stroke=fill, stroke_width=2.5)
        elif kind == "block":
            self.add("rect", x=x - r, y=y - r * 0.7, width=size, height=size * 0.7, fill=fill)
        else:
            points = [f"{_num(x + dx * r)},{_num(y + dy * r)}" for dx, dy in _SHAPES[kind]]
            if kind in ("plus", "cross"):  # two strokes
                self.add("path", d=f"M{points[0]} L{points[1]} M{points[2]} L{points[3]}", stroke=fill,
                         stroke_width=size / 3.2, fill="none")
            else:
                self.add("polygon", points=" ".join(points), fill=fill, stroke=edge or fill,
                         stroke_width=1.2 if edge else 0.5)

    def svg(self, title: str) -> str:
        """The document; `title` (the alt text) describes the file when it is opened on its own."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(self.width)}" height="{_num(self.height)}" '
                f'viewBox="0 0 {_num(self.width)} {_num(self.height)}" font-family="{FONT}" role="img">'
                f'<title>{escape(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>'
                f'{"".join(self.items)}</svg>\n')


_STAR = [(0.45 ** (k % 2) * math.sin(math.pi * k / 5), -(0.45 ** (k % 2)) * math.cos(math.pi * k / 5))
         for k in range(10)]  # five points, the inner corners at 45 %
_SHAPES = {"square": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
           "triangle": [(0, -1.1), (1, 0.75), (-1, 0.75)], "triangle_down": [(0, 1.1), (1, -0.75), (-1, -0.75)],
           "diamond": [(0, -1.15), (0.9, 0), (0, 1.15), (-0.9, 0)], "star": _STAR,
           "plus": [(0, -1), (0, 1), (-1, 0), (1, 0)], "cross": [(-0.8, -0.8), (0.8, 0.8), (-0.8, 0.8), (0.8, -0.8)]}


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 times a power of ten, at most `count`
    intervals."""
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):  # one value (or a float-noise range): a unit around it
        hi = lo + max(abs(lo), 1.0)
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


class Scale:
    """A linear map from data values to pixels."""

    def __init__(self, lo: float, hi: float, start: float, end: float):
        self.lo, self.hi, self.start, self.end = lo, hi, start, end

    def __call__(self, v: float) -> float:
        return self.start + (v - self.lo) / ((self.hi - self.lo) or 1) * (self.end - self.start)


def _tick_label(v: float, unit: str, lang: str, step: float) -> str:
    if unit == "share":
        return fmt.percent(v, lang, 0 if round(step * 100, 9).is_integer() else 1)
    return fmt.number(v, lang, 0 if float(step).is_integer() else 2)


def _runs(xs: list, *columns: list) -> list[list[tuple]]:
    """Consecutive points where every column has a value (a gap breaks a line or a band)."""
    runs, current = [], []
    for x, *values in zip(xs, *columns, strict=True):
        if any(fmt.missing(v) for v in values):
            if current:
                runs.append(current)
            current = []
        else:
            current.append((x, *values))
    return runs + ([current] if current else [])


def _legend(c: Canvas, y: float, entries: list[tuple[str, dict]], columns: int, wrap: int) -> float:
    """Legend entries (a label, and the marker and line of its swatch) in columns from y; returns the y below
    them."""
    width = (c.width - 60) / columns
    for row in range(0, len(entries), columns):
        lines = [textwrap.wrap(label, wrap) or [""] for label, _ in entries[row:row + columns]]
        height = max(len(ls) for ls in lines) * 14.4 + 8
        for k, (_, swatch) in enumerate(entries[row:row + columns]):
            x, mid = 40 + k * width, y + height / 2 - 4
            if swatch.get("line"):
                c.polyline([(x + 2, mid), (x + 26, mid)], swatch["colour"], swatch["line"], swatch.get("dash"))
            c.marker(swatch["marker"], x + 14, mid, swatch["size"], swatch["colour"], swatch.get("edge"))
            c.text(x + 36, mid, lines[k], size=12)
        y += height
    return y


def _x_axis(c: Canvas, scale: Scale, values: list[float], labels: list[str], top: float, bottom: float,
            title: str | None) -> float:
    for v, label in zip(values, labels, strict=True):
        x = scale(v)
        c.add("line", x1=x, y1=top, x2=x, y2=bottom, stroke=GRID, stroke_width=1)
        c.add("line", x1=x, y1=bottom, x2=x, y2=bottom + 5, stroke=INK, stroke_width=1)
        c.text(x, bottom + 17, label, anchor="middle")
    c.add("line", x1=scale.start, y1=bottom, x2=scale.end, y2=bottom, stroke=INK, stroke_width=1)
    if title:
        c.text((scale.start + scale.end) / 2, bottom + 38, title, anchor="middle")
        return bottom + 50
    return bottom + 28


# ------------------------------------------------------------------- seaborn and matplotlib, the house way
_THEME = {"lang": "nb"}


def theme(lang: str = "nb") -> None:
    """Gives seaborn and matplotlib the site's look: the accessible palette (Okabe-Ito, as the report's
    figures), its font in black on white with light grid lines, text kept as text in SVG, and numbers on the
    axes in `lang`'s formats (`1 234,5` in bokmål; written when the figure is shown, see `number_axes`)."""
    import seaborn as sns

    _THEME["lang"] = lang
    sns.set_theme(style="whitegrid", palette=PALETTE, font=FONT.split(",")[0], rc={  # FONT's first, in matplotlib
        "text.color": INK, "axes.labelcolor": INK, "axes.edgecolor": INK, "xtick.color": INK,
        "ytick.color": INK, "grid.color": GRID, "axes.unicode_minus": True, "svg.fonttype": "none",
        "svg.hashsalt": "innomaal"})


def number_axes(fig, lang: str | None = None, share: tuple[str, ...] = ()) -> None:
    """Writes the tick labels of a matplotlib figure's numeric axes in `lang`'s number format (the theme's by
    default): `1 234,5`, or as percentages (`12 %`) on the axes named in `share` ("x", "y"). Axes whose
    labels are not plain numbers (categories, dates, or formatted already) are left as they are."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    lang = lang or _THEME["lang"]
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if type(axis.get_major_formatter()) is not ScalarFormatter:
                continue
            unit = "share" if name in share else "number"

            def label(v, _pos, axis=axis, unit=unit):
                marks = sorted(axis.get_majorticklocs())
                step = min((b - a for a, b in zip(marks, marks[1:], strict=False)), default=1.0)
                return _tick_label(v, unit, lang, step)

            axis.set_major_formatter(FuncFormatter(label))


def show(figure, alt: str, caption: str) -> None:
    """Displays a figure (a matplotlib or seaborn Figure, or SVG text from this module) the house way: as
    SVG with its text kept as text, numbers on the axes in the theme's language, alt text and caption (an
    HTML <figure>, the alt text also in the output's metadata). A matplotlib figure is closed afterwards,
    so Jupyter does not show it a second time without them."""
    from IPython.display import display

    svg = figure if isinstance(figure, str) else _svg(figure)
    display({"text/html": html(svg, alt, caption), "image/svg+xml": svg, "text/plain": alt}, raw=True,
            metadata={"image/svg+xml": {"alt": alt}})
    if not isinstance(figure, str):
        import matplotlib.pyplot as plt

        plt.close(figure)


# ------------------------------------------------------------------------------------------------ figures
def _svg(fig) -> str:
    """A matplotlib figure as SVG with its text kept as text, numbers on its axes in the theme's language,
    and no date or random ids."""
    import matplotlib

    number_axes(fig)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "innomaal"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue().decode("utf-8")


def html(figure, alt: str, caption: str) -> str:
    """A figure (SVG text from this module, or a matplotlib Figure) as a self-contained HTML <figure> with
    alt text and a caption."""
    svg = figure if isinstance(figure, str) else _svg(figure)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<figure class="figure"><img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


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
        c.text(x.start - 8, y(v), _tick_label(v, unit, lang, marks[1] - marks[0]), anchor="end")
    c.text(14, (top + bottom) / 2, t["value"], anchor="middle", rotate=True)
    step = 1 if len(years) <= 12 else 2
    shown = years[::step]
    after = _x_axis(c, x, shown, [str(v) for v in shown], top, bottom, t["year"])
    entries = []
    for i, s in enumerate(series):
        colour, marker, dash = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)], DASHES[i % len(DASHES)]
        xs = [int(v) for v in s["years"]]
        for run in _runs(xs, s.get("q1", [None] * len(xs)), s.get("q3", [None] * len(xs))):
            points = [(x(p[0]), y(p[1])) for p in run] + [(x(p[0]), y(p[2])) for p in reversed(run)]
            c.add("polygon", points=" ".join(f"{_num(a)},{_num(b)}" for a, b in points), fill=colour,
                  fill_opacity=0.12, stroke="none")
        for run in _runs(xs, s.get("median", [None] * len(xs))):
            c.polyline([(x(a), y(b)) for a, b in run], colour, 1.3, "1.5 3")
        for run in _runs(xs, s["values"]):
            c.polyline([(x(a), y(b)) for a, b in run], colour, 2.2, dash)
            for a, b in run:
                c.marker(marker, x(a), y(b), 8, colour)
        entries.append((s["name"], {"line": 2.2, "dash": dash, "marker": marker, "size": 8, "colour": colour}))
        if s.get("target"):
            target_year, target = s["target"]
            c.marker("star", x(int(target_year)), y(target), 16, colour, INK)
            entries.append((t["target_label"].format(name=s["name"].split()[0]),
                            {"marker": "star", "size": 16, "colour": colour, "edge": INK}))
    c.height = _legend(c, after + 4, entries, 2, 48) + 6
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


def _labels(c: Canvas, y: float, text: str, right: float) -> None:
    """A row label, right-aligned, in at most two lines (the rest shortened with an ellipsis)."""
    lines = textwrap.wrap(text, 40)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 40, placeholder=" …")]
    c.text(right, y, lines, size=12, anchor="end")


def peers(rows: list[dict], unit: str, year: str, lang: str = "nb") -> tuple[str, str]:
    """Dot plot: per indicator, the organisation's value against each peer's value and the peer median.

    Each row: {"name", "value", "peers": [values of the other organisations], "median"}.
    """
    t = i18n.text(TEXT, lang)
    every = [v for row in rows for v in (row["value"], *row["peers"])]
    marks = ticks(min(0.0, *every), max(1.0, *every)) if unit == "share" else ticks(min(every), max(every))
    c = Canvas(800, 0)
    top, height = 10.0, 36.0
    bottom = top + height * len(rows)
    x = Scale(marks[0], marks[-1], 350, 770)
    after = _x_axis(c, x, marks, [_tick_label(v, unit, lang, marks[1] - marks[0]) for v in marks], top, bottom,
                    None)
    for k, row in enumerate(rows):
        y = top + height * (k + 0.5)
        _labels(c, y, row["name"], x.start - 12)
        c.add("line", x1=x.start, y1=y, x2=x.end, y2=y, stroke=GRID, stroke_width=1)
        # Every peer as a round dot of one path; peers closer than half a pixel share a dot, so hundreds of
        # municipalities stay a few kilobytes.
        dots = sorted({round(x(v) * 2) / 2 for v in row["peers"]})
        if dots:
            c.add("path", d="".join(f"M{_num(d)} {_num(y)}h0" for d in dots), stroke=MUTED, stroke_width=7,
                  stroke_linecap="round", stroke_opacity=0.7, fill="none")
        if row["median"] is not None:
            c.marker("bar", x(row["median"]), y, 22, INK)
        c.marker("diamond", x(row["value"]), y, 13, PALETTE[0], INK)
    entries = [(t["peer"], {"marker": "dot", "size": 7, "colour": MUTED}),
               (t["median"], {"marker": "bar", "size": 18, "colour": INK}),
               (t["organisation"], {"marker": "diamond", "size": 13, "colour": PALETTE[0], "edge": INK})]
    c.height = _legend(c, after, entries, 3, 30) + 6
    groups = {"above": [], "below": [], "at": []}
    for row in rows:
        median = row["median"]
        side = "at" if median is None or abs(row["value"] - median) < 1e-9 else \
            "above" if row["value"] > median else "below"
        groups[side].append(f"{row['name']} {fmt.value(row['value'], unit, lang)}"
                            + (f" ({t['median'].lower()} {fmt.value(median, unit, lang)})" if median is not None
                               else ""))
    alt = " ".join([i18n.translations(lang).ngettext(
        "Dot plot of {k} indicator in {year}: the organisation's value (large dot) against its peers' values "
        "(small dots) and the peer median (bar).", "Dot plot of {k} indicators in {year}: the organisation's value "
        "(large dot) against its peers' values (small dots) and the peer median (bar).", len(rows)).format(
        k=len(rows), year=year)]
                   + [t[side].format(items="; ".join(items)) for side, items in groups.items() if items])
    return c.svg(alt), alt


def profile(rows: list[dict], year: str, prev_year: str | None, lang: str = "nb", min_n: int = 5
            ) -> tuple[str, str]:
    """Horizontal bars: the mean answer (1–5) per self-evaluation question, with the previous wave as a
    marker. Each row: {"k": 1..7, "label", "value" (None when suppressed), "prev" (None when absent)}."""
    t = i18n.text(TEXT, lang)
    c = Canvas(800, 0)
    top, height = 10.0, 38.0
    bottom = top + height * len(rows)
    x = Scale(1, 5, 350, 770)
    after = _x_axis(c, x, [1, 2, 3, 4, 5], [fmt.number(v, lang, 0) for v in range(1, 6)], top, bottom, t["score"])
    for k, r in enumerate(rows):
        y = top + height * (k + 0.5)
        _labels(c, y, f"{r['k']}. {r['label']}", x.start - 12)
        if r["value"] is None:
            c.text(x(1.05), y, f"n<{min_n}", size=12)
        else:
            c.add("rect", x=x.start, y=y - 9, width=x(r["value"]) - x.start, height=18, fill=PALETTE[0])
        if r["prev"] is not None:
            c.marker("diamond", x(r["prev"]), y, 11, PALETTE[1], INK)
    entries = [(str(year), {"marker": "block", "size": 20, "colour": PALETTE[0]})]
    if any(r["prev"] is not None for r in rows):
        entries.append((t["previous"].format(year=prev_year),
                        {"marker": "diamond", "size": 11, "colour": PALETTE[1], "edge": INK}))
    c.height = _legend(c, after, entries, 2, 40) + 6
    parts = [t["question"].format(k=r["k"], value=fmt.number(r["value"], lang, 1)) if r["value"] is not None
             else t["no_score"].format(k=r["k"], min_n=min_n) for r in rows]
    alt = t["profile_alt"].format(year=year) + " " + "; ".join(parts) + "."
    return c.svg(alt), alt


def effects_chain(chains: list[dict], lang: str = "nb") -> tuple[str, str]:
    """One row of five linked boxes per goal: goal → measures → implementation → result → effect.
    Each chain: {"title", "steps": [five short texts], "summary": one sentence for the alt text}."""
    t = i18n.text(TEXT, lang)
    column, row_height, top = 180.0, 126.0, 34.0
    c = Canvas(5 * column, top + row_height * len(chains) + 4)
    for k, step in enumerate(t["chain_steps"]):
        c.text(column * (k + 0.45), 16, step, size=13, anchor="middle", weight="bold")
    for row, chain in enumerate(chains):
        y = top + row_height * row
        for k, text in enumerate(chain["steps"]):
            left = column * k + 8
            c.add("rect", x=left, y=y, width=column - 34, height=row_height - 20, rx=7, fill="#ffffff",
                  stroke=PALETTE[k % len(PALETTE)], stroke_width=2)
            c.text(left + (column - 34) / 2, y + (row_height - 20) / 2, textwrap.wrap(text, 20)[:7] or [""],
                   size=11.5, anchor="middle")
            if k < 4:
                mid, start = y + (row_height - 20) / 2, left + column - 30
                c.add("line", x1=start, y1=mid, x2=start + 24, y2=mid, stroke=INK, stroke_width=1.5)
                c.add("polygon", points=f"{_num(start + 30)},{_num(mid)} {_num(start + 22)},{_num(mid - 4.5)} "
                      f"{_num(start + 22)},{_num(mid + 4.5)}", fill=INK)
    alt = i18n.translations(lang).ngettext(
        "Effects chain for {k} goal, from goal via measures, implementation and result to effect.",
        "Effects chain for {k} goals, from goal via measures, implementation and result to effect.",
        len(chains)).format(k=len(chains)) + " " + " ".join(chain["summary"] for chain in chains)
    return c.svg(alt), alt


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
        c.text(x.start - 8, y(v), _tick_label(v, "share", lang, marks[1] - marks[0]), anchor="end")
    c.text(14, (top + bottom) / 2, t["share"], anchor="middle", rotate=True)
    after = _x_axis(c, x, n_marks, [_tick_label(v, "count", lang, n_marks[1] - n_marks[0]) for v in n_marks], top,
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
    c.height = _legend(c, after + 4, entries, 3, 30) + 6
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


def sparkline(values: list[float | None], alt: str, width: float = 96, height: float = 24) -> str:
    """A word-sized line of one indicator over the years, as inline SVG markup (not a file: dozens per page)
    with `alt` as its text alternative. A missing or hidden value breaks the line; the last value is a dot."""
    known = [v for v in values if not fmt.missing(v)]
    c = Canvas(width, height)
    if known:
        y = Scale(min(known), max(known), height - 4, 4)
        x = Scale(0, max(len(values) - 1, 1), 4, width - 4)
        for run in _runs(list(range(len(values))), values):
            if len(run) > 1:
                c.polyline([(x(k), y(v)) for k, v in run], PALETTE[0], 1.5)
            else:
                c.marker("circle", x(run[0][0]), y(run[0][1]), 3, PALETTE[0])
        last = max(k for k, v in enumerate(values) if not fmt.missing(v))
        c.marker("circle", x(last), y(values[last]), 5, PALETTE[0])
    return (f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" '
            f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" role="img" '
            f'aria-label="{escape(alt)}"><title>{escape(alt)}</title>{"".join(c.items)}</svg>')
