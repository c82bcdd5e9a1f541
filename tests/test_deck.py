"""The deck per report (issue #39): each demo report's <org_nr>.pptx read back with python-pptx — its slides and
titles, its charts' values against the indicator table, its speaker notes against the narrative, its pictures'
descriptions, its language — the same bytes from the same story, a body's own template, the short deck of a body
with only notices, and (where LibreOffice is installed) the deck rendered to PDF and PNG."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from analysis import catalogue, i18n, narrative, params, pipeline, report
from analysis.model import story
from analysis.writers import deck
from tests.conftest import report_pages

FORNYELSE, HAVFORSK, HELSE = "906420643", "936881696", "992308753"  # nb, nn and en bodies of the demo
NO_OFFICE = ("LibreOffice is not installed here (`soffice` is not on PATH): the decks are not rendered; "
             ".ci/run installs libreoffice-impress")


@pytest.fixture(scope="module")
def site(demo_build) -> Path:
    p, _ = demo_build
    return pipeline.build_paths(p).site


@pytest.fixture(scope="module")
def table(demo_build) -> pd.DataFrame:
    p, _ = demo_build
    return pd.read_parquet(pipeline.build_paths(p).indicators)


def decks(site: Path) -> list[Path]:
    return sorted(site.glob("reports/*/*.pptx"))


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def texts(slide) -> str:
    """Every text of a slide: its text frames and table cells, then its notes."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            parts += [shape.chart.chart_title.text_frame.text] + [s.name for s in shape.chart.plots[0].series]
    return "\n".join(parts + [slide.notes_slide.notes_text_frame.text])


def test_every_report_has_a_deck_linked_beside_its_pdf(site):
    pages = report_pages(site)
    assert len(pages) == len(decks(site)) > 20
    for page in pages:
        assert (page.parent / f"{page.stem}.pptx").is_file(), page
        html = page.read_text(encoding="utf-8")
        assert html.index(f'href="{page.stem}.pdf"') < html.index(f'href="{page.stem}.pptx"'), page


def test_the_fornyelse_2025_deck_tells_the_report(site):
    prs = Presentation(site / "reports" / "2025" / f"{FORNYELSE}.pptx")
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    cat = catalogue.load()
    assert titles(prs) == [
        "Direktoratet for fornyelse: innovative anskaffelser 2025", "Hovedbudskap",
        "De fem områdene i korte trekk", "Effektkjeden: fra nullpunkt til mål",
        "Effektkjeden: mål, tiltak, gjennomføring, resultat og effekt",
        *(titles["nb"] for titles in cat.areas.values()),
        "Hva er gjort, og hva er videre tiltak", "Datagrunnlaget og det som ikke ble målt"]
    slides = list(prs.slides)
    # Every slide's title is its title placeholder, first in reading order.
    for slide in slides:
        assert slide.shapes.title is not None and slide.shapes[0].shape_id == slide.shapes.title.shape_id
    # The key messages beside the body's own assessment, marked as its words.
    assert "Virksomhetens vurdering (med egne ord)" in texts(slides[1])
    assert "Med virksomhetens egne ord" in texts(slides[1])
    # The scorecard is a table: the five areas, each headline value with its change and placement.
    grid = next(s for s in slides[2].shapes if s.has_table).table
    assert [c.text for c in grid.rows[0].cells] == ["Område", "Indikator", "Verdi", "Endring siden 2024", "Plassering"]
    assert [r.cells[0].text for r in grid.rows if r.cells[0].text][1:] == [t["nb"] for t in cat.areas.values()]
    p2 = next(r for r in grid.rows if r.cells[1].text.startswith("P2 "))
    assert p2.cells[2].text == "84,6\u00a0%" and p2.cells[3].text.startswith("opp ") and "fjerdedel" in p2.cells[4].text
    # The effects chain: each goal from baseline to target, with its status.
    goals = next(s for s in slides[3].shapes if s.has_table).table
    assert len(goals.rows) == 3 and [r.cells[4].text for r in list(goals.rows)[1:]] == ["nådd", "i rute"]
    # The next steps: this year's and last year's.
    assert "Videre tiltak satt for 2025" in texts(slides[-2]) and "Oppfølging" in texts(slides[-2])


