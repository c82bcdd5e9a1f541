"""Backtests: indicator values on a small dataset written for them, against values computed by hand."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis import compute, demo, ingest
from analysis.errors import InputError
from analysis.ingest import accounts

A, B, C = "974760673", "964967369", "987654325"
W1, W2, W3 = "976030788", "971497017", "959469059"  # suppliers that win the result notices


def lot(i, sme=None, codes=(), cpv="72000000", variants="not-allowed", strategic=(), **extra):
    return {"id": f"LOT-{i:04d}", "cpv": cpv, "innovative": list(codes), "strategic": list(strategic), "sme": sme,
            "variants": variants, **extra}


def won(i, winner, size, tenders, sme_tenders):
    return lot(i, winner=(winner, size), tenders=(tenders, sme_tenders))


def write_dataset(root: Path) -> Path:
    d = demo.Demo(seed=1)
    a = demo.Body(A, "Testetaten", "state", 1, 0, 0, 0, 0)
    b = demo.Body(B, "Testvik kommune", "municipality", 1, 0, 0, 0, 0)
    day = date(2024, 3, 1)

    def cn(folder, above, procedure, lots, cpv="72000000", buyer=a, when=day, changes=None):
        return d.notice("competition", when, folder=folder, buyers=[buyer], cpv=cpv, title="t", above=above,
                        procedure=procedure, lots=lots, changes=changes)

    cn("p1", True, "innovation", [lot(1, True, ["mar-nov"]), lot(2, False)])
    cn("p2", True, "open", [lot(1, True, ["org-nov", "rd-act"])], cpv="45000000")
    cn("p3", False, "comp-dial", [lot(1, None)], cpv="73100000")  # R&D but below the threshold
    first = cn("p4", True, "comp-dial", [lot(1, False)], cpv="73100000")
    cn("p4", True, "open", [lot(1, False)], cpv="73100000", when=date(2024, 3, 9), changes=first)  # corrected
    cn("p5", False, "open", [lot(1, False)])
    cn("p6", True, "open", [lot(1, False)])
    p7 = cn("p7", True, "open", [lot(1, False)])
    cn("q1", False, "innovation", [lot(1, True)], buyer=b)
    cn("q2", False, "open", [lot(1, True)], buyer=b)

    # C, a second state body: planning, competition and result notices for P2, P3, P5b, P5c, G5, S1–S3, P7c, P7d.
    c = demo.Body(C, "Prøvedirektoratet", "state", 1, 0, 0, 0, 0)

    def notice(kind, folder, when, lots, procedure="open", cpv="72000000", buyers=(c,)):
        return d.notice(kind, when, folder=folder, buyers=list(buyers), cpv=cpv, title="t", above=False,
                        procedure=procedure, lots=lots)

    notice("planning", "c-pin", date(2023, 10, 1), [lot(1)])  # same CPV group, 5 months before c1 and c7
    notice("planning", "c3", date(2024, 1, 15), [lot(1)], cpv="73100000")  # same folder as c3
    notice("competition", "c1", day, [lot(1, codes=["buy-eff", "fp-requ"], variants="allowed"), lot(2)])
    notice("competition", "c2", day, [lot(1, codes=["mar-nov"], variants="required")], "innovation", "48000000",
           buyers=(c, b))
    notice("competition", "c3", day, [lot(1, codes=["rd-act"])], "comp-dial", "73100000")
    notice("competition", "c4", day, [lot(1)], cpv="30000000")
    notice("competition", "c5", day, [lot(1, strategic=["inn-pur"])], cpv="30000000")
    notice("competition", "c6", day, [lot(1, variants=None)], cpv="45000000")
    notice("competition", "c7", date(2024, 5, 1), [lot(1, codes=["org-nov"])], buyers=(c, b))
    june = date(2024, 6, 1)
    notice("result", "c1", june, [won(1, W1, "small", 4, 3), won(2, W2, "large", 5, 1)])
    notice("result", "c2", june, [won(1, W1, "micro", 2, None)], cpv="48000000")
    notice("result", "c3", june, [won(1, W3, None, 3, 2)], cpv="73100000")
    notice("result", "c4", june, [won(1, W3, "medium", 6, 6)], cpv="30000000")
    notice("result", "c5", june, [won(1, W2, "large", 1, 0)], cpv="30000000")
    # Later awards by B to the same winners: only the first is a follow-on (same CPV class, within 36 months).
    notice("result", "b1", date(2025, 1, 10), [won(1, W1, "small", 1, 1)], buyers=(b,))
    notice("result", "b2", date(2025, 2, 1), [won(1, W2, "large", 1, 0)], cpv="48000000", buyers=(b,))
    notice("result", "b3", date(2028, 1, 1), [won(1, W3, "medium", 1, 1)], cpv="73100000", buyers=(b,))
    notice("result", "b4", date(2024, 3, 1), [won(1, W2, "large", 1, 0)], cpv="30000000", buyers=(b,))
    notice("result", "c8", date(2025, 3, 1), [won(1, W2, "large", 1, 0)])  # C itself: not a follow-on
    for rel, text in d.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "organisations.csv").write_text(
        f"org_nr,name,org_type\n{A},Testetaten,state\n{B},Testvik kommune,municipality\n"
        f"{C},Prøvedirektoratet,state\n", encoding="utf-8")
    answers = [
        *[("strategy_innovation", f"r{i}", v) for i, v in enumerate(["1", "1", "0", "1", "9", "0"])],
        *[("innovation_maturity", f"r{i}", v) for i, v in enumerate(["3", "4", "5", "2", "4", "9"])],
        *[("barometer_culture", f"r{i}", v) for i, v in enumerate(["6", "5", "4", "5", "5"])],
        *[("innovation_procedures", f"r{i}", v) for i, v in enumerate(["4", "5", "3", "2", "4", "1"])],
        ("barrier_competence", "r0", "1"), ("barrier_capacity", "r0", "0"), ("barrier_competence", "r1", "0"),
        ("barrier_risk", "r1", "0"), ("barrier_risk", "r2", "1"), ("barrier_budget", "r3", "0"),
        ("barrier_market", "r4", "1"),
        *[("self_goals", f"r{i}", v) for i, v in enumerate(["4", "5", "3", "4", "4", "9"])],
        *[(f"maturity_{area}", f"r{i}", str(v)) for area, values in (
            ("strategy", [1, 2, 3, 4, 5]), ("organisation", [2] * 5), ("competence", [5] * 5),
            ("process", [1] * 5), ("market", [4] * 5)) for i, v in enumerate(values)],
    ]
    (root / "surveys").mkdir()
    (root / "surveys" / "2024.csv").write_text("org_nr,year,respondent_id,item_id,value\n" + "".join(
        f"{A},2024,{r},{item},{v}\n" for item, r, v in answers) + "".join(
        f"{C},2024,r{i},maturity_{area},4\n" for i in range(5)
        for area in ("strategy", "organisation", "competence", "process", "market", "followup")) + "".join(
        f"{B},2024,r{i},strategy_innovation,1\n" for i in range(3)) + "".join(
        f"{A},2023,r{i},self_goals,{v}\n" for i, v in enumerate([2, 3, 3, 2, 4])), encoding="utf-8")
    (root / "gains").mkdir()
    (root / "gains" / "goals.csv").write_text(
        "goal_id,org_nr,text,indicator_ref,baseline_value,baseline_date,target_value,target_year,owner,"
        "risk_likelihood,risk_consequence,risk_text\n"
        f"g1,{A},Raskere saksbehandling,,10,2024-01-15,5,2026,Kari,2,3,\n"
        f"g2,{A},Mindre papir,,,2024-02-01,,,,,,\n"
        f"g3,{A},Bedre tjenester,,,2023-05-01,,,Ola,,,\n"
        f"g4,{A},Uten nullpunkt,,,,,,Per,,,\n", encoding="utf-8")
    (root / "gains" / "measures.csv").write_text(
        "measure_id,goal_id,description,start,end,cost_nok\n"
        "m1,g1,Ny løsning,2024-02-01,,100000\nm2,g2,Opplæring,2024-03-01,,50000\n"
        "m3,g3,Pilot,2023-06-01,2023-12-31,20000\n", encoding="utf-8")
    (root / "gains" / "effects.csv").write_text(
        "effect_id,goal_id,gain_type,unit,planned_value,realised_value,date,evidence\n"
        "e1,g1,efficiency,NOK,200000,180000,2024-12-31,\ne2,g2,efficiency,NOK,100000,,2024-11-30,\n"
        "e3,g1,co2e,tCO2e,10,\"12,5\",2024-12-31,\ne4,g3,efficiency,NOK,50000,60000,2023-12-31,\n",
        encoding="utf-8")
    (root / "suppliers").mkdir()
    (root / "suppliers" / "bulk.json").write_text(json.dumps([
        {"organisasjonsnummer": "976030788", "antallAnsatte": 10, "organisasjonsform": {"kode": "AS"},
         "stiftelsesdato": "2022-01-01"},
        {"organisasjonsnummer": "971497017", "antallAnsatte": 300, "organisasjonsform": {"kode": "ASA"},
         "stiftelsesdato": "1990-05-05"}]), encoding="utf-8")
    (root / "spend").mkdir()
    (root / "spend" / "ledger.csv").write_text(
        "org_nr;supplier_org_nr;amount_nok;invoice_date\n"
        f"{A};976030788;1000,50;01.02.2024\n{A};971497017;2000,25;2024-02-02\n{A};959469059;500;2024-02-03\n"
        f"{A};976030788;-100,10;2024-02-04\n{A};976030788;200;2024-02-05\n{A};971497017;300,00;2024-02-06\n",
        encoding="utf-8")
    write_registers(root, p7)
    return root


CONTRACTS = "org_nr;contract_id;procurement_id;supplier_org_nr;signed_date;standard;development_phases;ipr;" \
            "scaling;new_to_market;new_to_org;innovation_friendly\n"


def write_registers(root: Path, p7: str) -> None:
    """The contract register, evaluations and training of A (P1, G1, F2b)."""
    (root / "contracts").mkdir()
    (root / "contracts" / "kontrakter.csv").write_text(CONTRACTS + "".join(f"{A};{row}\n" for row in [
        "k1;p1;976030788;2024-06-01;Innovasjonspartnerskap;;;;;;",    # flagged by its notice, fit by standard
        "k9;p1;971497017;2024-06-01;SSA-T;nei;nei;nei;;;",            # a second contract of p1: p1 stays fit
        "k2;p2;;01.07.2024;SSA-T;ja;ja;ja;;;",                        # fit by its three provisions
        "k3;p3;;2024-07-01;SSA-D;ja;nei;ja;;;",                       # not fit (no IPR)
        "k4;p5;;2024-07-01;SSA-T;nei;;;nei;ja;",                      # flagged by the register only; not fit
        "k5;p6;;2024-07-01;SSA-O;ja;ja;ja;;;",                        # not flagged: not counted
        "k6;r1;;2024-05-01;utviklingskontrakt;;;;ja;;",               # no notice (below the threshold); fit
        "k7;r2;;2024-05-01;SSA-T;;ja;ja;ja;;",                        # development phases unknown: cannot answer
        "k8;r3;;2024-02-01;PS2000;ja;ja;ja;;;ja",                     # fit
        f"k10;{p7};;2025-01-10;SSA-L;nei;ja;ja;nei;nei;ja",           # by notice ID: the notice's year (2024)
    ]), encoding="utf-8")
    (root / "evaluations").mkdir()
    (root / "evaluations" / "etterevaluering.csv").write_text(
        "contract_id,evaluation_date,score,respondent_id\n"
        "k1,2024-11-01,5,a\nk1,2024-11-01,3,b\nk9,2024-11-02,4,a\n"   # p1: mean 4.0 → rated 4–5
        "k2,2024-12-01,5,\nk3,2024-12-01,3,\nk4,2024-12-01,4,\n"       # p2 yes, p3 no, p5 yes
        "k5,2024-12-01,5,\n"                                         # p6 is not innovation-flagged
        "k6,2024-10-01,2,\nk8,2024-10-01,5,\n"                        # r1 no, r3 yes
        "k7,2025-03-01,5,\n", encoding="utf-8")                      # 2025: one procurement, suppressed
    (root / "training").mkdir()
    (root / "training" / "kompetanse.csv").write_text(
        "org_nr;year;procurement_fte;trained_fte\n"
        f"{A};2023;4;1\n{A};2024;12,5;2,5\n{B};2024;0;0\n", encoding="utf-8")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> compute.Tables:
    root = write_dataset(tmp_path_factory.mktemp("hand"))
    out = tmp_path_factory.mktemp("hand-out")
    ingest.run(root, out)
    return compute.compute_all(out)


@pytest.fixture(scope="module")
def table(tables) -> pd.DataFrame:
    return tables.indicators.set_index(["org_nr", "year", "indicator_id"])


def row(table, org, ind, year="2024"):
    return table.loc[(org, year, ind)]


def test_p4_innovation_friendly_procedures(table):
    # 7 procedures; p1 innovation and p3 comp-dial count; p4 was corrected from comp-dial to open.
    r = row(table, A, "P4")
    assert (r["numerator"], r["denominator"], r["n"]) == (2, 7, 7)
    assert r["value"] == pytest.approx(2 / 7) and r["status"] == "ok"


def test_p5a_sme_suitable_lots(table):
    # 8 lots (the corrected p4 counts once); p3's lot does not fill BT-726, so it cannot answer: 7 lots answer,
    # and of them p1/LOT-1 and p2/LOT-1 are SME-suitable. Missing is not no.
    r = row(table, A, "P5a")
    assert (r["numerator"], r["denominator"]) == (2, 7)
    assert r["coverage"] == pytest.approx(7 / 8)


def test_p6_rd_above_threshold(table):
    r = row(table, A, "P6")  # above: p1 p2 p4 p6 p7; R&D: p2 (rd-act), p4 (CPV 73100000)
    assert (r["numerator"], r["denominator"]) == (2, 5) and r["value"] == pytest.approx(0.4)


def test_g3_g4_lot_codes(table):
    assert row(table, A, "G3")["answered_by"] == "notices"  # A fills BT-776: the notices answer
    assert (row(table, A, "G3")["numerator"], row(table, A, "G3")["denominator"]) == (1, 8)
    assert (row(table, A, "G4")["numerator"], row(table, A, "G4")["denominator"]) == (1, 8)


def test_p7a_p7b_spend_shares_exact_money(table):
    known = Decimal("1000.50") - Decimal("100.10") + Decimal("200") + Decimal("2000.25") + Decimal("300")
    r = row(table, A, "P7a")
    assert Decimal(str(r["numerator"])) == Decimal("1100.40") and Decimal(str(r["denominator"])) == known
    assert r["value"] == pytest.approx(1100.40 / 3400.65)
    assert r["coverage"] == pytest.approx(3400.65 / 3900.65) and r["n"] == 5
    assert row(table, A, "P7b")["value"] == pytest.approx(1100.40 / 3400.65)  # the SME is also a start-up


def test_f2b_trained_fte_over_procurement_fte(table):
    r = row(table, A, "F2b")  # 2,5 of 12,5 FTE (decimal commas)
    assert (r["status"], r["numerator"], r["denominator"], r["n"]) == ("ok", Decimal("2.5"), Decimal("12.5"), 1)
    assert r["value"] == pytest.approx(0.2)
    assert row(table, A, "F2b", "2023")["value"] == pytest.approx(0.25)
    assert row(table, B, "F2b")["status"] == "no_data"  # no procurement FTE: no share, never 0 %
    assert row(table, C, "F2b")["status"] == "no_data"  # C has no row in training/


def test_p1_contracts_fit_for_innovation(table):
    # Flagged with a contract: p1 p2 p3 (notices), p5 (register), r1 r2 r3 (register), p7 (register, by notice
    # ID); p6 is not flagged. r2 leaves development phases empty and cannot answer. Fit: p1 p2 r1 r3.
    assert share(table, A, "P1") == (4, 7, pytest.approx(4 / 7), pytest.approx(7 / 8))
    assert row(table, A, "P1", "2025")["status"] == "no_data"  # k10 counts in its notice's year


def test_g1_innovation_procurements_rated_4_or_5(table):
    # 2024, flagged and evaluated: p1 (mean 4.0), p2 (5), p3 (3), p5 (4), r1 (2), r3 (5): 4 of 6.
    assert share(table, A, "G1") == (4, 6, pytest.approx(4 / 6), 1.0)
    r = row(table, A, "G1", "2025")  # one procurement evaluated: below the minimum n
    assert r["status"] == "suppressed" and pd.isna(r["value"]) and r["n"] == 1


def test_small_base_from_public_records_is_shown_marked_and_not_ranked(table):
    """Notices are public records: B's 2 of 4 procedures is shown, never hidden, but marked as an uncertain
    base (fewer than settings.small_base units) with its Wilson interval, and not placed among peers."""
    r = row(table, B, "P4")
    assert r["status"] == "ok" and (r["numerator"], r["denominator"], r["value"]) == (2, 4, 0.5)
    assert bool(r["small_base"]) and pd.isna(r["peer_quartile"])
    # Wilson, z = 1.96: centre (0.5 + z²/8) / (1 + z²/4) = 0.5; half-width z·√(1/16 + z²/64) / (1 + z²/4).
    z = 1.959964
    half = z * (1 / 16 + z * z / 64) ** 0.5 / (1 + z * z / 4)
    assert (r["ci_low"], r["ci_high"]) == (pytest.approx(0.5 - half, abs=1e-4), pytest.approx(0.5 + half, abs=1e-4))


def test_small_base_from_persons_is_still_suppressed(table):
    r = row(table, A, "G1", "2025")  # one evaluated procurement: evaluations are answers from persons
    assert r["status"] == "suppressed" and pd.isna(r["value"]) and pd.isna(r["numerator"])


def test_indicators_without_data_or_source_say_why(table):
    assert row(table, A, "P7c")["status"] == "no_data"  # A has no result notices


def test_every_catalogue_indicator_is_in_the_table(table):
    from analysis import catalogue

    ids = set(table.xs((A, "2024"), level=(0, 1)).index)
    assert ids == {i.id for i in catalogue.load().indicators}


def test_compute_csv_output(tmp_path, table):
    frame = table.reset_index()[compute.COLUMNS]
    compute.write(frame, tmp_path / "x.csv")
    back = pd.read_csv(tmp_path / "x.csv", dtype={"org_nr": str, "year": str})
    assert list(back.columns) == compute.COLUMNS and set(back["org_nr"]) == {A, B, C}


def test_missing_organisations_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as exc:
        ingest.run(tmp_path, tmp_path / "out")
    assert "organisations.csv" in str(exc.value)


def share(table, org, ind, year="2024"):
    r = row(table, org, ind, year)
    assert r["status"] == "ok", (ind, r["status"], r["reason"])
    return int(r["numerator"]), int(r["denominator"]), r["value"], r["coverage"]


# ------------------------------------------------------------ survey-based (A: 4–6 respondents per item)
def test_f1a_strategy_share_dont_know_is_no_answer(table):
    assert share(table, A, "F1a") == (3, 5, pytest.approx(0.6), pytest.approx(5 / 6))
    assert row(table, A, "F1a")["n"] == 5


def test_survey_item_below_min_n_is_suppressed(table):
    r = row(table, B, "F1a")  # three respondents
    assert r["status"] == "suppressed" and pd.isna(r["value"]) and r["n"] == 3


def test_f2a_f4a_means(table):
    assert row(table, A, "F2a")["value"] == pytest.approx(18 / 5)
    assert row(table, A, "F4a")["value"] == pytest.approx(25 / 5)


def test_f5_share_answering_4_or_5(table):
    assert share(table, A, "F5")[:3] == (3, 6, pytest.approx(0.5))


def test_f6_share_naming_a_barrier(table):
    assert share(table, A, "F6")[:3] == (3, 5, pytest.approx(0.6))  # r0, r2, r4 named one


def test_f7_maturity_index_and_f8_against_peers(table):
    r = row(table, A, "F7")  # mean of the five answered area means (3, 2, 5, 1, 4)
    assert r["value"] == pytest.approx(3.0) and r["coverage"] == pytest.approx(5 / 6) and r["n"] == 5
    assert row(table, C, "F7")["value"] == pytest.approx(4.0)
    # The state peer group is A (3.0) and C (4.0): median 3.5.
    assert row(table, A, "F8")["value"] == pytest.approx(-0.5)
    assert row(table, C, "F8")["value"] == pytest.approx(0.5)


# ------------------------------------------------------------ gain register (A)
def test_f1b_goals_counted_in_their_baseline_year(table):
    assert row(table, A, "F1b")["value"] == 2 and row(table, A, "F1b", "2023")["value"] == 1


def test_f3_share_of_goals_with_a_benefit_owner(table):
    assert share(table, A, "F3")[:3] == (1, 2, pytest.approx(0.5))
    assert row(table, A, "F3", "2023")["value"] == pytest.approx(1.0)


def test_g2_realised_against_planned_efficiency(table):
    assert share(table, A, "G2") == (180000, 300000, pytest.approx(0.6), pytest.approx(0.5))
    assert row(table, A, "G2", "2023")["value"] == pytest.approx(1.2)


def test_e1_net_gain_and_e2_co2e(table):
    assert row(table, A, "E1")["value"] == 180000 - 100000 - 50000
    assert row(table, A, "E1", "2023")["value"] == 60000 - 20000
    assert row(table, A, "E2")["value"] == pytest.approx(12.5)


# ------------------------------------------------------------ notices (C: 7 procedures, 8 lots)
def test_p2_market_dialogue_before_competition(table):
    assert share(table, C, "P2")[:2] == (3, 7)  # c1 and c7 (same CPV group, months before), c3 (same folder)


def test_p3_g5_lot_codes_with_coverage(table):
    # C fills BT-776 in 2024 (c1, c2), so each of its 8 lots answers it: an empty list there means "none".
    assert share(table, C, "P3") == (1, 8, pytest.approx(1 / 8), pytest.approx(8 / 8))
    assert share(table, C, "G5")[:2] == (1, 8)


# ------------------------------------------------------------ missing is not no
D, E = "923609016", "938712441"  # D never fills BT-776 nor BT-726; E fills BT-776, but one notice is converted
CONVERTED = "<!--WARNING: TED date elements have no time zone associated. For all dates in this notice, the " \
            "time zone is assumed to be CET, i.e. UTC -->\n"


@pytest.fixture(scope="module")
def unreported(tmp_path_factory) -> pd.DataFrame:
    return unreported_dataset(tmp_path_factory.mktemp("unreported"))


@pytest.fixture(scope="module")
def register_answers(tmp_path_factory) -> pd.DataFrame:
    """The same notices, with a contract register that classifies d1 and the converted e2."""
    return unreported_dataset(tmp_path_factory.mktemp("register"), CONTRACTS + "".join(f"{row}\n" for row in [
        f"{D};kd;d1;;2024-06-01;SSA-T;;;;;;",                  # classification left empty: still unknown
        f"{E};ke1;e2;;2024-06-01;SSA-T;;;;ja;nei;",            # e2 is new to the market, not to E
        f"{E};ke2;e1;;2024-06-01;SSA-T;;;;nei;ja;"]))          # e1 answers BT-776 itself: the notice wins


def unreported_dataset(root: Path, contracts: str | None = None) -> pd.DataFrame:
    d = demo.Demo(seed=2)
    dee, eee = (demo.Body(D, "Udirektoratet", "state", 1, 0, 0, 0, 0),
                demo.Body(E, "Evik kommune", "municipality", 1, 0, 0, 0, 0))
    day = date(2024, 4, 2)
    d.notice("competition", day, folder="d1", buyers=[dee], cpv="72000000", title="t", above=True,
             procedure="open", lots=[lot(i, None, variants=None) for i in range(1, 7)])
    d.notice("competition", day, folder="e1", buyers=[eee], cpv="72000000", title="t", above=True,
             procedure="open", lots=[lot(1, True, ["mar-nov"]), *[lot(i, False) for i in range(2, 6)]])
    converted = d.notice("competition", day, folder="e2", buyers=[eee], cpv="72000000", title="t", above=True,
                         procedure="open", lots=[lot(i, None) for i in range(1, 5)])
    for rel, text in d.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        is_converted = converted in text
        if is_converted:  # the converter's own opening comment, as in real converted notices
            text = text.replace("?>", "?>\n" + CONVERTED, 1)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "organisations.csv").write_text(f"org_nr,name,org_type\n{D},Udirektoratet,state\n"
                                            f"{E},Evik kommune,municipality\n", encoding="utf-8")
    if contracts:
        (root / "contracts").mkdir()
        (root / "contracts" / "register.csv").write_text(contracts, encoding="utf-8")
    ingest.run(root, root / "out")
    return compute.compute_all(root / "out").indicators.set_index(["org_nr", "year", "indicator_id"])


@pytest.mark.parametrize("ind", ["P3", "P5a", "P5c", "G3", "G4", "G5"])
def test_a_field_no_unit_reported_is_not_reported_never_zero(unreported, ind):
    # D's six lots fill neither BT-776 (D never uses the list) nor BT-726 nor BT-63: no lot can answer.
    r = row(unreported, D, ind)
    assert r["status"] == "not_reported" and r["reason"] == "ikke oppgitt"
    assert pd.isna(r["value"]) and r["coverage"] == 0 and r["n"] == 0


def test_a_converted_notice_cannot_answer_what_its_ted_form_lacked(unreported):
    # E fills BT-776 in e1 (5 lots, one mar-nov); e2 was converted from TED XML, whose forms had no BT-776:
    # its 4 lots cannot answer. G3 = 1 / 5 over the answering lots, coverage 5 / 9.
    assert share(unreported, E, "G3") == (1, 5, pytest.approx(0.2), pytest.approx(5 / 9))


def test_g3_g4_the_contract_register_answers_where_the_notice_cannot(register_answers):
    # e1's 5 lots answer BT-776 (one mar-nov, no org-nov); e2's 4 converted lots cannot, and the register
    # answers for them: new to the market, not new to E. G3 = (1 + 4) / 9, G4 = 0 / 9, both fully covered.
    assert share(register_answers, E, "G3") == (5, 9, pytest.approx(5 / 9), 1.0)
    assert share(register_answers, E, "G4") == (0, 9, 0.0, 1.0)
    assert row(register_answers, E, "G3")["answered_by"] == "notices+register"  # the table says which answered
    assert pd.isna(row(register_answers, D, "G3")["answered_by"])
    assert pd.isna(row(register_answers, E, "P3")["answered_by"])  # one source only: not stated
    # D's contract leaves the classification empty: neither source answers.
    assert row(register_answers, D, "G3")["status"] == "not_reported"


def test_p5b_procedures_with_several_lots(table):
    assert share(table, C, "P5b")[:2] == (1, 7)


def test_p5c_variants_allowed_or_required(table):
    # 8 lots, 7 of which fill BT-63 (the eighth cannot answer); allowed or required: c1/LOT-1, c2/LOT-1.
    assert share(table, C, "P5c") == (2, 7, pytest.approx(2 / 7), pytest.approx(7 / 8))


def test_p7c_lots_won_by_smes(table):
    assert share(table, C, "P7c") == (3, 5, pytest.approx(0.6), pytest.approx(5 / 6))


def test_p7d_sme_share_of_tenders(table):
    assert share(table, C, "P7d") == (12, 19, pytest.approx(12 / 19), pytest.approx(5 / 6))


def test_s1_follow_on_awards_by_other_buyers(table):
    # Innovation-flagged folders c1 (2 awards), c2, c3, c5; only W1's CPV 7200 award is followed by B's b1.
    assert share(table, C, "S1")[:2] == (1, 5)


def test_s2_joint_innovation_procedures(table):
    assert share(table, C, "S2")[:2] == (2, 5)  # flagged: c1 c2 c3 c5 c7; joint: c2, c7


def test_s3_radical_share_of_innovation_lots(table):
    assert share(table, C, "S3")[:2] == (2, 5)  # c2 (innovation partnership), c3 (rd-act)


def test_every_computed_indicator_has_a_backtest():
    from analysis import catalogue

    source = Path(__file__).read_text(encoding="utf-8")
    untested = [i.id for i in catalogue.load().indicators
                if (i.sql or i.derived_from) and f'"{i.id}"' not in source]
    assert untested == []


# ------------------------------------------------------------ national totals and self-evaluation
def test_national_totals_sum_numerators_and_denominators_over_every_buyer(tables):
    national = tables.national.set_index(["year", "indicator_id"])
    r = national.loc[("2024", "P4")]
    # A 2/7, B 2/4 (q1, q2 and the joint c2, c7), C 2/7: a joint procedure counts for each of its buyers in their
    # rows, but once nationally (c2, an innovation partnership, and c7 are B's and C's): 5/16, not 6/18.
    assert (r["numerator"], r["denominator"], r["orgs"]) == (5, 16, 3) and r["value"] == pytest.approx(5 / 16)
    assert national.loc[("2024", "F1a"), "n"] == 5 + 3  # A's five respondents and B's three


def test_self_evaluation_scores_changes_and_suppression(tables):
    se = tables.self_evaluation.set_index(["org_nr", "year", "question", "item_id"])
    now = se.loc[(A, "2024", "q1", "self_goals")]
    assert now["status"] == "ok" and now["n"] == 5 and now["value"] == pytest.approx(4.0)
    assert now["share_agree"] == pytest.approx(4 / 5)
    assert now["prev_year"] == "2023" and now["change"] == pytest.approx(4.0 - 2.8)
    barrier = se.loc[(A, "2024", "q7", "barrier_competence")]  # two respondents answered it
    assert barrier["status"] == "suppressed" and pd.isna(barrier["value"]) and barrier["kind"] == "barrier"


# ------------------------------------------------------------ E3: supplier development (Regnskapsregisteret)
ACCOUNTS = Path(__file__).parent / "fixtures" / "real" / "accounts"
F, G = "912345602", "912345610"  # two buyers
GROWTH = {"810034882": 10021242 / 8681606 - 1, "810059672": 2279422 / 2030583 - 1,  # the real 2023 → 2025
          "810359862": 21789260 / 29814263 - 1, "810363142": 12976694 / 12107002 - 1}
S1, S2, S3, S4 = "912345629", "912345637", "912345645", "912345653"  # written here in the API's shape


def filing(org_nr, year, revenue, currency="NOK", kind="SELSKAP"):
    return {"id": int(year), "regnskapstype": kind, "virksomhet": {"organisasjonsnummer": org_nr},
            "regnskapsperiode": {"fraDato": f"{year}-01-01", "tilDato": f"{year}-12-31"}, "valuta": currency,
            "resultatregnskapResultat": {"driftsresultat": {"driftsinntekter": {"sumDriftsinntekter": revenue}}}}


@pytest.fixture(scope="module")
def growth(tmp_path_factory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("accounts")
    d = demo.Demo(seed=3)
    eff, gee = demo.Body(F, "Fdirektoratet", "state", 1, 0, 0, 0, 0), demo.Body(G, "Gvik kommune", "municipality",
                                                                              1, 0, 0, 0, 0)
    winners = [*GROWTH, "810324562", "976030788", "939319891", S1, S2, S3, S4]
    for buyer, folder, firms, year in ((eff, "f1", winners, 2023), (gee, "g1", ["810034882", S1], 2023),
                                       (eff, "f2", [S1, "810059672"], 2024)):  # 2026's accounts are not out yet
        lots = [lot(i + 1) for i in range(len(firms))]
        for kind, when, lots_ in (("competition", date(year, 2, 1), lots),
                                  ("result", date(year, 6, 1), [won(i + 1, firm, "small", 3, 1)
                                                                for i, firm in enumerate(firms)])):
            d.notice(kind, when, folder=folder, buyers=[buyer], cpv="72000000", title="t", above=True,
                     procedure="innovation", lots=lots_)
    for rel, text in d.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "organisations.csv").write_text(f"org_nr,name,org_type\n{F},F,state\n{G},G,municipality\n",
                                            encoding="utf-8")
    (root / "accounts").mkdir()
    for f in ACCOUNTS.glob("*.json"):
        if not f.name.startswith("brreg-regnskapsapi"):  # the API's own spec and dummy test responses
            shutil.copyfile(f, root / "accounts" / f.name)
    synthetic = {S1: [filing(S1, 2023, 1_000_000), filing(S1, 2025, 1_500_000.0)],
                 S2: [filing(S2, 2023, 2_000_000), filing(S2, 2025, 2_000_000),
                      filing(S2, 2025, 9_000_000, kind="KONSERN")],  # group accounts are not used
                 S3: [filing(S3, 2023, 1_000_000), filing(S3, 2025, 1_200_000)],  # alone in its section
                 S4: [filing(S4, 2023, 1_000_000), filing(S4, 2025, 5_000_000, "USD")]}  # not converted
    for org_nr, filings in synthetic.items():
        (root / "accounts" / f"{org_nr}.json").write_text(json.dumps(filings), encoding="utf-8")
    (root / "suppliers").mkdir()
    (root / "suppliers" / "units.json").write_text(json.dumps([
        {"organisasjonsnummer": o, "naeringskode1": {"kode": "41.200" if o == S3 else "62.010"}}
        for o in winners if o != "976030788"]), encoding="utf-8")
    out = root / "out"
    quality = ingest.run(root, out).quality
    tables = compute.compute_all(out)
    return tables.indicators.set_index(["org_nr", "year", "indicator_id"]), quality, tables.national


def test_e3_winners_growing_faster_than_their_sector(growth):
    table, _, _ = growth
    # Growth 2023 → 2025 is known for the four real firms, S1 (+50 %) and S2 (0 %): each is compared with the
    # median of the other five. Above it: 810034882 (+15.4 % > 7.2 %), 810059672 (+12.3 % > 7.2 %), S1
    # (+50 % > 7.2 %); below: 810359862 (−26.9 % < 12.3 %), 810363142 (+7.2 % < 12.3 %), S2 (0 % < 12.3 %).
    # Counted, not guessed: 810324562 (no revenue), 976030788 (no accounts), 939319891 (2025 only; its
    # financial year ends in May), S3 (no other firm in section F), S4 (2025 in USD): coverage 6 / 11.
    assert sorted(GROWTH.values())[1:3] == [pytest.approx(0.0718, abs=1e-4), pytest.approx(0.1226, abs=1e-4)]
    assert share(table, F, "E3", "2023") == (3, 6, pytest.approx(0.5), pytest.approx(6 / 11))
    r = row(table, G, "E3", "2023")  # two winners compared: accounts are public, so shown on an uncertain base
    assert r["status"] == "ok" and r["n"] == 2 and bool(r["small_base"])


def test_e3_is_not_yet_measurable_before_the_accounts_can_exist(growth):
    """Awards of 2024 need accounts for 2026, the newest accounts year in the dataset (one real filing whose
    financial year ends in 2026; the rest are still to be filed): with no winner compared, "not yet
    measurable", not "not reported" (nobody failed to report anything), for the buyer and nationally."""
    table, _, national = growth
    r = row(table, F, "E3", "2024")
    assert (r["status"], r["reason"], r["n"]) == ("not_yet", "ikke målbart ennå", 0) and pd.isna(r["value"])
    assert row(table, F, "E3", "2023")["status"] == "ok"  # 2023 + 2 = 2025: there
    e3 = national[national["indicator_id"] == "E3"].set_index("year")["status"]
    assert (e3["2023"], e3["2024"]) == ("ok", "not_yet")
    assert row(table, F, "P3", "2024")["status"] != "not_yet"  # only an indicator that says so


