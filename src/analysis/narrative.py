"""The narrative: facts computed from the indicator table, put into words by Jinja2 templates.

Rules (each tested in tests/test_narrative.py):
- no trend is claimed from a suppressed or missing value, this year or the year compared with;
- a change smaller than the stability threshold is called stable, never an increase or a fall;
- whether a change is good follows the indicator's polarity (a fall is good where lower is better);
- progress toward a target is on track when progress >= the elapsed share of the goal's period;
- the peer position is a quartile, given only for peer groups of at least three;
- low coverage (< 50 %) and small n carry a caveat.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import jinja2

from . import catalogue, fmt, paths

LOW_COVERAGE = 0.5
MIN_PEERS = 3


def _num(v) -> float | None:
    if v is None:
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
    return {1: "lowest", 2: "lower_middle", 3: "upper_middle", 4: "highest"}.get(int(q)) if q is not None and \
        not (isinstance(q, float) and math.isnan(q)) else None


def facts(row: dict, lang: str = "nb", target: Target | None = None) -> dict:
    """Everything the indicator paragraph may say, from one row of the indicator table."""
    ind = catalogue.load()[row["indicator_id"]]
    unit, status = ind.unit, row["status"]
    value = _num(row.get("value"))
    f = {"id": ind.id, "title": ind.title[lang], "status": status, "year": row["year"], "unit": unit,
         "reason": row.get("reason"), "n": int(row.get("n") or 0), "min_n": ind.min_n}
    if status != "ok" or value is None:
        return f
    prev, change = _num(row.get("prev_value")), _num(row.get("change_prev"))
    direction = trend(change, unit, prev) if prev is not None else None
    base_change = _num(row.get("change_baseline"))
    base_dir = (trend(base_change, unit, _num(row.get("baseline_value")))
                if base_change is not None and row.get("baseline_year") != row["year"] else None)
    peers = int(row.get("peer_n") or 0)
    f.update({
        "value": fmt.value(value, unit, lang),
        "trend": direction, "change": fmt.change(abs(change), unit, lang, signed=False) if direction else None,
        "prev_year": str(int(row["year"]) - 1),
        "judgement": judgement(direction, ind.polarity),
        "baseline_trend": base_dir, "baseline_year": row.get("baseline_year"),
        "baseline_change": fmt.change(base_change, unit, lang) if base_dir else None,
        "baseline_judgement": judgement(base_dir, ind.polarity),
        "quartile": quartile_word(row.get("peer_quartile")) if peers >= MIN_PEERS else None,
        "peer_median": fmt.value(_num(row.get("peer_median")), unit, lang) if peers >= MIN_PEERS else None,
        "peer_n": peers,
        "low_coverage": (_num(row.get("coverage")) or 0) < LOW_COVERAGE,
        "coverage": fmt.percent(_num(row.get("coverage")), lang, 0),
        "polarity": ind.polarity,
    })
    if target is not None:
        on_track = target.on_track(value, int(row["year"]))
        f.update({"target": fmt.value(target.target, unit, lang), "target_year": target.target_year,
                  "on_track": on_track})
    return f


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.NARRATIVE_TEMPLATES),
                             undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=False)
    return env


def render(template: str, lang: str = "nb", **context) -> str:
    """Renders templates/narrative/<template>.<lang>.md.j2; whitespace folded to single spaces."""
    text = _env().get_template(f"{template}.{lang}.md.j2").render(**context)
    return re.sub(r"[ \t\r\n]+", " ", text).strip()  # keeps the no-break spaces of formatted numbers


def indicator_text(row: dict, lang: str = "nb", target: Target | None = None) -> str:
    return render("indicator", lang, f=facts(row, lang, target))
