"""The built-in renderer's outputs beyond the pages: downloads, PDFs, organisation pages, provenance."""

from __future__ import annotations

import json
import shutil
import zipfile

import lxml.html
import pandas as pd
import pytest

from analysis import paths, pipeline, provenance, render
from analysis.model.pages import SITE_TEXT
from analysis.model.reports import DOWNLOAD_COLUMNS
from analysis.writers import pdf, quarto
from tests.conftest import report_pages


@pytest.fixture(scope="module")
def site(demo_build):
    p, _ = demo_build
    return pipeline.build_paths(p).site


@pytest.fixture(scope="module")
def table(demo_build):
    p, _ = demo_build
    return pd.read_parquet(pipeline.build_paths(p).indicators)


def first_report(site):
    return report_pages(site)[0]


def test_every_report_offers_csv_xlsx_and_pdf_that_exist(site):
    for page in report_pages(site):
        html = page.read_text(encoding="utf-8")
        for ext in ("csv", "xlsx", "pdf"):
            assert f'href="{page.stem}.{ext}"' in html and (page.parent / f"{page.stem}.{ext}").is_file()
        assert 'href="../../provenance.json"' in html


def test_downloads_match_the_indicator_table_and_hide_what_is_suppressed(site, table):
    page = first_report(site)
    year, org = page.parent.name, page.stem
    csv = pd.read_csv(page.with_suffix(".csv"), dtype={"org_nr": str, "year": str})
    xlsx = pd.read_excel(page.with_suffix(".xlsx"), dtype={"org_nr": str, "year": str})
    assert list(csv.columns) == DOWNLOAD_COLUMNS == list(xlsx.columns)
    expected = table[(table["org_nr"] == org) & (table["year"] == year)].reset_index(drop=True)
    assert list(csv["indicator_id"]) == list(expected["indicator_id"]) == list(xlsx["indicator_id"])
    ok = expected["status"] == "ok"
    assert csv.loc[ok, "value"].to_numpy() == pytest.approx(expected.loc[ok, "value"].to_numpy())
    hidden = ~ok
    assert csv.loc[hidden, ["value", "numerator", "denominator", "n", "coverage"]].isna().all().all()
    assert xlsx.loc[hidden, ["value", "n"]].isna().all().all()


def test_suppressed_survey_values_never_reach_a_download(site, table):
    suppressed = table[table["status"] == "suppressed"]
    assert not suppressed.empty  # the demo data has small groups
    for row in suppressed.head(20).itertuples():
        path = site / "reports" / row.year / f"{row.org_nr}.csv"
        if path.is_file():
            got = pd.read_csv(path, dtype=str).set_index("indicator_id").loc[row.indicator_id]
            assert pd.isna(got["value"]) and pd.isna(got["n"]) and pd.isna(got["numerator"])


