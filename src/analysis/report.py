"""What a report notebook calls: it loads one organisation's slice, and shows tables, figures and text.

The notebook only loads, calls, displays and narrates; every number comes from the indicator table
that the compute stage wrote, and every sentence from analysis.narrative.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from markdown_it import MarkdownIt

from . import basis, catalogue, commentary, figures, fmt, funnel, i18n, ingest, narrative, paths, procurements
from .i18n import N_

# Statuses without a value that are shown as a word of their own (TEXT has one for each; compute.py says
# what each means).
MISSING = ("no_data", "not_reported", "not_yet")

TEXT = {
    "title": N_("{name}: innovative procurement {year}"),
    "indicator": N_("Indicator"),
    "value": N_("Value"),
    "n": N_("n"),
    "coverage": N_("Coverage"),
    "change": N_("Change from previous year"),
    "peer": N_("Peer median"),
    "summary_caption": N_("All indicators for {year}"),
    "intro": N_("This report follows DFØ's framework for measuring innovative procurement: framework conditions, "
                "procurement practice, benefits, diffusion and societal effects. Peers are organisations of the "
                "same type ({org_type})."),
    "intro_other": N_("This report follows DFØ's framework for measuring innovative procurement: framework "
                      "conditions, procurement practice, benefits, diffusion and societal effects. Peers are other "
                      "organisations that belong to none of the fixed types."),
    "method": N_("Data and method"),
    "method_link": N_("Every indicator is defined on the [method page](../../metode.html)."),
    "trend_caption": N_("Development {years} for {area}, with the peer median (dotted) and the middle half of "
                        "peers (shaded)."),
    # The one vocabulary of a value that is not shown (status_word): report tables and scorecard, organisation
    # pages and downloads.
    "suppressed": N_("n<{min_n}"),
    "hidden": N_("hidden (n<{min_n})"),
    "unavailable": N_("not available"),
    "no_data": N_("no data"),
    "not_reported": N_("not reported"),
    "not_yet": N_("not yet measurable"),
    "not_measured": N_("not measured"),
    "small_base": N_("uncertain base"),
    "facts_count": N_(" · {count}"),
    "facts_small": N_(" · uncertain base: 95 % interval {low}–{high}"),
    "area_unmeasured": N_("Not measured"),
    "area_no_data": N_("No data"),
    "low_coverage_note": N_("* Low coverage: fewer than {share} of the units report the field the value rests on."),
    "quality": N_("Data quality"),
    "sources": N_("Sources read: {sources}."),
    "suppression": N_("Values from survey answers and evaluations resting on fewer than {min_n} respondents are not "
                      "shown (n<{min_n}), to protect them. Values from public records (notices, registers) are always "
                      "shown; a share resting on fewer than {small} units is marked as an uncertain base, with its "
                      "95 % interval in the indicator's details, and is not placed among its peers by quarter."),
    "types": {
        "state": N_("state bodies"),
        "municipality": N_("municipalities"),
        "county": N_("counties"),
        "health": N_("health trusts"),
        "enterprise": N_("public enterprises"),
        "other": N_("others"),
    },
    # One organisation's type ("Organisasjonsnummer … · kommune"); `types` names the group.
    "type": {
        "state": N_("state body"),
        "municipality": N_("municipality"),
        "county": N_("county"),
        "health": N_("health trust"),
        "enterprise": N_("public enterprise"),
        "other": N_("other"),
    },
    "key_messages": N_("Key messages"),
    "facts": N_("Value {value} · n = {n} · coverage {coverage}"),
    "facts_peer": N_(" · peer median {median}"),
    "facts_target": N_(" · target {target} by {year}"),
    "facts_source": N_(" · answered by {source}"),
    "answered_by": {"notices": N_("the notices"), "register": N_("the contract register"),
                    "notices+register": N_("the notices and the contract register")},
    "history": N_("Over time: {items}."),
    "scorecard": N_("At a glance"),
    "scorecard_caption": N_("Headline indicators of the five areas, in the framework's order: value, change since "
                            "the previous year and position among peers or against the target."),
    "up": N_("up {change} since {year}"),
    "down": N_("down {change} since {year}"),
    "stable": N_("stable since {year}"),
    "no_change": N_("no comparison with {year}"),
    "on_track": N_("on track to {target} by {year}"),
    "off_track": N_("off track to {target} by {year}"),
    "goals_on_track": N_("Goals on track: {on_track} of {count}"),
    "goals_unmeasured": N_("Goals with a baseline and a target: none of {count}"),
    "no_goals": N_("No goals in the gain register"),
    "gains_not_supplied": N_("No gain register supplied"),
    "all_indicators": N_("All indicators in one table"),
    "trend_details": N_("Figure: development over the years"),
    "peers_details": N_("Figure: the organisation's shares among its peers"),
    "peers_title": N_("Position among peers"),
    "peers_caption": N_("The organisation's shares in {year} (large dot) against the other {org_type} (small "
                        "dots) and the peer median (bar)."),
    "peers_none": N_("There are too few peers with a value in {year} to show a comparison."),
    "chain": N_("Effects chain"),
    "chain_intro": N_("The effects chain follows each goal of the gain register from goal and baseline through "
                      "measures and implementation to results and effects, and answers the framework's questions."),
    "chain_caption": N_("The effects chain of the organisation's goals: goal, measures, implementation, result "
                        "and effect."),
    "chain_none": N_("The organisation has no goals in its gain register yet. Without goals, baselines and "
                     "targets the effects of innovative procurement cannot be followed up."),
    "chain_not_supplied": N_("No gain register is supplied for the organisation, so the effects chain cannot be "
                             "followed: it starts from the goals, baselines and targets in the gain register."),
    "self_eval_not_supplied": N_("No survey answers are supplied for the organisation, so the self-evaluation "
                                 "cannot be shown."),
    "goal": N_("Goal {k}: {text}"),
    "chain_steps": {
        "none": N_("none"),
        "impl": N_("{done} of {n} done"),
        "no_result": N_("no result"),
        "no_effect": N_("no effects recorded"),
        "effect": N_("{realised} of {planned}"),
        "target": N_("(target value %(target)s by %(target_year)s)"),  # as the alt text says it
    },
    "self_eval": N_("Self-evaluation"),
    "self_eval_intro": N_("The framework's seven questions on organisation, steering and leadership, answered in "
                          "the survey on a scale from 1 (strongly disagree) to 5 (strongly agree)."),
    "question": N_("Question"),
    "score": N_("Mean (1–5)"),
    "agree": N_("Share 4–5"),
    "since": N_("Change since {year}"),
    "since_none": N_("Change since previous wave"),
    "self_eval_caption": N_("Self-evaluation {year}"),
    "profile_caption": N_("Mean answer per question in {year}, with the previous wave as a diamond."),
    "method_national": N_("National figures and the distribution by type of organisation are on the [overview "
                          "page for {year}](../../oversikt/{year}.html)."),
}


# Why indicators lack a value, as clauses of the method section's count ("4 are not measured"), in the status
# words of the tables (STATUS).
COUNT_CLAUSES = {
    "suppressed": lambda t, n: t.ngettext("{n} is hidden because it rests on too few respondents",
                                          "{n} are hidden because they rest on too few respondents", n),
    "not_measured": lambda t, n: t.ngettext("{n} is not measured", "{n} are not measured", n),
    "no_data": lambda t, n: t.ngettext("{n} has no data", "{n} have no data", n),
    "not_reported": lambda t, n: t.ngettext("{n} is not reported", "{n} are not reported", n),
    "not_yet": lambda t, n: t.ngettext("{n} is not yet measurable", "{n} are not yet measurable", n),
    "unavailable": lambda t, n: t.ngettext("{n} needs data that is not part of the dataset",
                                           "{n} need data that is not part of the dataset", n),
}

# The method section's lines naming indicators by status ("Hidden in 2025 because it rests on …: G1."): the
# sentence agrees with the number of indicators it names.
METHOD_LINES = {
    "suppressed": lambda t, n: t.ngettext(
        "Hidden in {year} because it rests on too few respondents: {items}.",
        "Hidden in {year} because they rest on too few respondents: {items}.", n),
    "low_coverage": lambda t, n: t.ngettext(
        "Low coverage (fewer than {share} of the units report the field): {items}.",
        "Low coverage (fewer than {share} of the units report the field): {items}.", n),
    "not_reported": lambda t, n: t.ngettext(
        "Not reported in {year} (there are units, but none of them reports the field the indicator reads, so no "
        "value is shown, not 0 %): {items}.",
        "Not reported in {year} (there are units, but none of them reports the field the indicators read, so no "
        "value is shown, not 0 %): {items}.", n),
    "not_yet": lambda t, n: t.ngettext(
        "Not yet measurable for {year} (the data that answers it, such as accounts two years after the award, "
        "cannot be in the dataset yet): {items}.",
        "Not yet measurable for {year} (the data that answers them, such as accounts two years after the award, "
        "cannot be in the dataset yet): {items}.", n),
    "unavailable": lambda t, n: t.ngettext("Needs data outside the dataset: {items}.",
                                           "Need data outside the dataset: {items}.", n),
}


@lru_cache(maxsize=16)
def _table(path: str, mtime_ns: int) -> pd.DataFrame:
    """A table with its text columns as Python strings: a report picks single rows and values many times,
    which costs a pyarrow call per column and pick with pandas' Arrow-backed strings."""
    table = pd.read_parquet(path)
    return table.astype({c: object for c in table.columns if isinstance(table[c].dtype, pd.StringDtype)})


