"""Figures: matplotlib objects (no pyplot state), an accessible palette, Norwegian number formats, and
alt text generated from the data. Each figure is returned as an HTML <figure> with an embedded PNG, so
pages stay self-contained and identical from build to build."""

from __future__ import annotations

import base64
import io
from html import escape

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import fmt

matplotlib.use("Agg")

# Okabe-Ito: distinguishable with colour vision deficiency; paired with markers and line styles so the
# series also stay apart in grey scale.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-."]
STYLE = {"font.size": 10, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
         "grid.color": "#dddddd", "svg.hashsalt": "innomaal", "figure.dpi": 100}
TEXT = {
    "nb": {"year": "År", "median": "Gruppemedian", "band": "Midtre halvdel av gruppen", "value": "Verdi",
           "trend_alt": "Linjediagram over {title} for {years}.", "point": "{name}: {value} i {year}",
           "no_point": "{name}: ingen verdi i {year}"},
    "en": {"year": "Year", "median": "Peer median", "band": "Middle half of peers", "value": "Value",
           "trend_alt": "Line chart of {title} for {years}.", "point": "{name}: {value} in {year}",
           "no_point": "{name}: no value in {year}"},
}


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html(fig: Figure, alt: str, caption: str) -> str:
    """The figure as a self-contained HTML <figure> with alt text and a caption."""
    return (f'<figure class="figure"><img src="data:image/png;base64,{_png(fig)}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def trend(series: list[dict], unit: str, title: str, lang: str = "nb") -> tuple[Figure, str]:
    """Line chart of one or more indicator series over the years, with the peer median and middle half.

    Each series: {"name", "years": [...], "values": [...], "median": [...], "q1": [...], "q3": [...]}
    (None where a value is missing or suppressed). Returns the figure and its alt text.
    """
    t = TEXT[lang]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(8, 4.2))
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.33, top=0.96)  # fixed: no second draw pass
        ax = fig.add_subplot()
        for i, s in enumerate(series):
            years = [int(y) for y in s["years"]]
            colour = PALETTE[i % len(PALETTE)]
            if any(v is not None for v in s.get("q1", [])):
                ax.fill_between(years, [_nan(v) for v in s["q1"]], [_nan(v) for v in s["q3"]], color=colour,
                                alpha=0.12, linewidth=0)
                ax.plot(years, [_nan(v) for v in s["median"]], color=colour, linestyle=":", linewidth=1.2)
            ax.plot(years, [_nan(v) for v in s["values"]], color=colour, marker=MARKERS[i % len(MARKERS)],
                    linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2, label=s["name"])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.value(v, unit, lang)))
        ax.set_xlabel(t["year"])
        ax.set_ylabel(t["value"])
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        if unit == "share":
            ax.set_ylim(bottom=0)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False, fontsize=8)
    all_years = sorted({int(y) for s in series for y in s["years"]})
    span = f"{all_years[0]}–{all_years[-1]}" if all_years else ""
    points = []
    for s in series:
        last = s["years"][-1] if s["years"] else ""
        v = s["values"][-1] if s["values"] else None
        points.append((t["point"] if v is not None else t["no_point"]).format(
            name=s["name"], value=fmt.value(v, unit, lang), year=last))
    alt = t["trend_alt"].format(title=title, years=span) + " " + "; ".join(points) + "."
    return fig, alt


def _nan(v):
    return float("nan") if v is None else v
