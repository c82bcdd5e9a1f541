"""Any figure on a page the house way, and seaborn and matplotlib in the site's look.

`html()` and `show()` take SVG text from this package or a matplotlib Figure (an analysis that draws its own
with seaborn or matplotlib after `theme()`), and give it alt text and a caption; a matplotlib figure is
written as SVG with its text kept as text and no date or random ids, so it too depends on the data only.
"""

from __future__ import annotations

import base64
import io
from html import escape

from .svg import FONT, GRID, INK, PALETTE, tick_label

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
                return tick_label(v, unit, lang, step)

            axis.set_major_formatter(FuncFormatter(label))


def show(figure, alt: str, caption: str) -> None:
    """Displays a figure (a matplotlib or seaborn Figure, or SVG text from this package) the house way: as
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
    """A figure (SVG text from this package, or a matplotlib Figure) as a self-contained HTML <figure> with
    alt text and a caption."""
    svg = figure if isinstance(figure, str) else _svg(figure)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<figure class="figure"><img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")
