"""Legacy TED CSV: contract notices and award notices as data.europa.eu publishes them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import ted

# The real header of the CAN file (a subset of its 75 columns, in its order), with Norwegian and foreign rows.
CAN = """ID_NOTICE_CAN,TED_NOTICE_URL,YEAR,ID_TYPE,DT_DISPATCH,XSD_VERSION,CANCELLED,CORRECTIONS,B_MULTIPLE_CAE,\
CAE_NAME,CAE_NATIONALID,CAE_ADDRESS,CAE_TOWN,CAE_POSTAL_CODE,ISO_COUNTRY_CODE,CAE_TYPE,MAIN_ACTIVITY,\
TYPE_OF_CONTRACT,CPV,TOP_TYPE,VALUE_EURO,OUT_OF_DIRECTIVES,ID_AWARD,ID_LOT_AWARDED,WIN_NAME,WIN_NATIONALID,\
WIN_COUNTRY_CODE,B_CONTRACTOR_SME,NUMBER_OFFERS,NUMBER_TENDERS_SME,DT_AWARD
2019-000001,http://ted.europa.eu/udl?uri=TED:NOTICE:1-2019,2019,7,15-JAN-19,R2.0.9,0,0,N,Testetaten,\
974 760 673,Gate 1,Oslo,0150,NO,1,General public services,S,72000000,INP,900000,N,1,1,Leverandør AS,\
976030788,NO,Y,4,3,10-JAN-19
2019-000001,http://ted.europa.eu/udl?uri=TED:NOTICE:1-2019,2019,7,15-JAN-19,R2.0.9,0,0,N,Testetaten,\
974 760 673,Gate 1,Oslo,0150,NO,1,General public services,S,72000000,INP,900000,N,2,2,Big ASA,\
NO971497017MVA,NO,N,5,,10-JAN-19
2019-000002,,2019,7,03/02/19,R2.0.9,0,0,Y,Felles,974760673---964967369,,,,NO,3,,U,30000000,OPE,,N,1,1,\
Utenlandsk AB,556000-0000,SE,N,2,0,01/02/19
2019-000003,,2019,7,2019-03-01,R2.0.9,1,0,N,Avlyst,974760673,,,,NO,1,,S,72000000,OPE,,N,1,1,X,,,Y,1,1,
2019-000004,,2019,7,2019-03-01,R2.0.9,0,0,N,Svenska,556000-0000,,,,SE,1,,S,72000000,OPE,,N,1,1,X,,,Y,1,1,
2019-000005,,2019,7,2019-03-01,R2.0.9,0,0,N,Under,974760673,,,,NO,1,,S,72000000,OPE,100000,N,1,1,X,,,Y,1,1,
"""
CN = """ID_NOTICE_CN,TED_NOTICE_URL,YEAR,ID_TYPE,DT_DISPATCH,CANCELLED,CAE_NATIONALID,ISO_COUNTRY_CODE,CAE_TYPE,\
TYPE_OF_CONTRACT,CPV,TOP_TYPE,ID_LOT,LOTS_NUMBER,VALUE_EURO,FUTURE_CAN_ID
2018-100001,,2018,3,01/12/18,0,974760673,NO,1,S,72000000,INP,1,2,,2019-000001
2018-100001,,2018,3,01/12/18,0,974760673,NO,1,S,72000000,INP,2,2,,2019-000001
2018-100002,,2018,3,05/12/18,0,974760673,NO,1,W,45000000,XYZ,,1,,
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_award_notices_become_notices_with_awards_and_tender_counts(tmp_path):
    quality = Counter()
    notices = ted.read([write(tmp_path, "can.csv", CAN)], quality)
    by_id = {n.notice_id: n for n in notices}
    assert sorted(by_id) == ["2019-000001", "2019-000002", "2019-000005"]
    first = by_id["2019-000001"]
    assert (first.form_type, first.issue_date, first.procedure_type, first.above_eea) == (
        "result", "2019-01-15", "innovation", True)
    assert [b.org_nr for b in first.buyers] == ["974760673"] and first.buyers[0].legal_type == "cga"
    assert [(a.lot_id, a.winner_org_nr, a.winner_size) for a in first.awards] == [
        ("1", "976030788", "sme"), ("2", "971497017", "large")]
    assert [(s.lot_id, s.code, s.count) for s in first.submissions] == [
        ("1", "tenders", 4), ("1", "t-sme", 3), ("2", "tenders", 5)]
    joint = by_id["2019-000002"]
    assert [b.org_nr for b in joint.buyers] == ["974760673", "964967369"] and joint.issue_date == "2019-02-03"
    assert joint.awards[0].winner_org_nr is None  # a Swedish winner has no Norwegian organisation number
    assert by_id["2019-000005"].above_eea is False  # EUR 100 000: below the 2019 threshold for state bodies
    assert quality["ted: rows of buyers outside Norway (excluded)"] == 1
    assert quality["ted: rows of cancelled notices (excluded)"] == 1


