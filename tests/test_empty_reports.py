"""No empty reports: an organisation-year with no data of any kind gets no report, and its organisation page and
the index say so; a later build that brings data for it makes the report, one that takes the data away again
removes it cleanly. Built on two real Doffin notices (tests/fixtures/real, see its README): Trøndelag
fylkeskommune's of 2023 and NAV's of 2024, so Trøndelag has nothing in 2024 and NAV nothing in 2023."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import links, manifest, orgyears
from analysis.cli import app
from tests.conftest import RENDERERS, need_quarto
from tests.test_real_data import DOFFIN, NAV, TRONDELAG, organisations, params

runner = CliRunner()
NOTICES = (DOFFIN / "2023-610912.xml", DOFFIN / "ContractNotice_cn-social_2024-102327.xml")
TRAINING = f"org_nr,year,procurement_fte,trained_fte\n{NAV},2023,4,2\n"  # NAV's competence in 2023: data


def build(tmp_path, data, renderer="builtin"):
    result = runner.invoke(app, ["build", "--params", str(params(tmp_path, data, renderer=renderer))])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return tmp_path / "out"


def reports(out):
    return {(p.parent.name, p.stem) for p in (out / "site" / "reports").glob("*/*.html") if p.stem.isdigit()}


def notebooks(out):
    return {(p.parent.name, p.stem) for p in (out / "reports").glob("*/*.ipynb")}


def assert_site_is_whole(out):
    site = out / "site"
    assert links.check(site) == []
    assert manifest.verify(site) == []
    listed = json.loads((site / "provenance.json").read_text(encoding="utf-8"))["reports"]
    assert {(r["year"], r["org_nr"]) for r in listed} == reports(out)
    if (site / "search.json").is_file():  # Quarto's search index finds only pages there, each section once
        found = json.loads((site / "search.json").read_text(encoding="utf-8"))
        assert found and all((site / e["href"].partition("#")[0]).is_file() for e in found)
        assert len({e["href"] for e in found}) == len(found)


@pytest.fixture
def data(tmp_path):
    root = tmp_path / "data"
    (root / "notices").mkdir(parents=True)
    for notice in NOTICES:
        shutil.copyfile(notice, root / "notices" / notice.name)
    (root / "organisations.csv").write_text(organisations(list(NOTICES)), encoding="utf-8")
    return root


def test_the_plan_leaves_out_an_organisation_year_whose_every_indicator_says_nothing():
    rows = [("1", "2023", "ok"), ("1", "2023", "no_data"), ("1", "2024", "no_data"), ("1", "2024", "unavailable"),
            ("2", "2023", "not_reported"), ("2", "2024", "derived"), ("2", "2024", None), ("3", "2024", "suppressed"),
            ("3", "2023", "not_yet")]
    plan = orgyears.plan(pd.DataFrame(rows, columns=["org_nr", "year", "status"]))
    assert plan.reports == [("1", "2023"), ("2", "2023"), ("3", "2023"), ("3", "2024")]
    assert plan.empty == [("1", "2024"), ("2", "2024")]
    assert orgyears.plan(pd.DataFrame(rows, columns=["org_nr", "year", "status"]), ["1"], ["2024"]).reports == []
    # A notice that reaches no indicator (a planning notice alone) is data all the same: its body gets a report.
    held = pd.DataFrame([("1", "2024")], columns=["org_nr", "year"])
    plan = orgyears.plan(pd.DataFrame(rows, columns=["org_nr", "year", "status"]), basis=held)
    assert ("1", "2024") in plan.reports and plan.empty == [("2", "2024")]


@pytest.mark.slow
@pytest.mark.parametrize("renderer", RENDERERS)
def test_an_organisation_year_without_data_has_no_report_until_data_comes(tmp_path, data, renderer):
    """On either renderer's site; Quarto's (skipped, naming its absence, where it is not installed) renders
    again only what changed, its project kept between the builds."""
    if renderer == "quarto":
        need_quarto()
    out = build(tmp_path, data, renderer)
    table = pd.read_parquet(out / "indicators.parquet")
    assert set(table["year"]) == {"2023", "2024"} and {TRONDELAG, NAV} <= set(table["org_nr"])
    plan = orgyears.read(out / "indicators.parquet", basis=out / "basis.parquet")
    assert {("2023", TRONDELAG), ("2024", NAV)} <= {(y, o) for o, y in plan.reports}
    assert {(NAV, "2023"), (TRONDELAG, "2024")} <= set(plan.empty)
    # What the indicator table says, the site shows: a report for each pair with data, none for the others.
    assert reports(out) == notebooks(out) == {(y, o) for o, y in plan.reports}
    assert not (out / "site" / "reports" / "2023" / f"{NAV}.html").exists()
    assert not (out / "site" / "reports" / "2024" / f"{TRONDELAG}.pdf").exists()
    nav = (out / "site" / "virksomheter" / f"{NAV}.html").read_text(encoding="utf-8")
    assert "ingen kunngjøringer eller andre data for 2023" in nav and "ingen kunngjøringer eller andre data for 2024" \
        not in nav and f'href="../reports/2024/{NAV}.html"' in nav and f"reports/2023/{NAV}" not in nav
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    section = index[index.index('data-year="2023"'):]  # the last year section: newest first
    row = section[section.index(f"<td>{NAV}</td>"):]
    assert row[:row.index("</tr>")].endswith("<td>ingen kunngjøringer eller andre data for 2023</td>")
    assert f"reports/2023/{NAV}" not in index and f'href="virksomheter/{NAV}.html"' in section
    # The count of reports counts reports only.
    assert f"{len(plan.reports)} av {len(plan.reports)}" in index
    assert_site_is_whole(out)

    # Data for NAV in 2023 (a line of the competence register): the next build makes that report too.
    (data / "training").mkdir()
    (data / "training" / "kompetanse.csv").write_text(TRAINING, encoding="utf-8")
    out = build(tmp_path, data, renderer)
    plan = orgyears.read(out / "indicators.parquet", basis=out / "basis.parquet")
    assert ("2023", NAV) in reports(out) and (NAV, "2023") not in plan.empty
    nav = (out / "site" / "virksomheter" / f"{NAV}.html").read_text(encoding="utf-8")
    assert "ingen kunngjøringer eller andre data for 2023" not in nav and f'href="../reports/2023/{NAV}.html"' in nav
    assert_site_is_whole(out)

    # Taken away again: the published report, its files and its notebook go; the site stays whole.
    shutil.rmtree(data / "training")
    out = build(tmp_path, data, renderer)
    assert ("2023", NAV) not in reports(out) and ("2023", NAV) not in notebooks(out)
    assert not list((out / "site" / "reports" / "2023").glob(f"{NAV}*"))
    assert not list((out / "reports" / "2023").glob(f"{NAV}*")) and not list((out / "analyses").glob(f"*/2023/{NAV}*"))
    assert "ingen kunngjøringer eller andre data for 2023" in (
        out / "site" / "virksomheter" / f"{NAV}.html").read_text(encoding="utf-8")
    assert_site_is_whole(out)


@pytest.mark.slow
@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_body_with_no_data_in_any_year_keeps_its_page_saying_so(tmp_path, data, renderer):
    """On either renderer's site (Quarto's skipped, naming its absence, where it is not installed)."""
    if renderer == "quarto":
        need_quarto()
    nobody = "974760673"  # in organisations.csv, in no notice and no register
    with (data / "organisations.csv").open("a", encoding="utf-8") as f:
        f.write(f"{nobody},Registerenheten i Brønnøysund,state\n")
    out = build(tmp_path, data, renderer)
    assert json.loads((out / "site" / "provenance.json").read_text(encoding="utf-8"))["renderer"] == renderer
    assert not list((out / "site" / "reports").glob(f"*/{nobody}*"))
    page = (out / "site" / "virksomheter" / f"{nobody}.html").read_text(encoding="utf-8")
    assert all(f"ingen kunngjøringer eller andre data for {year}" in page for year in ("2023", "2024"))
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count(f'href="virksomheter/{nobody}.html"') == 2
    for year in ("2023", "2024"):  # its row in each year's table says so, where the report link would be
        section = index[index.index(f'data-year="{year}"'):]
        row = section[section.index(f"<td>{nobody}</td>"):]
        assert row[:row.index("</tr>")].endswith(f"<td>ingen kunngjøringer eller andre data for {year}</td>")
    assert_site_is_whole(out)


def test_the_demo_has_data_for_every_organisation_year(demo_build):
    p, _ = demo_build
    plan = orgyears.read(p.output / "indicators.parquet", basis=p.output / "basis.parquet")
    assert plan.empty == [] and len(plan.reports) == len(
        pd.read_parquet(p.output / "indicators.parquet", columns=["org_nr", "year"]).drop_duplicates())


def test_a_commentary_for_an_organisation_year_without_a_report_is_named_not_dropped(tmp_path, data):
    """NAV has no data in 2023, so no report to show its 2023 commentary in: the build says so, naming the file
    (a warning; with `strict` an error, exit 2), rather than leaving it out in silence."""
    (data / "commentary" / "2023").mkdir(parents=True)
    (data / "commentary" / "2023" / f"{NAV}.md").write_text("Vi har ikkje kome i gang enno.\n", encoding="utf-8")
    result = runner.invoke(app, ["build", "--params", str(params(tmp_path, data))])
    assert result.exit_code == 0, result.output
    assert f"commentary/2023/{NAV}.md: file: year: no report for {NAV} in 2023" in result.output
    assert not (tmp_path / "out" / "site" / "reports" / "2023" / f"{NAV}.html").exists()
    (tmp_path / "strict").mkdir()
    strict = runner.invoke(app, ["build", "--params", str(params(tmp_path / "strict", data, strict=True))])
    assert strict.exit_code == 2 and "Traceback" not in strict.output
    assert f"commentary/2023/{NAV}.md: file: year: no report" in strict.output
