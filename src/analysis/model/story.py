"""The deck story: one report as plain data, for the slides of a leadership meeting (issue #39).

A report tells its story on a page (report.Report, shown by the notebook); a deck tells the same story from
slides. This module reads one report once, through the names of `report.Report` that stay put while the
render stage changes around it, and gives back a `Story`: dataclasses of text, numbers, None and lists, in
the report's language, with nothing from pandas or HTML in it. So the writer (`analysis.writers.deck`) only lays
it out, the story can be pickled to a worker, and a test can compare it with the indicator table.

What a slide shows, the report already says: the same sentences (analysis.narrative), the same status
words (a hidden value is "hidden (n<5)", never a number) and the same figures (analysis.figures), in
Markdown turned into plain text. Each slide also gets the report's full text for it, as speaker notes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .. import basis, commentary, figures, fmt, i18n, narrative, paths
from .. import report as report_module
from ..i18n import N_
from ..markdown import PROSE
from ..report import scorecard

TEXT = {
    "key_messages": N_("Key messages"),
    "scorecard": N_("The five areas at a glance"),
    "chain": N_("Effects chain: from baseline to target"),
    "chain_figure": N_("Effects chain: goal, measures, implementation, result and effect"),
    "next_steps": N_("What was done and what is next"),
    "basis": N_("Data basis and what was not measured"),
    "notices": N_("What the notices show: {area}"),
    "assessment": N_("The organisation's assessment (its own words)"),
    "source": N_("Source: Innomål, DFØ's framework for measuring innovative procurement, {year}"),
    "org": N_("Organisation number {org_nr}"),
    "goal": N_("Goal"),
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "result": N_("Result {year}"),
    "status": N_("Status"),
    "on_track": N_("on track"),
    "off_track": N_("off track"),
    "reached": N_("reached"),
    "untracked": N_("no baseline or target"),
    "no_result": N_("no result yet"),
    "this_year": N_("Next steps set out for {year}"),
    "last_year": N_("Follow-up: the next steps from {year}"),
    "no_steps": N_("The organisation has set out no next steps for {year}."),
    "start": N_("Where to start measuring"),
    "start_line": N_("{source}: fill in {files} (usually held by {holder})"),
    "chart": N_("{area}: development {years}"),
    "area": N_("Area"),
    "change": N_("Change since {year}"),
    "where": N_("Position"),
    "sentences": N_("The most important sentences"),
    "chart_alt": N_("{title}. {items}"),
}

OWN_SOURCES = ("surveys", "gains", "contracts", "evaluations", "training", "spend")
CHART_SERIES = 4  # indicators in an area's chart at most (the report's trend figure shows four too)
CHART_YEARS = 5  # the last years in a chart
SENTENCES = 3  # an area slide's most important sentences


@dataclass
class Headline:
    """One headline indicator of the scorecard, every part already in words."""
    id: str
    title: str
    value: str  # the value, or its status word ("hidden (n<5)")
    move: str  # "up 4.0 points since 2024", "" where there is no value
    where: str  # the position among peers or against the target, "" where none is given
    judgement: str | None  # "good", "bad" or None: the change is in the desired direction or not


@dataclass
class Area:
    """One area of the framework on the scorecard."""
    id: str
    title: str
    headlines: list[Headline]
    lines: list[str]  # lines without a value: "Not measured: F1a, F2a", the goals on track


@dataclass
class Goal:
    """One goal of the effects chain: baseline, target, this year's result and status, in words."""
    text: str
    baseline: str
    target: str
    result: str
    status: str
    on_track: bool | None


@dataclass
class Series:
    """One indicator's values over the years as a chart shows them: None where nothing is published."""
    id: str
    title: str
    unit: str
    years: list[str]
    values: list[float | None]


@dataclass
class AreaSlide:
    """An area with values this year: its indicators for the chart and its most important sentences."""
    id: str
    title: str
    unit: str  # the chart's unit (its series share it)
    series: list[Series]
    chart_title: str
    chart_alt: str  # every charted value as the report shows it (hidden ones as "hidden (n<5)")
    sentences: list[str]
    notes: str


