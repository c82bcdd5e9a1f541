"""Backtests: indicator values on a small dataset written for them, against values computed by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis import compute, demo, ingest
from analysis.errors import InputError

A, B = "974760673", "964967369"


def lot(i, sme=None, codes=(), cpv="72000000"):
    return {"id": f"LOT-{i:04d}", "cpv": cpv, "innovative": list(codes), "strategic": [], "sme": sme,
            "variants": "not-allowed"}


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
    cn("p7", True, "open", [lot(1, False)])
    cn("q1", False, "innovation", [lot(1, True)], buyer=b)
    cn("q2", False, "open", [lot(1, True)], buyer=b)
    for rel, text in d.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "organisations.csv").write_text(
        f"org_nr,name,org_type\n{A},Testetaten,state\n{B},Testvik kommune,municipality\n", encoding="utf-8")
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
    return root


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    root = write_dataset(tmp_path_factory.mktemp("hand"))
    out = tmp_path_factory.mktemp("hand-out")
    ingest.run(root, out)
    return compute.compute(out).set_index(["org_nr", "year", "indicator_id"])


def row(table, org, ind, year="2024"):
    return table.loc[(org, year, ind)]


def test_p4_innovation_friendly_procedures(table):
    # 7 procedures; p1 innovation and p3 comp-dial count; p4 was corrected from comp-dial to open.
    r = row(table, A, "P4")
    assert (r["numerator"], r["denominator"], r["n"]) == (2, 7, 7)
    assert r["value"] == pytest.approx(2 / 7) and r["status"] == "ok"


def test_p5a_sme_suitable_lots(table):
    r = row(table, A, "P5a")  # 8 lots (the corrected p4 counts once); SME-suitable: p1/LOT-1, p2/LOT-1
    assert (r["numerator"], r["denominator"]) == (2, 8)
    assert r["coverage"] == pytest.approx(7 / 8)  # p3's lot does not say


def test_p6_rd_above_threshold(table):
    r = row(table, A, "P6")  # above: p1 p2 p4 p6 p7; R&D: p2 (rd-act), p4 (CPV 73100000)
    assert (r["numerator"], r["denominator"]) == (2, 5) and r["value"] == pytest.approx(0.4)


def test_g3_g4_lot_codes(table):
    assert (row(table, A, "G3")["numerator"], row(table, A, "G3")["denominator"]) == (1, 8)
    assert (row(table, A, "G4")["numerator"], row(table, A, "G4")["denominator"]) == (1, 8)


def test_p7a_p7b_spend_shares_exact_money(table):
    known = Decimal("1000.50") - Decimal("100.10") + Decimal("200") + Decimal("2000.25") + Decimal("300")
    r = row(table, A, "P7a")
    assert Decimal(str(r["numerator"])) == Decimal("1100.40") and Decimal(str(r["denominator"])) == known
    assert r["value"] == pytest.approx(1100.40 / 3400.65)
    assert r["coverage"] == pytest.approx(3400.65 / 3900.65) and r["n"] == 5
    assert row(table, A, "P7b")["value"] == pytest.approx(1100.40 / 3400.65)  # the SME is also a start-up


def test_small_denominator_is_suppressed_never_zero(table):
    r = row(table, B, "P4")
    assert r["status"] == "suppressed" and pd.isna(r["value"]) and pd.isna(r["numerator"])
    assert r["reason"] == "n < 5"


def test_indicators_without_data_or_source_say_why(table):
    assert row(table, A, "P1")["status"] == "unavailable" and "kontraktsregister" in row(table, A, "P1")["reason"]
    assert row(table, A, "F5")["status"] == "no_data"


def test_every_catalogue_indicator_is_in_the_table(table):
    from analysis import catalogue

    ids = set(table.xs((A, "2024"), level=(0, 1)).index)
    assert ids == {i.id for i in catalogue.load().indicators}


def test_compute_csv_output(tmp_path, table):
    frame = table.reset_index()[compute.COLUMNS]
    compute.write(frame, tmp_path / "x.csv")
    back = pd.read_csv(tmp_path / "x.csv", dtype={"org_nr": str, "year": str})
    assert list(back.columns) == compute.COLUMNS and set(back["org_nr"]) == {A, B}


def test_missing_organisations_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as exc:
        ingest.run(tmp_path, tmp_path / "out")
    assert "organisations.csv" in str(exc.value)
