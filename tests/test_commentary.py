"""The organisation's own words (commentary files): read into rows, rendered safely, shown in the report
(assessment beside the key messages, notes in the indicators' details, next steps after the effects chain,
last year's as follow-up) and in its PDF; `innomaal new-commentary` writes a starting file."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from analysis import catalogue, commentary, i18n, pipeline
from analysis.cli import app
from analysis.ingest import commentary as reading
from analysis.report import TEXT
from analysis.writers import pdf

IDS = [i.id for i in catalogue.load().indicators]
ORG = "974760673"
FILE = """---
author: Kari Nordmann
date: 15.02.2025
---
Vi har kommet langt, men **ikke** i mål.

Andre avsnitt.

## P2 Analyse og tidlig markedsdialog
Dialogkonferanser i to store anskaffelser.

## p4
Første linje.
### Underoverskrift
```
## F1a er ingen overskrift i kode
```

## Tiltak
- Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr (innkjøpssjef, 2026-06-30)
- Opplæring (30.09.2026)
- Evaluere med
  leverandørene (økonomisjef)
- Rapportere (se P2)
"""


def write(root: Path, text: str | bytes, year: str = "2025", org: str = ORG) -> Path:
    path = root / "commentary" / year / f"{org}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def read(root: Path, years=("2024", "2025")) -> tuple[pd.DataFrame, list]:
    return reading.read(root, {ORG}, set(years), IDS)


def test_a_file_becomes_assessment_notes_and_next_steps(tmp_path):
    write(tmp_path, FILE)
    rows, problems = read(tmp_path)
    assert problems == []
    assert rows["kind"].tolist() == ["assessment", "note", "note", "action", "action", "action", "action"]
    assert set(rows["author"]) == {"Kari Nordmann"} and set(rows["written"]) == {"2025-02-15"}
    assert rows["text"][0] == "Vi har kommet langt, men **ikke** i mål.\n\nAndre avsnitt."
    assert rows["indicator_id"][1:3].tolist() == ["P2", "P4"]  # the ID as the catalogue spells it
    assert "## F1a er ingen overskrift i kode" in rows["text"][2]  # a fenced block is not split
    steps = rows[rows["kind"] == "action"][["text", "owner", "due"]].values.tolist()
    assert steps == [["Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr", "innkjøpssjef", "2026-06-30"],
                     ["Opplæring", None, "2026-09-30"],
                     ["Evaluere med leverandørene", "økonomisjef", None],
                     ["Rapportere (se P2)", None, None]]
    assert rows[rows["kind"] == "action"]["line"].tolist() == [20, 21, 22, 24]


@pytest.mark.parametrize("heading", ["Tiltak", "tiltak", "Actions", "Tiltak:"])
def test_the_next_steps_heading_in_every_language(tmp_path, heading):
    write(tmp_path, f"## {heading}\n- Gjøre noe (leder)\n")
    rows, problems = read(tmp_path)
    assert problems == [] and rows[["kind", "text", "owner"]].values.tolist() == [["action", "Gjøre noe", "leder"]]


def test_each_problem_is_one_line_naming_file_and_line(tmp_path):
    write(tmp_path, "---\ndate: i fjor\ncolour: blue\n---\nTekst.\n\n## X9\nBort.\n\n"
                    "## Tiltak\n- A (leder, 2026-13-45)\n")
    write(tmp_path, "Tekst.\n", year="2031")
    write(tmp_path, "Tekst.\n", org="123456785")
    write(tmp_path, "Tekst\n\xe6\xf8\xe5\n".encode("latin-1"), year="2024")
    rows, problems = read(tmp_path)
    got = [(Path(p.file).relative_to(tmp_path).as_posix(), p.where, p.field) for p in problems]
    assert got == [
        ("commentary/2024/974760673.md", "line 2", "encoding"),
        ("commentary/2025/123456785.md", "file", "org_nr"),
        ("commentary/2025/974760673.md", "line 3", "front matter"),
        ("commentary/2025/974760673.md", "line 2", "date"),
        ("commentary/2025/974760673.md", "line 7", "indicator"),
        ("commentary/2025/974760673.md", "line 11", "date"),
        ("commentary/2031/974760673.md", "file", "year"),
    ]
    # what is sound in a file with problems is kept: the assessment and the step, without the bad date
    assert rows[["year", "kind", "text", "owner", "due", "written"]].values.tolist() == [
        ["2025", "assessment", "Tekst.", None, None, None], ["2025", "action", "A", "leder", None, None]]


# How a file is cut into sections and steps: as Markdown reads it (markdown-it's block tokens), each row as
# (kind, indicator, text, owner, due, line) and each problem as (where, field).
SECTIONS = {
    "a heading in a backtick fence is text": (
        "A.\n```\n## X9\n```\n## P2\nB.\n",
        [("assessment", None, "A.\n```\n## X9\n```", None, None, 1), ("note", "P2", "B.", None, None, 6)], []),
    "a tilde fence closes only with as many tildes": (
        "A.\n~~~~\n## X9\n~~~\n## X8\n~~~~\n## p4\n",
        [("assessment", None, "A.\n~~~~\n## X9\n~~~\n## X8\n~~~~", None, None, 1)], []),
    "a fence line with text after it does not close the fence": (
        "A.\n```\ncode\n```js\n## X9\n```\n", [("assessment", None, "A.\n```\ncode\n```js\n## X9\n```", None, None, 1)],
        []),
    "an unclosed fence runs to the end": (
        "A.\n```\n## X9\n", [("assessment", None, "A.\n```\n## X9", None, None, 1)], []),
    "a heading in a quote or a list item is text": (
        "> ## X9\n\n- a\n  ## X8\n", [("assessment", None, "> ## X9\n\n- a\n  ## X8", None, None, 1)], []),
    "an underlined (setext) heading is text": ("A\n---\nB.\n", [("assessment", None, "A\n---\nB.", None, None, 1)], []),
    "a heading may be indented up to three spaces and close with #": (
        "A.\n   ## P2 ##\nB.\n## p4#\nC.\n",
        [("assessment", None, "A.", None, None, 1), ("note", "P2", "B.", None, None, 3),
         ("note", "P4", "C.", None, None, 5)], []),
    "an empty heading starts a section that is no indicator": (
        "A.\n##\nB.\n", [("assessment", None, "A.", None, None, 1)], [("line 2", "indicator")]),
    "a step spans its lines, lazy or indented, and a bad date names its first line": (
        "## Tiltak\n- Evaluere med\n  leverandørene (økonomisjef,\n  2026-13-45)\n- Neste\nlat (sjef)\n",
        [("action", None, "Evaluere med leverandørene", "økonomisjef", None, 2),
         ("action", None, "Neste lat", "sjef", None, 5)], [("line 2", "date")]),
    "a step's second paragraph belongs to it; a nested item is a step of its own": (
        "## Tiltak\n- a\n\n  mer (x)\n- b\n  - c (y)\n",
        [("action", None, "a mer", "x", None, 2), ("action", None, "b", None, None, 5),
         ("action", None, "c", "y", None, 6)], []),
    "text before the list and after it are steps of their own": (
        "## Actions\nFørst (leder)\n1. a\n2. b\n\nTil slutt\n",
        [("action", None, "Først", "leder", None, 2), ("action", None, "a", None, None, 3),
         ("action", None, "b", None, None, 4), ("action", None, "Til slutt", None, None, 6)], []),
    "a heading ends a list item and the fence in it": (
        "## Tiltak\n- a\n\n  ```\n## P2\nB.\n",
        [("action", None, "a ```", None, None, 2), ("note", "P2", "B.", None, None, 6)], []),
}


@pytest.mark.parametrize("name", SECTIONS)
def test_sections_and_steps_are_cut_as_markdown_reads_them(tmp_path, name):
    text, expected, expected_problems = SECTIONS[name]
    write(tmp_path, "---\nauthor: A\n---\n" + text)  # the lines are the file's: after three of front matter
    rows, problems = read(tmp_path)
    got = [(r["kind"], r["indicator_id"], r["text"], r["owner"], r["due"], r["line"] - 3)
           for r in rows.to_dict("records")]
    assert got == expected
    assert [(f"line {int(p.where.split()[1]) - 3}", p.field) for p in problems] == expected_problems


UNSAFE = {
    "script element": ("<script>alert(1)</script>", "<script"),
    "img onerror": ('<img src=x onerror="alert(1)">', "<img"),
    "onerror in a link title": ('[x](https://a.no "a\\" onerror=\\"alert(1)")', 'onerror="'),
    "javascript link": ("[klikk](javascript:alert(1))", "href"),
    "javascript link, mixed case and entity": ("[klikk](JaVaScRiPt&colon;alert(1))", "href=\"javascript"),
    "javascript autolink": ("<javascript:alert(1)>", "href"),
    "data link": ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href"),
    "vbscript link": ("[x](vbscript:msgbox)", "href"),
    "protocol-relative link": ("[x](//evil.example/)", "href"),
    "image": ("![x](https://evil.example/pixel.png)", "<img"),
    "iframe": ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    "html block": ("<div onmouseover=\"alert(1)\">\nx\n</div>", "<div"),
}


@pytest.mark.parametrize("name", list(UNSAFE))
def test_unsafe_markdown_is_shown_as_text_or_dropped(name):
    source, never = UNSAFE[name]
    html = commentary.markdown(source)
    assert never.lower() not in html.lower(), html
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not tree.xpath("//script|//img|//iframe|//*[@*[starts-with(name(), 'on')]]"), html
    assert all(re.match(r"(https?:|mailto:|[^:]*$)", a.get("href")) for a in tree.xpath("//a")), html


def test_safe_links_and_headings_stay_valid():
    html = commentary.markdown("[a](https://dfo.no) [b](mailto:post@dfo.no) [c](../../metode.html#P2) [d](#P2)\n\n"
                               "# Stor\n\n### Liten")
    assert [a.get("href") for a in lxml.html.fragment_fromstring(html, create_parent="div").xpath("//a")] == [
        "https://dfo.no", "mailto:post@dfo.no", "../../metode.html#P2", "#P2"]
    assert "<h" not in html and "<p><strong>Stor</strong></p>" in html  # no heading breaks the page's order


def test_the_starting_file_reads_back_empty_and_filled(tmp_path):
    text = commentary.starting_file(ORG, "Testetaten", "2025", "nn", [("P2", "P2 Analyse: 45,0 % (+5,0 pp)")])
    assert "# Verksemda skriv sjølv i rapporten for 2025: Testetaten (974760673)." in text
    assert "#   P2 Analyse: 45,0 % (+5,0 pp)" in text and "## P2\n" in text and text.endswith("## Tiltak\n\n")
    write(tmp_path, text)
    rows, problems = read(tmp_path)
    assert rows.empty and problems == []  # empty sections are not shown
    filled = text.replace("author: \n", "author: Per\n").replace("## P2\n", "## P2\nEin merknad.\n") + "- Gjere noko\n"
    write(tmp_path, filled)
    rows, problems = read(tmp_path)
    assert problems == [] and rows[["kind", "text", "author"]].values.tolist() == [
        ["note", "Ein merknad.", "Per"], ["action", "Gjere noko", "Per"]]


# ------------------------------------------------------------------ in the demo build
def report(demo_build, year: str) -> tuple[str, str]:
    p, _ = demo_build
    [path] = sorted((p.data / "commentary" / year).glob("*.md"))
    site = pipeline.build_paths(p).site
    return path.stem, (site / "reports" / year / f"{path.stem}.html").read_text(encoding="utf-8")


def test_the_demo_commentary_is_in_its_report_where_it_belongs(demo_build):
    p, _ = demo_build
    org, html = report(demo_build, "2025")
    page = lxml.html.fromstring(html)
    first = page.xpath('//div[@class="first-screen"]')[0]
    assert first.xpath("./section/h2/text()") == ["Hovedbudskap", "Virksomhetens vurdering"]
    assert "Skrevet av Kari Nordmann, innkjøpssjef, 13. februar 2026." in first.text_content()
    assert "Opplæringen i innovasjonspartnerskap er gjennomført" in first.text_content()
    note = page.xpath('//details[@id="P4"]//div[contains(@class, "note")]')[0].text_content()
    assert "Vi har brukt innovasjonspartnerskap i to anskaffelser" in note
    headings = [h.text_content().strip() for h in page.xpath("//article//h2|//article//h3")]
    chain = headings.index("Effektkjede")
    assert headings[chain + 1:chain + 3] == ["Videre tiltak", "Oppfølging: tiltakene fra 2024"]  # after the chain
    steps = page.xpath('//section[@id="next-steps" or @aria-labelledby="next-steps"]//ul')
    assert "Registrere realiserte gevinster" in steps[0].text_content()
    assert "(økonomidirektør, frist 31. mars 2026)" in steps[0].text_content()
    follow_up = steps[1].text_content()  # last year's next steps, with owners and dates
    assert "Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr (innkjøpssjef, frist 30. juni 2025)" \
        in follow_up
    assert [len(page.xpath("//h1"))] == [1]
    # the 2024 report: its own next steps, no follow-up (no 2023 file)
    _, before = report(demo_build, "2024")
    assert "Gi alle innkjøpere opplæring" in before and 'id="follow-up"' not in before
    # reports of other bodies have none of it
    other = next(f for f in (pipeline.build_paths(p).site / "reports" / "2025").glob("?????????.html")
                 if f.stem != org)
    assert "commentary" not in other.read_text(encoding="utf-8")


def test_the_key_messages_have_one_form_with_or_without_an_assessment(rendered_site):
    """Every report's key messages are one labelled section, its heading followed by the list, in both renderers;
    only where the body wrote an assessment are the two side by side (first-screen), the section unchanged."""
    headings = {i18n.translate(lang, TEXT["key_messages"]) for lang in i18n.LANGS}
    forms = {}
    for path in sorted((rendered_site / "reports" / "2025").glob("?????????.html")):
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        [section] = page.xpath('//section[@class="key-messages"]')
        assert section.get("aria-labelledby") == "key-messages" and [c.tag for c in section] == ["h2", "ul"], path
        assert section[0].get("id") == "key-messages" and section[0].text in headings, path
        assert len(section[1].xpath("./li")) >= 3, path
        beside = section.getparent().get("class") == "first-screen"
        assert beside == bool(page.xpath('//section[contains(@class, "assessment")]')), path
        forms[beside] = path.stem
    assert set(forms) == {True, False}  # the demo has reports with an assessment and without


def test_the_pdf_carries_the_commentary(demo_build):
    """The PDF is made from the report's HTML (analysis.pdf): the Typst source of the page has every part."""
    p, _ = demo_build
    org, html = report(demo_build, "2025")
    article = lxml.html.fromstring(html).xpath("//article")[0]
    source = pdf.typst_source(lxml.html.tostring(article, encoding="unicode"), "T", "nb")
    for text in ("Virksomhetens vurdering", "Skrevet av Kari Nordmann", "Vi er ikke i mål ennå",
                 "Vi har brukt innovasjonspartnerskap", "Videre tiltak", "Registrere realiserte gevinster",
                 "Oppfølging: tiltakene fra 2024", "Innføre markedsdialog"):
        assert text in source, text
    data = (pipeline.build_paths(p).site / "reports" / "2025" / f"{org}.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"pdfuaid" in data


def test_new_commentary_writes_a_starting_file_once(demo_build, tmp_path):
    p, _ = demo_build
    org, _ = report(demo_build, "2025")
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"data": str(tmp_path / "data"), "output": str(p.output)}), encoding="utf-8")
    result = CliRunner().invoke(app, ["new-commentary", org, "2024", "--params", str(params)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "data" / "commentary" / "2024" / f"{org}.md").read_text(encoding="utf-8")
    assert text.startswith("---\n# Virksomhetens egne ord i rapporten for 2024: Direktoratet for fornyelse")
    values = re.findall(r"^#   (\w+) .*: .+$", text, flags=re.M)
    assert len(values) >= 5 and all(f"## {v}\n" in text for v in values) and "## Tiltak\n" in text
    # S19: Norwegian quotation marks, and a value without a change says so in words, never "(–)"
    assert "«- hva (ansvarlig, 2026-06-30)»" in text.replace("\n# ", " ") and "(–)" not in text
    again = CliRunner().invoke(app, ["new-commentary", org, "2024", "--params", str(params)])
    assert again.exit_code == 2 and "exists already" in again.output and "Traceback" not in again.output
    for args, field in (([org, "2031"], "year"), (["123456785", "2025"], "org_nr"), (["12", "2025"], "org_nr")):
        bad = CliRunner().invoke(app, ["new-commentary", *args, "--params", str(params)])
        assert bad.exit_code == 2 and f": {field}: " in bad.output and "Traceback" not in bad.output, bad.output
