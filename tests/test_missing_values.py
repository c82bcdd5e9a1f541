"""One path for missing values: None, NaN, pandas' NA and NaT in any optional field never reach a reader's text
as "nan", "None", "NaT" or "<NA>". Every narrative template and every report section is rendered with rows
whose optional fields are all missing, once per kind of missing value."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from markupsafe import Markup

from analysis import catalogue, fmt, narrative, overview, pipeline
from analysis import report as report_module
from analysis.model.reports import downloads
from analysis.writers.html import template

MISSING = {"None": None, "NaN": float("nan"), "numpy NaN": np.float64("nan"), "NA": pd.NA, "NaT": pd.NaT}
LEAKED = re.compile(r"\b(?:nan|NaN|None|NaT)\b|<NA>|&lt;NA&gt;")
STATUSES = ("ok", "suppressed", "not_reported", "not_yet", "no_data", "unavailable", "derived")
OPTIONAL_INDICATOR_FIELDS = ("numerator", "denominator", "n", "min_n", "coverage", "reason", "peer_n", "peer_median",
                             "peer_q1", "peer_q3", "peer_quartile", "prev_value", "change_prev", "baseline_year",
                             "baseline_value", "change_baseline")
OPTIONAL_GOAL_FIELDS = ("indicator_ref", "baseline_value", "baseline_date", "target_value", "target_year", "owner",
                        "risk_likelihood", "risk_consequence", "risk_text")


def leaks(text: str) -> list[str]:
    return LEAKED.findall(text)


@pytest.mark.parametrize("value", MISSING.values(), ids=MISSING.keys())
def test_missing_is_one_test_for_every_kind(value):
    assert fmt.missing(value) and fmt.present(value, "x") == "x" and fmt.record({"a": value}) == {"a": None}
    assert fmt.number(value) == fmt.value(value, "share") == fmt.change(value, "nok") == "–"
    assert narrative.md_escape(value) == ""


@pytest.mark.parametrize("value", ["nan", "None", 0, 0.0, "", "0301"])
def test_a_present_value_is_not_missing(value):
    assert not fmt.missing(value) and fmt.present(value, "x") == value


def _row(ind_id: str, status: str, gone, value=0.25) -> dict:
    return {"indicator_id": ind_id, "year": "2025", "status": status, "value": value if status == "ok" else gone,
            **dict.fromkeys(OPTIONAL_INDICATOR_FIELDS, gone)}


def _goal(gone, k: int = 1) -> dict:
    return {"goal_id": f"M{k}", "org_nr": "974760673", "text": "Mindre matsvinn",
            **dict.fromkeys(OPTIONAL_GOAL_FIELDS, gone)}


@pytest.mark.parametrize("gone", MISSING.values(), ids=MISSING.keys())
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_every_narrative_template_with_every_optional_field_missing(gone, lang):
    cat = catalogue.load()
    texts = []
    for ind in cat.indicators:
        for status in STATUSES:
            texts.append(narrative.indicator_text(_row(ind.id, status, gone), lang))
        texts.append(narrative.indicator_text(_row(ind.id, "ok", gone), lang,
                                              narrative.Target(0.1, 2019, 0.5, 2030)))
    rows = [_row(ind.id, "ok", gone) for ind in cat.indicators]
    goal = _goal(gone)
    measures = [{"measure_id": "T1", "goal_id": "M1", "description": "Ny rutine", "start": gone, "end": gone,
                 "cost_nok": gone}]
    impls = [{"measure_id": "T1", "status": "ongoing", "date": gone, "doffin_ids": gone}]
    effects = [{"effect_id": "E1", "goal_id": "M1", "gain_type": "quality", "unit": gone, "planned_value": gone,
                "realised_value": gone, "date": gone, "evidence": gone}]
    conditions = [_row(i, "ok", gone) for i in report_module.CONDITIONS]
    for result in (None, {"value": gone, "unit": "share", "source": "P4"}, {"value": 0.3, "unit": "share",
                                                                            "source": "P4"}):
        facts = narrative.chain_facts(goal, measures, impls, effects, result, conditions, "2025", lang)
        texts += [narrative.chain_text(facts, lang), narrative.render("chain_alt", lang, f=facts)]
        texts += narrative.key_messages(rows, lang, [facts])
    questions = [{"k": k, "status": status, "value": gone if status != "ok" else 3.5, "share_agree": gone, "n": gone,
                  "prev_year": gone, "prev_value": gone, "change": gone}
                 for k, status in enumerate(("ok", "suppressed", "no_data"), start=1)]
    barriers = [{"text": "Tid", "status": "ok", "value": gone}, {"text": "Kompetanse", "status": "suppressed",
                                                                  "value": gone}]
    texts.append(narrative.self_evaluation_text(questions, barriers, lang, 5))
    assert all(texts) and not [t for t in texts if leaks(t)], [t for t in texts if leaks(t)][:3]


def test_a_goal_without_an_owner_names_no_owner():
    facts = narrative.chain_facts(_goal(float("nan")), [], [], [], None, [], "2025", "nb")
    text = narrative.chain_text(facts, "nb")
    assert "Gevinstansvarlig" not in text and "Mindre matsvinn" in text


@pytest.fixture(scope="module")
def missing_build(demo_build):
    """The demo build's tables, read once."""
    p, _ = demo_build
    return pipeline.build_paths(p)


