"""The narrative: facts computed from the indicator table, put into words by Jinja2 templates.

Rules (each tested in tests/test_narrative.py):
- no trend is claimed from a suppressed or missing value, this year or the year compared with;
- a change smaller than the stability threshold is called stable, never an increase or a fall;
- whether a change is good follows the indicator's polarity (a fall is good where lower is better);
- progress toward a target is on track when progress >= the elapsed share of the goal's period;
- the peer position is a quarter among the same peers as the median printed beside it (published values on a
  sufficient base), given only for at least `settings.min_peers` of them and never for a value printed as the
  median itself;
- low coverage (< 50 %) and small n carry a caveat;
- key messages name a change only for shares resting on at least KEY_MIN_N units, and rank peers by
  polarity (the best quarter is the top one where higher is better, the bottom one where lower is);
- an effects chain never measures progress without a baseline and a target, and says so; a result that moved
  away from the target is said to have gone the wrong way (never "−25 % of the way"), and the advice to continue
  the measures is given only where there are measures;
- a word after a count agrees with it ("1 gjennomført", "2 gjennomførte"), and a list cut short says so
  ("best, among others: …");
- a missing field (None, NaN, NA or NaT: `fmt.missing`) is absent: every row is read through `fmt.record`,
  so no sentence names it and no "nan" or "None" is written.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import jinja2

from . import catalogue, fmt, i18n, paths

LOW_COVERAGE = catalogue.load().settings["low_coverage"]  # flagged below this coverage
MIN_PEERS = catalogue.load().settings["min_peers"]  # comparable peers (sufficient base) for a quarter


def _num(v) -> float | None:
    if fmt.missing(v):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def trend(change, unit: str, reference=None, threshold: float | None = None) -> str | None:
    """'up', 'down' or 'stable'; None when there is nothing to compare. For shares the threshold is
    absolute (share points); for other units it is relative to the reference value."""
    change = _num(change)
    if change is None:
        return None
    threshold = catalogue.load().settings["stable_threshold"] if threshold is None else threshold
    if unit != "share":
        ref = abs(_num(reference) or 0.0)
        threshold = threshold * 2.5 * ref if ref else 0.0  # 5 % of the reference value by default
    if abs(change) < threshold or change == 0:
        return "stable"
    return "up" if change > 0 else "down"


def judgement(direction: str | None, polarity: str) -> str | None:
    """'good' or 'bad' for a direction under the indicator's polarity; None when neutral or stable."""
    if direction not in ("up", "down") or polarity == "neutral":
        return None
    return "good" if (direction == "up") == (polarity == "higher") else "bad"


@dataclass
class Target:
    baseline: float
    baseline_year: int
    target: float
    target_year: int

    def progress(self, value: float) -> float | None:
        span = self.target - self.baseline
        return None if span == 0 else (value - self.baseline) / span

    def elapsed(self, year: int) -> float:
        span = self.target_year - self.baseline_year
        return 1.0 if span <= 0 else min(1.0, max(0.0, (year - self.baseline_year) / span))

    def on_track(self, value: float, year: int) -> bool | None:
        progress = self.progress(value)
        return None if progress is None else progress >= self.elapsed(year)


def quartile_word(q) -> str | None:
    return {1: "lowest", 2: "lower_middle", 3: "upper_middle", 4: "highest"}.get(int(q)) if not fmt.missing(q) \
        else None


