"""What the report rests on: its title and introduction with the data basis (what was read, what was not
supplied), and the closing section on data and method (sources, suppression, and why indicators lack a value)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown

from .. import basis, fmt, i18n, narrative
from ..markdown import PROSE
from .markup import md
from .values import low_share
from .words import COUNT_CLAUSES, METHOD_LINES


def title(r) -> list:
    t = r.t
    lines = filter(None, (basis.basis_sentence(r.basis, r.lang), basis.not_supplied_sentence(r.basis, r.lang)))
    return [Markdown(f"# {md(t['title'].format(name=r.name, year=r.year))}\n\n"
                     + (t["intro_other"] if r.org_type == "other" else
                        t["intro"].format(org_type=t["types"][r.org_type]))),
            HTML(f'<p class="basis">{PROSE.renderInline(" ".join(lines))}</p>')]


def method(r) -> list:
    t, now = r.t, r.now
    low = (now["status"] == "ok") & (now["coverage"] < narrative.LOW_COVERAGE)
    lines = [f"## {t['method']}", t["sources"].format(sources=basis.sources_read(r.files, r.lang)),
             t["suppression"].format(min_n=r.min_n, small=r.cat.settings["small_base"]),
             r._counts(now["status"].value_counts())]
    tr = i18n.translations(r.lang)
    for key, mask in (("suppressed", now["status"] == "suppressed"), ("low_coverage", low),
                      ("not_reported", now["status"] == "not_reported"),
                      ("not_yet", now["status"] == "not_yet"),
                      ("unavailable", now["status"] == "unavailable")):
        if mask.any():
            lines.append(METHOD_LINES[key](tr, int(mask.sum())).format(
                year=r.year, items=", ".join(now.index[mask]), share=low_share(r.lang)))
    lines += [t["method_national"].format(year=r.year), t["method_link"]]
    return [Markdown("\n\n".join(lines))]


def counts(r, counts: pd.Series) -> str:
    """"In 2025, 20 of 33 indicators have a value; 4 are not measured, and 9 need data …": how many
    indicators have a value this year, and why the others lack one, by the status words of the tables and
    the lines below, a reason only where its count is not 0 (each clause agrees with its count)."""
    tr, lang = i18n.translations(r.lang), r.lang
    total, ok = len(r.now), int(counts.get("ok", 0))
    unmeasured = len(r._unmeasured())
    number = {"suppressed": int(counts.get("suppressed", 0)), "not_measured": unmeasured,
              "no_data": int(counts.get("no_data", 0)) - unmeasured,
              "not_reported": int(counts.get("not_reported", 0)), "not_yet": int(counts.get("not_yet", 0)),
              "unavailable": int(counts.get("unavailable", 0))}
    if ok:
        head = tr.ngettext("In {year}, {ok} of {total} indicator has a value",
                           "In {year}, {ok} of {total} indicators have a value", total)
    else:
        head = tr.ngettext("In {year}, {total} indicator has no value",
                           "In {year}, none of the {total} indicators has a value", total)
    head = head.format(year=r.year, ok=fmt.number(ok, lang), total=fmt.number(total, lang))
    why = [COUNT_CLAUSES[key](tr, n).format(n=fmt.number(n, lang)) for key, n in number.items() if n]
    return f"{head}; {i18n.and_clauses(why, lang)}." if why else f"{head}."