def _stamp(path: Path) -> tuple[str, int]:
    """The cache key of a build's file: its path and modification time, so a rebuilt table is read again."""
    return str(path), path.stat().st_mtime_ns


def _read(path: Path) -> pd.DataFrame:
    """A table of a build (cached while the file is unchanged)."""
    return _table(*_stamp(path))


@lru_cache(maxsize=16)
def _groups(path: str, mtime_ns: int, columns: tuple[str, ...]) -> dict:
    return dict(iter(_table(path, mtime_ns).groupby(list(columns), sort=False)))


@lru_cache(maxsize=64)
def _peer_values(path: str, mtime_ns: int, year: str, org_type: str) -> dict[str, list[float]]:
    """Per indicator, the sorted values of every organisation of a type with a value that year."""
    rows = _groups(path, mtime_ns, ("year", "org_type", "status")).get((year, org_type, "ok"))
    if rows is None:
        return {}
    return {ind: sorted(float(v) for v in values) for ind, values in rows.groupby("indicator_id", sort=False)["value"]}


@lru_cache(maxsize=4)
def _supplied(path: str, mtime_ns: int) -> dict[str, int]:
    return basis.supplied(Path(path))


def _rows(path: Path, columns: tuple[str, ...], *key: str) -> pd.DataFrame:
    """The rows of a build's table with these values in `columns`. The table is split once per process
    (while the file is unchanged), so a kernel that runs many reports looks each one up instead of
    filtering the whole table again."""
    rows = _groups(*_stamp(path), columns).get(key)
    return rows if rows is not None else _read(path).iloc[0:0]


