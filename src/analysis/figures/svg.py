"""Drawing SVG for the report's figures: the accessible palette, a Canvas of SVG elements, scales and round
ticks, and the legends, axes and row labels the figures share. Numbers are rounded to a tenth and nothing
else (no date, no random id) goes into the output, so the same data gives the same bytes."""

from __future__ import annotations

import math
import textwrap
from html import escape

from .. import fmt

# Okabe-Ito: distinguishable with colour vision deficiency; paired with markers and line styles so the
# series also stay apart in grey scale.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle_down", "plus", "cross"]
DASHES = [None, "7 3", "7 3 2 3", "2 3", None, "7 3", "7 3 2 3"]
INK, MUTED, GRID = "#000000", "#767676", "#dddddd"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def num(v: float) -> str:
    """A coordinate with at most one decimal, never "-0"."""
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Canvas:
    """An SVG document, element by element. Attribute names are written with dashes (stroke_width=2 becomes
    stroke-width="2"); numbers are rounded to a tenth, so the output depends on the data only."""

    def __init__(self, width: float, height: float):
        self.width, self.height, self.items = width, height, []

    def add(self, tag: str, **attrs) -> None:
        parts = "".join(f' {k.replace("_", "-")}="{num(v) if isinstance(v, float | int) else escape(str(v))}"'
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
            where = (f'transform="translate({num(x + size * 0.35)} {num(y)}) rotate(-90)"' if rotate
                     else f'x="{num(x)}" y="{num(first + k * step)}"')
            self.items.append(f'<text {where} font-size="{num(size)}" text-anchor="{anchor}" fill="{colour}"'
                              f"{bold}>{escape(line)}</text>")

    def polyline(self, points: list[tuple[float, float]], colour: str, width: float, dash: str | None = None
                 ) -> None:
        self.add("polyline", points=" ".join(f"{num(x)},{num(y)}" for x, y in points), fill="none",
                 stroke=colour, stroke_width=width, stroke_dasharray=dash, stroke_linejoin="round")

    def marker(self, kind: str, x: float, y: float, size: float, fill: str, edge: str | None = None) -> None:
        """A marker of `size` pixels centred on (x, y): circle, square, triangle, diamond, triangle_down, plus,
        cross, star, or for the legends dot (a translucent peer dot), bar (a median) and block (a bar)."""
        r = size / 2
        if kind == "circle":
            self.add("circle", cx=x, cy=y, r=r, fill=fill, stroke=edge or fill, stroke_width=1.2 if edge else 0.5)
        elif kind == "dot":
            self.add("path", d=f"M{num(x)} {num(y)}h0", stroke=fill, stroke_width=size, stroke_linecap="round",
                     stroke_opacity=0.7, fill="none")
        elif kind == "bar":
            self.add("line", x1=x, y1=y - r, x2=x, y2=y + r, stroke=fill, stroke_width=2.5)
        elif kind == "block":
            self.add("rect", x=x - r, y=y - r * 0.7, width=size, height=size * 0.7, fill=fill)
        else:
            points = [f"{num(x + dx * r)},{num(y + dy * r)}" for dx, dy in _SHAPES[kind]]
            if kind in ("plus", "cross"):  # two strokes
                self.add("path", d=f"M{points[0]} L{points[1]} M{points[2]} L{points[3]}", stroke=fill,
                         stroke_width=size / 3.2, fill="none")
            else:
                self.add("polygon", points=" ".join(points), fill=fill, stroke=edge or fill,
                         stroke_width=1.2 if edge else 0.5)

    def svg(self, title: str) -> str:
        """The document; `title` (the alt text) describes the file when it is opened on its own."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}" '
                f'viewBox="0 0 {num(self.width)} {num(self.height)}" font-family="{FONT}" role="img">'
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


def tick_label(v: float, unit: str, lang: str, step: float) -> str:
    if unit == "share":
        return fmt.percent(v, lang, 0 if round(step * 100, 9).is_integer() else 1)
    return fmt.number(v, lang, 0 if float(step).is_integer() else 2)


def runs(xs: list, *columns: list) -> list[list[tuple]]:
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


def legend(c: Canvas, y: float, entries: list[tuple[str, dict]], columns: int, wrap: int) -> float:
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


def x_axis(c: Canvas, scale: Scale, values: list[float], labels: list[str], top: float, bottom: float,
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


def row_label(c: Canvas, y: float, text: str, right: float) -> None:
    """A row label, right-aligned, in at most two lines (the rest shortened with an ellipsis)."""
    lines = textwrap.wrap(text, 40)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 40, placeholder=" …")]
    c.text(right, y, lines, size=12, anchor="end")