@pytest.mark.parametrize("gone", MISSING.values(), ids=MISSING.keys())
def test_every_report_section_with_every_optional_field_missing(missing_build, gone, monkeypatch):
    table = pd.read_parquet(missing_build.indicators)
    org, year = table["org_nr"].iloc[0], max(table["year"])
    shown: list[str] = []
    monkeypatch.setattr(report_module, "display", lambda obj: shown.append(obj.data))
    rep = report_module.load(org, year, "nb", missing_build.output)
    rows = rep.rows.copy()
    for col in ("numerator", "denominator", "coverage", "peer_median", "peer_q1", "peer_q3", "peer_quartile",
                "prev_value", "change_prev", "baseline_value", "change_baseline"):
        rows[col] = np.nan
    rows[["reason", "baseline_year"]] = None
    rep.rows = rows
    rep.now = rows[rows["year"] == rep.year].set_index("indicator_id")
    rep.goals = pd.DataFrame([_goal(gone, k) | {"org_nr": org, "indicator_ref": ref}
                              for k, ref in enumerate((gone, "P4", "G2-NOK"), start=1)], dtype=object)
    rep.measures = pd.DataFrame([{"measure_id": "T1", "goal_id": "M2", "description": "Ny rutine", "start": gone,
                                  "end": gone, "cost_nok": np.nan}], dtype=object)
    rep.implementations = pd.DataFrame([{"measure_id": "T1", "status": "done", "date": None, "doffin_ids": gone}])
    rep.effects = pd.DataFrame([{"effect_id": "E1", "goal_id": "M3", "gain_type": "efficiency", "unit": gone,
                                 "planned_value": np.nan, "realised_value": np.nan, "date": "2024-01-01",
                                 "evidence": gone}])
    se = rep.self_eval.copy()
    se[["prev_year"]] = None
    se[["prev_value", "change", "share_agree"]] = np.nan
    rep.self_eval = se
    rep.targets = rep._targets()
    rep.__dict__.pop("_chains", None)
    rep.__dict__.pop("_rows_by_indicator", None)
    rep.title()
    rep.key_messages()
    rep.summary()
    for area in rep.cat.areas:
        rep.section(area)
    rep.peers()
    rep.effects_chain()
    rep.self_evaluation()
    rep.method()
    text = "\n".join(shown)
    assert "Mindre matsvinn" in text and not leaks(text), sorted(set(leaks(text)))

    now = table[table["org_nr"] == org]
    now = now[now["year"] == year].assign(reason=None, coverage=np.nan, peer_median=np.nan)
    csv = io.StringIO()
    downloads(now, "nb").to_csv(csv, index=False)
    national = pd.read_parquet(missing_build.national).assign(n=np.nan, orgs=np.nan)
    data = overview.build(table.assign(change_prev=np.nan), national, year, "nb")
    page = template("overview", "nb").render(
        lang="nb", site_title="Innomål", root="../", overview_year=year, page_title=data["title"],
        active="overview", o=data, figure=Markup(""), published=set(table["org_nr"]),
        funnels=[f | {"figure": Markup(f["figure"])} for f in overview.funnels(table, national, year, "nb")])
    assert "<h1" in page and not leaks(csv.getvalue()) and not leaks(page), sorted(set(leaks(page)))