def facts(row: dict, lang: str = "nb", target: Target | None = None) -> dict:
    """Everything the indicator paragraph may say, from one row of the indicator table."""
    row = fmt.record(row)
    ind = catalogue.load()[row["indicator_id"]]
    unit, status = ind.unit, row["status"]
    value = _num(row.get("value"))
    f = {"id": ind.id, "title": ind.title[lang], "status": status, "year": row["year"], "unit": unit,
         "reason": (ind.unavailable or {}).get(lang) if status == "unavailable" else row.get("reason"),
         "n": int(row.get("n") or 0),
         "min_n": int(row["min_n"]) if _num(row.get("min_n")) is not None else ind.min_n}
    if status != "ok" or value is None:
        return f
    prev, change = _num(row.get("prev_value")), _num(row.get("change_prev"))
    direction = trend(change, unit, prev) if prev is not None else None
    base_change = _num(row.get("change_baseline"))
    base_dir = (trend(base_change, unit, _num(row.get("baseline_value")))
                if base_change is not None and row.get("baseline_year") != row["year"] else None)
    peers = int(row.get("peer_n") or 0)
    median = _num(row.get("peer_median")) if peers >= MIN_PEERS else None
    quartile = quartile_word(row.get("peer_quartile")) if median is not None else None
    if quartile and fmt.value(value, unit, lang) == fmt.value(median, unit, lang):
        quartile = None  # printed as the median itself: on neither side of it
    f.update({
        "value": fmt.value(value, unit, lang),
        "trend": direction, "change": fmt.change(abs(change), unit, lang, signed=False) if direction else None,
        "prev_year": str(int(row["year"]) - 1),
        "judgement": judgement(direction, ind.polarity),
        "baseline_trend": base_dir, "baseline_year": row.get("baseline_year"),
        "baseline_change": fmt.change(base_change, unit, lang) if base_dir else None,
        "baseline_judgement": judgement(base_dir, ind.polarity),
        "quartile": quartile,
        "peer_median": fmt.value(median, unit, lang) if median is not None else None,
        "peer_n": peers,
        "low_coverage": (_num(row.get("coverage")) or 0) < LOW_COVERAGE,
        "coverage": fmt.percent(_num(row.get("coverage")), lang, 0),
        "polarity": ind.polarity,
        "count": count_phrase(row, ind, lang),
        "small_base": bool(row.get("small_base")), "small_base_n": catalogue.load().settings["small_base"],
        "ci_low": fmt.percent(_num(row.get("ci_low")), lang, 0) if _num(row.get("ci_low")) is not None else None,
        "ci_high": fmt.percent(_num(row.get("ci_high")), lang, 0) if _num(row.get("ci_high")) is not None else None,
    })
    if target is not None:
        on_track = target.on_track(value, int(row["year"]))
        f.update({"target": fmt.value(target.target, unit, lang), "target_year": target.target_year,
                  "on_track": on_track})
    return f


def count_phrase(row: dict, ind: catalogue.Indicator, lang: str) -> str | None:
    """A share as the count it rests on ("1 of 3 procedures"), where its denominator counts its units."""
    k, n = _num(row.get("numerator")), _num(row.get("denominator"))
    if ind.unit != "share" or k is None or n is None or n != _num(row.get("n")) or ind.units not in UNIT_WORDS:
        return None
    return UNIT_WORDS[ind.units](i18n.translations(lang), int(n)).format(k=fmt.number(k, lang), n=fmt.number(n, lang))


# What a share counts, as "k of n units" (the plural follows n).
UNIT_WORDS = {
    "procedure": lambda t, n: t.ngettext("{k} of {n} procurement", "{k} of {n} procurements", n),
    "lot": lambda t, n: t.ngettext("{k} of {n} lot", "{k} of {n} lots", n),
    "award": lambda t, n: t.ngettext("{k} of {n} award", "{k} of {n} awards", n),
    "respondent": lambda t, n: t.ngettext("{k} of {n} respondent", "{k} of {n} respondents", n),
    "goal": lambda t, n: t.ngettext("{k} of {n} goal", "{k} of {n} goals", n),
    "effect": lambda t, n: t.ngettext("{k} of {n} effect", "{k} of {n} effects", n),
}


def _env(lang: str) -> jinja2.Environment:
    return i18n.jinja_env(str(paths.NARRATIVE_TEMPLATES), lang, autoescape=False)


def render(template: str, lang: str = "nb", **context) -> str:
    """Renders templates/narrative/<template>.md.j2 in `lang`; whitespace folded to single spaces."""
    text = _env(lang).get_template(f"{template}.md.j2").render(**context)
    return re.sub(r"[ \t\r\n]+", " ", text).strip()  # keeps the no-break spaces of formatted numbers


