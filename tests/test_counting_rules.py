"""The counting rules on real Doffin notices, each on the notices that exhibit it (tests/fixtures/real/eforms/doffin).

Every expected number was read from the XML by hand: the notice's buyers (cac:ContractingParty → CompanyID), its
dates (cbc:IssueDate), folder (cbc:ContractFolderID), lots (cac:ProcurementProjectLot), winners and their size
(efac:NoticeResult, efbc:CompanySizeCode) and tender statistics (efac:ReceivedSubmissionsStatistics). Where the
status is `suppressed` (fewer units than the minimum n) the published numerator is hidden, so the catalogue's SQL is
also read directly to pin the counts behind it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from analysis import catalogue, compute
from analysis.cli import app
from tests.test_real_data import DOFFIN, dataset, organisations, params

runner = CliRunner()


def computed(tmp_path: Path, names: list[str]) -> tuple[Path, compute.Tables]:
    """Ingests just the named Doffin notices (with an organisations.csv of their buyers) and computes them."""
    data = tmp_path / "data"
    (data / "notices").mkdir(parents=True)
    for name in names:
        shutil.copyfile(DOFFIN / name, data / "notices" / name)
    (data / "organisations.csv").write_text(organisations(sorted(data.glob("notices/*.xml"))), encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "data"
    return out, compute.compute_all(out)


def row(tables: compute.Tables, org: str, year: str, ind: str) -> tuple:
    r = tables.indicators.set_index(["org_nr", "year", "indicator_id"]).loc[(org, year, ind)]
    return r["n"], r["coverage"], r["status"]


def counts(out: Path, org: str, year: str, ind: str) -> tuple:
    """The catalogue SQL's own row (numerator, denominator, n, coverage), before any suppression."""
    cat = catalogue.load()
    found = compute.connect(out).execute(
        f"SELECT numerator, denominator, n, coverage FROM ({cat.render_sql(cat[ind])}) WHERE org_nr = ? AND year = ?",
        [org, year]).fetchall()
    return tuple(found[0]) if found else None


def test_p2_early_dialogue_is_measured_against_the_first_announcement(tmp_path):
    # Sykehuspartner (916879067) announces the procedure in folder 7e315dc5 on 2023-11-09 (pin-cfc-standard
    # 2023-100718) and changes it on 2023-12-06 (2023-101942); its planning notice pin-rtl 2023-101456 of
    # 2023-11-24 (CPV 33195000, the same group 331 as 33111700) comes after the announcement: no early dialogue.
    out, tables = computed(tmp_path, ["ContractNotice_pin-cfc-standard_2023-100718.xml",
                                      "ContractNotice_pin-cfc-standard_2023-101942.xml",
                                      "PriorInformationNotice_pin-rtl_2023-101456.xml"])
    assert counts(out, "916879067", "2023", "P2") == (0, 1, 1, 1.0)
    assert row(tables, "916879067", "2023", "P2") == (1, 1.0, "ok")
    # The planning notice does count where it comes before the first notice in the data (here the change alone).
    (tmp_path / "alone").mkdir()
    out, _ = computed(tmp_path / "alone", ["ContractNotice_pin-cfc-standard_2023-101942.xml",
                                           "PriorInformationNotice_pin-rtl_2023-101456.xml"])
    assert counts(out, "916879067", "2023", "P2") == (1, 1, 1, 1.0)


def test_p7d_a_result_lot_without_tender_statistics_cannot_answer(tmp_path):
    # can-standard 2024-100829 of 940100925 awards its one lot to 826781742 and reports no
    # ReceivedSubmissionsStatistics: one lot, none answering, so "not reported" with coverage 0, not "no data".
    out, tables = computed(tmp_path, ["ContractAwardNotice_can-standard_2024-100829.xml"])
    assert counts(out, "940100925", "2024", "P7d") == (None, None, 0, 0.0)
    assert row(tables, "940100925", "2024", "P7d") == (0, 0.0, "not_reported")
    r = tables.indicators.set_index(["org_nr", "year", "indicator_id"]).loc[("940100925", "2024", "P7d")]
    assert r["reason"] == "ikke oppgitt" and pd.isna(r["value"])


def test_p5b_a_notice_listing_no_lot_is_unknown_not_no(tmp_path):
    # cn-standard 2022-963627 of 880455702, a change notice converted from TED XML (folder 2022-919032,
    # above the threshold, CPV 73220000, no procedure type), lists no cac:ProcurementProjectLot.
    out, tables = computed(tmp_path, ["ContractNotice_cn-standard_2022-963627.xml"])
    org = "880455702"
    assert counts(out, org, "2022", "P5b") == (0, 0, 0, 0.0)
    assert row(tables, org, "2022", "P5b") == (0, 0.0, "not_reported")
    # The same procedure still counts for P2, P4 (a unit without a procedure type) and P6.
    assert counts(out, org, "2022", "P2") == (0, 1, 1, 1.0)
    assert counts(out, org, "2022", "P4") == (0, 0, 0, 0.0)
    assert counts(out, org, "2022", "P6") == (0, 1, 1, 1.0)


def test_a_direct_award_names_a_winner_for_p7c_not_tenders_for_p7d(tmp_path):
    # VEAT 2024-113575 (dir-awa-pre), bought jointly by 883658752 and 916879067, awards its one lot to 975353265,
    # size "medium"; no result notice of its folder b5d2a051 is in the data, and it has no tender statistics.
    out, tables = computed(tmp_path, ["2024-113575.xml"])
    for org in ("883658752", "916879067"):
        assert counts(out, org, "2024", "P7c") == (1, 1, 1, 1.0)
        assert row(tables, org, "2024", "P7c") == (1, 1.0, "ok")
        assert counts(out, org, "2024", "P7d") is None
        assert row(tables, org, "2024", "P7d")[2] == "no_data"
    # Nationally the joint award counts once.
    national = tables.national.set_index(["year", "indicator_id"]).loc[("2024", "P7c")]
    assert (national["n"], national["orgs"], national["status"]) == (1, 2, "ok")


def test_national_p2_counts_each_procedure_once(tmp_path):
    # Over the 108 Doffin notices, 16 competition procedures were first announced in 2024; one of them
    # (pin-cfc-social 2024-111079) names no buyer with an organisation number, leaving 15. The joint procedure
    # 27bb3055 (seven buyers, five with an organisation number) was counted five times (19); none of the 15 has
    # an earlier planning notice of its buyer.
    data = dataset(tmp_path / "data", [DOFFIN])
    result = runner.invoke(app, ["ingest", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0, result.output
    tables = compute.compute_all(tmp_path / "out" / "data")
    p2 = tables.national.set_index(["year", "indicator_id"]).loc[("2024", "P2")]
    assert (p2["numerator"], p2["denominator"], p2["n"], p2["status"]) == (0, 15, 15, "ok")
    # The per-organisation rows still count the joint procedure for each of its buyers.
    rows = tables.indicators[(tables.indicators["indicator_id"] == "P2") & (tables.indicators["year"] == "2024")]
    assert rows["n"].sum() == 19
