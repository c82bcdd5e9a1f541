"""Acceptance on real data: every real eForms notice in tests/fixtures in one bulk ingest, and the 108 real Doffin
notices through a whole build.

The real files are other people's (see tests/fixtures/real/README.md): 108 Doffin notices, every example of the
eForms SDK 1.15 (with its intentionally INVALID_ notices and the business-registration notices X01, X02), and real
TED notices converted to eForms (which all carry the converter's placeholder notice and folder IDs).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from analysis.cli import app
from analysis.errors import InputError
from analysis.ingest import eforms
from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "eforms"
DOFFIN = REAL / "doffin"
TRONDELAG, NAV = "817920632", "889640782"  # Trøndelag fylkeskommune, Arbeids- og velferdsetaten
runner = CliRunner()


def organisations(notices: list[Path]) -> str:
    """organisations.csv for every buyer with a valid organisation number in `notices`, named as they name it."""
    found: dict[str, str] = {}
    for path in notices:
        try:
            buyers = eforms.parse_file(path).buyers
        except (InputError, eforms.NotProcurement):
            continue
        for buyer in buyers:
            if buyer.org_nr and buyer.org_nr not in found:
                found[buyer.org_nr] = buyer.name or buyer.org_nr
    kinds = (("fylkeskommune", "county"), ("kommune", "municipality"))
    rows = [(org, name, next((k for word, k in kinds if word in name.lower()), "state")) for org, name in found.items()]
    return "org_nr,name,org_type\n" + "".join(f'{o},"{n.replace(chr(34), "")}",{t}\n' for o, n, t in sorted(rows))


def dataset(root: Path, folders: list[Path]) -> Path:
    for folder in folders:
        shutil.copytree(folder, root / "notices" / folder.name)
    (root / "organisations.csv").write_text(organisations(sorted(root.glob("notices/**/*.xml"))), encoding="utf-8")
    return root


def params(tmp_path: Path, data: Path, **extra) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"data": str(data), "output": str(tmp_path / "out"), "renderer": "builtin",
                                    **extra}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bulk")
    data = dataset(tmp / "data", sorted(p for p in REAL.iterdir() if p.is_dir()))
    result = runner.invoke(app, ["ingest", "--params", str(params(tmp, data))])
    return tmp, result, json.loads((tmp / "out" / "data" / "quality.json").read_text(encoding="utf-8"))


def test_a_bulk_load_of_every_real_notice_goes_on_past_bad_files(bulk):
    _, result, quality = bulk
    assert result.exit_code == 0, result.output
    files = sorted(REAL.glob("**/*.xml"))
    refused = {Path(r["file"]).name for r in quality["refused"]}
    skipped = {Path(s["file"]).name for s in quality["skipped"]}
    copies = quality["counts"].get("notices: copies of a notice version already read (counted once)", 0)
    # Every file is ingested, a counted copy, refused or skipped: nothing is dropped silently.
    assert len(files) == 235 and quality["files"]["notices"] == 235
    assert quality["rows"]["notices"] + copies + len(refused) + len(skipped) == 235
    assert (quality["rows"]["notices"], copies, len(refused), len(skipped)) == (223, 0, 10, 2)
    # Only the SDK's intentionally invalid examples are refused (two of its twelve break only rules that the
    # SDK's Schematron checks, not what this loader reads, and are ingested), and only X01/X02 are skipped.
    assert refused == {p.name for p in files if p.name.startswith("INVALID_")} - {
        "INVALID_cn_24_multiple.xml", "INVALID_change-cn_24_FRA_comments.xml"}
    assert skipped == {"X01_EEIG.xml", "X02_registration.xml"}
    assert quality["refused_by_reason"] == {"cbc:ID[@schemeName='notice-id']: required element is missing or empty": 10}
    assert quality["skipped_by_reason"] == {"business registration notice (X01/X02)": 2}
    assert "10 refused, 2 skipped" in result.output


def test_converted_ted_notices_are_kept_apart_not_taken_for_copies(bulk):
    tmp, _, quality = bulk
    # The 35 converted TED notices all carry the SDK example's notice ID; each is a different notice.
    assert quality["counts"]["notices: a different notice under a notice ID already read (kept apart)"] == 35
    notices = pd.read_parquet(tmp / "out" / "data" / "notices.parquet")
    assert not notices.duplicated(["notice_id", "version"]).any()
    assert notices[notices["converted"]]["folder_id"].nunique() == 101
    converted = "notices: converted from TED XML (fields the TED forms lacked are unknown, not 'no')"
    assert quality["counts"][converted] == 101


def test_strict_refuses_the_same_run_naming_every_refused_file(bulk):
    tmp, _, quality = bulk
    result = runner.invoke(app, ["ingest", "--params", str(tmp / "params.yaml"), "--strict"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    named = {Path(line.removeprefix("error: ").split(": ")[0]).name for line in result.output.splitlines()
             if line.startswith("error: ")}
    assert named == {Path(r["file"]).name for r in quality["refused"]}


@pytest.mark.slow
def test_an_impossible_issue_date_is_refused_and_the_build_runs_to_the_end(tmp_path):
    data = tmp_path / "data"
    (data / "notices").mkdir(parents=True)
    good = DOFFIN / "2023-610912.xml"
    shutil.copyfile(good, data / "notices" / "good.xml")
    text = good.read_text(encoding="utf-8")
    issue = text[text.index("<cbc:IssueDate>") + 15:text.index("</cbc:IssueDate>")]
    (data / "notices" / "bad-date.xml").write_text(text.replace(f"<cbc:IssueDate>{issue}",
                                                                "<cbc:IssueDate>2024-13-45", 1), encoding="utf-8")
    (data / "organisations.csv").write_text(organisations([good]), encoding="utf-8")
    result = runner.invoke(app, ["build", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    quality = json.loads((tmp_path / "out" / "data" / "quality.json").read_text(encoding="utf-8"))
    assert [(Path(r["file"]).name, r["field"]) for r in quality["refused"]] == [("bad-date.xml", "cbc:IssueDate")]
    assert "2024-13-45" in quality["refused"][0]["reason"]
    assert (tmp_path / "out" / "site" / "reports" / "2023" / f"{TRONDELAG}.html").is_file()
    # Readers see it too: the method page's data-quality table counts the refused notice and names its element.
    method = (tmp_path / "out" / "site" / "metode.html").read_text(encoding="utf-8")
    assert re.search(r"eForms-kunngjøringer \(notices/\)</th><td>2</td><td>1</td><td>0</td>", method)
    assert "<code>cbc:IssueDate</code></th><td>1</td>" in method


@pytest.fixture(scope="module")
def doffin_build(tmp_path_factory):
    """The 108 real Doffin notices and an organisations.csv of their buyers through a whole build, nothing else:
    what a new user tries first."""
    tmp = tmp_path_factory.mktemp("doffin")
    data = dataset(tmp / "data", [DOFFIN])
    result = runner.invoke(app, ["build", "--params", str(params(tmp, data))])
    return tmp, result


@pytest.mark.slow
def test_the_doffin_notices_build_end_to_end(doffin_build):
    tmp, result = doffin_build
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    site = tmp / "out" / "site"
    assert (site / "reports" / "2023" / f"{TRONDELAG}.html").is_file()
    assert (site / "reports" / "2024" / f"{NAV}.html").is_file()
    page = (site / "reports" / "2023" / f"{TRONDELAG}.html").read_text(encoding="utf-8")
    # P5a for Trøndelag 2023 reads "ikke oppgitt" with 0 % coverage in the summary table, and its paragraph says so.
    assert re.search(r"P5a [^<]*</th><td>ikke oppgitt</td><td>–</td><td>0\xa0%</td>", page)
    assert "er ikke oppgitt for 2023: ingen av enhetene har fylt ut feltet" in page
    method = (site / "metode.html").read_text(encoding="utf-8")
    assert "Oppdragsgivere uten organisasjonsnummer i kunngjøringene" in method and "Datakvalitet" in method


@pytest.mark.slow
def test_no_value_where_no_unit_reported_the_field(doffin_build):
    tmp, _ = doffin_build
    table = pd.read_parquet(tmp / "out" / "indicators.parquet")
    # Across every organisation and year: a published value rests on at least one unit that reported its field.
    shown = table[table["status"] == "ok"]
    assert len(shown) and (shown["coverage"] > 0).all()
    pinned = table.set_index(["org_nr", "year", "indicator_id"])
    # Trøndelag fylkeskommune 2023: 54 lots from notices converted from TED XML, none carrying these fields.
    for ind in ("P3", "P5a", "P5c", "G3", "G4", "G5"):
        r = pinned.loc[(TRONDELAG, "2023", ind)]
        assert (r["status"], r["coverage"], r["reason"]) == ("not_reported", 0, "ikke oppgitt"), ind
        assert pd.isna(r["value"])
    # NAV 2024, a native eForms notice: no lot fills BT-726 or BT-776, but every lot fills BT-63.
    for ind in ("P3", "P5a", "G3", "G4", "G5"):
        assert pinned.loc[(NAV, "2024", ind)]["status"] == "not_reported", ind
    p5c = pinned.loc[(NAV, "2024", "P5c")]
    assert (p5c["status"], p5c["value"], p5c["n"], p5c["coverage"]) == ("ok", 0.0, 8, 1.0)


SYKEHUSINNKJOP = "916879067"  # Sykehusinnkjøp HF: 7 notices in 2023, 3 of them competitions


@pytest.mark.slow
def test_no_notice_based_value_is_hidden_and_small_bases_are_marked(doffin_build):
    from analysis import catalogue

    tmp, _ = doffin_build
    table = pd.read_parquet(tmp / "out" / "indicators.parquet")
    public = {i.id for i in catalogue.load().indicators if not i.persons}
    rows = table[table["indicator_id"].isin(public)]
    assert len(rows) and (rows["status"] != "suppressed").all() and rows["status"].eq("ok").sum() > 100
    shown = rows[rows["status"] == "ok"]
    shares = shown[shown["unit"] == "share"]
    assert shares["small_base"].eq(shares["n"] < 10).all() and shares["small_base"].any()
    assert shown.loc[shown["small_base"], "peer_quartile"].isna().all()
    # A share of its units has its Wilson interval around the value; a share of something else (P7d: tenders,
    # counted per lot) has none, as a binomial interval over tenders would claim too much.
    counted = shares[shares["denominator"] == shares["n"]]
    assert ((counted["ci_low"] <= counted["value"]) & (counted["value"] <= counted["ci_high"])).all()
    assert shares.loc[shares["denominator"] != shares["n"], "ci_low"].isna().all()
    for page in (tmp / "out" / "site" / "reports").glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        # No survey here, so nothing is hidden: no value cell reads "n<5", no paragraph speaks of privacy.
        assert not re.search(r'(<td>|class="value">)n&lt;', text) and "personvernet" not in text, page.name


@pytest.mark.slow
def test_sykehusinnkjop_2023_shows_its_notices_as_counts(doffin_build):
    tmp, _ = doffin_build
    page = (tmp / "out" / "site" / "reports" / "2023" / f"{SYKEHUSINNKJOP}.html").read_text(encoding="utf-8")
    # 2023: three procedures in competition notices (cn-standard 2023-649037, pin-cfc-social 2023-664435 and
    # pin-cfc-standard 2023-100718 with its change 2023-101942) and three planning notices, none before its
    # procedure's announcement; none innovation-friendly, split into lots, open to variants or R&D. Two of the
    # three name their procedure type (P4) and two lots say whether variants are allowed (P5c).
    for ind, phrase in (("P2", "0 av 3 anskaffelser"), ("P4", "0 av 2 anskaffelser"), ("P5b", "0 av 3 anskaffelser"),
                        ("P5c", "0 av 2 delkontrakter"), ("P6", "0 av 3 anskaffelser")):
        details = page[page.index(f'<details class="indicator" id="{ind}">'):]
        details = details[:details.index("</details>")]
        assert phrase in details and "usikkert grunnlag" in details and "konfidensintervall" in details, ind
    assert "Datagrunnlag for 2023: 7 kunngjøringer" in page
    assert "Ikke levert for virksomheten: spørreundersøkelsen, gevinstregisteret" in page


@pytest.mark.slow
def test_the_list_of_procurements_agrees_with_every_notice_based_number(doffin_build):
    """For every report and every indicator counted from flags, the yes rows of the procurement list are its
    numerator and the yes and no rows its denominator; every report with such a number lists its procurements."""
    from analysis import catalogue

    tmp, _ = doffin_build
    out = tmp / "out"
    flagged = [i.id for i in catalogue.load().indicators if i.flags]
    assert {"P2", "P4", "P5a", "P5b", "P6", "P7c"} <= set(flagged)
    flags = pd.read_parquet(out / "procurement_flags.parquet")
    table = pd.read_parquet(out / "indicators.parquet")
    counted = flags.groupby(["org_nr", "year", "indicator_id"])["flag"].agg(
        yes=lambda f: int((f == True).sum()), answered=lambda f: int(f.notna().sum())).reset_index()  # noqa: E712
    rows = table[table["indicator_id"].isin(flagged) & table["denominator"].notna()].merge(
        counted, on=["org_nr", "year", "indicator_id"], how="left")
    assert len(rows) > 100
    assert (rows["numerator"].astype(float) == rows["yes"]).all()
    assert (rows["denominator"].astype(float) == rows["answered"]).all()
    listed = pd.read_parquet(out / "procurements.parquet")
    key = ["org_nr", "year", "folder_id"]
    assert set(flags[key].itertuples(index=False)) == set(listed[key].itertuples(index=False))
    for org, year in set(rows[["org_nr", "year"]].itertuples(index=False)):
        page = out / "site" / "reports" / year / f"{org}.html"
        if page.is_file():
            text = page.read_text(encoding="utf-8")
            assert "Anskaffelsene bak tallene" in text and (page.parent / f"{org}.procurements.csv").is_file(), page


@pytest.mark.slow
def test_the_overview_says_when_no_procurement_is_an_example_to_learn_from(doffin_build):
    tmp, _ = doffin_build
    # The 108 notices have no innovation partnership, competitive dialogue, negotiated procedure after market
    # dialogue, R&D or BT-776 code: the overview says so rather than show an empty list.
    page = (tmp / "out" / "site" / "oversikt" / "2023.html").read_text(encoding="utf-8")
    assert '<h2 id="examples">Eksempler å lære av</h2>' in page
    assert "Ingen konkurranse kunngjort i 2023 brukte innovasjonspartnerskap" in page and "examples-" not in page


@pytest.mark.slow
def test_sykehusinnkjop_2023_names_its_procurements(doffin_build):
    tmp, _ = doffin_build
    folder = tmp / "out" / "site" / "reports" / "2023"
    page = (folder / f"{SYKEHUSINNKJOP}.html").read_text(encoding="utf-8")
    titles = ("Diatermipenner og -plater med tilbehør til foretakene i Helse Vest",
              "Veiledende kunngjøring - Drift av kiosk med kafètilbud Tromsø og Harstad UNN HF")
    # P2 counts three procurements, none with early dialogue: its details name all three.
    p2 = page[page.index('<details class="indicator" id="P2">'):]
    p2 = re.sub(r"<[^>]+>", "", p2[:p2.index("</details>")])
    assert "Telles som ja i 0 av 3 anskaffelser (" in p2 and all(f"«{t}»" in p2 for t in titles)
    # The list: one row per procurement, by date, each linked to Doffin by the number its file names.
    section = page[page.index('<section class="procurements"'):]
    section = section[:section.index("</section>")]
    assert section.count('<tr><th scope="row">') == 3
    assert section.index(titles[0]) < section.index(titles[1])
    # The third procurement is told by its latest competition notice (2023-101942, the change of 2023-100718),
    # the one the indicators read.
    links = re.findall(r'href="(https://www\.doffin\.no/notices/[^"]+)"', section)
    assert links == ["https://www.doffin.no/notices/2023-649037", "https://www.doffin.no/notices/2023-664435",
                     "https://www.doffin.no/notices/2023-101942"]
    assert '<span aria-hidden="true">✗</span> nei' in section and "<caption>" in section
    assert 'scope="col"><abbr title="Analyse og tidlig markedsdialog">P2</abbr>' in section
    csv = pd.read_csv(folder / f"{SYKEHUSINNKJOP}.procurements.csv", dtype=str)
    assert list(csv["doffin_id"]) == ["2023-649037", "2023-664435", "2023-101942"]
    assert list(csv["P2"]) == ["no", "no", "no"]


@pytest.mark.slow
def test_an_absent_source_is_never_stated_as_a_fact_about_the_body(doffin_build):
    tmp, _ = doffin_build
    site = tmp / "out" / "site"
    pages = sorted(site.glob("reports/*/*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for claim in ("ingen mål i gevinstregisteret", "Ingen innkjøp er registrert", "ingen mål ennå",
                      "Kilder: kunngjøringer i eForms-format (Doffin/TED), Enhetsregisteret"):
            assert claim not in text, (page.name, claim)
        if "-" not in page.stem:  # a report, not an analysis
            assert "Kilder som er lest: kunngjøringer (Doffin/TED)." in text, page.name
            assert "Ikke målt for" in text and 'href="../../metode.html#kilder"' in text, page.name
    smb = (site / "reports" / "2023" / f"{SYKEHUSINNKJOP}-smb.html").read_text(encoding="utf-8")
    assert "det er ikke levert innkjøpsdata fra regnskapet for virksomheten: P7a" in smb  # S14


@pytest.mark.slow
def test_no_report_for_a_buyer_year_without_data(doffin_build):
    from analysis import orgyears

    tmp, _ = doffin_build
    out = tmp / "out"
    plan = orgyears.read(out / "indicators.parquet", basis=out / "basis.parquet")
    basis = pd.read_parquet(out / "basis.parquet")
    held = set(zip(basis["org_nr"], basis["year"], strict=True))
    published = {(p.stem, p.parent.name) for p in (out / "site" / "reports").glob("*/*.html") if "-" not in p.stem}
    assert plan.empty and published == set(plan.reports) and not held & set(plan.empty)
    for org, year in plan.empty[:20]:
        page = (out / "site" / "virksomheter" / f"{org}.html").read_text(encoding="utf-8")
        assert f"ingen kunngjøringer eller andre data for {year}" in page, (org, year)


@pytest.mark.slow
def test_the_overview_carries_funnel_plots_with_their_tables(doffin_build):
    tmp, _ = doffin_build
    overview = (tmp / "out" / "site" / "oversikt" / "2024.html").read_text(encoding="utf-8")
    figures = re.findall(r'<img [^>]*src="2024-(P\w+)-1\.svg"[^>]*alt="([^"]+)"', overview)
    assert {ind for ind, _ in figures} >= {"P2", "P4", "P6"} and all(alt.strip() for _, alt in figures)
    assert overview.count("<table") >= len(figures) + 1
    report = (tmp / "out" / "site" / "reports" / "2024" / f"{NAV}.html").read_text(encoding="utf-8")
    assert "Målt mot den nasjonale andelen ligger verdien" in report


def test_buyers_without_an_organisation_number_are_found_by_name(tmp_path):
    data = tmp_path / "data"
    (data / "notices").mkdir(parents=True)
    for name in ("2023-674907.xml", "2023-618728.xml"):  # Nome Kommune; 22 Finnmark and Troms municipalities
        shutil.copyfile(DOFFIN / name, data / "notices" / name)
    (data / "organisations.csv").write_text("org_nr,name,org_type\n923609016,Udirektoratet,state\n", encoding="utf-8")
    (data / "suppliers").mkdir()
    units = [  # Enhetsregisteret-shaped units, written for this test
        {"organisasjonsnummer": "938712441", "navn": "NOME KOMMUNE", "forretningsadresse": {"postnummer": "3830"}},
        {"organisasjonsnummer": "944588132", "navn": "ALTA KOMMUNE", "forretningsadresse": {"postnummer": "9510"}},
        {"organisasjonsnummer": "923609016", "navn": "Vadsø kommune", "forretningsadresse": {"postnummer": "1234"}},
        {"organisasjonsnummer": "964967369", "navn": "TANA KOMMUNE"},
        {"organisasjonsnummer": "974760673", "navn": "Tana kommune"},
    ]
    (data / "suppliers" / "units.json").write_text(json.dumps(units), encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0, result.output
    counts = json.loads((tmp_path / "out" / "data" / "quality.json").read_text(encoding="utf-8"))["counts"]
    # Nome (case differs, no postal code in the notice) and Alta (same postal code) resolve; Vadsø's postal code
    # differs (9800 in the notice); Tana fits two numbers (ambiguous); the other 19 have no match.
    assert counts["buyers: without an organisation number, resolved by name"] == 2
    assert counts["buyers: without an organisation number, ambiguous by name (unresolved)"] == 1
    assert counts["buyers: without an organisation number, no match by name (unresolved)"] == 20
    buyers = pd.read_parquet(tmp_path / "out" / "data" / "notice_buyers.parquet")
    assert set(buyers.loc[buyers["resolved_by_name"], "org_nr"]) == {"938712441", "944588132"}


def test_contract_registers_name_procurements_by_doffin_number_or_case_number(tmp_path):
    """A contract register names the procurement by the Doffin number (the notice file's name, as Doffin serves it)
    or the buyer's own reference in the notice (BT-22, its case number), not only by the eForms IDs; each contract
    joins one procedure at most, and a procedure is one procurement however its contracts name it."""
    hole, miljo, meraker = "960010833", "999601391", "835231712"  # Hole kommune, Miljødirektoratet, Meråker
    data = tmp_path / "data"
    (data / "notices" / "doffin").mkdir(parents=True)
    for name in ("2023-100679.xml", "2024-100506.xml", "ContractNotice_pin-cfc-social_2024-101732.xml"):
        shutil.copyfile(DOFFIN / name, data / "notices" / "doffin" / name)
    shutil.copyfile(DOFFIN / "2024-100506.xml", data / "notices" / "copy-of-the-same-notice.xml")
    # Hole's case number 23/13419 again, on another procedure (its own notice and folder IDs, in 2024)
    text = (DOFFIN / "2023-100679.xml").read_text(encoding="utf-8")
    folder = re.search(r"<cbc:ContractFolderID>([^<]+)<", text).group(1)
    notice = re.search(r"<cbc:ID schemeName=\"notice-id\">([^<]+)<", text).group(1)
    again = text.replace(folder, "aaaaaaaa-0000-4000-8000-000000000001").replace(notice, "aaaaaaaa-0000-4000-8000-0002")
    (data / "notices" / "hole-again.xml").write_text(again.replace("<cbc:IssueDate>2023-", "<cbc:IssueDate>2024-"),
                                                    encoding="utf-8")
    (data / "organisations.csv").write_text(organisations(sorted(data.glob("notices/**/*.xml"))), encoding="utf-8")
    (data / "contracts").mkdir()
    fit_and_new = "SSA-T;ja;ja;ja;ja;;"
    (data / "contracts" / "kontrakter.csv").write_text(
        "org_nr;contract_id;procurement_id;supplier_org_nr;signed_date;standard;development_phases;ipr;scaling;"
        "new_to_market;new_to_org;innovation_friendly\n" + "".join(f"{row}\n" for row in [
            f"{hole};k1;2023-100679;;2025-02-01;{fit_and_new}",     # the Doffin number: the notice's procedure
            f"{hole};k2;23/13419;;2025-03-01;{fit_and_new}",        # Hole's case number names two procedures: none
            f"{miljo};k3;2024/509;;2025-04-01;{fit_and_new}",       # BT-22, the case number of one procedure
            f"{miljo};k4;2023-100679;;2025-05-01;{fit_and_new}",    # another buyer's Doffin number: no notice
            f"{hole};k5;2024-100506;;2025-06-01;{fit_and_new}",     # Miljødirektoratet's notice: no notice
            f"{miljo};k6;2024-100506;;2025-07-01;{fit_and_new}",    # k3's procedure, named by its Doffin number
            f"{meraker};k7;24/1;;2025-08-01;{fit_and_new}",         # the lead buyer's case number in a joint one
            f"{meraker};k8;2024-101732;;2025-09-01;{fit_and_new}",  # the joint procedure's Doffin number
        ]), encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "data"
    notices = pd.read_parquet(out / "notices.parquet").set_index("source")
    assert notices.loc[str(data / "notices" / "doffin" / "2023-100679.xml"), ["doffin_id", "internal_id"]].tolist() \
        == ["2023-100679", "23/13419"]
    # The copy under another name, read first, is the notice kept; the Doffin number comes from the other file.
    assert notices.loc[str(data / "notices" / "copy-of-the-same-notice.xml"), "doffin_id"] == "2024-100506"
    assert notices["doffin_id"].notna().sum() == 3 and len(notices) == 4
    from analysis import compute
    con = compute.connect(out)
    joined = con.execute("SELECT c.contract_id, c.folder_id IS NOT NULL, p.year FROM register_contracts c "
                         "JOIN register_procurements p USING (org_nr, procedure) ORDER BY c.contract_id").fetchall()
    assert joined == [("k1", True, "2023"), ("k2", False, "2025"), ("k3", True, "2024"), ("k4", False, "2025"),
                      ("k5", False, "2025"), ("k6", True, "2024"), ("k7", False, "2025"), ("k8", True, "2024")]
    # k3 and k6 are one procurement of Miljødirektoratet: P1 counts it once.
    assert con.execute("SELECT count(*) FROM register_procurements WHERE org_nr = ?", [miljo]).fetchone()[0] == 2
    p1 = compute.compute_all(out).indicators.set_index(["org_nr", "year", "indicator_id"]).loc[(miljo, "2024", "P1")]
    assert (p1["n"], p1["status"], bool(p1["small_base"])) == (1, "ok", True)  # a register: shown, marked