def indicator_text(row: dict, lang: str = "nb", target: Target | None = None) -> str:
    return render("indicator", lang, f=facts(row, lang, target))


# ------------------------------------------------------------------------------------------ key messages
KEY_MIN_N = 10  # a change is a key message only when the share rests on at least this many units
def key_facts(rows: list[dict], lang: str = "nb", goals: list[dict] | None = None, unmeasured: int = 0) -> dict:
    """What the key messages may say, from this year's rows of the indicator table (one per indicator) and
    the effects-chain facts of the organisation's goals (`chain_facts`; None where no gain register is supplied
    for the organisation: then nothing is said about its goals). Only published values (status ok) are used; a
    change is named only when it is outside the stability threshold. `unmeasured`: indicators whose sources
    are not supplied for the organisation."""
    cat = catalogue.load()
    rows = [fmt.record(r) for r in rows]
    ok = [r for r in rows if r["status"] == "ok" and _num(r.get("value")) is not None]
    moves, compared = [], 0
    for r in ok:
        ind = cat[r["indicator_id"]]
        change = _num(r.get("change_prev"))
        if ind.unit != "share" or change is None or _num(r.get("prev_value")) is None or \
                int(r.get("n") or 0) < KEY_MIN_N:
            continue
        compared += 1
        direction = trend(change, ind.unit)
        if direction in ("up", "down"):
            moves.append((abs(change), r, direction, judgement(direction, ind.polarity)))
    moves.sort(key=lambda m: (-m[0], m[1]["indicator_id"]))

    def move(m) -> dict:
        _, r, direction, verdict = m
        ind = cat[r["indicator_id"]]
        return {"id": ind.id, "title": ind.title[lang], "direction": direction, "judgement": verdict,
                "change": fmt.change(abs(_num(r["change_prev"])), ind.unit, lang, signed=False),
                "value": fmt.value(_num(r["value"]), ind.unit, lang), "prev_year": str(int(r["year"]) - 1)}

    biggest = move(moves[0]) if moves else None
    worst = next((move(m) for m in moves[1:] if m[3] == "bad"), None)
    ranked = [r for r in ok if int(r.get("peer_n") or 0) >= MIN_PEERS and cat[r["indicator_id"]].polarity != "neutral"
              and not fmt.missing(r.get("peer_quartile"))]  # small bases are not placed by quartile

    def position(r) -> int | None:  # 4 = best quarter, 1 = worst, whatever the polarity
        q = r.get("peer_quartile")
        if fmt.missing(q):
            return None
        return int(q) if cat[r["indicator_id"]].polarity == "higher" else 5 - int(q)

    best = sorted(r["indicator_id"] for r in ranked if position(r) == 4)
    weakest = sorted(r["indicator_id"] for r in ranked if position(r) == 1)
    gains = goals is not None
    goals = goals or []
    # a goal as the key messages name it: its text, and its number in the effects chain where another goal
    # has the same text
    texts = Counter(g["text"] for g in goals)
    named = [({"text": g["text"], "k": k if texts[g["text"]] > 1 else None}, g["on_track"])
             for k, g in enumerate(goals, start=1) if g.get("on_track") is not None]
    return {
        "year": rows[0]["year"] if rows else "", "total": len(rows), "ok": len(ok),
        "suppressed": sum(r["status"] == "suppressed" for r in rows),
        "biggest": biggest, "worst": worst, "compared": compared,
        "best": best[:4], "n_best": len(best), "weakest": weakest[:4], "n_weakest": len(weakest),
        "n_ranked": len(ranked),
        "gains": gains, "goals": len(goals), "unmeasured": unmeasured,
        "on_track": [goal for goal, on_track in named if on_track],
        "off_track": [goal for goal, on_track in named if not on_track],
    }


