"""The deck writer: a `story.Story` as an editable PowerPoint file (python-pptx), for the leadership meeting.

Only layout is decided here: what each slide says is in the story, already in the report's language.

- Editable and accessible: text as text (placeholders and tables), values as native charts with their data
  (PowerPoint's "Edit data" opens it); a figure no chart type draws (the effects chain) as a picture with
  the report's text alternative as its description, and each chart has its values as description too;
  every slide a title in its title placeholder, the shapes in reading order; the report's full text for
  each slide in its speaker notes.
- The look: a standard 16:9 layout with Designsystemet's colours (Digdir theme) and the report figures'
  colour-blind-safe palette for chart series; or a body's own template (params `deck_template`), whose
  layouts are used by name ("Title Slide", "Title and Content", "Two Content", "Title Only"), so its
  graphic profile is kept.
- Deterministic: the same story gives the same bytes. The core properties carry SOURCE_DATE_EPOCH as their
  time (as the XLSX and PDF downloads do), and the package, with the workbooks inside it that hold the
  charts' data, is written again with its entries in one order and one timestamp.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import lxml.etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from ..figures.svg import MARKERS as FIGURE_MARKERS
from ..figures.svg import PALETTE
from ..io import source_date_epoch, write_bytes
from ..model import Report
from ..model.story import Story
from . import Writer, pdf

WIDE, HIGH = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 inches: PowerPoint's standard 16:9
# Designsystemet's Digdir theme, light scheme (templates/site/vendor/designsystemet/theme-digdir.css).
INK = "1F2C3D"  # neutral text default
HEAD = "002C54"  # accent text default: the titles
ACCENT = "0062BA"  # accent base default
TINT = "DDEAF6"  # accent surface tinted: a table's header row
THEME = {"dk1": INK, "dk2": HEAD, "lt2": "F3F4F4", "accent1": ACCENT, "accent2": "D55E00", "accent3": "009E73",
         "accent4": "CC79A7", "accent5": "E69F00", "accent6": "56B4E9", "hlink": "005DB1", "folHlink": "002C54"}
MARKERS = {"circle": XL_MARKER_STYLE.CIRCLE, "square": XL_MARKER_STYLE.SQUARE, "triangle": XL_MARKER_STYLE.TRIANGLE,
           "diamond": XL_MARKER_STYLE.DIAMOND}
FORMATS = {"share": "0%", "mean": "0.0", "count": "#,##0", "nok": "#,##0", "tco2e": "#,##0.0", "difference": "0.0"}
LAYOUTS = {"title": "Title Slide", "text": "Title and Content", "two": "Two Content", "only": "Title Only"}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class Deck(Writer):
    """A deck per report, `<org_nr>.pptx` beside its PDF."""

    def __init__(self, out: Path, template: Path | None = None):
        self.out, self.template = out, template

    def report(self, report: Report) -> None:
        write(report.story, self.out / report.page.folder / f"{report.org_nr}.pptx", self.template)


def write(story: Story, out: Path, template: Path | None = None) -> None:
    """Writes the story's deck to `out`; with `template`, a .pptx whose slide layouts are used by name."""
    write_bytes(out, deck_bytes(story, template))


def deck_bytes(story: Story, template: Path | None = None) -> bytes:
    prs = _presentation(template)
    own = template is None
    for slide in story.slides:
        _SLIDES[slide.kind.split(":")[0]](prs, story, slide, own)
    props = prs.core_properties
    when = datetime.fromtimestamp(max(source_date_epoch(), 315532800), UTC).replace(tzinfo=None)  # zip: ≥ 1980
    props.title, props.subject, props.author, props.last_modified_by = story.title, story.name, "Innomål", "Innomål"
    props.language, props.revision, props.created, props.modified = story.lang, 1, when, when
    props.last_printed, props.keywords, props.comments = when, "", ""
    raw = io.BytesIO()
    prs.save(raw)
    return _fixed(raw.getvalue(), when)


# ------------------------------------------------------------------------------------------------ the template
def _presentation(template: Path | None):
    """A presentation without slides: the body's template, or python-pptx's default made 16:9 (its layouts'
    placeholders widened with the page) in Designsystemet's colours."""
    if template is not None:
        prs = Presentation(str(template))
        ids = prs.slides._sldIdLst
        for sld in list(ids):  # a template may hold example slides: the deck starts empty
            prs.part.drop_rel(sld.rId)
            ids.remove(sld)
        return prs
    return Presentation(io.BytesIO(_default()))


