"""Figures: SVG written straight from the data, with an accessible palette, Norwegian number formats and
alt text generated from the data. Each figure is SVG text (text kept as text, no dates, no random ids: the
same data gives the same bytes), shown as an HTML <figure> with the SVG embedded, so pages stay
self-contained.

The report's figures are simple (lines over the years, dots on a scale, bars, boxes), and drawing them
as a few SVG elements takes about a millisecond each; matplotlib took 40–120 ms a figure, which was most of
the cost of a report at national scale (benchmarks/README.md). `html()` and `show()` also take a matplotlib
Figure, for analyses that draw their own with seaborn or matplotlib after `theme()`.

One module per concern: `svg` draws (palette, canvas, scales, ticks, legends, axes); `lines` (trend,
sparkline), `rows` (peers, profile), `chain` (effects_chain) and `funnelplot` (funnel) are the report's
figures; `style` puts any figure on a page (html, show) and gives seaborn and matplotlib the house look
(theme, number_axes). The names below are what reports, analyses and notebooks use.
"""

from .chain import effects_chain
from .funnelplot import funnel
from .lines import sparkline, trend
from .rows import peers, profile
from .style import html, number_axes, show, theme
from .svg import PALETTE, ticks

__all__ = ["PALETTE", "effects_chain", "funnel", "html", "number_axes", "peers", "profile", "show", "sparkline",
           "theme", "ticks", "trend"]