@dataclass
class Figure:
    """A figure of the report for what no native chart type draws: SVG bytes and its text alternative."""
    svg: bytes
    alt: str


@dataclass
class Slide:
    """A slide's title and its speaker notes (the report's full text for it)."""
    kind: str
    title: str
    notes: str


@dataclass
class Story:
    lang: str
    org_nr: str
    name: str
    year: str
    title: str
    subtitle: str  # organisation number and type
    source: str  # the source line and the data basis, as the report's first screen says it
    short: bool  # only public sources (notices): title, key messages, the notices' areas, data basis
    key_messages: list[str]
    assessment: str | None  # the organisation's own words beside the key messages
    byline: str  # "In the organisation's own words … Written by …"
    areas: list[Area]
    goals: list[Goal]
    goals_line: str
    chain_none: str  # why there is no chain to show ("" where there are goals)
    chain_figure: Figure | None
    area_slides: list[AreaSlide]
    actions: list[str]  # this year's next steps, with owner and date
    previous: list[str]  # last year's, as follow-up
    basis: list[str]  # the data basis and what was not measured
    start: list[str]  # where to start measuring: a line per source not supplied
    slides: list[Slide] = field(default_factory=list)  # in order, with their titles and notes
    words: dict[str, str] = field(default_factory=dict)  # the deck's own words (table heads), translated




def plain(markdown: str) -> str:
    """A Markdown text of the narrative as plain text: emphasis and escapes dropped, a link as its text."""
    out = []
    for block in PROSE.parse(markdown or ""):
        if block.type == "inline":
            out.append("".join(t.content if t.type in ("text", "code_inline") else " "
                               for t in block.children or [] if t.type in ("text", "code_inline", "softbreak",
                                                                            "hardbreak")))
        elif block.type in ("paragraph_close", "list_item_close", "heading_close"):
            out.append("\n")
    return "\n".join(line.strip() for line in "".join(out).splitlines() if line.strip())


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences (split after . ! ? followed by a space and a capital or a digit)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9“«])", text) if s.strip()]


def read(paths_of: paths.BuildPaths, org_nr: str, year: str, lang: str) -> Story:
    """The story of one report of the build."""
    return build(report_module.load(org_nr, year, lang, paths_of.output))


def build(report) -> Story:
    """The story of one report (a `report.Report`)."""
    lang, year = report.lang, report.year
    t = i18n.text(TEXT, lang)
    rt = report.t
    rows = {i.id: report.now.loc[i.id].to_dict() | {"indicator_id": i.id, "year": year} for i in report.cat.indicators}
    gains = report.basis.supplied("gains")
    goals = report._goals()
    chains = [report._chain(g) for g in goals]
    short = not any(report.basis.supplied(s) for s in OWN_SOURCES)
    messages = [plain(m) for m in narrative.key_messages(list(rows.values()), lang,
                                                         [c[0] for c in chains] if gains else None,
                                                         len(report._unmeasured()))]
    c = report.commentary
    byline = html.unescape(commentary.byline(c, lang))  # written for a page: escaped there
    first = [basis.basis_sentence(report.basis, lang), basis.not_supplied_sentence(report.basis, lang)]
    intro = rt["intro_other"] if report.org_type == "other" else rt["intro"].format(
        org_type=rt["types"][report.org_type])
    story = Story(
        lang=lang, org_nr=report.org_nr, name=report.name, year=year,
        title=rt["title"].format(name=report.name, year=year),
        subtitle=f'{t["org"].format(org_nr=report.org_nr)} · {rt["type"][report.org_type]}',
        source="\n".join([t["source"].format(year=year), plain(first[0])]),
        short=short, key_messages=messages, assessment=plain(c.assessment) if c.assessment else None,
        byline=byline, areas=_scorecard(report), goals=[_goal(report, g, f) for g, (f, _) in zip(
            goals, chains, strict=True)], goals_line=report._goals_line(), chain_figure=None,
        chain_none="" if goals else rt["chain_none"] if gains else rt["chain_not_supplied"],
        area_slides=_area_slides(report, rows), actions=[_step(s, lang) for s in c.actions],
        previous=[_step(s, lang) for s in c.previous], basis=[], start=_start(report),
        words={k: t[k] for k in ("goal", "baseline", "target", "status", "assessment", "start", "area", "where",
                                 "sentences")}
        | {"indicator": rt["indicator"], "value": rt["value"], "change": t["change"].format(year=int(year) - 1),
           "result": t["result"].format(year=year), "this_year": t["this_year"].format(year=year),
           "last_year": t["last_year"].format(year=int(year) - 1), "no_steps": t["no_steps"].format(year=year)})
    unmeasured = report._unmeasured()
    story.basis = [plain(s) for s in (first[0], basis.not_measured(unmeasured, report.basis, lang) if unmeasured
                                      else None, basis.not_supplied_sentence(report.basis, lang)) if s]
    if chains:
        svg, alt = figures.effects_chain([row for _, row in chains], lang)
        story.chain_figure = Figure(svg.encode("utf-8"), alt)
    story.slides = _slides(report, story, rows, chains, intro, first)
    return story