@cache
def _default() -> bytes:
    """python-pptx's default template made 16:9 in Designsystemet's colours, once per process."""
    prs = Presentation()
    scale = WIDE / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE, HIGH
    for shapes in [prs.slide_master.placeholders, *(layout.placeholders for layout in prs.slide_layouts)]:
        for shape in shapes:
            if shape.left is not None:
                shape.left, shape.width = Emu(round(shape.left * scale)), Emu(round(shape.width * scale))
    theme = next(rel.target_part for rel in prs.slide_master.part.rels.values() if rel.reltype.endswith("/theme"))
    xml = lxml.etree.fromstring(theme.blob)
    for key, colour in THEME.items():
        for slot in xml.iter(f"{{{_A}}}{key}"):
            for child in list(slot):
                slot.remove(child)
            lxml.etree.SubElement(slot, f"{{{_A}}}srgbClr", val=colour)
    theme._blob = lxml.etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    prs.notes_master  # made here once, not for every deck (the speaker notes need it)  # noqa: B018
    raw = io.BytesIO()
    prs.save(raw)
    return raw.getvalue()


def _layout(prs, kind: str):
    """The layout of that name (any case), else the first with a title placeholder."""
    name = LAYOUTS[kind].lower()
    for layout in prs.slide_layouts:
        if layout.name.strip().lower() == name:
            return layout
    return next((lo for lo in prs.slide_layouts if any(p.placeholder_format.type == 1 for p in lo.placeholders)),
                prs.slide_layouts[0])


def _new(prs, kind: str, slide, own: bool):
    """A slide of a layout with its title and speaker notes."""
    page = prs.slides.add_slide(_layout(prs, kind))
    title = page.shapes.title
    if title is None:  # a body's layout without a title placeholder: a text box, named as the title
        title = page.shapes.add_textbox(_margin(prs), Emu(int(prs.slide_height * 0.04)),
                                        prs.slide_width - 2 * _margin(prs), Emu(int(prs.slide_height * 0.14)))
        title.name = "Title"
    title.text_frame.text = slide.title
    title.text_frame.word_wrap = True
    if own and kind != "title":  # the default layouts' titles sit for 4:3: the same place on every slide
        title.left, title.top = _margin(prs), Emu(int(prs.slide_height * 0.04))
        title.width, title.height = prs.slide_width - 2 * _margin(prs), Emu(int(prs.slide_height * 0.13))
    if own:
        for p in title.text_frame.paragraphs:
            for run in p.runs:
                run.font.color.rgb, run.font.bold = RGBColor.from_string(HEAD), True
                run.font.size = Pt(30 if kind != "title" else 36)
    page.notes_slide.notes_text_frame.text = slide.notes
    return page


def _margin(prs) -> Emu:
    return Emu(int(prs.slide_width * 0.05))


def _body(page, kind_index: int = 1):
    """The layout's body placeholders (the content ones, in order), without the title."""
    return [p for p in page.placeholders if p.placeholder_format.idx != 0][:kind_index]


def _size(items: list[tuple[str, int, bool]]) -> int:
    """A text's size in points by its length, so that a slide's text fits without the viewer shrinking it."""
    total = sum(len(t) for t, _, _ in items)
    return 20 if total < 500 else 16 if total < 900 else 13