def key_messages(rows: list[dict], lang: str = "nb", goals: list[dict] | None = None,
                 unmeasured: int = 0) -> list[str]:
    """Three to five sentences for the leadership: the largest change, the largest change the wrong way,
    the goals on and off track, the position among peers, and what the figures rest on."""
    text = _env(lang).get_template("key_messages.md.j2").render(k=key_facts(rows, lang, goals, unmeasured))
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ effects chain
RISK_LEVELS = ((6, "low"), (14, "medium"), (25, "high"))  # likelihood × consequence, each 1–5


def chain_facts(goal: dict, measures: list[dict], implementations: list[dict], effects: list[dict],
                result: dict | None, conditions: list[dict], year: str, lang: str = "nb") -> dict:
    """The framework's questions about one goal, answered from the gain register and the indicator table.

    `result` is the goal's result this year: {"value", "unit", "source"} (None when there is none);
    `conditions` are this year's rows of the framework-condition indicators it rests on."""
    cat = catalogue.load()
    goal, result = fmt.record(goal), fmt.record(result) if result else None
    measures, implementations, effects, conditions = ([fmt.record(r) for r in rows] for rows in (
        measures, implementations, effects, conditions))
    unit = result["unit"] if result else "share"
    baseline, target = _num(goal.get("baseline_value")), _num(goal.get("target_value"))
    baseline_year = int(str(goal["baseline_date"])[:4]) if goal.get("baseline_date") else None
    target_year = int(goal["target_year"]) if goal.get("target_year") else None
    value = _num(result["value"]) if result else None
    f = {"text": md_escape(goal["text"]), "indicator_ref": md_escape(goal.get("indicator_ref") or ""),
         "owner": md_escape(goal.get("owner") or ""),
         "year": year, "baseline_missing": baseline is None or baseline_year is None,
         "result": fmt.value(value, unit, lang) if value is not None else None,
         "result_source": result["source"] if result else None, "risk": None}
    if not f["baseline_missing"]:
        f.update({"baseline": fmt.value(baseline, unit, lang), "baseline_date": fmt.day(goal["baseline_date"], lang)})
    likelihood, consequence = goal.get("risk_likelihood"), goal.get("risk_consequence")
    if likelihood and consequence:
        score = int(likelihood) * int(consequence)
        f["risk"] = {"score": score, "level": next(level for top, level in RISK_LEVELS if score <= top),
                     "text": md_escape(goal.get("risk_text") or "")}
    if target is not None and target_year is not None:
        f["target"] = fmt.value(target, unit, lang)
        f["target_year"] = target_year
        if value is not None and not f["baseline_missing"]:
            t = Target(baseline, baseline_year, target, target_year)
            progress = t.progress(value)
            f["reached"] = progress is not None and progress >= 1
            f["on_track"] = t.on_track(value, int(year))
            f["backwards"] = progress is not None and progress < 0  # moved away from the target since the baseline
            f["progress"] = fmt.percent(progress, lang, 0) if progress is not None else None
            f["elapsed"] = fmt.percent(t.elapsed(int(year)), lang, 0)
    statuses = [i["status"] for i in implementations]
    f["measures"] = [{"description": md_escape(m["description"]), "cost": fmt.nok(_num(m.get("cost_nok")), lang)
                      if _num(m.get("cost_nok")) is not None else None} for m in measures]
    f["status_counts"] = {s: statuses.count(s) for s in ("done", "ongoing", "planned", "stopped") if s in statuses}
    f["cost"] = fmt.nok(sum(_num(m.get("cost_nok")) or 0 for m in measures), lang)
    gains = {}
    for e in effects:
        if e.get("date") and str(e["date"])[:4] > year:
            continue
        g = gains.setdefault(e["gain_type"], {"planned": 0.0, "realised": 0.0, "unit": e.get("unit")})
        g["planned"] += _num(e.get("planned_value")) or 0
        g["realised"] += _num(e.get("realised_value")) or 0
    f["gains"] = [{"type": k, "planned": _gain(v["planned"], k, lang), "realised": _gain(v["realised"], k, lang),
                   "share": fmt.percent(v["realised"] / v["planned"], lang, 0) if v["planned"] else None}
                  for k, v in sorted(gains.items())]
    f["conditions"] = [{"id": r["indicator_id"], "title": cat[r["indicator_id"]].title[lang],
                        "value": fmt.value(_num(r["value"]), cat[r["indicator_id"]].unit, lang)}
                       for r in conditions if r["status"] == "ok"]
    done = f["status_counts"].get("done", 0) == len(statuses) and statuses
    f["advice"] = ("reached" if f.get("reached") else
                   "correct" if f.get("on_track") is False and done else
                   "stopped" if "stopped" in statuses else
                   "not_started" if statuses and all(s == "planned" for s in statuses) else
                   "continue" if f.get("on_track") and measures else "follow")  # nothing to continue without measures
    return f