def _scorecard(report) -> list[Area]:
    """The scorecard's areas as the report's first screen shows them (report.scorecard's facts and words)."""
    rt, lang = report.t, report.lang
    areas = []
    for area, titles in report.cat.areas.items():
        heads = []
        for ind in report._headlines(area):
            row, f, move, _, where = scorecard.movement(report, ind)
            heads.append(Headline(ind.id, ind.title[lang], report._value(row, ind), move, where, f.get("judgement")))
        # none has units this year: which are not measured, which have no data
        lines = [] if heads else [f'{rt[label]}: {", ".join(ids)}' for label, ids in scorecard.gaps(report, area)]
        if area == "gevinster":
            lines.insert(0, report._goals_line())
        areas.append(Area(area, titles[lang], heads, lines))
    return areas


def _goal(report, goal: dict, f: dict) -> Goal:
    t = i18n.text(TEXT, report.lang)
    baseline = f'{f["baseline"]} ({f["baseline_date"]})' if not f["baseline_missing"] else "–"
    target = f'{f["target"]} ({f["target_year"]})' if "target" in f else "–"
    if f.get("reached"):
        status = t["reached"]
    elif f.get("on_track") is not None:
        status = t["on_track" if f["on_track"] else "off_track"]
    elif f["baseline_missing"] or "target" not in f:
        status = t["untracked"]
    else:
        status = t["no_result"]
    return Goal(str(goal["text"]), baseline, target, f["result"] or "–", status, f.get("on_track"))


def _series(report, ind, rows: dict) -> Series:
    """An indicator's published values of the report's last years: None where hidden or missing (`rows`: the
    report's rows of those years by indicator and year)."""
    years = report.years[-CHART_YEARS:]
    values = [rows.get((ind.id, y)) for y in years]
    return Series(ind.id, ind.title[report.lang], ind.unit, list(years),
                  [float(r["value"]) if r and r["status"] == "ok" and not fmt.missing(r["value"]) else None
                   for r in values])


def _area_slides(report, rows: dict) -> list[AreaSlide]:
    """One per area with values this year: its chart (the indicators with a value that share the unit of the
    first headline indicator with one, headline first) and the sentences of its headline indicators."""
    lang, slides, t, rt = report.lang, [], i18n.text(TEXT, report.lang), report.t
    recent = report.rows[report.rows["year"].isin(report.years[-CHART_YEARS:])]
    by_year = {(r["indicator_id"], r["year"]): r for r in recent.to_dict("records")}
    for area, titles in report.cat.areas.items():
        inds = report.cat.in_area(area)
        valued = [i for i in inds if rows[i.id]["status"] == "ok"]
        if not valued:
            continue
        heads = [i for i in report._headlines(area) if rows[i.id]["status"] == "ok"]
        unit = (heads or valued)[0].unit
        charted = sorted((i for i in valued if i.unit == unit), key=lambda i: i not in heads)[:CHART_SERIES]
        texts = {i.id: plain(narrative.indicator_text(rows[i.id], lang, report.targets.get(i.id)))
                 for i in inds if rows[i.id]["status"] != "no_data"}
        sentences = []
        for ind in heads or valued[:1]:
            sentences += _sentences(texts[ind.id])[:2]
        notes = [f"{i.id} {i.title[lang]}: {report._value(rows[i.id], i)}. {texts[i.id]}" for i in inds
                 if i.id in texts]
        empty = [i for i in inds if rows[i.id]["status"] == "no_data"]
        if empty:
            notes.append(plain(basis.not_measured(empty, report.basis, lang)))
        notes += [plain(report.commentary.notes[i.id]) for i in inds if i.id in report.commentary.notes]
        series = [_series(report, i, by_year) for i in charted]
        chart_title = t["chart"].format(area=titles[lang], years=fmt.span(series[0].years[0], series[0].years[-1]))
        items = "; ".join(f"{i.id} {i.title[lang]}: " + ", ".join(
            f"{y}: {report._value(by_year[i.id, y], i) if (i.id, y) in by_year else rt['no_data']}"
            for y in series[0].years) for i in charted)
        slides.append(AreaSlide(area, titles[lang], unit, series, chart_title,
                                t["chart_alt"].format(title=chart_title, items=items),
                                sentences[:SENTENCES], "\n\n".join(notes)))
    return slides