def _fill(frame, items: list[tuple[str, int, bool]], size: int | None = None) -> None:
    """Paragraphs (text, level, bold) in a text frame, shrunk on overflow (the viewer fits them)."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    size = size or _size(items)
    for k, (text, level, bold) in enumerate(items):
        p = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text, p.level = text, level
        run.font.size, run.font.bold = Pt(size - 2 * level), bold


def _area(prs, top: float = 0.2):
    """The content area under the title: left, top, width, height."""
    m = _margin(prs)
    return m, Emu(int(prs.slide_height * top)), prs.slide_width - 2 * m, Emu(int(prs.slide_height * (0.95 - top)))


def _text_slide(prs, slide, own: bool, left: list, right: list | None = None):
    """A slide of one text column (Title and Content) or two (Two Content)."""
    page = _new(prs, "two" if right else "text", slide, own)
    holders = _body(page, 2)
    if not holders:  # a body's layout without content placeholders: text boxes
        x, y, w, h = _area(prs)
        holders = [page.shapes.add_textbox(x, y, w if not right else w // 2, h)]
        if right:
            holders.append(page.shapes.add_textbox(x + w // 2, y, w // 2, h))
    size = _size(left + (right or []))  # both columns in one size
    if right and len(holders) < 2:
        _fill(holders[0].text_frame, left + right, size)
        return page
    _fill(holders[0].text_frame, left, size)
    if right:
        _fill(holders[1].text_frame, right, size)
    return page


# ------------------------------------------------------------------------------------------------ the slides
def _title(prs, story: Story, slide, own: bool) -> None:
    page = _new(prs, "title", slide, own)
    sub = _body(page)
    lines = [story.subtitle, *story.source.splitlines()]
    if sub:
        _fill(sub[0].text_frame, [(line, 0, k == 0) for k, line in enumerate(lines)], 16)
    else:
        x, y, w, h = _area(prs, 0.6)
        _fill(page.shapes.add_textbox(x, y, w, h).text_frame, [(line, 0, False) for line in lines], 16)


def _key_messages(prs, story: Story, slide, own: bool) -> None:
    left = [(m, 0, False) for m in story.key_messages]
    right = None
    if story.assessment:
        right = [(story.words["assessment"], 0, True), *((p, 0, False) for p in story.assessment.splitlines()),
                 (story.byline, 1, False)]
    _text_slide(prs, slide, own, left, right)


def _table(prs, page, head: list[str], rows: list[list[str]], widths: list[float], own: bool, top: float = 0.2):
    """A native table with a header row (first_row: read as column heads), its text sized to fit."""
    x, y, w, h = _area(prs, top)
    size = 14 if len(rows) <= 6 else 12 if len(rows) <= 12 else 10
    frame = page.shapes.add_table(len(rows) + 1, len(head), x, y, w, Emu(int(min(h, (len(rows) + 1) * Pt(size) * 3.2))))
    table = frame.table
    for k, share in enumerate(widths):
        table.columns[k].width = Emu(int(w * share))
    for r, values in enumerate([head, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size, run.font.bold = Pt(size), r == 0
                    if own:
                        run.font.color.rgb = RGBColor.from_string(INK)
            if own:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(TINT if r == 0 else "FFFFFF")
    return frame


def _scorecard(prs, story: Story, slide, own: bool) -> None:
    page = _new(prs, "only", slide, own)
    words = story.words
    rows = []
    for area in story.areas:
        first = area.title
        for line in area.lines:
            rows.append([first, line, "", "", ""])
            first = ""
        for h in area.headlines:
            rows.append([first, f"{h.id} {h.title}", h.value, h.move, h.where])
            first = ""
    _table(prs, page, [words["area"], words["indicator"], words["value"], words["change"], words["where"]], rows,
           [0.16, 0.34, 0.14, 0.18, 0.18], own)


def _chain(prs, story: Story, slide, own: bool) -> None:
    if not story.goals:
        _text_slide(prs, slide, own, [(story.goals_line, 0, False), (story.chain_none, 0, False)])
        return
    page = _new(prs, "only", slide, own)
    w = story.words
    _table(prs, page, [w["goal"], w["baseline"], w["target"], w["result"], w["status"]],
           [[g.text, g.baseline, g.target, g.result, g.status] for g in story.goals], [0.4, 0.15, 0.15, 0.15, 0.15],
           own)


def _chain_figure(prs, story: Story, slide, own: bool) -> None:
    page = _new(prs, "only", slide, own)
    png, (px, py) = _png(story.chain_figure.svg)
    x, y, w, h = _area(prs)
    scale = min(w / px, h / py)
    pic = page.shapes.add_picture(io.BytesIO(png), x + int((w - px * scale) / 2), y, int(px * scale), int(py * scale))
    pic.name = slide.title
    pic._element.nvPicPr.cNvPr.set("descr", story.chain_figure.alt)


def _area_slide(prs, story: Story, slide, own: bool) -> None:
    area = next(a for a in story.area_slides if f"area:{a.id}" == slide.kind)
    page = _new(prs, "only", slide, own)
    x, y, w, h = _area(prs)
    data = CategoryChartData(number_format=FORMATS.get(area.unit, "General"))
    data.categories = area.series[0].years
    for s in area.series:
        data.add_series(f"{s.id} {s.title}", s.values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, int(w * 0.6), h, data)
    chart = frame.chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.BOTTOM, False
    chart.font.size = Pt(12)
    chart.has_title = True
    chart.chart_title.text_frame.text = area.chart_title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    chart.value_axis.tick_labels.number_format = FORMATS.get(area.unit, "General")
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True
    for k, plot in enumerate(chart.plots[0].series):
        colour = RGBColor.from_string(PALETTE[k % len(PALETTE)].lstrip("#"))
        plot.format.line.color.rgb, plot.format.line.width = colour, Pt(2.25)
        plot.smooth = False
        plot.marker.style = MARKERS.get(FIGURE_MARKERS[k % len(FIGURE_MARKERS)], XL_MARKER_STYLE.CIRCLE)
        plot.marker.size = 8
        plot.marker.format.fill.solid()
        plot.marker.format.fill.fore_color.rgb = colour
        plot.marker.format.line.color.rgb = colour
    frame.name = area.chart_title
    frame._element.nvGraphicFramePr.cNvPr.set("descr", area.chart_alt)
    box = page.shapes.add_textbox(x + int(w * 0.63), y, int(w * 0.37), h)
    box.name = story.words["sentences"]
    _fill(box.text_frame, [(s, 0, False) for s in area.sentences], 18)
    for p in box.text_frame.paragraphs:
        p.space_after = Pt(10)


def _next_steps(prs, story: Story, slide, own: bool) -> None:
    w = story.words
    left = [(w["this_year"], 0, True), *((a, 1, False) for a in story.actions)] if story.actions else \
        [(w["no_steps"], 0, False)]
    right = [(w["last_year"], 0, True), *((a, 1, False) for a in story.previous)] if story.previous else None
    _text_slide(prs, slide, own, left, right)


def _basis(prs, story: Story, slide, own: bool) -> None:
    right = [(story.words["start"], 0, True), *((s, 1, False) for s in story.start)] if story.start else None
    _text_slide(prs, slide, own, [(b, 0, False) for b in story.basis], right)


_SLIDES = {"title": _title, "key_messages": _key_messages, "scorecard": _scorecard, "chain": _chain,
           "chain_figure": _chain_figure, "area": _area_slide, "next_steps": _next_steps, "basis": _basis}


# ------------------------------------------------------------------------------------------------ bytes
PPI = 144


def _png(svg: bytes) -> tuple[bytes, tuple[int, int]]:
    """An SVG figure as PNG (PowerPoint pictures are raster; Typst draws it) and its size in EMU."""
    source = (b'#set page(width: auto, height: auto, margin: 0pt)\n'
              b'#image(bytes(sys.inputs.svg), format: "svg")\n')
    typst_compiler = pdf.compiler(tempfile.gettempdir())  # the wheel's own fonts, as the PDF: same bytes anywhere
    png = typst_compiler.compile(input=source, format="png", ppi=PPI, sys_inputs={"svg": svg.decode("utf-8")})
    wide, high = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return png, (wide * 914400 // PPI, high * 914400 // PPI)


def _fixed(package: bytes, when: datetime) -> bytes:
    """The package again, every entry (and every workbook inside, which holds a chart's data) with one
    timestamp, in sorted order ([Content_Types].xml first), the workbooks' own core properties dated `when`."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            data = src.read(name)
            if name.endswith(".xlsx"):
                data = _fixed(data, when)
            elif name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def slide_png(deck: Path, k: int, out: Path, work: Path, width: int = 1280) -> Path:
    """Slide `k` (from 0) of a deck as a PNG drawn by LibreOffice (`soffice`), to look at: a copy of the deck with
    only that slide, exported (LibreOffice's PNG export draws the first slide). `work`: a scratch folder."""
    prs = Presentation(str(deck))
    ids = prs.slides._sldIdLst
    for n, sld in enumerate(list(ids)):
        if n != k:
            prs.part.drop_rel(sld.rId)
            ids.remove(sld)
    one = work / f"{out.stem}.pptx"
    prs.save(one)
    size = ",".join(f'"{key}":{{"type":"long","value":"{value}"}}' for key, value in (
        ("PixelWidth", width), ("PixelHeight", width * 9 // 16)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to",
                    f"png:impress_png_Export:{{{size}}}", "--outdir", str(work), str(one)], check=True,
                   capture_output=True, timeout=300)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(work / f"{out.stem}.png", out)
    return out
