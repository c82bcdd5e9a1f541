"""Spend by supplier size: the deeper look behind P7a, used by the `smb` analysis notebook.

Suppliers are classed by Enhetsregisteret's number of employees (micro < 10, small < 50, medium < 250,
large ≥ 250, unknown when the supplier has no valid Norwegian organisation number or no registered count).
Only totals per class are shown, never single suppliers: a sole proprietorship is a person.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import duckdb
import pandas as pd

from . import basis, figures, fmt, i18n, paths
from .i18n import N_

CLASSES = ("micro", "small", "medium", "large", "unknown")
LABELS = {
    "micro": N_("Micro (under 10 employees)"),
    "small": N_("Small (10–49)"),
    "medium": N_("Medium (50–249)"),
    "large": N_("Large (250 and more)"),
    "unknown": N_("Unknown size"),
    "class": N_("Size"),
    "nok": N_("Amount (NOK)"),
    "share": N_("Share"),
    "caption": N_("Purchases {year} by supplier size"),
    "title": N_("Purchases from SMEs in depth"),
    "intro": N_("P7a measures the share of the kroner that goes to small and medium-sized enterprises. Here the "
                "kroner are split by supplier size, showing how much goes to the smallest firms and how much lacks "
                "a known size."),
    "figure_title": N_("purchases by supplier size"),
    "figure_caption": N_("Share by size class and year."),
    "bar_alt": N_("Bar chart of the share of purchases {year} by supplier size: {items}."),
    "none": N_("No purchases are recorded."),
    "summary": N_("In {year}, {small} of the spend went to firms with fewer than 50 employees, and {unknown} to "
                  "suppliers of unknown size."),
}


def text(lang: str = "nb") -> dict:
    """The analysis's words in a language."""
    return i18n.text(LABELS, lang)


def spend_by_size(build_dir: str | Path, org_nr: str) -> pd.DataFrame:
    """NOK per year and size class for one organisation (exact sums of øre)."""
    data = paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT).data
    con = duckdb.connect()
    frame = con.execute(f"""
        SELECT s.year,
               CASE WHEN u.employees IS NULL THEN 'unknown' WHEN u.employees < 10 THEN 'micro'
                    WHEN u.employees < 50 THEN 'small' WHEN u.employees < 250 THEN 'medium' ELSE 'large' END AS size,
               sum(s.amount_ore) AS ore
        FROM read_parquet('{(data / "spend.parquet").as_posix()}') s
        LEFT JOIN read_parquet('{(data / "suppliers.parquet").as_posix()}') u ON u.org_nr = s.supplier_org_nr
        WHERE s.org_nr = ? GROUP BY ALL ORDER BY ALL
    """, [str(org_nr)]).df()
    frame["nok"] = frame["ore"].astype("float64") / 100
    frame["share"] = frame["nok"] / frame.groupby("year")["nok"].transform("sum")
    return frame


def not_supplied(r) -> str | None:
    """Markdown saying P7a is not measured, naming the source not supplied, when the ledger or the supplier
    register is missing for the report's organisation (`r`, an `analysis.report.Report`); None otherwise."""
    p7a = r.cat["P7a"]
    return basis.not_measured([p7a], r.basis, r.lang) if r.basis.missing(p7a) else None


def table_html(frame: pd.DataFrame, year: str, lang: str = "nb") -> str:
    t = text(lang)
    rows = frame[frame["year"] == year].set_index("size")
    body = "".join(
        f'<tr><th scope="row">{escape(t[c])}</th><td>{escape(fmt.nok(rows.loc[c, "nok"], lang))}</td>'
        f'<td>{escape(fmt.percent(rows.loc[c, "share"], lang))}</td></tr>' for c in CLASSES if c in rows.index)
    return (f'<table class="indicators"><caption>{escape(t["caption"].format(year=year))}</caption><thead><tr>'
            f'<th scope="col">{t["class"]}</th><th scope="col">{t["nok"]}</th><th scope="col">{t["share"]}</th>'
            f"</tr></thead><tbody>{body}</tbody></table>")


def series(frame: pd.DataFrame, lang: str = "nb") -> list[dict]:
    """Share of each size class over the years, for figures.trend."""
    years = sorted(frame["year"].unique())
    out = []
    for c in CLASSES:
        rows = frame[frame["size"] == c].set_index("year")["share"]
        out.append({"name": i18n.translate(lang, LABELS[c]), "years": years,
                    "values": [float(rows[y]) if y in rows.index else None for y in years]})
    return out


def size_figure(frame: pd.DataFrame, year: str, lang: str = "nb"):
    """The year's shares by size class as a seaborn bar chart (styled by `figures.theme()`), and its alt
    text; None and "" when nothing was bought that year."""
    import seaborn as sns
    from matplotlib.figure import Figure

    t = text(lang)
    now = frame[frame["year"] == year].set_index("size")["share"]
    rows = pd.DataFrame({"class": [t[c] for c in CLASSES if c in now.index],
                         "share": [float(now[c]) for c in CLASSES if c in now.index]})
    if rows.empty:
        return None, ""
    fig = Figure(figsize=(8, 0.5 + 0.5 * len(rows)), layout="constrained")
    ax = fig.subplots()
    sns.barplot(rows, x="share", y="class", color=figures.PALETTE[0], ax=ax)
    ax.set(xlabel=t["share"], ylabel="")
    figures.number_axes(fig, lang, share=("x",))
    items = "; ".join(f"{r['class']}: {fmt.percent(r['share'], lang)}" for r in rows.to_dict("records"))
    return fig, t["bar_alt"].format(year=year, items=items)


def summary_text(frame: pd.DataFrame, year: str, lang: str = "nb") -> str:
    """One sentence: the share to firms under 50 employees and the share to suppliers of unknown size."""
    now = frame[frame["year"] == year].set_index("size")["share"]
    if now.empty:
        return text(lang)["none"]
    small = fmt.percent(sum(float(now.get(c, 0)) for c in ("micro", "small")), lang)
    unknown = fmt.percent(float(now.get("unknown", 0)), lang)
    return text(lang)["summary"].format(year=year, small=small, unknown=unknown)
