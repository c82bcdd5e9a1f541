"""A row per indicator or question on a shared scale: the organisation against its peers (`peers`, dots) and
the self-evaluation's mean answers (`profile`, bars)."""

from __future__ import annotations

from .. import fmt, i18n
from ..i18n import N_
from .svg import GRID, INK, MUTED, PALETTE, Canvas, Scale, legend, num, row_label, tick_label, ticks, x_axis

TEXT = {
    "median": N_("Peer median"),
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
}


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
    after = x_axis(c, x, marks, [tick_label(v, unit, lang, marks[1] - marks[0]) for v in marks], top, bottom,
                    None)
    for k, row in enumerate(rows):
        y = top + height * (k + 0.5)
        row_label(c, y, row["name"], x.start - 12)
        c.add("line", x1=x.start, y1=y, x2=x.end, y2=y, stroke=GRID, stroke_width=1)
        # Every peer as a round dot of one path; peers closer than half a pixel share a dot, so hundreds of
        # municipalities stay a few kilobytes.
        dots = sorted({round(x(v) * 2) / 2 for v in row["peers"]})
        if dots:
            c.add("path", d="".join(f"M{num(d)} {num(y)}h0" for d in dots), stroke=MUTED, stroke_width=7,
                  stroke_linecap="round", stroke_opacity=0.7, fill="none")
        if row["median"] is not None:
            c.marker("bar", x(row["median"]), y, 22, INK)
        c.marker("diamond", x(row["value"]), y, 13, PALETTE[0], INK)
    entries = [(t["peer"], {"marker": "dot", "size": 7, "colour": MUTED}),
               (t["median"], {"marker": "bar", "size": 18, "colour": INK}),
               (t["organisation"], {"marker": "diamond", "size": 13, "colour": PALETTE[0], "edge": INK})]
    c.height = legend(c, after, entries, 3, 30) + 6
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
    after = x_axis(c, x, [1, 2, 3, 4, 5], [fmt.number(v, lang, 0) for v in range(1, 6)], top, bottom, t["score"])
    for k, r in enumerate(rows):
        y = top + height * (k + 0.5)
        row_label(c, y, f"{r['k']}. {r['label']}", x.start - 12)
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
    c.height = legend(c, after, entries, 2, 40) + 6
    parts = [t["question"].format(k=r["k"], value=fmt.number(r["value"], lang, 1)) if r["value"] is not None
             else t["no_score"].format(k=r["k"], min_n=min_n) for r in rows]
    alt = t["profile_alt"].format(year=year) + " " + "; ".join(parts) + "."
    return c.svg(alt), alt