def _gain(value: float, gain_type: str, lang: str) -> str:
    if gain_type == "efficiency":
        return fmt.nok(value, lang)
    if gain_type == "co2e":
        return fmt.value(value, "tco2e", lang)
    return fmt.number(value, lang, 1)


def chain_text(f: dict, lang: str = "nb") -> str:
    return _env(lang).get_template("effects_chain.md.j2").render(f=f).strip()


# ------------------------------------------------------------------------------------------ self-evaluation
SCORE_STABLE = 0.2  # on the 1–5 scale, a change smaller than this is called stable


def self_evaluation_facts(questions: list[dict], barriers: list[dict], lang: str = "nb") -> dict:
    """The highest and lowest scored questions, how many moved since the previous wave (a change under
    SCORE_STABLE on the 1–5 scale is stable), and the barriers most often named. Only published (ok)
    values count. Each question: {"k", "status", "value", "prev_year", "change"}; each barrier:
    {"text", "status", "value" (share naming it)}."""
    questions, barriers = [fmt.record(q) for q in questions], [fmt.record(b) for b in barriers]
    shown = [q for q in questions if q["status"] == "ok" and _num(q.get("value")) is not None]
    ranked = sorted(shown, key=lambda q: (-_num(q["value"]), q["k"]))
    moves = {"up": 0, "down": 0, "stable": 0}
    for q in shown:
        change = _num(q.get("change"))
        if change is not None:
            moves["stable" if abs(change) < SCORE_STABLE else "up" if change > 0 else "down"] += 1
    prev_years = sorted({str(q["prev_year"]) for q in shown
                         if q.get("prev_year") and _num(q.get("change")) is not None})
    named = sorted((b for b in barriers if b["status"] == "ok" and _num(b.get("value"))),
                   key=lambda b: (-_num(b["value"]), b["text"]))
    return {
        "shown": len(shown), "total": len(questions), "hidden": len(questions) - len(shown),
        "best": {"k": ranked[0]["k"], "score": fmt.number(_num(ranked[0]["value"]), lang, 1)} if ranked else None,
        "worst": {"k": ranked[-1]["k"], "score": fmt.number(_num(ranked[-1]["value"]), lang, 1)}
        if len(ranked) > 1 else None,
        "moves": moves if sum(moves.values()) else None, "prev_year": prev_years[-1] if prev_years else None,
        "moved": [(kind, count) for kind, count in moves.items() if count],  # what to say: no "0 went down"
        "barriers": [{"text": b["text"], "share": fmt.percent(_num(b["value"]), lang, 0)} for b in named[:3]],
    }


def self_evaluation_text(questions: list[dict], barriers: list[dict], lang: str = "nb", min_n: int = 5) -> str:
    return render("self_evaluation", lang, s=self_evaluation_facts(questions, barriers, lang), min_n=min_n)


def md_escape(text) -> str:
    """Free text from the data (goal descriptions, names) made inert in Markdown: every character that
    Markdown or HTML could read as syntax is backslash-escaped, so it is shown exactly as written."""
    if fmt.missing(text):
        return ""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~&" else c for c in str(text))
