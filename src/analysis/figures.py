"""Figures: matplotlib objects (no pyplot state), an accessible palette, Norwegian number formats, and
alt text generated from the data. Each figure is returned as an HTML <figure> with an embedded SVG
(text kept as text), so pages stay self-contained and identical from build to build."""

from __future__ import annotations

import base64
import io
import textwrap
from html import escape

import matplotlib
import matplotlib.patches
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
           "no_point": "{name}: ingen verdi i {year}", "target": "mål {value} innen {year}",
           "target_label": "Mål for {name}",
           "peers_alt": "Prikkdiagram over {k} indikatorer i {year}: virksomhetens verdi (stor prikk) mot verdiene "
           "til sammenlignbare virksomheter (små prikker) og gruppemedianen (strek).",
           "above": "Over medianen: {items}.", "below": "Under medianen: {items}.", "at": "På medianen: {items}.",
           "organisation": "Virksomheten", "peer": "Sammenlignbare virksomheter",
           "profile_alt": "Stolpediagram over gjennomsnittlig svar (1–5) på de sju spørsmålene i selvevalueringen "
           "{year}.", "score": "Gjennomsnitt (1–5)", "previous": "Forrige måling ({year})",
           "question": "Spørsmål {k}: {value}", "no_score": "Spørsmål {k}: vises ikke (n<{min_n})",
           "chain_alt": "Effektkjede for {k} mål, fra mål via tiltak, gjennomføring og resultat til effekt.",
           "chain_steps": ["Mål", "Tiltak", "Gjennomføring", "Resultat", "Effekt"]},
    "en": {"year": "Year", "median": "Peer median", "band": "Middle half of peers", "value": "Value",
           "trend_alt": "Line chart of {title} for {years}.", "point": "{name}: {value} in {year}",
           "no_point": "{name}: no value in {year}", "target": "target {value} by {year}",
           "target_label": "Target for {name}",
           "peers_alt": "Dot plot of {k} indicators in {year}: the organisation's value (large dot) against its "
           "peers' values (small dots) and the peer median (bar).",
           "above": "Above the median: {items}.", "below": "Below the median: {items}.",
           "at": "At the median: {items}.", "organisation": "The organisation", "peer": "Peers",
           "profile_alt": "Bar chart of the mean answer (1–5) to the seven self-evaluation questions in {year}.",
           "score": "Mean (1–5)", "previous": "Previous wave ({year})", "question": "Question {k}: {value}",
           "no_score": "Question {k}: not shown (n<{min_n})",
           "chain_alt": "Effects chain for {k} goals, from goal via measures, implementation and result to effect.",
           "chain_steps": ["Goal", "Measures", "Implementation", "Result", "Effect"]},
}


def _svg(fig: Figure) -> str:
    """The figure as SVG with its text kept as text (sharp at any zoom, and readable by search and copy),
    without a date or random ids, so the same figure gives the same bytes."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "innomaal"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html(fig: Figure, alt: str, caption: str) -> str:
    """The figure as a self-contained HTML <figure> with alt text and a caption."""
    return (f'<figure class="figure"><img src="data:image/svg+xml;base64,{_svg(fig)}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def trend(series: list[dict], unit: str, title: str, lang: str = "nb") -> tuple[Figure, str]:
    """Line chart of one or more indicator series over the years, with the peer median and middle half.

    Each series: {"name", "years": [...], "values": [...], "median": [...], "q1": [...], "q3": [...]} (None
    where a value is missing or suppressed), and optionally "target": (year, value). Returns the figure and
    its alt text.
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
            if s.get("target"):
                target_year, target = s["target"]
                ax.plot([int(target_year)], [target], color=colour, marker="*", markersize=14, linestyle="none",
                        markeredgecolor="#000000", label=t["target_label"].format(name=s["name"].split()[0]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.value(v, unit, lang)))
        ax.set_xlabel(t["year"])
        ax.set_ylabel(t["value"])
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        all_years = sorted({int(y) for s in series for y in s["years"]})
        if len(all_years) == 1:
            ax.set_xlim(all_years[0] - 1, all_years[0] + 1)
        if unit == "share":
            ax.set_ylim(bottom=0)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False, fontsize=8)
    all_years = sorted({int(y) for s in series for y in s["years"]})
    span = f"{all_years[0]}–{all_years[-1]}" if all_years else ""
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
    return fig, alt


def _nan(v):
    return float("nan") if v is None else v