def _step(step: dict, lang: str) -> str:
    """A next step as the report lists it: its text, and its owner and date."""
    t = i18n.text(commentary.TEXT, lang)
    due = fmt.day(step["due"], lang) if step.get("due") else None
    who = (t["owner_due"].format(owner=step["owner"], date=due) if step.get("owner") and due else
           t["due"].format(date=due) if due else step.get("owner") or "")
    text = plain(step["text"])
    return f"{text} ({who})" if who else text


def _start(report) -> list[str]:
    """Per own source not supplied: the workbook of `innomaal templates` to fill in and who holds the data."""
    t = i18n.text(TEXT, report.lang)
    table = {s["id"]: s for s in basis.sources_table(report.files, report.cat, report.lang)}
    lines = []
    for source in OWN_SOURCES:
        s = table[source]
        if report.basis.supplied(source) or not s["workbooks"]:
            continue
        lines.append(t["start_line"].format(source=s["name"], files=", ".join(w["file"] for w in s["workbooks"]),
                                            holder=s["workbooks"][0]["holder"]))
    return lines


def _slides(report, story: Story, rows: dict, chains: list, intro: str, first: list) -> list[Slide]:
    """The slides in order, each with its title and its speaker notes."""
    t, rt, lang = i18n.text(TEXT, report.lang), report.t, report.lang
    slides = [Slide("title", story.title, "\n\n".join(plain(s) for s in (intro, *first) if s))]
    notes = "\n".join(story.key_messages)
    if story.assessment:
        notes += f"\n\n{t['assessment']}: {story.assessment}\n{story.byline}"
    slides.append(Slide("key_messages", t["key_messages"], notes))
    if not story.short:
        lines = [rt["scorecard_caption"]]
        for area in story.areas:
            lines.append(f"{area.title}: " + "; ".join(
                [*area.lines, *(", ".join(filter(None, (f"{h.id} {h.title}: {h.value}", h.move, h.where)))
                                for h in area.headlines)]))
        slides.append(Slide("scorecard", t["scorecard"], "\n".join(lines)))
        # the chain's slide says so where there are no goals, or no gain register
        text = [plain(narrative.chain_text(f, lang)) for f, _ in chains] or [story.chain_none]
        slides.append(Slide("chain", t["chain"], "\n\n".join([rt["chain_intro"], *text])))
        if story.chain_figure:
            slides.append(Slide("chain_figure", t["chain_figure"], story.chain_figure.alt))
    for area in story.area_slides:
        title = t["notices"].format(area=area.title) if story.short else area.title
        slides.append(Slide(f"area:{area.id}", title, area.notes))
    if story.actions or story.previous or not story.short:
        notes = "\n".join([story.words["this_year"], *(story.actions or [story.words["no_steps"]]),
                           *([story.words["last_year"], *story.previous] if story.previous else [])])
        slides.append(Slide("next_steps", t["next_steps"], notes))
    suppression = rt["suppression"].format(min_n=report.min_n, small=report.cat.settings["small_base"])
    slides.append(Slide("basis", t["basis"], "\n\n".join([*story.basis, suppression, *story.start])))
    return slides
