"""The printed report (issue #29), read back from the PDFs of the demo build with pypdf: page one is the
web page's first screen, no text runs together on any page, every indicator starts its own line with its
value, its sparkline is drawn with its values in the tags (alt text), not in the printed text, and the PDF
stays tagged PDF/UA-1. Plus the converter's generic elements and its guards, on small pages."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import lxml.html
import pypdf
import pytest

from analysis import catalogue, pipeline
from analysis.writers import pdf
from tests.conftest import report_pages

IDS = sorted((i.id for i in catalogue.load().indicators), key=len, reverse=True)
_ID = "|".join(IDS)
# An indicator ID glued to the word before it ("sammenlignbareF2a", "64,3 %F2a") or after it ("F1aInnovasjon").
GLUED_ID = re.compile(rf"(?<=[A-Za-zÆØÅæøå0-9%])(?:{_ID})(?![A-Za-z0-9])|(?<![A-Za-z0-9])(?:{_ID})(?=[A-ZÆØÅ])")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _read(path: Path) -> tuple[list[str], list[dict]]:
    """The text of each page, and every structure element (its type, alt text, whether it holds content, its
    page from 1 where it names one)."""
    reader = pypdf.PdfReader(path)
    numbers = {page.indirect_reference.idnum: k for k, page in enumerate(reader.pages, start=1)}
    elements: list[dict] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                page = node.get("/Pg")
                elements.append({"type": str(node["/S"]), "alt": str(node.get("/Alt", "")), "kids": "/K" in node,
                                 "page": numbers.get(page.idnum) if page is not None else None})
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return [page.extract_text() for page in reader.pages], elements


def _glued(text: str, areas: list[str]) -> list[str]:
    """Places where an area name or indicator ID runs into the word before or after it."""
    found = [m.group(0) for m in GLUED_ID.finditer(text)]
    for area in areas:
        found += re.findall(rf"[a-zæøå0-9%]{re.escape(area)}|{re.escape(area)}[A-ZÆØÅ0-9]", text)
    return found


@pytest.fixture(scope="module")
def reports(demo_build):
    """(page, its HTML, its PDF) of every 2025 report of the demo build."""
    p, _ = demo_build
    site = pipeline.build_paths(p).site
    pages = report_pages(site, "2025")
    assert len(pages) >= 10
    return [(page, lxml.html.fromstring(page.read_text(encoding="utf-8")), page.with_suffix(".pdf"))
            for page in pages]


def _areas(html) -> list[str]:
    return [h.text_content().strip() for h in html.xpath("//ul[@class='areas']/li/h3")]


def test_page_one_is_the_first_screen(reports):
    """Title, data basis, key messages and the five areas with their headline values on page one; the
    section after the scorecard (the effects chain) starts page two."""
    for page, html, path in reports:
        texts, _ = _read(path)
        one = _norm(texts[0])
        assert _norm(html.xpath("//article//h1")[0].text_content()) in one, page
        assert _norm(html.xpath("//article//p[@class='basis']")[0].text_content()) in one, page
        for message in html.xpath("(//article//h2)[1]/following-sibling::ul[1]/li"):
            assert _norm(message.text_content()) in one, page
        areas = _areas(html)
        assert len(areas) == 5
        for area in areas:
            assert area in one, (page, area)
        for value in html.xpath("//section[@class='scorecard']//span[@class='value']"):
            assert _norm(value.text_content()) in one, (page, value.text_content())
        after = html.xpath("//section[@class='scorecard']/following::h2[1]")[0]
        assert _norm(texts[1]).startswith(_norm(after.text_content())), page


def test_no_area_or_indicator_runs_into_another_word_on_any_page(reports):
    for page, html, path in reports:
        texts, _ = _read(path)
        for number, text in enumerate(texts, start=1):
            assert not _glued(text, _areas(html)), (page, number, _glued(text, _areas(html)))


def test_the_glue_check_finds_what_the_old_pdf_printed():
    text = ("• RammebetingelserF1a Innovasjon 64,3 % ▲ opp siden 2024 høyeste fjerdedel av 4 sammenlignbareF2a "
            "Modenhet 4,00\n• GevinsterMål i rute: 2 av 2G1 Tilfredshet")
    assert _glued(text, ["Rammebetingelser", "Gevinster"]) == ["F1a", "F2a", "G1", "RammebetingelserF",
                                                               "GevinsterM"]
    assert not _glued("Rammebetingelser F1a Innovasjon\n64,3 % (F2a, P7d) Gevinster\nMål i rute", ["Gevinster"])


def test_every_indicator_starts_its_own_line_with_its_value(reports):
    for page, html, path in reports:
        lines = [_norm(line) for text in _read(path)[0] for line in text.splitlines()]
        folds = html.xpath("//details[@class='indicator']")
        assert len(folds) > 15
        for fold in folds:
            name = _norm(fold.xpath("./summary/span[@class='name']")[0].text_content())
            value = _norm(fold.xpath("./summary/span[@class='value']")[0].text_content())
            assert any(line.startswith(name) and line.endswith(value) for line in lines), (page, name, value)


def test_sparklines_are_drawn_with_their_values_in_the_tags_not_in_the_text(reports):
    for page, html, path in reports:
        texts, elements = _read(path)
        printed = _norm(" ".join(texts))
        figures = [e for e in elements if e["type"] == "/Figure"]
        alts = [e["alt"] for e in figures]
        sparklines = html.xpath("//article//*[local-name()='svg'][@class='sparkline']")
        assert sparklines, page
        for svg in sparklines:
            label = svg.get("aria-label")
            assert label in alts, (page, label)
            assert _norm(label) not in printed, (page, label)
        assert all(e["kids"] for e in figures)  # each figure holds what was drawn
        for img in html.xpath("//article//figure//img"):  # the report's figures too, with their alt text
            assert img.get("alt") in alts, (page, img.get("src"))
        assert len(figures) == len(sparklines) + len(html.xpath("//article//figure//img"))


def test_every_figure_is_on_the_page_of_its_caption(reports):
    for page, html, path in reports:
        texts, elements = _read(path)
        pages = {e["alt"]: e["page"] for e in elements if e["type"] == "/Figure"}
        for figure in html.xpath("//article//figure[img]"):
            caption = _norm(figure.xpath("./figcaption")[0].text_content())
            printed = [k for k, text in enumerate(texts, start=1) if caption in _norm(text)]
            assert printed == [pages[figure.xpath("./img")[0].get("alt")]], (page, caption)


def test_a_fold_around_a_captioned_figure_or_table_prints_only_the_caption(reports):
    """S29: "Figur: utviklinga over åra" above "Figur 2: Utvikling …" named one figure twice; the PDF prints the
    numbered caption alone (the page keeps its fold, whose summary is the only way to open it)."""
    for page, html, path in reports:
        folds = html.xpath("//details[contains(@class, 'figure') or contains(@class, 'all-indicators')]")
        assert folds, page
        text = _norm(" ".join(_read(path)[0]))
        for fold in folds:
            summary = _norm(fold.xpath("./summary")[0].text_content())
            assert summary not in text, (page, summary)
            caption = fold.xpath(".//figcaption|.//caption")
            assert caption and _norm(caption[0].text_content())[:40] in text, (page, summary)


def test_pdf_is_tagged_pdf_ua_with_language_title_headings_and_table_headers(reports):
    for _page, html, path in reports:
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == html.get("lang") and root["/MarkInfo"]["/Marked"]
        title = reader.metadata.title
        assert title.endswith(" 2025") and title in html.xpath("//title")[0].text_content()
        assert b"pdfuaid" in path.read_bytes()
        types = [e["type"] for e in _read(path)[1]]
        assert types.count("/H1") == 1 and types.count("/H2") >= 8 and types.count("/H3") >= 20
        # Every table is a tagged table, but the list of procurements: one paragraph per procurement, each value
        # after its column's name (many narrow columns headed by indicator IDs do not print as a table).
        assert types.count("/Table") == len(html.xpath('//article//table[not(contains(@class, "procurements"))]'))
        assert "/TH" in types


def test_the_pdf_carries_the_list_of_procurements(reports):
    for _page, html, path in reports:
        text = _norm(" ".join(_read(path)[0]))
        table = html.xpath('//table[contains(@class, "procurements")]')[0]
        number = _norm(table.xpath("./thead/tr/th")[1].text_content())  # "Doffin-nummer", in the page's language
        rows = table.xpath("./tbody/tr")
        assert rows
        for row in rows:
            title = _norm(row.xpath("./th")[0].text_content())
            assert f"{title}. {number}: " in text, title


# ---------------------------------------------------------------------------------------- the converter
def _compile(tmp_path, html: str) -> tuple[str, list[dict]]:
    pdf.write(html, "Tittel", "nb", tmp_path / "x.pdf", tmp_path)
    texts, elements = _read.__wrapped__(tmp_path / "x.pdf")
    return "\n".join(texts), elements


def test_blocks_inside_lists_quotes_and_asides_stay_apart(tmp_path):
    """The commentary's kind of content: paragraphs inside list items, a quote and an aside with headings
    and lists, a description list: each text its own line or word, nothing run together."""
    html = ("<h1>Rapport</h1><h2>Vurdering</h2><aside><h3>Egen vurdering</h3><p>Første avsnitt.</p>"
            "<blockquote><p>Sitat her.</p><p>Andre del.</p></blockquote><ul><li><p>Punkt en.</p><p>Mer om en."
            "</p></li><li>Punkt to<ul><li>Underpunkt</li></ul></li></ul></aside><dl><dt>Begrep</dt><dd>"
            "Forklaring</dd></dl><div>Løs tekst<p>Avsnitt</p>og hale</div>")
    text, elements = _compile(tmp_path, html)
    lines = [_norm(line) for line in text.splitlines()]
    for line in ("Egen vurdering", "Første avsnitt.", "Sitat her.", "Andre del.", "Mer om en.", "Underpunkt",
                 "Løs tekst", "Avsnitt", "og hale"):
        assert any(line in x for x in lines), line
    for glued in ("vurderingFørste", "avsnitt.Sitat", "her.Andre", "en.Mer", "toUnderpunkt", "tekstAvsnitt",
                  "Avsnittog", "BegrepForklaring"):
        assert glued not in text, glued
    assert [e["type"] for e in elements if e["type"] in ("/H1", "/H2", "/H3")] == ["/H1", "/H2", "/H3"]


def test_a_figure_that_cannot_be_drawn_is_left_out_with_its_caption():
    for img in ('<img src="https://example.org/x.png" alt="a">', '<img src="data:image/png;base64,AAAA" alt="a">',
                '<img src="../../../etc/passwd" alt="a">', '<img src="/etc/passwd" alt="a">'):
        source = pdf.typst_source(f"<figure>{img}<figcaption>Bildetekst</figcaption></figure>", "T", "nb",
                                  Path("reports/2025"))
        assert "Bildetekst" not in source and "image(" not in source, img
    drawn = pdf.typst_source('<figure><img src="x-1.svg" alt="a"><figcaption>Bildetekst</figcaption></figure>',
                             "T", "nb", Path("reports/2025"))
    assert 'image("/reports/2025/x-1.svg", width: 100%, alt: "a")' in drawn and "Bildetekst" in drawn


def test_inline_svg_is_passed_as_a_string_never_as_markup(tmp_path):
    """An SVG's markup and its alt text reach Typst as string literals: text in them that reads as Typst
    code stays text, so the page keeps its A4 width."""
    html = ('<h1>T</h1><details><summary><span class="name">X1 Navn</span> <span class="value">5 %</span> '
            '<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="96" height="24" viewBox="0 0 96 24" '
            'role="img" aria-label="a&quot; ] #set page(width: 1cm) [">'
            '<title>]#set page(width: 1cm)</title><polyline points="4,20 92,4" fill="none" stroke="#000"/></svg>'
            '</summary><p>Tekst</p></details>')
    source = pdf.typst_source(html, "T", "nb")
    assert 'alt: "a\\" ] #set page(width: 1cm) ["' in source and 'viewBox=\\"0 0 96 24\\"' in source
    png = pdf.compiler(str(tmp_path)).compile(input=source.encode(), format="png", ppi=10)
    assert int.from_bytes(png[16:20], "big") == 83  # A4 at 10 ppi: the text was never read as code
    text, elements = _compile(tmp_path, html)
    assert "X1 Navn 5 %" in _norm(text) and "#set" not in text
    assert [e["alt"] for e in elements if e["type"] == "/Figure"] == ['a" ] #set page(width: 1cm) [']


def test_the_same_html_gives_the_same_bytes(tmp_path):
    html = '<h1>T</h1><h2>Kort</h2><ul class="areas"><li class="area"><h3>A</h3><ul><li><span class="name">X</span> ' \
           '<span class="value">1 %</span></li></ul></li></ul><h2>Neste</h2><p>Side to</p>'
    pdf.write(html, "T", "nb", tmp_path / "a.pdf", tmp_path)
    pdf.write(html, "T", "nb", tmp_path / "b.pdf", tmp_path)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    texts, _ = _read.__wrapped__(tmp_path / "a.pdf")
    assert len(texts) == 2 and _norm(texts[1]).startswith("Neste")  # the scorecard ends page one