def peers(rows: list[dict], unit: str, year: str, lang: str = "nb") -> tuple[Figure, str]:
    """Dot plot: per indicator, the organisation's value against each peer's value and the peer median.

    Each row: {"name", "value", "peers": [values of the other organisations], "median"}.
    """
    t = TEXT[lang]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(8, 0.42 * len(rows) + 1.4))
        fig.subplots_adjust(left=0.42, right=0.97, bottom=0.9 / (0.42 * len(rows) + 1.4), top=0.98)
        ax = fig.add_subplot()
        xs = [v for row in reversed(rows) for v in row["peers"]]
        ys = [k for k, row in enumerate(reversed(rows)) for _ in row["peers"]]
        # One artist for every peer, rasterised inside the SVG: hundreds of municipalities stay cheap to draw.
        ax.plot(xs, ys, linestyle="none", marker="o", markersize=4, color="#767676", alpha=0.7, label=t["peer"],
                rasterized=len(xs) > 200)
        medians = [(k, row["median"]) for k, row in enumerate(reversed(rows)) if row["median"] is not None]
        if medians:
            ax.plot([m for _, m in medians], [k for k, _ in medians], linestyle="none", marker="|", markersize=16,
                    markeredgewidth=2, color="#000000", label=t["median"])
        ax.plot([row["value"] for row in reversed(rows)], range(len(rows)), linestyle="none", marker="D",
                markersize=9, color=PALETTE[0], markeredgecolor="#000000", label=t["organisation"])
        ax.set_yticks(range(len(rows)), [r["name"] for r in reversed(rows)], fontsize=8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.value(v, unit, lang)))
        if unit == "share":
            ax.set_xlim(-0.02, 1.02)
        fig.legend(loc="lower center", ncol=3, frameon=False, fontsize=8)
    groups = {"above": [], "below": [], "at": []}
    for row in rows:
        median = row["median"]
        side = "at" if median is None or abs(row["value"] - median) < 1e-9 else \
            "above" if row["value"] > median else "below"
        groups[side].append(f"{row['name']} {fmt.value(row['value'], unit, lang)}"
                            + (f" ({t['median'].lower()} {fmt.value(median, unit, lang)})" if median is not None
                               else ""))
    alt = " ".join([t["peers_alt"].format(k=len(rows), year=year)]
                   + [t[side].format(items="; ".join(items)) for side, items in groups.items() if items])
    return fig, alt


def profile(rows: list[dict], year: str, prev_year: str | None, lang: str = "nb", min_n: int = 5
            ) -> tuple[Figure, str]:
    """Horizontal bars: the mean answer (1–5) per self-evaluation question, with the previous wave as a
    marker. Each row: {"k": 1..7, "label", "value" (None when suppressed), "prev" (None when absent)}."""
    t = TEXT[lang]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(8, 0.45 * len(rows) + 1.6))
        fig.subplots_adjust(left=0.42, right=0.97, bottom=1.0 / (0.45 * len(rows) + 1.6), top=0.98)
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        values = [r["value"] if r["value"] is not None else 0 for r in rows]
        ax.barh(ys, values, color=PALETTE[0], height=0.55, label=str(year), hatch=None)
        prev = [(y, r["prev"]) for y, r in zip(ys, rows, strict=True) if r["prev"] is not None]
        if prev:
            ax.plot([v for _, v in prev], [y for y, _ in prev], linestyle="none", marker="D", markersize=7,
                    color=PALETTE[1], markeredgecolor="#000000", label=t["previous"].format(year=prev_year))
        for y, r in zip(ys, rows, strict=True):
            if r["value"] is None:
                ax.text(1.05, y, f"n<{min_n}", va="center", fontsize=8)
        ax.set_yticks(ys, [f"{r['k']}. {r['label']}" for r in rows], fontsize=8)
        ax.set_xlim(1, 5)
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(1))
        ax.set_xlabel(t["score"])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v, lang, 0)))
        fig.legend(loc="lower center", ncol=2, frameon=False, fontsize=8)
    parts = [t["question"].format(k=r["k"], value=fmt.number(r["value"], lang, 1)) if r["value"] is not None
             else t["no_score"].format(k=r["k"], min_n=min_n) for r in rows]
    return fig, t["profile_alt"].format(year=year) + " " + "; ".join(parts) + "."


def effects_chain(chains: list[dict], lang: str = "nb") -> tuple[Figure, str]:
    """One row of five linked boxes per goal: goal → measures → implementation → result → effect.
    Each chain: {"title", "steps": [five short texts], "summary": one sentence for the alt text}."""
    t = TEXT[lang]
    with matplotlib.rc_context({**STYLE, "axes.grid": False}):
        height = 1.25 * len(chains) + 0.5
        fig = Figure(figsize=(9, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 5)
        ax.set_ylim(0, height)
        ax.axis("off")
        for k, step in enumerate(t["chain_steps"]):
            ax.text(k + 0.5, height - 0.25, step, ha="center", va="center", fontsize=9, fontweight="bold")
        for row, chain in enumerate(chains):
            y = height - 0.5 - 1.25 * row - 0.6
            for k, text in enumerate(chain["steps"]):
                ax.add_patch(matplotlib.patches.FancyBboxPatch(
                    (k + 0.06, y - 0.5), 0.82, 1.0, boxstyle="round,pad=0.02", linewidth=1.2,
                    edgecolor=PALETTE[k % len(PALETTE)], facecolor="#ffffff"))
                ax.text(k + 0.47, y, _wrap(text, 22), ha="center", va="center", fontsize=7.5)
                if k < 4:
                    ax.annotate("", xy=(k + 1.05, y), xytext=(k + 0.9, y),
                                arrowprops={"arrowstyle": "->", "color": "#000000", "linewidth": 1.2})
    alt = t["chain_alt"].format(k=len(chains)) + " " + " ".join(c["summary"] for c in chains)
    return fig, alt


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)[:5])