def test_xlsx_is_a_valid_workbook_with_fixed_timestamps(site):
    with zipfile.ZipFile(first_report(site).with_suffix(".xlsx")) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1980-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_pdf_is_tagged_with_language_and_title(site):
    data = first_report(site).with_suffix(".pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"/Lang" in data and b"/StructTreeRoot" in data
    assert b"pdfuaid" in data  # PDF/UA-1 identification in the XMP metadata


def test_typst_source_never_interprets_text_as_code(tmp_path):
    html = ('<h1>Mål #1 *viktig*</h1><p>Tekst med "sitat", \\bakstrek og #set page(width: 1cm) og '
            '<script>alert(1)</script>.</p><table><caption>T</caption><thead><tr><th>A</th></tr></thead>'
            '<tbody><tr><td>[x] $y$</td></tr></tbody></table>')
    source = pdf.typst_source(html, "Tittel", "nb")
    assert '#"Mål #1 *viktig*"' in source and 'og #set page(width: 1cm) og "' in source and "alert" not in source
    assert '#"Tekst med \\"sitat\\", \\\\bakstrek' in source and 'table.header([#"A"])' in source
    # Were the text read as code, the page would be 1 cm wide: at 10 ppi an A4 page is 83 px wide.
    png = pdf.compiler(str(tmp_path)).compile(input=source.encode(), format="png", ppi=10)  # one page: bytes
    assert int.from_bytes(png[16:20], "big") == 83
    pdf.write(html, "Tittel", "nb", tmp_path / "x.pdf", tmp_path)
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")


def test_pdf_shows_every_folded_detail_and_each_sparklines_values(site):
    """The report folds each indicator in <details>; its PDF has no folds: every paragraph of every
    disclosure, and the values behind each sparkline (its text alternative), are in the Typst source."""
    page = lxml.html.fromstring(first_report(site).read_text(encoding="utf-8"))
    article = page.xpath("//article")[0]
    source = pdf.typst_source(lxml.html.tostring(article, encoding="unicode"), "Tittel", "nb")
    folded = article.xpath(".//details")
    assert len(folded) > 20
    for details in folded:
        for p in details.xpath(".//p"):
            assert pdf._str(max(p.itertext(), key=len)) in source
    sparklines = article.xpath(".//*[local-name()='svg'][@class='sparkline']")
    assert sparklines
    for svg in sparklines:
        assert pdf._str(svg.get("aria-label")) in source


def test_organisation_page_lists_every_year_and_links_its_reports(site):
    page = first_report(site)
    org = page.stem
    html = (site / "virksomheter" / f"{org}.html").read_text(encoding="utf-8")
    years = sorted(p.parent.name for p in (site / "reports").glob(f"*/{org}.html"))
    for year in years:
        assert f'href="../reports/{year}/{org}.html"' in html and f'<th scope="col">{year}</th>' in html
    assert "F1a" in html and "E3" in html


def test_provenance_names_inputs_code_params_packages_and_renderer(site, demo_build):
    p, _ = demo_build
    record = json.loads((site / "provenance.json").read_text(encoding="utf-8"))
    files = {f["path"]: f["sha256"] for f in record["inputs"]["files"]}
    assert files["organisations.csv"] == provenance.sha256(p.data / "organisations.csv")
    assert len(files) == sum(1 for f in p.data.rglob("*") if f.is_file())
    assert len(record["code"]["commit"]) == 40 and isinstance(record["code"]["dirty"], bool)
    assert record["parameters"]["years"] == ["2024", "2025"] and "workers" not in record["parameters"]
    assert record["renderer"] == "builtin" and {"pandas", "duckdb", "typst"} <= set(record["packages"])
    assert {(r["year"], r["org_nr"]) for r in record["reports"]} == {
        (f.parent.name, f.stem) for f in report_pages(site)}


def _main(html: str) -> str:
    return html[html.index('<main id="main">') + len('<main id="main">'):html.index("</main>")].strip()


def test_quarto_project_holds_the_same_pages(demo_build, monkeypatch):
    """The Quarto writer's project, without Quarto: `quarto render` is replaced by a recorder."""
    import yaml

    from analysis import render

    p, _ = demo_build
    b = pipeline.build_paths(p)
    calls = []

    def fake_quarto(*args, cwd):
        assert cwd == b.output / "quarto"
        calls.append(list(args))
        return "1.11.0\n"

    def fake_render(project, inputs, workers):
        assert project == b.output / "quarto"
        calls.append(["render", inputs, workers])
        (project / "_site").mkdir(exist_ok=True)
        (project / "_site" / "index.html").write_text("quarto")

    monkeypatch.setattr(quarto.Quarto, "quarto", staticmethod(fake_quarto))
    monkeypatch.setattr(quarto.quarto_run, "render", fake_render)
    monkeypatch.setattr(render, "choose", lambda renderer: "quarto")
    used, staging = pipeline.render(p)
    project = b.output / "quarto"
    # no record yet: all of it, in the build's workers
    assert used == "quarto" and calls == [["--version"], ["render", None, p.workers]] and p.workers == 2
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "website" and config["execute"]["enabled"] is False
    assert config["format"]["html"]["lang"] == "nb"
    for page in sorted(b.site.rglob("*.html")):  # every page of the built-in site has its Quarto source
        rel = page.relative_to(b.site)
        if rel.parts[0] == "reports":  # the executed notebook; a report also gets its downloads cell
            nb = json.loads(project.joinpath(rel).with_suffix(".ipynb").read_text(encoding="utf-8"))
            assert ('class="downloads"' in "".join(nb["cells"][-1]["source"])) == rel.stem.isdigit()
        else:
            qmd = project.joinpath(rel).with_suffix(".qmd").read_text(encoding="utf-8")
            assert _main(page.read_text(encoding="utf-8")) in qmd
    # The downloads and PDFs are the project's own, the same files either way; provenance names Quarto.
    for ext in ("pdf", "csv", "xlsx"):
        report = sorted(b.site.glob(f"reports/*/*.{ext}"))[0].relative_to(b.site)
        assert (staging / report).read_bytes() == (b.site / report).read_bytes()
    assert json.loads((staging / "provenance.json").read_text(encoding="utf-8"))["renderer"] == "quarto"
    shutil.rmtree(staging)  # leave the build as the other tests expect it


def test_quarto_renders_every_page(demo_build, quarto_build):
    """Every page the built-in renderer makes for the year Quarto rendered, Quarto makes too, with the
    downloads, PDFs and provenance beside it, the site search index, and provenance naming Quarto."""
    p, _ = demo_build
    builtin = pipeline.build_paths(p).site
    wanted = {f.relative_to(builtin) for f in builtin.rglob("*") if f.is_file() and "2024" not in f.parts
              and f.stem != "2024" and f.name != "manifest.json" and f.suffix != ".svg"}
    assert wanted and wanted <= {f.relative_to(quarto_build) for f in quarto_build.rglob("*") if f.is_file()}
    assert json.loads((quarto_build / "provenance.json").read_text(encoding="utf-8"))["renderer"] == "quarto"
    assert json.loads((quarto_build / "search.json").read_text(encoding="utf-8"))


def test_readme_shows_a_screenshot_of_a_report_first_screen():
    """`make screenshots` writes the picture; the README shows it: a PNG of the first 1280×900 pixels."""
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/img/report-first-screen.png)" in readme
    png = (paths.ROOT / "docs" / "img" / "report-first-screen.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 900)


def test_overview_carries_a_funnel_per_indicator_with_text_alternative_and_table(rendered_site, table, demo_build):
    """Each funnel (one per share of counted units with a national share, folded) has a figure with a text
    alternative and a table listing every organisation with a published value, placed as analysis.funnel
    places it; on either renderer's site."""
    site = rendered_site
    from analysis import catalogue, funnel

    p, _ = demo_build
    national = pd.read_parquet(pipeline.build_paths(p).national)
    year = max(p.years)
    doc = lxml.html.fromstring((site / "oversikt" / f"{year}.html").read_text(encoding="utf-8"))
    folded = doc.xpath('//details[@class="funnel"]')
    cat = catalogue.load()
    nat = national[(national["year"] == year) & (national["status"] == "ok")].set_index("indicator_id")["value"]
    expected = [i.id for i in cat.indicators if funnel.eligible(i) and i.id in nat.index
                and ((table["year"] == year) & (table["indicator_id"] == i.id) & (table["status"] == "ok")).any()]
    assert expected and [d.get("id") for d in folded] == [f"funnel-{i}" for i in expected]
    labels = {funnel.label(key, "nb") for key in funnel.POSITIONS}
    for d in folded:
        ind_id = d.get("id").removeprefix("funnel-")
        img = d.xpath(".//figure/img")[0]
        assert img.get("alt", "").startswith("Traktdiagram for " + ind_id)
        assert (site / "oversikt" / img.get("src")).read_text(encoding="utf-8").startswith("<svg")
        assert d.xpath(".//figure/figcaption")
        caption = d.xpath(".//table/caption")[0]
        assert caption.text_content().startswith(f"{ind_id} ")
        assert [th.text_content() for th in d.xpath(".//table/thead//th")] == \
            ["Virksomhet", cat[ind_id].denominator["nb"], "Andel", "Plassering"]
        rows = d.xpath(".//table/tbody/tr")
        published = table[(table["year"] == year) & (table["indicator_id"] == ind_id) & (table["status"] == "ok")]
        assert len(rows) == len(published)
        by_name = {r.name: r for r in published.itertuples(index=False)}
        for row in rows:
            name = row.xpath("./th")[0].text_content()
            cells = [td.text_content() for td in row.xpath("./td")]
            r = by_name[name]
            assert cells[2] == funnel.label(funnel.position(r.value, r.denominator, nat[ind_id]), "nb")
            assert cells[2] in labels
    intro = doc.xpath('//h2[@id="funnels"]/following-sibling::p[1]')[0].text_content()
    assert f" {len(expected)} " in intro


def test_index_opens_with_the_national_scorecard_of_the_newest_year(rendered_site, demo_build):
    """The front page's first section after the title is the national scorecard: the five areas in the
    catalogue's order, each with its first two indicators that have a national value, the value as the
    overview shows it, and the change in a symbol and words; on either renderer's site."""
    site = rendered_site
    from analysis import catalogue, fmt

    p, _ = demo_build
    national = pd.read_parquet(pipeline.build_paths(p).national)
    newest = max(p.years)
    doc = lxml.html.fromstring((site / "index.html").read_text(encoding="utf-8"))
    main = doc.xpath("//main")[0]
    children = [c for c in main if isinstance(c.tag, str)]
    assert children[0].tag == "h1"
    card = children[1]
    assert card.tag == "section" and card.get("class") == "scorecard"
    assert card.xpath("./h2")[0].text_content() == f"Det nasjonale bildet {newest}"
    cat = catalogue.load()
    areas = card.xpath('./ul[@class="areas"]/li[@class="area"]')
    assert [a.xpath("./h3")[0].text_content() for a in areas] == [t["nb"] for t in cat.areas.values()]
    ok = national[(national["year"] == newest) & (national["status"] == "ok")].set_index("indicator_id")["value"]
    for area, li in zip(cat.areas, areas, strict=True):
        wanted = [i for i in cat.in_area(area) if i.id in ok.index][:2]
        items = li.xpath("./ul/li")
        assert [it.xpath('./span[@class="name"]')[0].text_content().split()[0] for it in items] == \
            [i.id for i in wanted]
        for ind, it in zip(wanted, items, strict=True):
            assert it.xpath('./span[@class="value"]')[0].text_content() == fmt.value(ok[ind.id], ind.unit, "nb")
            move = it.xpath('./span[@class="move"]')[0]
            assert move.xpath('./span[@aria-hidden="true"]')[0].text_content() in ("▲", "▼", "◆", "–")
            assert str(int(newest) - 1) in move.text_content()  # words, not only a symbol
    assert card.xpath(f'.//a[@href="oversikt/{newest}.html"]')
    assert doc.xpath('//section[@class="year"]')  # the list of reports follows


def test_quarto_pages_get_the_site_title_navbar_and_footer_in_their_own_language(tmp_path):
    """Quarto has one navbar and footer for the site, in the site's language and with Pandoc's curly
    apostrophes; each page in another language gets its own (and only the site's title after a page's title
    is changed, not the same words in the page's title or its content)."""
    from analysis import i18n

    site = render.Site({"en": "Anne's site", "nb": "Annes nettsted"}, "en", paths.BuildPaths(tmp_path))
    words = quarto.Quarto(site, tmp_path / "out")._words()
    en, nb = (i18n.text({**SITE_TEXT, **quarto.QUARTO_TEXT}, lang) for lang in ("en", "nb"))
    assert "'" in en["footer"] and "'" not in quarto._smart(en["footer"])
    page = tmp_path / "page.html"
    quarto_page = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}"><head>'
        "<title>Anne’s site 2025 – Anne’s site</title></head><body>"
        '<header id="quarto-header"><span class="navbar-title">Anne’s site</span>'
        '<span class="menu-text">Reports</span></header>'
        "<main><p>Reports of Anne’s site</p></main>"
        f'<footer class="footer"><div class="nav-footer-left">{quarto._smart(en["footer"])}</div></footer>'
        "</body></html>")
    page.write_text(quarto_page.format(lang="nb"), encoding="utf-8")
    quarto._tidy(page, words)
    html = page.read_text(encoding="utf-8")
    assert "<title>Anne’s site 2025 – Annes nettsted</title>" in html
    assert '<span class="navbar-title">Annes nettsted</span>' in html
    assert f'<span class="menu-text">{nb["reports"]}</span>' in html and nb["reports"] != "Reports"
    assert quarto._smart(nb["footer"]) in html and "following" not in html
    assert "<main><p>Reports of Anne’s site</p></main>" in html  # the page's own content as it was
    page.write_text(quarto_page.format(lang="en"), encoding="utf-8")  # the site's language: nothing to change
    quarto._tidy(page, words)
    assert page.read_text(encoding="utf-8") == quarto_page.format(lang="en")