def indicators(build_dir: str | Path = "") -> pd.DataFrame:
    """The indicator table of a build (cached while the file is unchanged)."""
    return _read(paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT).indicators)


CONDITIONS = ("F1a", "F2a", "F4a", "F7")  # the framework conditions an effects chain rests on
GAIN_UNITS = {"nok": "efficiency", "tco2e": "co2e"}  # money and CO2 goals: the goal's own realised effects


class Report:
    def __init__(self, org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = ""):
        build = paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT)
        self.build = build
        self.rows = _rows(build.indicators, ("org_nr",), str(org_nr))
        if self.rows.empty:
            raise ValueError(f"organisation {org_nr} is not in the indicator table")
        self.org_nr, self.year, self.lang = str(org_nr), str(year), lang
        self.t = i18n.text(TEXT, lang)
        self.cat = catalogue.load()
        self.name = self.rows["name"].iloc[0]
        self.org_type = self.rows["org_type"].iloc[0]
        self.now = self.rows[self.rows["year"] == self.year].set_index("indicator_id")
        self.years = sorted(self.rows["year"].unique())
        self.years = [y for y in self.years if y <= self.year]
        survey = [i.id for i in self.cat.indicators if i.survey]
        self.min_n = int(self.rows.loc[self.rows["indicator_id"].isin(survey), "min_n"].min())  # params min_n
        self.self_eval = _rows(build.self_evaluation, ("org_nr",), self.org_nr)
        self.goals = _rows(build.data / "goals.parquet", ("org_nr",), self.org_nr).sort_values("goal_id")
        measures = _read(build.data / "measures.parquet")
        self.measures = measures[measures["goal_id"].isin(set(self.goals["goal_id"]))]
        impls = _read(build.data / "implementations.parquet")
        self.implementations = impls[impls["measure_id"].isin(set(self.measures["measure_id"]))]
        effects = _read(build.data / "effects.parquet")
        self.effects = effects[effects["goal_id"].isin(set(self.goals["goal_id"]))]
        self.targets = self._targets()
        self.files = _supplied(*_stamp(build.quality)) if build.quality.is_file() else {}
        self.basis = basis.for_body(_rows(build.basis, ("org_nr",), self.org_nr), self.files, self.year)
        self.national = _rows(build.national, ("year",), self.year).set_index("indicator_id")["value"]
        self.commentary = self._commentary()
        self.behind = procurements.load(build, self.org_nr, self.year, lang)

    def _targets(self) -> dict[str, narrative.Target]:
        """Targets for indicators from the goals that name them (shares, means and counts)."""
        found = {}
        for g in self.goals.itertuples(index=False):
            ref = str(fmt.present(g.indicator_ref, ""))
            if ref in self.cat and self.cat[ref].unit in ("share", "mean", "count") and \
                    _ok(g.baseline_value) and _ok(g.target_value) and _ok(g.baseline_date) and _ok(g.target_year):
                found.setdefault(ref, narrative.Target(float(g.baseline_value), int(str(g.baseline_date)[:4]),
                                                       float(g.target_value), int(g.target_year)))
        return found

    def _commentary(self) -> commentary.Commentary:
        """The organisation's own words for this year, and its next steps of the year before (follow-up)."""
        table = self.build.data / "commentary.parquet"
        if not table.is_file():
            return commentary.Commentary(self.year)
        key = ("org_nr", "year")
        return commentary.Commentary.of(_rows(table, key, self.org_nr, self.year), self.year,
                                        _rows(table, key, self.org_nr, str(int(self.year) - 1)))

    # ---------------------------------------------------------------- sections
    def title(self) -> None:
        t = self.t
        lines = filter(None, (basis.basis_sentence(self.basis, self.lang),
                              basis.not_supplied_sentence(self.basis, self.lang)))
        display(Markdown(f"# {_md(t['title'].format(name=self.name, year=self.year))}\n\n"
                         + (t["intro_other"] if self.org_type == "other" else
                            t["intro"].format(org_type=t["types"][self.org_type]))))
        display(HTML(f'<p class="basis">{_MD.renderInline(" ".join(lines))}</p>'))

    def key_messages(self) -> None:
        """Hovedbudskap: three to five sentences on what changed most, what is on or off track, and where the
        organisation stands among its peers."""
        rows = [self.now.loc[i.id].to_dict() | {"indicator_id": i.id, "year": self.year} for i in self.cat.indicators]
        goals = [self._chain(g)[0] for g in self._goals()] if self.basis.supplied("gains") else None
        messages = narrative.key_messages(rows, self.lang, goals, len(self._unmeasured()))
        items = "\n".join(f"- {m}" for m in messages)
        if not self.commentary.assessment:
            display(Markdown(f"## {self.t['key_messages']}\n\n{items}"))
            return
        display(HTML(f'<div class="first-screen"><section class="key-messages" aria-labelledby="key-messages">'
                     f'<h2 id="key-messages">{escape(self.t["key_messages"])}</h2>{_MD.render(items)}</section>'
                     f"{commentary.assessment_html(self.commentary, self.lang)}</div>"))

    def scorecard(self) -> None:
        """The first screen's overview: per area of the framework, in its order, the headline indicators with
        value, direction since the previous year (a shape and words, never colour alone) and position among
        peers or against the target; for gevinster also the goals on track."""
        t = self.t
        cards = []
        for area in self.cat.areas:
            inds = self.cat.in_area(area)
            items = [self._headline(ind) for ind in self._headlines(area)] or [  # none has units this year
                f'<li class="unmeasured"><span class="name">{escape(t[label])}</span> {escape(", ".join(ids))}</li>'
                for label, ids in (("area_unmeasured", [i.id for i in inds if self.basis.missing(i)]),
                                   ("area_no_data", [i.id for i in inds if not self.basis.missing(i)])) if ids]
            if area == "gevinster":
                items.insert(0, f'<li class="goals">{escape(self._goals_line())}</li>')
            cards.append(f'<li class="area"><h3>{escape(self.cat.areas[area][self.lang])}</h3>'
                         f'<ul>{"".join(items)}</ul></li>')
        display(HTML(f'<section class="scorecard" aria-labelledby="scorecard"><h2 id="scorecard">'
                     f'{escape(t["scorecard"])}</h2><p class="note">{escape(t["scorecard_caption"])}</p>'
                     f'<ul class="areas">{"".join(cards)}</ul></section>'))

    def summary(self) -> None:
        """Every indicator in one table, folded: the sections above tell the story."""
        t = self.t
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in
                       (t["indicator"], t["value"], t["n"], t["coverage"], t["change"], t["peer"]))
        body = []
        for ind in self.cat.indicators:
            row = self.now.loc[ind.id]
            body.append(
                f'<tr><th scope="row">{escape(ind.id)} {escape(ind.title[self.lang])}</th>'
                f"<td>{escape(self._value(row, ind))}</td><td>{escape(self._n(row, ind))}</td>"
                f"<td>{escape(self._coverage(row))}</td>"
                f"<td>{escape(fmt.change(row['change_prev'], ind.unit, self.lang))}</td>"
                f"<td>{escape(fmt.value(row['peer_median'], ind.unit, self.lang))}</td></tr>")
        caption = t["summary_caption"].format(year=self.year)
        note = t["low_coverage_note"].format(share=self._low_share())
        display(HTML(f'<details class="all-indicators"><summary>{escape(t["all_indicators"])}</summary>'
                     + _scroll(f'<table class="indicators"><caption>{escape(caption)}</caption><thead><tr>{head}'
                               f"</tr></thead><tbody>{''.join(body)}</tbody></table>", caption)
                     + f'<p class="note">{escape(note)}</p></details>'))

    def section(self, area: str) -> None:
        """One area of the framework: per indicator a folded disclosure whose summary shows its value and a
        sparkline, and whose details hold value, n, coverage, peer median, target and a paragraph; then a
        trend figure with the peer band and the targets, folded too."""
        title = self.cat.areas[area][self.lang]
        parts = [f'<section class="area" aria-labelledby="area-{area}"><h2 id="area-{area}">{escape(title)}</h2>']
        empty = [i for i in self.cat.in_area(area) if self.now.loc[i.id, "status"] == "no_data"]
        notes = self.commentary.notes
        for ind in self.cat.in_area(area):
            if ind in empty and ind.id not in notes:  # said once below, per missing source
                continue
            row = self.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": self.year}
            target = self.targets.get(ind.id)
            text = " ".join(filter(None, (narrative.indicator_text(row, self.lang, target), self._funnel(row, ind))))
            body = "".join(_MD.render(p) for p in (self._facts(row, ind, target), text) if p)
            if ind.flags:  # the procurements it counts, by name
                body += self.behind.details(ind)
            if ind.id in notes:  # the organisation's own note on the indicator
                body += commentary.note_html(notes[ind.id], self.lang)
            parts.append(f'<details class="indicator" id="{escape(ind.id)}"><summary>'
                         f'<span class="name">{escape(ind.id)} {escape(ind.title[self.lang])}</span> '
                         f'<span class="value">{escape(self._value(row, ind))}</span> '
                         f"{self._sparkline(ind)}</summary>{body}</details>")
        if empty:
            said = basis.not_measured(empty, self.basis, self.lang)
            parts.append(f'<div class="unmeasured">{_MD.render(said)}</div>')
        shown = [i for i in self.cat.in_area(area) if i.unit == "share" and self.now.loc[i.id, "status"] == "ok"]
        if shown:
            parts.append(f'<details class="figure"><summary>{escape(self.t["trend_details"])}</summary>'
                         f"{self.trend_figure([i.id for i in shown[:4]], title)}</details>")
        display(HTML("".join(parts) + "</section>"))

    def procurements(self) -> None:
        """Anskaffelsene bak tallene: every procurement the notice-based indicators count this year, with how
        each counts it (nothing when the year has none)."""
        table = self.behind.table(self.year, examples=self.build.examples.is_file())
        if table:
            display(HTML(table))

    def _funnel(self, row: dict, ind) -> str:
        """Where the value lies against the national share's funnel limits for its number of units (the
        overview's funnel plot, in words); "" for indicators without a funnel or a value."""
        if not funnel.eligible(ind) or row["status"] != "ok":
            return ""
        where = funnel.position(row["value"], row["denominator"], self.national.get(ind.id))
        return funnel.sentence(where, self.lang, funnel.units_word(ind, self.lang))

    def trend_figure(self, ids: list[str], area_title: str) -> str:
        series = []
        for ind_id in ids:
            rows = self.rows[(self.rows["indicator_id"] == ind_id) & (self.rows["year"].isin(self.years))]
            rows = rows.sort_values("year")
            target = self.targets.get(ind_id)
            series.append({"name": f"{ind_id} {self.cat[ind_id].title[self.lang]}", "years": list(rows["year"]),
                           "values": _list(rows["value"]), "median": _list(rows["peer_median"]),
                           "q1": _list(rows["peer_q1"]), "q3": _list(rows["peer_q3"]),
                           "target": (target.target_year, target.target) if target else None})
        span = fmt.span(self.years[0], self.years[-1])
        svg, alt = figures.trend(series, "share", area_title.lower(), self.lang)
        return figures.html(svg, alt, self.t["trend_caption"].format(years=span, area=area_title.lower()))

    def peers(self) -> None:
        """A dot plot of the organisation's shares against every peer's."""
        t = self.t
        every = _peer_values(*_stamp(self.build.indicators), self.year, self.org_type)  # this one included
        rows = []
        for ind in self.cat.indicators:
            mine = self.now.loc[ind.id]
            if ind.unit != "share" or mine["status"] != "ok" or len(every.get(ind.id, ())) < narrative.MIN_PEERS:
                continue
            others = list(every[ind.id])
            others.remove(float(mine["value"]))  # the organisation's own value: the others are its peers
            rows.append({"name": f"{ind.id} {ind.title[self.lang]}", "value": float(mine["value"]),
                         "peers": others, "median": _float(mine["peer_median"])})
        parts = f"## {t['peers_title']}"
        if not rows:
            display(Markdown(f"{parts}\n\n{t['peers_none'].format(year=self.year)}"))
            return
        svg, alt = figures.peers(rows, "share", self.year, self.lang)
        display(Markdown(parts))
        display(HTML(f'<details class="figure"><summary>{escape(t["peers_details"])}</summary>' + figures.html(
            svg, alt, t["peers_caption"].format(year=self.year, org_type=t["types"][self.org_type])) + "</details>"))

    def effects_chain(self) -> None:
        """Effektkjede: per goal in the gain register, the chain as a diagram and the framework's questions."""
        t = self.t
        goals = self._goals()
        if not goals:
            none = t["chain_none"] if self.basis.supplied("gains") else t["chain_not_supplied"]
            display(Markdown(f"## {t['chain']}\n\n{none}"))
            return
        chains = [self._chain(g) for g in goals]
        display(Markdown(f"## {t['chain']}\n\n{t['chain_intro']}"))
        svg, alt = figures.effects_chain([c[1] for c in chains], self.lang)
        display(HTML(figures.html(svg, alt, t["chain_caption"])))
        display(HTML("".join(
            f'<details class="goal"><summary>{escape(t["goal"].format(k=k, text=goal["text"]))}</summary>'
            f"{_MD.render(narrative.chain_text(facts, self.lang))}</details>"
            for k, (goal, (facts, _)) in enumerate(zip(goals, chains, strict=True), start=1))))

    def next_steps(self) -> None:
        """The organisation's next steps in its own words, and last year's as follow-up (nothing when it set
        out none)."""
        html = commentary.actions_html(self.commentary, self.lang)
        if html:
            display(HTML(html))

    def self_evaluation(self) -> None:
        """Selvevaluering: the seven questions with scores, compared with the previous wave."""
        t = self.t
        if not self.basis.supplied("surveys"):
            display(Markdown(f"## {t['self_eval']}\n\n{t['self_eval_not_supplied']}"))
            return
        questions, barriers = self._self_eval_rows()
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in (
            t["question"], t["score"], t["agree"], t["n"],
            t["since"].format(year=questions[0]["prev_year"]) if questions and questions[0]["prev_year"]
            else t["since_none"]))
        body = []
        for q in questions:
            shown = q["status"] == "ok"
            hidden = t["suppressed"].format(min_n=self.min_n) if q["status"] == "suppressed" else t["no_data"]
            body.append(
                f'<tr><th scope="row">{q["k"]}. {escape(q["text"])}</th>'
                f"<td>{escape(fmt.number(q['value'], self.lang, 1) if shown else hidden)}</td>"
                f"<td>{escape(fmt.percent(q['share_agree'], self.lang, 0) if shown else '–')}</td>"
                f"<td>{escape(fmt.number(q['n'], self.lang) if shown else '–')}</td>"
                f"<td>{escape(_signed(q['change'], self.lang) if shown else '–')}</td></tr>")
        display(Markdown(f"## {t['self_eval']}\n\n{t['self_eval_intro']}"))
        caption = t["self_eval_caption"].format(year=self.year)
        display(HTML(_scroll(f'<table class="self-evaluation"><caption>{escape(caption)}</caption><thead><tr>'
                             f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>", caption)))
        prev_years = [q["prev_year"] for q in questions if q["prev_year"]]
        svg, alt = figures.profile([{"k": q["k"], "label": q["short"], "value": q["value"], "prev": q["prev_value"]}
                                    for q in questions], self.year, max(prev_years) if prev_years else None,
                                   self.lang, self.min_n)
        display(HTML(figures.html(svg, alt, t["profile_caption"].format(year=self.year))))
        display(Markdown(narrative.self_evaluation_text(questions, barriers, self.lang, self.min_n)))

    def method(self) -> None:
        t = self.t
        counts = self.now["status"].value_counts()

        def ids(mask) -> str:
            return ", ".join(self.now.index[mask])

        low = (self.now["status"] == "ok") & (self.now["coverage"] < narrative.LOW_COVERAGE)
        lines = [f"## {t['method']}", t["sources"].format(sources=basis.sources_read(self.files, self.lang)),
                 t["suppression"].format(min_n=self.min_n, small=self.cat.settings["small_base"]),
                 self._counts(counts)]
        tr = i18n.translations(self.lang)
        for key, mask in (("suppressed", self.now["status"] == "suppressed"), ("low_coverage", low),
                          ("not_reported", self.now["status"] == "not_reported"),
                          ("not_yet", self.now["status"] == "not_yet"),
                          ("unavailable", self.now["status"] == "unavailable")):
            if mask.any():
                lines.append(METHOD_LINES[key](tr, int(mask.sum())).format(
                    year=self.year, items=ids(mask), share=self._low_share()))
        lines += [t["method_national"].format(year=self.year), t["method_link"]]
        display(Markdown("\n\n".join(lines)))

    # ---------------------------------------------------------------- helpers
    def _counts(self, counts: pd.Series) -> str:
        """"In 2025, 20 of 33 indicators have a value; 4 are not measured, and 9 need data …": how many
        indicators have a value this year, and why the others lack one, by the status words of the tables and
        the lines below, a reason only where its count is not 0 (each clause agrees with its count)."""
        tr, lang = i18n.translations(self.lang), self.lang
        total, ok = len(self.now), int(counts.get("ok", 0))
        unmeasured = len(self._unmeasured())
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
        head = head.format(year=self.year, ok=fmt.number(ok, lang), total=fmt.number(total, lang))
        why = [COUNT_CLAUSES[key](tr, n).format(n=fmt.number(n, lang)) for key, n in number.items() if n]
        return f"{head}; {i18n.and_clauses(why, lang)}." if why else f"{head}."

    def _value(self, row, ind) -> str:
        if row["status"] == "ok":
            return fmt.value(row["value"], ind.unit, self.lang)
        return status_word(row["status"], self.t, _min_n(row, ind), bool(self.basis.missing(ind)))

    def _coverage(self, row) -> str:
        """Coverage beside every value (and beside "not reported": 0 %), with * where it is low."""
        if row["status"] not in ("ok", "not_reported"):
            return "–"
        low = row["status"] == "ok" and row["coverage"] < narrative.LOW_COVERAGE
        return fmt.percent(row["coverage"], self.lang, 0) + (" *" if low else "")

    def _low_share(self) -> str:
        return fmt.percent(narrative.LOW_COVERAGE, self.lang, 0)

    def _n(self, row, ind) -> str:
        if row["status"] == "suppressed":
            return self.t["suppressed"].format(min_n=_min_n(row, ind))
        return fmt.number(row["n"], self.lang) if row["status"] == "ok" else "–"

    def _facts(self, row: dict, ind, target) -> str:
        if row["status"] != "ok":
            return ""
        t = self.t
        text = t["facts"].format(value=fmt.value(row["value"], ind.unit, self.lang), n=fmt.number(row["n"], self.lang),
                                 coverage=fmt.percent(row["coverage"], self.lang, 0))
        count = narrative.count_phrase(row, ind, self.lang)
        if count:
            text += t["facts_count"].format(count=count)
        if row.get("small_base") and _ok(row.get("ci_low")):
            text += t["facts_small"].format(low=fmt.percent(row["ci_low"], self.lang, 0),
                                            high=fmt.percent(row["ci_high"], self.lang, 0))
        if _ok(row.get("peer_median")) and int(row.get("peer_n") or 0) >= narrative.MIN_PEERS:
            text += t["facts_peer"].format(median=fmt.value(row["peer_median"], ind.unit, self.lang))
        if target is not None:
            text += t["facts_target"].format(target=fmt.value(target.target, ind.unit, self.lang),
                                             year=target.target_year)
        if row.get("answered_by") in t["answered_by"]:  # which source answered (G3/G4: notices or register)
            text += t["facts_source"].format(source=t["answered_by"][row["answered_by"]])
        return f"*{text}*"

    def _sparkline(self, ind) -> str:
        """The indicator's published values up to this year as a sparkline (suppressed values as n<5)."""
        rows = [r for r in self._by_indicator().get(ind.id, []) if r["status"] in ("ok", "suppressed")]
        return history_sparkline([(r["year"], self._value(r, ind), float(r["value"]) if r["status"] == "ok"
                                   else None) for r in rows], self.lang)

    def _headlines(self, area: str, count: int = 2) -> list:
        """The area's headline indicators: the first with a value this year, in catalogue order (else the first
        that could have one)."""
        measured = [i for i in self.cat.in_area(area) if self.now.loc[i.id, "status"] != "no_data"]
        ranked = sorted(measured, key=lambda i: (self.now.loc[i.id, "status"] != "ok",
                                                 self.now.loc[i.id, "status"] == "unavailable"))
        return ranked[:count]

    def _unmeasured(self) -> list:
        """The indicators without units this year whose sources are not supplied for the organisation."""
        return [i for i in self.cat.indicators
                if self.now.loc[i.id, "status"] == "no_data" and self.basis.missing(i)]

    def _headline(self, ind) -> str:
        """One scorecard line: indicator, value, direction since last year and position."""
        t = self.t
        row = self.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": self.year}
        target = self.targets.get(ind.id)
        f = narrative.facts(row, self.lang, target)
        prev = str(int(self.year) - 1)
        if f["status"] != "ok":
            move, glyph = "", ""
        elif f.get("trend") in ("up", "down"):
            move, glyph = t[f["trend"]].format(change=f["change"], year=prev), "▲" if f["trend"] == "up" else "▼"
        elif f.get("trend") == "stable":
            move, glyph = t["stable"].format(year=prev), "◆"
        else:
            move, glyph = t["no_change"].format(year=prev), "–"
        if f.get("on_track") is not None:
            where = t["on_track" if f["on_track"] else "off_track"].format(target=f["target"], year=f["target_year"])
        elif f.get("quartile"):
            where = quartile_text(f["quartile"], f["peer_n"], self.lang)
        else:
            where = ""
        judged = f' data-judgement="{f["judgement"]}"' if f.get("judgement") else ""
        parts = [f'<span class="name"><a href="#{escape(ind.id)}">{escape(ind.id)}</a> '
                 f'{escape(ind.title[self.lang])}</span>',
                 f'<span class="value">{escape(self._value(row, ind))}</span>']
        base = [f["count"]] if f.get("count") else []
        base += [t["small_base"]] if f.get("small_base") else []
        if base:
            parts.append(f'<span class="base">{escape(" · ".join(base))}</span>')
        if move:
            parts.append(f'<span class="move"{judged}><span aria-hidden="true">{glyph}</span> {escape(move)}</span>')
        if where:
            parts.append(f'<span class="where">{escape(where)}</span>')
        return f'<li>{" ".join(parts)}</li>'

    def headline_values(self) -> list[tuple[str, str]]:
        """(indicator ID, its line) of the scorecard's headline indicators: ID, title, value and the change
        since the previous year, as `innomaal new-commentary` lists them for the body to comment on."""
        lines = []
        for area in self.cat.areas:
            for ind in self._headlines(area):
                row = self.now.loc[ind.id]
                change = (fmt.change(row["change_prev"], ind.unit, self.lang)
                          if row["status"] == "ok" and not fmt.missing(row["change_prev"])
                          else self.t["no_change"].format(year=int(self.year) - 1))
                lines.append((ind.id, f"{ind.id} {ind.title[self.lang]}: {self._value(row, ind)} ({change})"))
        return lines

    def _goals_line(self) -> str:
        goals = self._goals()
        if not goals:
            return self.t["no_goals"] if self.basis.supplied("gains") else self.t["gains_not_supplied"]
        tracked = [c[0] for c in (self._chain(g) for g in goals) if c[0].get("on_track") is not None]
        if not tracked:
            return self.t["goals_unmeasured"].format(count=len(goals))
        return self.t["goals_on_track"].format(on_track=sum(bool(f["on_track"]) for f in tracked),
                                               count=len(tracked))

    def _by_indicator(self) -> dict[str, list[dict]]:
        """This organisation's rows up to the report year, per indicator, in year order (computed once)."""
        if not hasattr(self, "_rows_by_indicator"):
            rows = self.rows[self.rows["year"].isin(self.years)].sort_values(["indicator_id", "year"])
            self._rows_by_indicator = {}
            for r in rows.to_dict("records"):
                self._rows_by_indicator.setdefault(r["indicator_id"], []).append(r)
        return self._rows_by_indicator

    def _goals(self) -> list[dict]:
        """Goals set by this year (baseline date up to the report year, or no baseline)."""
        goals = [fmt.record(g) for g in self.goals.to_dict("records")]
        return [g for g in goals if not g.get("baseline_date") or str(g["baseline_date"])[:4] <= self.year]

    def _chain(self, goal: dict) -> tuple[dict, dict]:
        """The narrative facts of one goal's effects chain, and its row in the diagram (computed once)."""
        cache = self.__dict__.setdefault("_chains", {})
        if goal["goal_id"] not in cache:
            cache[goal["goal_id"]] = self._make_chain(goal)
        return cache[goal["goal_id"]]

    def _make_chain(self, goal: dict) -> tuple[dict, dict]:
        t, lang = self.t, self.lang
        measures = self.measures[self.measures["goal_id"] == goal["goal_id"]].sort_values("measure_id")
        impls = self.implementations[self.implementations["measure_id"].isin(set(measures["measure_id"]))]
        impls = impls[impls["date"].isna() | (impls["date"].str[:4] <= self.year)]
        effects = self.effects[self.effects["goal_id"] == goal["goal_id"]].sort_values("effect_id")
        result = self._goal_result(goal, effects)
        conditions = [self.now.loc[i].to_dict() | {"indicator_id": i} for i in CONDITIONS if i in self.now.index]
        facts = narrative.chain_facts(goal, measures.to_dict("records"), impls.to_dict("records"),
                                      effects.to_dict("records"), result, conditions, self.year, lang)
        steps = t["chain_steps"]
        done = sum(1 for s in impls["status"] if s == "done")
        gains = facts["gains"]
        plain = {**facts, "text": goal["text"]}  # alt text and diagram are not Markdown: the text as written
        row = {"title": goal["text"], "summary": narrative.render("chain_alt", lang, f=plain), "steps": [
            goal["text"] + (" " + steps["target"] % facts if "target" in facts else ""),
            i18n.translations(lang).ngettext("{n} measure, {cost}", "{n} measures, {cost}", len(measures)).format(
                n=len(measures), cost=facts["cost"]) if len(measures) else steps["none"],
            steps["impl"].format(done=done, n=len(impls)) if len(impls) else steps["none"],
            facts["result"] or steps["no_result"],
            "; ".join(steps["effect"].format(realised=g["realised"], planned=g["planned"]) for g in gains)
            if gains else steps["no_effect"]]}
        return facts, row

    def _goal_result(self, goal: dict, effects: pd.DataFrame) -> dict | None:
        """The goal's result this year: its indicator's value, or for money and CO2 goals the goal's own
        realised effects up to this year."""
        ref = str(goal.get("indicator_ref") or "")
        base = ref.split("-")[0]
        if base not in self.cat:
            return None
        unit = "nok" if ref.endswith("-NOK") else self.cat[base].unit
        if unit in GAIN_UNITS:
            mine = effects[(effects["gain_type"] == GAIN_UNITS[unit]) & (effects["date"].str[:4] <= self.year)]
            realised = mine["realised_value"].dropna()
            return {"value": float(realised.sum()), "unit": unit, "source": "gains"} if len(realised) else None
        row = self.now.loc[base]
        return {"value": float(row["value"]), "unit": unit, "source": base} if row["status"] == "ok" else None

    def _self_eval_rows(self) -> tuple[list[dict], list[dict]]:
        questions, items = ingest.self_evaluation_questions(), ingest.survey_items()
        now = self.self_eval[self.self_eval["year"] == self.year]
        rows = []
        for k, q in enumerate(questions, start=1):
            hit = now[(now["question"] == q["id"]) & (now["kind"] == "score")]
            r = hit.iloc[0].to_dict() if len(hit) else {"status": "no_data", "value": None, "share_agree": None,
                                                         "n": 0, "prev_year": None, "prev_value": None, "change": None}
            rows.append({"k": k, "text": q[self.lang], "short": items[q["item"]][f"text_{self.lang}"],
                         **{key: _none(r.get(key)) for key in ("status", "value", "share_agree", "n", "prev_year",
                                                               "prev_value", "change")}})
        barriers = [{"text": items[r.item_id][f"text_{self.lang}"], "status": r.status, "value": _none(r.value)}
                    for r in now[now["kind"] == "barrier"].itertuples()]
        return rows, barriers

def status_word(status: str, t: dict, min_n: int, not_measured: bool = False) -> str:
    """A value that is not shown, in the one vocabulary of every table (`t`: TEXT in the page's language):
    "not measured" (its source is not supplied), "no data", "not reported", "hidden (n<5)", "not yet
    measurable", "not available"."""
    if status == "suppressed":
        return t["hidden"].format(min_n=min_n)
    if status == "no_data" and not_measured:
        return t["not_measured"]
    return t[status if status in (*MISSING, "unavailable") else "no_data"]


def quartile_text(quartile: str, n: int, lang: str) -> str:
    """The scorecard's peer position, in the quarter words of the indicator paragraph (the plural follows n)."""
    tr = i18n.translations(lang)
    return {
        "lowest": lambda: tr.ngettext("lowest quarter of {n} peer", "lowest quarter of {n} peers", n),
        "lower_middle": lambda: tr.ngettext("second-lowest quarter of {n} peer",
                                            "second-lowest quarter of {n} peers", n),
        "upper_middle": lambda: tr.ngettext("second-highest quarter of {n} peer",
                                            "second-highest quarter of {n} peers", n),
        "highest": lambda: tr.ngettext("highest quarter of {n} peer", "highest quarter of {n} peers", n),
    }[quartile]().format(n=fmt.number(n, lang))


def history_sparkline(points: list[tuple[str, str, float | None]], lang: str) -> str:
    """A sparkline of (year, shown value, value or None where hidden) points, its text alternative naming every
    shown value; nothing where fewer than two years have a value."""
    if sum(v is not None for _, _, v in points) < 2:
        return ""
    alt = i18n.text(TEXT, lang)["history"].format(items=", ".join(f"{year}: {shown}" for year, shown, _ in points))
    return figures.sparkline([v for _, _, v in points], alt)


def _scroll(table: str, label: str) -> str:
    """A wide table in a region that scrolls sideways on a narrow screen (focusable, so keys scroll it)."""
    return f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(label)}">{table}</div>'


def _min_n(row, ind) -> int:
    """The minimum n the row was computed with (params `min_n` for survey indicators)."""
    value = row.get("min_n")  # rows are dicts or Series: both have .get
    return int(value) if _ok(value) else ind.min_n


def _ok(v) -> bool:
    return not fmt.missing(v)


def _none(v):
    return v if _ok(v) else None


def _float(v) -> float | None:
    return float(v) if _ok(v) else None


def _signed(v, lang: str) -> str:
    return "–" if not _ok(v) else ("+" if v > 0 else "") + fmt.number(v, lang, 1)


def _list(series: pd.Series) -> list:
    return [None if fmt.missing(v) else float(v) for v in series]


_md = narrative.md_escape
_MD = MarkdownIt("commonmark", {"html": False})


def load(org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = "") -> Report:
    return Report(org_nr, year, lang, build_dir)