def test_contract_notices_and_the_link_to_their_award(tmp_path):
    quality = Counter()
    notices = ted.read([write(tmp_path, "cn.csv", CN), write(tmp_path, "can.csv", CAN)], quality)
    cn = next(n for n in notices if n.notice_id == "2018-100001")
    assert cn.form_type == "competition" and [lot.lot_id for lot in cn.lots] == ["1", "2"]
    can = next(n for n in notices if n.notice_id == "2019-000001")
    assert can.folder_id == "2018-100001"  # FUTURE_CAN_ID links the award to its competition
    assert quality["ted: unknown TOP_TYPE code 'XYZ' (kept without a procedure type)"] == 1


def test_semicolon_windows_1252_file(tmp_path):
    text = CN.replace(",", ";")
    notices = ted.read([write(tmp_path, "cn.csv", text, "cp1252")], Counter())
    assert len(notices) == 2


@pytest.mark.parametrize(("value", "expected"), [
    ("15-JAN-19", "2019-01-15"), ("15/01/19", "2019-01-15"), ("15/01/2019", "2019-01-15"),
    ("2019-01-15", "2019-01-15"), ("15.01.2019", "2019-01-15"), ("31/02/19", None), ("15-XYZ-19", None)])
def test_dates(value, expected):
    assert ted.parse_date(value) == expected


def test_bad_rows_are_reported_together_with_file_row_and_field(tmp_path):
    bad = CAN.replace("15-JAN-19", "soon", 1).replace(",5,,10-JAN-19", ",many,,10-JAN-19")
    with pytest.raises(InputError) as exc:
        ted.read([write(tmp_path, "can.csv", bad)], Counter())
    problems = [(p.where, p.field) for p in exc.value.problems]
    assert problems == [("row 2", "dt_dispatch"), ("row 3", "number_offers")]
    assert all(p.file.endswith("can.csv") for p in exc.value.problems)


def test_missing_required_column(tmp_path):
    with pytest.raises(InputError) as exc:
        ted.read([write(tmp_path, "can.csv", CAN.replace("TOP_TYPE", "PROCEDURE"))], Counter())
    assert [(p.where, p.field) for p in exc.value.problems] == [("line 1", "top_type")]


def test_dataset_with_ted_files_feeds_the_notice_tables(tmp_path):
    from analysis import compute, ingest

    (tmp_path / "ted").mkdir()
    write(tmp_path / "ted", "can.csv", CAN)
    write(tmp_path / "ted", "cn.csv", CN)
    write(tmp_path, "organisations.csv", "org_nr,name,org_type\n974760673,Testetaten,state\n")
    got = ingest.run(tmp_path, tmp_path / "out")
    assert got.quality["rows"]["awards"] == 4 and got.quality["rows"]["submissions"] == 7
    assert got.quality["counts"]["ted: rows of buyers outside Norway (excluded)"] == 1
    table = compute.compute(tmp_path / "out").set_index(["org_nr", "year", "indicator_id"])
    r = table.loc[("974760673", "2019", "P7c")]  # 4 awards of known size: public records, shown on a small base
    assert r["status"] == "ok" and r["n"] == 4 and bool(r["small_base"])