def test_charts_show_the_indicator_table(site, table):
    """Every chart of every deck: one native line chart per area, a series per indicator, its values the
    table's published values (ok) of the last years and nothing where a value is hidden or missing."""
    rows = table.set_index(["org_nr", "year", "indicator_id"])
    charts = 0
    for path in decks(site):
        for slide in Presentation(path).slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                charts += 1
                plot = shape.chart.plots[0]
                years = list(plot.categories)
                assert years == sorted(years) and years[-1] == path.parent.name
                assert shape._element.nvGraphicFramePr.cNvPr.get("descr")  # the values in words
                for series in plot.series:
                    ind = series.name.split(" ")[0]
                    expected = []
                    for year in years:
                        r = rows.loc[(path.stem, year, ind)]
                        expected.append(float(r["value"]) if r["status"] == "ok" else None)
                    got = list(series.values)
                    assert [v is None for v in got] == [v is None for v in expected], (path, ind)
                    assert [v for v in got if v is not None] == pytest.approx([v for v in expected if v is not None])
    assert charts > 48


def test_no_hidden_value_on_a_slide_or_in_a_note(site, table):
    """A value resting on fewer than min_n respondents is never shown: its chart point is empty, and its line
    in the notes gives the status word (skjult (n<5)) and no number of its own."""
    cat = catalogue.load()
    hidden = table[table["status"] == "suppressed"]
    assert len(hidden)
    seen = 0
    for r in hidden.itertuples(index=False):
        path = site / "reports" / r.year / f"{r.org_nr}.pptx"
        if not path.is_file():
            continue
        ind = cat[r.indicator_id]
        lang = {HAVFORSK: "nn", "990939055": "nn", HELSE: "en"}.get(r.org_nr, "nb")
        word = i18n.text(report.TEXT, lang)["hidden"].format(min_n=int(r.min_n))
        for slide in Presentation(path).slides:
            for line in texts(slide).splitlines():
                if line.startswith(f"{ind.id} {ind.title[lang]}:"):
                    seen += 1
                    assert line.startswith(f"{ind.id} {ind.title[lang]}: {word}."), line
                    said = re.sub(r"\b\d{4}\b", "", line[len(f"{ind.id} {ind.title[lang]}: {word}."):])
                    assert not re.search(rf"(?<![\w<]){int(r.n)}(?![\d,])", said), line
    assert seen >= 10


def test_the_notes_carry_the_narrative(demo_build, site):
    p, _ = demo_build
    r = report.load(FORNYELSE, "2025", "nb", p.output)
    prs = Presentation(site / "reports" / "2025" / f"{FORNYELSE}.pptx")
    notes = {s.shapes.title.text: s.notes_slide.notes_text_frame.text for s in prs.slides}
    rows = [r.now.loc[i.id].to_dict() | {"indicator_id": i.id, "year": "2025"} for i in r.cat.indicators]
    messages = narrative.key_messages(rows, "nb", [r._chain(g)[0] for g in r._goals()], len(r._unmeasured()))
    assert all(story.plain(m) in notes["Hovedbudskap"] for m in messages) and len(messages) >= 3
    for ind in r.cat.in_area("innkjopspraksis"):
        row = r.now.loc[ind.id].to_dict() | {"indicator_id": ind.id, "year": "2025"}
        if row["status"] != "no_data":
            text = story.plain(narrative.indicator_text(row, "nb", r.targets.get(ind.id)))
            assert text in notes["Innkjøpspraksis"], ind.id
    assert "Opplæringen i innovasjonspartnerskap er gjennomført" in notes["Hovedbudskap"]  # the assessment in full


def test_every_picture_has_a_description(site):
    pictures = 0
    for path in decks(site):
        for slide in Presentation(path).slides:
            for shape in slide.shapes:
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                    pictures += 1
                    assert len(shape._element.nvPicPr.cNvPr.get("descr", "")) > 40, path
    assert pictures >= 10  # the effects chains


