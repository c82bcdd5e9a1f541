"""What a report notebook calls: it loads one organisation's slice, and shows tables, figures and text.

The notebook only loads, calls, displays and narrates; every number comes from the indicator table
that the compute stage wrote, and every sentence from analysis.narrative.

`Report` loads the data once and shows the parts of the report, one module each, by what they tell:
data_basis (title, introduction, data and method), key_messages, scorecard, effects_chain, areas (the five
areas, all indicators in one table, the procurements behind the numbers), self_evaluation, peers and own_words
(the organisation's assessment and next steps). A part reads the data from the report and returns what is
shown; only `Report` displays it. The words are in words.py, the cached table reads in analysis.tables.
"""

from __future__ import annotations

from pathlib import Path

from IPython.display import display

from .. import basis, catalogue, i18n, narrative, paths, tables
from .. import procurements as _procurements
from ..tables import indicators
from . import (
    areas,
    data_basis,
    effects_chain,
    key_messages,
    own_words,
    peers,
    scorecard,
    self_evaluation,
    values,
)
from .effects_chain import CONDITIONS, GAIN_UNITS
from .values import history_sparkline, quartile_text, status_word
from .words import COUNT_CLAUSES, METHOD_LINES, MISSING, TEXT

__all__ = ["COUNT_CLAUSES", "CONDITIONS", "GAIN_UNITS", "METHOD_LINES", "MISSING", "TEXT", "Report",
           "history_sparkline", "indicators", "load", "quartile_text", "status_word"]


class Report:
    """One organisation's report for one year: its data, and a method per part the notebook shows."""

    def __init__(self, org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = ""):
        build = paths.BuildPaths(Path(build_dir) if build_dir else paths.OUTPUT)
        self.build = build
        self.rows = tables.rows(build.indicators, ("org_nr",), str(org_nr))
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
        self.self_eval = tables.rows(build.self_evaluation, ("org_nr",), self.org_nr)
        self.goals = tables.rows(build.data / "goals.parquet", ("org_nr",), self.org_nr).sort_values("goal_id")
        measures = tables.read(build.data / "measures.parquet")
        self.measures = measures[measures["goal_id"].isin(set(self.goals["goal_id"]))]
        impls = tables.read(build.data / "implementations.parquet")
        self.implementations = impls[impls["measure_id"].isin(set(self.measures["measure_id"]))]
        effects = tables.read(build.data / "effects.parquet")
        self.effects = effects[effects["goal_id"].isin(set(self.goals["goal_id"]))]
        self.targets = self._targets()
        self.files = tables.supplied(build.quality)
        self.basis = basis.for_body(tables.rows(build.basis, ("org_nr",), self.org_nr), self.files, self.year)
        self.national = tables.rows(build.national, ("year",), self.year).set_index("indicator_id")["value"]
        self.commentary = own_words.load(build, self.org_nr, self.year)
        self.behind = _procurements.load(build, self.org_nr, self.year, lang)

    def _targets(self) -> dict[str, narrative.Target]:
        return effects_chain.targets(self)

    # ---------------------------------------------------------------- what the notebook shows, in its order
    def title(self) -> None:
        _show(data_basis.title(self))

    def key_messages(self) -> None:
        _show(key_messages.key_messages(self))

    def scorecard(self) -> None:
        _show(scorecard.scorecard(self))

    def effects_chain(self) -> None:
        _show(effects_chain.effects_chain(self))

    def next_steps(self) -> None:
        _show(own_words.next_steps(self))

    def section(self, area: str) -> None:
        _show(areas.section(self, area))

    def peers(self) -> None:
        _show(peers.peers(self))

    def self_evaluation(self) -> None:
        _show(self_evaluation.self_evaluation(self))

    def summary(self) -> None:
        _show(areas.summary(self))

    def procurements(self) -> None:
        _show(areas.procurements(self))

    def method(self) -> None:
        _show(data_basis.method(self))

    def trend_figure(self, ids: list[str], area_title: str) -> str:
        return areas.trend_figure(self, ids, area_title)

    def headline_values(self) -> list[tuple[str, str]]:
        return scorecard.headline_values(self)

    # ---------------------------------------------------------------- what the parts (and a deck) read
    def _value(self, row, ind) -> str:
        return values.value(self, row, ind)

    def _headlines(self, area: str, count: int = 2) -> list:
        return scorecard.headlines(self, area, count)

    def _unmeasured(self) -> list:
        return scorecard.unmeasured(self)

    def _goals_line(self) -> str:
        return scorecard.goals_line(self)

    def _goals(self) -> list[dict]:
        return effects_chain.goals(self)

    def _chain(self, goal: dict) -> tuple[dict, dict]:
        return effects_chain.chain(self, goal)

    def _counts(self, counts) -> str:
        return data_basis.counts(self, counts)


def _show(outputs: list) -> None:
    for output in outputs:
        display(output)


def load(org_nr: str, year: str, lang: str = "nb", build_dir: str | Path = "") -> Report:
    return Report(org_nr, year, lang, build_dir)
