"""The effects chain (effektkjede): per goal of the gain register, from goal and baseline through measures and
implementation to result and effects, as a diagram and the framework's questions answered; and the targets the
goals set for indicators, which the scorecard and the areas measure progress against."""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML, Markdown

from .. import figures, fmt, i18n, narrative
from ..markdown import PROSE
from .values import ok

CONDITIONS = ("F1a", "F2a", "F4a", "F7")  # the framework conditions an effects chain rests on
GAIN_UNITS = {"nok": "efficiency", "tco2e": "co2e"}  # money and CO2 goals: the goal's own realised effects


def effects_chain(r) -> list:
    """Per goal in the gain register, the chain as a diagram and the framework's questions."""
    t = r.t
    goals = r._goals()
    if not goals:
        none = t["chain_none"] if r.basis.supplied("gains") else t["chain_not_supplied"]
        return [Markdown(f"## {t['chain']}\n\n{none}")]
    chains = [r._chain(g) for g in goals]
    svg, alt = figures.effects_chain([c[1] for c in chains], r.lang)
    return [Markdown(f"## {t['chain']}\n\n{t['chain_intro']}"),
            HTML(figures.html(svg, alt, t["chain_caption"])),
            HTML("".join(
                f'<details class="goal"><summary>{escape(t["goal"].format(k=k, text=goal["text"]))}</summary>'
                f"{PROSE.render(narrative.chain_text(facts, r.lang))}</details>"
                for k, (goal, (facts, _)) in enumerate(zip(goals, chains, strict=True), start=1)))]


def targets(r) -> dict[str, narrative.Target]:
    """Targets for indicators from the goals that name them (shares, means and counts)."""
    found = {}
    for g in r.goals.itertuples(index=False):
        ref = str(fmt.present(g.indicator_ref, ""))
        if ref in r.cat and r.cat[ref].unit in ("share", "mean", "count") and \
                ok(g.baseline_value) and ok(g.target_value) and ok(g.baseline_date) and ok(g.target_year):
            found.setdefault(ref, narrative.Target(float(g.baseline_value), int(str(g.baseline_date)[:4]),
                                                   float(g.target_value), int(g.target_year)))
    return found


def goals(r) -> list[dict]:
    """Goals set by this year (baseline date up to the report year, or no baseline)."""
    found = [fmt.record(g) for g in r.goals.to_dict("records")]
    return [g for g in found if not g.get("baseline_date") or str(g["baseline_date"])[:4] <= r.year]


def chain(r, goal: dict) -> tuple[dict, dict]:
    """The narrative facts of one goal's effects chain, and its row in the diagram (computed once per report)."""
    cache = r.__dict__.setdefault("_chains", {})
    if goal["goal_id"] not in cache:
        cache[goal["goal_id"]] = _make_chain(r, goal)
    return cache[goal["goal_id"]]


def _make_chain(r, goal: dict) -> tuple[dict, dict]:
    t, lang = r.t, r.lang
    measures = r.measures[r.measures["goal_id"] == goal["goal_id"]].sort_values("measure_id")
    impls = r.implementations[r.implementations["measure_id"].isin(set(measures["measure_id"]))]
    impls = impls[impls["date"].isna() | (impls["date"].str[:4] <= r.year)]
    effects = r.effects[r.effects["goal_id"] == goal["goal_id"]].sort_values("effect_id")
    result = _goal_result(r, goal, effects)
    conditions = [r.now.loc[i].to_dict() | {"indicator_id": i} for i in CONDITIONS if i in r.now.index]
    facts = narrative.chain_facts(goal, measures.to_dict("records"), impls.to_dict("records"),
                                  effects.to_dict("records"), result, conditions, r.year, lang)
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


def _goal_result(r, goal: dict, effects: pd.DataFrame) -> dict | None:
    """The goal's result this year: its indicator's value, or for money and CO2 goals the goal's own
    realised effects up to this year."""
    ref = str(goal.get("indicator_ref") or "")
    base = ref.split("-")[0]
    if base not in r.cat:
        return None
    unit = "nok" if ref.endswith("-NOK") else r.cat[base].unit
    if unit in GAIN_UNITS:
        mine = effects[(effects["gain_type"] == GAIN_UNITS[unit]) & (effects["date"].str[:4] <= r.year)]
        realised = mine["realised_value"].dropna()
        return {"value": float(realised.sum()), "unit": unit, "source": "gains"} if len(realised) else None
    row = r.now.loc[base]
    return {"value": float(row["value"]), "unit": unit, "source": base} if row["status"] == "ok" else None