@pytest.mark.parametrize(("org_nr", "lang", "key_messages"), [(FORNYELSE, "nb", "Hovedbudskap"),
                                                                (HAVFORSK, "nn", "Hovudbodskap"),
                                                                (HELSE, "en", "Key messages")])
def test_a_deck_speaks_its_report_language(site, org_nr, lang, key_messages):
    prs = Presentation(site / "reports" / "2025" / f"{org_nr}.pptx")
    assert prs.core_properties.language == lang and titles(prs)[1] == key_messages
    assert titles(prs)[-1] == i18n.translate(lang, story.TEXT["basis"])


def test_the_same_story_gives_the_same_bytes(demo_build, site, tmp_path):
    p, _ = demo_build
    told = story.build(report.load(HELSE, "2025", "en", p.output))
    first, again = tmp_path / "a.pptx", tmp_path / "b.pptx"
    deck.write(told, first)
    deck.write(story.build(report.load(HELSE, "2025", "en", p.output)), again)
    assert first.read_bytes() == again.read_bytes() == (site / "reports" / "2025" / f"{HELSE}.pptx").read_bytes()


def test_a_body_uses_its_own_template_by_layout_name(demo_build, tmp_path):
    """`deck_template`: its slide size and its layouts, by name; the slides it holds are not part of the deck."""
    p, _ = demo_build
    own = Presentation()  # 4:3, with the standard layout names
    own.slides.add_slide(own.slide_layouts[0]).shapes.title.text = "An example slide of the template"
    own.save(tmp_path / "profile.pptx")
    assert params.parse({"data": str(p.data), "deck_template": str(tmp_path / "profile.pptx")}).deck_template
    with pytest.raises(Exception, match="deck_template"):
        params.parse({"data": str(p.data), "deck_template": str(tmp_path / "nothing.pptx")})
    told = story.build(report.load(FORNYELSE, "2025", "nb", p.output))
    deck.write(told, tmp_path / "deck.pptx", tmp_path / "profile.pptx")
    prs = Presentation(tmp_path / "deck.pptx")
    assert (prs.slide_width, prs.slide_height) == (own.slide_width, own.slide_height)
    assert titles(prs) == [s.title for s in told.slides]
    assert [s.slide_layout.name for s in prs.slides][:3] == ["Title Slide", "Two Content", "Title Only"]


@pytest.mark.slow
def test_a_body_with_only_notices_gets_the_short_deck(tmp_path):
    from tests.test_real_data import DOFFIN, NAV, dataset
    from tests.test_real_data import params as real_params

    data = dataset(tmp_path / "data", [DOFFIN])
    p = params.load(real_params(tmp_path, data))
    pipeline.ingest(p)
    pipeline.compute(p)
    pipeline.execute(p)
    pipeline.render(p)
    site = pipeline.publish(p)
    pages = report_pages(site)
    assert len(pages) > 20 and all((page.parent / f"{page.stem}.pptx").is_file() for page in pages)
    prs = Presentation(site / "reports" / "2024" / f"{NAV}.pptx")
    names = titles(prs)
    assert names[1] == "Hovedbudskap" and names[-1] == "Datagrunnlaget og det som ikke ble målt"
    assert all(n.startswith("Dette viser kunngjøringene: ") for n in names[2:-1]) and len(names) > 3
    assert "Her kan dere begynne å måle" in texts(list(prs.slides)[-1])


def test_libreoffice_renders_the_deck(site, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("INNOMAAL_REQUIRE_OFFICE"):  # CI installed it: its absence is a failure, not a skip
            pytest.fail("LibreOffice is required here (INNOMAAL_REQUIRE_OFFICE) but `soffice` is not on PATH")
        pytest.skip(NO_OFFICE)
    from pypdf import PdfReader

    source = site / "reports" / "2025" / f"{FORNYELSE}.pptx"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, env=env,
                   timeout=300)
    pdf = PdfReader(tmp_path / f"{FORNYELSE}.pdf")
    assert len(pdf.pages) == len(Presentation(source).slides)
    assert "Hovedbudskap" in pdf.pages[1].extract_text()
    png = deck.slide_png(source, 5, tmp_path / "slide.png", tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
