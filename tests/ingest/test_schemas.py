"""The table contracts (pandera) and the gain register's rules across its files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import sources

GOALS = ("goal_id,org_nr,text,indicator_ref,baseline_value,baseline_date,target_value,target_year,owner,"
         "risk_likelihood,risk_consequence,risk_text\n")
MEASURES = "measure_id,goal_id,description,start,end,cost_nok\n"
EFFECTS = "effect_id,goal_id,gain_type,unit,planned_value,realised_value,date,evidence\n"
IMPLEMENTATIONS = "measure_id,status,date,doffin_ids\n"


def register(tmp_path: Path, goals: str = "", measures: str = "", effects: str = "", impl: str = "") -> Path:
    d = tmp_path / "gains"
    d.mkdir()
    (d / "goals.csv").write_text(GOALS + (goals or "g1,974760673,Mål,P4,0.1,2024-01-15,0.3,2026,Kari,2,3,\n"))
    (d / "measures.csv").write_text(MEASURES + (measures or "m1,g1,Tiltak,2024-02-01,2024-12-31,1000\n"))
    (d / "effects.csv").write_text(EFFECTS + (effects or "e1,g1,efficiency,NOK,100,90,2024-12-31,\n"))
    (d / "implementations.csv").write_text(IMPLEMENTATIONS + (impl or "m1,done,2024-06-01,\n"))
    return d


def problems(directory: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as exc:
        sources.gains(directory)
    return [(Path(p.file).name, p.where, p.field) for p in exc.value.problems]


def test_a_consistent_register_loads(tmp_path):
    got = sources.gains(register(tmp_path))
    assert len(got["goals"]) == len(got["effects"]) == 1 and "_line" not in got["goals"].columns


def test_effect_dated_before_its_baseline(tmp_path):
    d = register(tmp_path, effects="e1,g1,efficiency,NOK,100,90,2023-12-31,\n")
    assert problems(d) == [("effects.csv", "row 2", "date")]


def test_units_that_do_not_match_the_gain_type(tmp_path):
    d = register(tmp_path, effects="e1,g1,efficiency,timer,100,90,2024-12-31,\ne2,g1,co2e,NOK,5,4,2024-12-31,\n"
                                   "e3,g1,co2e,tCO2e,5,4,2024-12-31,\ne4,g1,quality,poeng,5,4,2024-12-31,\n")
    assert problems(d) == [("effects.csv", "row 2", "unit"), ("effects.csv", "row 3", "unit")]


def test_references_to_unknown_goals_and_measures(tmp_path):
    d = register(tmp_path, measures="m1,g9,Tiltak,2024-02-01,,\n", effects="e1,g8,quality,,1,1,2024-12-31,\n",
                 impl="m7,done,,\n")
    assert problems(d) == [("measures.csv", "row 2", "goal_id"), ("effects.csv", "row 2", "goal_id"),
                           ("implementations.csv", "row 2", "measure_id")]


def test_rules_within_a_table_all_reported_together(tmp_path):
    d = register(tmp_path, goals="g1,974760673,Mål,,,2024-01-15,,2023,,,,\ng1,974760673,Igjen,,,,,,,,,\n",
                 measures="m1,g1,Tiltak,2024-05-01,2024-04-30,\n")
    assert problems(d) == [("goals.csv", "row 2", "goal_id"), ("goals.csv", "row 2", "target_year"),
                           ("goals.csv", "row 3", "goal_id"), ("measures.csv", "row 2", "end")]


def test_ids_are_unique_across_files(tmp_path):
    d = register(tmp_path)
    (d / "goals-2025.csv").write_text(GOALS + "g1,974760673,Samme id,,,2025-01-15,,,,,,\n")
    assert problems(d) == [("goals-2025.csv", "row 2", "goal_id"), ("goals.csv", "row 2", "goal_id")]


def test_organisation_listed_twice(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("org_nr,name,org_type\n974760673,A,state\n974 760 673,A igjen,state\n")
    with pytest.raises(InputError) as exc:
        sources.organisations(path)
    assert [(p.where, p.field) for p in exc.value.problems] == [("row 2", "org_nr"), ("row 3", "org_nr")]
    assert "more than once" in exc.value.problems[0].message
