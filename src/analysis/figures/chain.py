"""The effects chain: each goal of the gain register as five linked boxes, from goal to effect."""

from __future__ import annotations

import textwrap

from .. import i18n
from ..i18n import N_
from .svg import INK, PALETTE, Canvas, num

TEXT = {
    "chain_steps": [N_("Goal"), N_("Measures"), N_("Implementation"), N_("Result"), N_("Effect")],
}


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
                c.add("polygon", points=f"{num(start + 30)},{num(mid)} {num(start + 22)},{num(mid - 4.5)} "
                      f"{num(start + 22)},{num(mid + 4.5)}", fill=INK)
    alt = i18n.translations(lang).ngettext(
        "Effects chain for {k} goal, from goal via measures, implementation and result to effect.",
        "Effects chain for {k} goals, from goal via measures, implementation and result to effect.",
        len(chains)).format(k=len(chains)) + " " + " ".join(chain["summary"] for chain in chains)
    return c.svg(alt), alt
