"""CSV and JSON sources as real systems export them."""

from collections import Counter

import pytest

from analysis.errors import InputError
from analysis.ingest import csvfiles, sources
from tests.conftest import FIXTURES


@pytest.mark.parametrize("text, ore", [("1234.50", 123450), ("1 234,50", 123450), ("1.234,50", 123450),
                                        ("-500", -50000), ("1,5", 150), ("12 345 678", 1234567800),
                                        ("1.234.567", 123456700), ("kr 99,90", 9990)])
def test_amounts_in_ore(text, ore):
    assert csvfiles.parse_ore(text) == ore


@pytest.mark.parametrize("text", ["12,345", "abc", "1.2.3", "1,234.567", ""])
def test_bad_or_inexact_amounts_are_none(text):
    assert csvfiles.parse_ore(text) is None


@pytest.mark.parametrize("text, iso", [("2024-12-31", "2024-12-31"), ("31.12.2024", "2024-12-31"),
                                       ("1.3.2024", "2024-03-01"), ("2024-02-30", None), ("12/31/2024", None)])
def test_dates(text, iso):
    assert csvfiles.parse_date(text) == iso


def _spend(tmp_path, content: bytes, name="s.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return sources.spend([path], Counter())


def test_spend_semicolon_decimal_comma_bom_cp1252(tmp_path):
    utf = "\ufefforg_nr;supplier_org_nr;amount_nok;invoice_date\n974760673;Org.nr. 976030788;1 234,50;31.12.2024\n"
    frame = _spend(tmp_path, utf.encode("utf-8"))
    assert frame.loc[0, "amount_ore"] == 123450 and frame.loc[0, "supplier_org_nr"] == "976030788"
    assert frame.loc[0, "invoice_date"] == "2024-12-31" and frame.loc[0, "year"] == "2024"
    cp = "org_nr,supplier_org_nr,amount_nok,invoice_date,beskrivelse\n974760673,976030788,-10,2024-01-02,Kjøp ÆØÅ\n"
    frame = _spend(tmp_path, cp.encode("cp1252"), "cp.csv")
    assert frame.loc[0, "amount_ore"] == -1000


def test_spend_errors_name_file_row_and_field_all_together(tmp_path):
    text = ("org_nr,supplier_org_nr,amount_nok,invoice_date\n974760673,976030788,12x,2024-01-02\n"
            "974760674,976030788,10,2024-13-01\n")
    with pytest.raises(InputError) as exc:
        _spend(tmp_path, text.encode())
    got = {(p.where, p.field) for p in exc.value.problems}
    assert got == {("row 2", "amount_nok"), ("row 3", "org_nr"), ("row 3", "invoice_date")}


def test_missing_columns_and_empty_file(tmp_path):
    with pytest.raises(InputError) as exc:
        _spend(tmp_path, b"org_nr;amount_nok\n974760673;1\n")
    assert {p.field for p in exc.value.problems} == {"supplier_org_nr", "invoice_date"}
    with pytest.raises(InputError) as exc:
        _spend(tmp_path, b"  \n", "empty.csv")
    assert "empty" in str(exc.value)


def test_registry_unit_and_search_page_fixtures():
    quality = Counter()
    frame = sources.suppliers(sorted((FIXTURES / "brreg").glob("*.json")), quality)
    # the single unit's number (112233445) fails MOD11 (the companies are fictional): counted, not kept
    assert list(frame["org_nr"]) == ["971497017", "976030788"]
    assert quality["suppliers: units without a valid organisation number (excluded)"] == 1
    row = frame.set_index("org_nr").loc["976030788"]
    assert row["employees"] == 10 and row["org_form"] == "AS" and row["founded"] == "1995-12-12"


# The head of Enhetsregisteret's bulk CSV export (enheter_alle.csv.gz), as its column names are today...
BULK_CSV = (
    '"organisasjonsnummer","navn","organisasjonsform.kode","organisasjonsform.beskrivelse","naeringskode1.kode",'
    '"naeringskode1.beskrivelse","harRegistrertAntallAnsatte","antallAnsatte","hjemmeside","stiftelsesdato",'
    '"konkurs","underAvvikling"\n'
    '"976030788","LITEN AS","AS","Aksjeselskap","62.010","Programmeringstjenester","true","12","","2021-03-04",'
    '"false","false"\n'
    '"971497017","STOR ASA","ASA","Allmennaksjeselskap","41.000","Oppføring av bygninger","true","480","",'
    '"1990-05-05","false","false"\n'
    '"959469059","ENKEL","ENK","Enkeltpersonforetak","","","false","","","","false","false"\n'
    '"123456789","UGYLDIG","AS","Aksjeselskap","","","false","","","","false","false"\n')
# ... and as the older export labelled them.
OLD_CSV = ("Organisasjonsnummer;Navn;Organisasjonsform.kode;Antall ansatte;Stiftelsesdato;Næringskode 1\n"
           "976030788;LITEN AS;AS;12;04.03.2021;62.010\n")


def test_registry_bulk_csv_export_current_and_old_labels_and_gzip(tmp_path):
    import gzip

    (tmp_path / "enheter_alle.csv.gz").write_bytes(gzip.compress(BULK_CSV.encode()))
    (tmp_path / "gammel.csv").write_text(OLD_CSV, encoding="cp1252")
    quality = Counter()
    units = sources.suppliers([tmp_path / "enheter_alle.csv.gz"], quality).set_index("org_nr")
    assert list(units.index) == ["959469059", "971497017", "976030788"]
    assert units.loc["976030788", ["org_form", "employees", "founded", "nace"]].tolist() == [
        "AS", 12, "2021-03-04", "62.010"]
    assert units.loc["959469059", "employees"] == 0  # harRegistrertAntallAnsatte false: no employees
    assert quality["suppliers: units without a valid organisation number (excluded)"] == 1
    old = sources.suppliers([tmp_path / "gammel.csv"], Counter()).set_index("org_nr")
    assert old.loc["976030788", ["employees", "founded", "nace"]].tolist() == [12, "2021-03-04", "62.010"]


def test_registry_bulk_json_gzip(tmp_path):
    import gzip
    import json

    units = [{"organisasjonsnummer": "976030788", "antallAnsatte": 3, "organisasjonsform": {"kode": "AS"}}]
    (tmp_path / "enheter_alle.json.gz").write_bytes(gzip.compress(json.dumps(units).encode()))
    frame = sources.suppliers([tmp_path / "enheter_alle.json.gz"], Counter())
    assert frame["employees"].tolist() == [3]


def test_survey_values_outside_scale_are_errors(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("org_nr,year,respondent_id,item_id,value\n974760673,2024,r1,innovation_maturity,7\n"
                    "974760673,2024,r2,innovation_maturity,9\n974760673,2024,r3,unknown_item,3\n")
    items = {"innovation_maturity": {"scale": [1, 5], "dont_know": []}}
    with pytest.raises(InputError) as exc:
        sources.surveys([path], items, Counter())
    assert [(p.where, p.field) for p in exc.value.problems] == [("row 2", "value"), ("row 3", "value")]
    items["innovation_maturity"]["dont_know"] = ["9"]
    path.write_text(path.read_text().replace(",7\n", ",4\n"))
    quality = Counter()
    frame = sources.surveys([path], items, quality)
    assert len(frame) == 2 and frame["value"].isna().sum() == 1
    assert quality["surveys: answers to items not in the item map (excluded)"] == 1