def test_accounts_as_the_api_returns_them(growth):
    _, quality, _ = growth
    assert [(r["file"], r["field"]) for r in quality["refused"]] == [
        ("accounts/foretak__brreg_regnskap_500.json", "status")]  # the HTTP 500 body; the rest goes on
    counts = quality["counts"]
    assert counts["accounts: filings without revenue (sumDriftsinntekter absent; unknown, not 0)"] == 5
    assert counts["accounts: filings in another currency than NOK (revenue left out; no rate table)"] == 2
    assert counts["accounts: group accounts (KONSERN; left out, company accounts are used)"] == 1
    assert counts["accounts: periods that are not a calendar year (assigned to the year they end in)"] == 3
    refused = []
    filings = accounts.read(sorted(ACCOUNTS.glob("foretak__*.json")), Counter(), refused).set_index("org_nr")
    assert filings.loc["939319891", "year"] == "2025"  # 2024-06-01 → 2025-05-31: the year it ends in
    assert filings.loc["921378963", "revenue"] == 0  # a real 0 stays 0 ...
    assert pd.isna(filings.loc["936134610", "revenue"])  # ... and `driftsinntekter: {}` is unknown
    assert pd.isna(filings.loc["923609016", "revenue"]) and filings.loc["923609016", "currency"] == "USD"
    assert len(refused) == 1 and "HTTP error response (500" in refused[0].message
