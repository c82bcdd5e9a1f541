"""Property-based tests (hypothesis) for the loaders and the indicator maths."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import compute, ingest, orgnr
from analysis.ingest import csvfiles

A = "974760673"
SME, LARGE, UNKNOWN = "976030788", "971497017", "959469059"  # supplier sizes known, known, not in the registry


@given(st.integers(min_value=-10**13, max_value=10**13), st.sampled_from(["nb", "nb_dot", "plain", "nbsp"]))
def test_amounts_round_trip_in_every_written_form(ore, form):
    kroner, rest = divmod(abs(ore), 100)
    sign = "-" if ore < 0 else ""
    groups = f"{kroner:,}"
    text = {"nb": f"{sign}{groups.replace(',', ' ')},{rest:02d}",
            "nb_dot": f"{sign}{groups.replace(',', '.')},{rest:02d}",
            "plain": f"{sign}{kroner}.{rest:02d}",
            "nbsp": f"{sign}{groups.replace(',', chr(0xa0))},{rest:02d} kr"}[form]
    assert csvfiles.parse_ore(text) == ore


@given(st.integers(min_value=10_000_000, max_value=99_999_999), st.sampled_from(
    ["{n}", "{a} {b} {c}", "NO{n}MVA", "Org.nr. {n}", "NO {a} {b} {c} MVA", " {n} "]))
def test_organisation_numbers_in_any_real_form(base, form):
    number = orgnr.with_check_digit(str(base))
    if number is None:  # no valid check digit exists for this base
        return
    text = form.format(n=number, a=number[:3], b=number[3:6], c=number[6:])
    assert orgnr.normalise(text) == number and orgnr.check_digit_ok(number)


def _dataset(root: Path, lines: list[tuple[str, int, str]], answers: list[int], split: bool, seed: int) -> Path:
    root.mkdir(parents=True)
    (root / "organisations.csv").write_text(f"org_nr,name,org_type\n{A},Testetaten,state\n", encoding="utf-8")
    (root / "suppliers").mkdir()
    (root / "suppliers" / "units.json").write_text(json.dumps([
        {"organisasjonsnummer": SME, "antallAnsatte": 10, "organisasjonsform": {"kode": "AS"},
         "stiftelsesdato": "2022-01-01"},
        {"organisasjonsnummer": LARGE, "antallAnsatte": 900, "organisasjonsform": {"kode": "ASA"},
         "stiftelsesdato": "1990-01-01"}]), encoding="utf-8")
    rows = [f"{A};{supplier};{ore // 100},{ore % 100:02d};{day}\n" for supplier, ore, day in lines]
    survey = [f"{A},2024,r{i},strategy_innovation,{v}\n" for i, v in enumerate(answers)]
    random.Random(seed).shuffle(rows)
    random.Random(seed).shuffle(survey)
    (root / "spend").mkdir()
    (root / "surveys").mkdir()
    cut = len(rows) // 2 if split else len(rows)
    for name, part in (("a", rows[:cut]), ("b", rows[cut:])):
        if part:
            (root / "spend" / f"{name}.csv").write_text(
                "org_nr;supplier_org_nr;amount_nok;invoice_date\n" + "".join(part), encoding="utf-8")
    (root / "surveys" / "s.csv").write_text("org_nr,year,respondent_id,item_id,value\n" + "".join(survey),
                                            encoding="utf-8")
    return root


def _indicators(root: Path) -> pd.DataFrame:
    ingest.run(root, root.parent / f"{root.name}-out")
    table = compute.compute(root.parent / f"{root.name}-out")
    return table[table["indicator_id"].isin(["P7a", "P7b", "F1a"])].set_index(["year", "indicator_id"])


LINES = st.lists(st.tuples(st.sampled_from([SME, LARGE, UNKNOWN]), st.integers(1, 10**9),
                           st.sampled_from(["2024-01-15", "2024-06-30", "31.12.2024"])), min_size=1, max_size=25)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES, answers=st.lists(st.integers(0, 1), min_size=0, max_size=9), seed=st.integers(0, 10**6))
@example(lines=[(LARGE, 1, "2024-01-15")] * 5 + [(UNKNOWN, 1, "2024-01-15")], answers=[], seed=0)  # no SME: 0 %
def test_shares_are_proportions_exact_and_independent_of_row_order_and_file_split(tmp_path_factory, lines, answers,
                                                                                    seed):
    root = tmp_path_factory.mktemp("prop")
    base = _indicators(_dataset(root / "base", lines, answers, split=False, seed=0))
    shuffled = _indicators(_dataset(root / "shuffled", lines, answers, split=False, seed=seed))
    split = _indicators(_dataset(root / "split", lines, answers, split=True, seed=seed))
    pd.testing.assert_frame_equal(base, shuffled)
    pd.testing.assert_frame_equal(base, split)
    p7a = base.loc[("2024", "P7a")]
    sme = sum(ore for s, ore, _ in lines if s == SME)
    known = sum(ore for s, ore, _ in lines if s in (SME, LARGE))
    if known >= 1 and p7a["n"] >= 5:
        assert Decimal(str(p7a["numerator"])) * 100 == sme and Decimal(str(p7a["denominator"])) * 100 == known
        assert 0 <= p7a["value"] <= 1 and p7a["numerator"] <= p7a["denominator"]
        assert 0 <= p7a["coverage"] <= 1
    f1a = base.loc[("2024", "F1a")] if ("2024", "F1a") in base.index else None
    if f1a is not None:
        if len(answers) >= 5:
            assert f1a["status"] == "ok" and f1a["value"] == sum(answers) / len(answers)
            assert 0 <= f1a["value"] <= 1
        else:
            assert f1a["status"] in ("suppressed", "no_data") and pd.isna(f1a["value"])
