"""PDF reports via Typst (the `typst` wheel, in process): a report page's HTML becomes Typst source.

The report HTML is the project's own (headings, paragraphs, lists, tables with captions and headers,
figures with alt text and captions, folded <details>), so a small, strict converter is enough: every text
is passed to Typst as a string literal, never as markup, so nothing in the data can be read as Typst code,
and an inline SVG (the sparklines) is passed as the bytes of that string, drawn by Typst. Pandoc does the
same conversion but costs about a second of process start per report; this takes milliseconds.

What the page shows, the PDF prints in the same order, laid out for paper:

- the scorecard (`ul.areas`: an area per item, its heading, and its headline indicators, each an item with
  a `span.value`) is a grid, an area per row, each headline indicator a cell with its value set large;
  page one ends after it (a weak page break before the next `h2`), so it holds the report's first screen;
- a fold (`<details>`) is open: its summary becomes a heading one level below the section's, printed on a
  line with its `span.value` and, drawn at the right, an inline SVG of the summary (the sparkline); the
  SVG's text alternative (`aria-label` or `<title>`) goes into the PDF's tags as alt text, not into the
  printed text; elements marked `aria-hidden` (the direction's shape beside its words) are artifacts; a
  fold around one captioned figure or table is printed without its summary (the caption names it);
- lists, quotes and asides may hold paragraphs, lists and headings: block content stays block content,
  so no two texts run together; a figure without an image that can be drawn is left out with its caption;
- internal links (`href="#F1a"`) point to the heading of the element with that id.

The PDF is tagged (PDF/UA-1), with the document language and title set, and its timestamp comes from
SOURCE_DATE_EPOCH so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import posixpath
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import unquote

import lxml.etree
import typst

from ..io import source_date_epoch, write_bytes
from ..model import Report
from . import Writer

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
CONTAINERS = {"section", "div", "article", "main", "header", "footer", "hgroup"}
INSETS = {"blockquote", "aside"}  # set apart by a rule at the left
SKIPPED = {"nav", "script", "style", "template", "button", "input", "select", "form"}
# Folds around one figure or table with a numbered caption: printed without their summary ("Figur: utviklinga over
# åra" above "Figur 2: Utvikling 2019–2025 …" would be two labels for one figure).
CAPTIONED_FOLDS = {"figure", "all-indicators"}
BLOCK = {*HEADINGS, *CONTAINERS, *INSETS, "p", "ul", "ol", "dl", "table", "figure", "details", "summary",
         "pre", "hr", "li", "dt", "dd", "figcaption", "address"}
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")  # ids usable as Typst labels as they are
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space, not Unicode's (60,0\u00a0% stays together)
_HTML = lxml.etree.HTMLParser(no_network=True)  # plain elements: lxml.html's classes cost a lookup each
_SVG_CASE = {name.lower(): name for name in (  # the HTML parser lowers them; SVG's XML is case-sensitive
    "viewBox", "preserveAspectRatio", "gradientUnits", "gradientTransform", "patternUnits", "clipPathUnits",
    "markerWidth", "markerHeight", "refX", "refY", "textLength", "lengthAdjust", "stdDeviation",
    "linearGradient", "radialGradient", "clipPath", "textPath", "foreignObject")}
_STYLE = """#set page(paper: "a4", margin: (x: 1.8cm, y: 1.7cm), numbering: "1")
#set text(size: 10pt)
#set par(justify: false)
#show heading: set block(above: 1.3em, below: 0.7em)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 10.5pt)
#show heading.where(level: 4): set text(size: 10pt)
#show figure: set block(breakable: true)
#show figure.where(kind: image): set block(breakable: false)
#show figure.where(kind: table): set figure.caption(position: top)
#set table(stroke: 0.5pt + luma(180), inset: 4pt)
"""


def _str(text: str) -> str:
    """A Typst string literal: the text is shown as it is, never interpreted."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ") + '"'


def _text(text: str | None) -> str:
    """Inline text with HTML's white space collapsed (no-break spaces kept), as a string literal ("" for
    none)."""
    text = _SPACE.sub(" ", text or "")
    return f"#{_str(text)}" if text else ""


def _content(el) -> str:
    return el.xpath("string()")


def _drop(el) -> None:
    """Removes an element, keeping the text after it."""
    parent, previous = el.getparent(), el.getprevious()
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


@dataclass
class _Doc:
    """What the conversion of one page needs to know beyond the element at hand."""
    image_root: str | None  # the folder of the page's images, inside the compile root ("reports/2025")
    labels: set[str]  # ids that name exactly one heading or fold: link targets
    level: int = 1  # the level of the last heading: a fold's summary is a heading one below it
    first_screen: bool = False  # the scorecard is done: the next h2 starts page two
    depth: int = 0  # inside a container of Typst's (list item, cell, inset): no page break there


# ---------------------------------------------------------------------------------------------------- inline
def _inline(el, doc: _Doc) -> str:
    """The inline content of an element as Typst code (#"text", #strong(...), ...)."""
    parts = [_text(el.text)]
    for child in el:
        parts.append(_inline_element(child, doc))
        parts.append(_text(child.tail))
    return "".join(parts)


def _inline_element(el, doc: _Doc) -> str:
    tag = _tag(el)
    if tag in SKIPPED or not tag:
        return ""
    if tag in ("svg", "img"):
        return _image(el, doc, height="1.2em", box=True)
    if tag == "br":
        return "#linebreak()"
    inner = _inline(el, doc)
    if el.get("aria-hidden") == "true":  # shown, not read: the shape beside the words that say it
        return f"#pdf.artifact[{inner}]"
    if tag in ("strong", "b"):
        return f"#strong[{inner}]"
    if tag in ("em", "i", "cite"):
        return f"#emph[{inner}]"
    if tag == "code":
        return f"#raw({_str(_content(el))})"
    if tag == "sub":
        return f"#sub[{inner}]"
    if tag == "sup":
        return f"#super[{inner}]"
    if tag == "a":
        href = el.get("href") or ""
        if href.startswith(("http://", "https://", "mailto:")):
            return f"#link({_str(href)})[{inner}]"
        if href.startswith("#") and href[1:] in doc.labels:
            return f"#link(label({_str(href[1:])}))[{inner}]"
        return inner
    if tag == "span" and "value" in _classes(el):
        return f"#strong[{inner}]"
    if tag in BLOCK:  # a block inside inline content: set apart, never glued to its neighbours
        return f" {inner} "
    return inner


def _image(el, doc: _Doc, box: bool = False, **size: str) -> str:
    """An <svg> or <img> as a Typst image with its alt text ("" where it cannot be drawn): inline SVG as
    the bytes of its markup, an embedded SVG (data URI) decoded, a file only from the page's own folder."""
    tag = _tag(el)
    if tag == "svg":
        title = el.xpath("./*[local-name()='title']")
        alt = el.get("aria-label") or (_content(title[0]) if title else "")
        source = f"bytes({_str(_svg_markup(el))}), format: \"svg\""
    else:
        alt, src = el.get("alt") or "", el.get("src") or ""
        if src.startswith("data:image/svg+xml"):
            head, _, data = src.partition(",")
            try:
                svg = base64.b64decode(data).decode("utf-8") if head.endswith(";base64") else unquote(data)
            except ValueError:  # not base64, not UTF-8
                return ""
            source = f"bytes({_str(svg)}), format: \"svg\""
        else:
            path = posixpath.normpath(unquote(src)) if src and doc.image_root is not None else ""
            if not path or ":" in src.split("/")[0] or path.startswith(("/", "..")):  # data:, URLs, outside
                return ""
            source = _str(f"/{doc.image_root}/{path}".replace("//", "/"))
    sizes = "".join(f", {k}: {v}" for k, v in size.items())
    image = f"image({source}{sizes}, alt: {_str(alt)})"
    if not alt or el.get("aria-hidden") == "true":
        image = f"pdf.artifact({image})"
    return f"#box({image}, baseline: 20%)" if box else image


def _svg_markup(el) -> str:
    """The SVG element as XML markup for Typst: names SVG spells in camel case restored (the HTML parser
    lowers them), its namespaces declared."""

    def markup(node, tail: bool = True) -> str:
        after = escape(node.tail or "", quote=False) if tail else ""
        if not isinstance(node.tag, str):  # a comment
            return after
        name = _SVG_CASE.get(node.tag, node.tag)
        attrs = "".join(f' {_SVG_CASE.get(k, k)}="{escape(v)}"' for k, v in node.attrib.items()
                        if not k.startswith("xmlns"))
        if node is el:
            attrs = f' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{attrs}'
        inner = escape(node.text or "", quote=False) + "".join(markup(child) for child in node)
        return f"<{name}{attrs}>{inner}</{name}>{after}"

    return markup(el, tail=False)


# ---------------------------------------------------------------------------------------------------- blocks
def _has_blocks(el) -> bool:
    return any(_tag(c) in BLOCK for c in el)


def _flow(el, doc: _Doc) -> str:
    """An element's content as blocks where it holds blocks (a list item with paragraphs), else inline."""
    return _blocks(el, doc) if _has_blocks(el) else _inline(el, doc)


def _nested(el, doc: _Doc) -> str:
    """Content inside one of Typst's containers (a list item, a table cell, an inset), where no page
    may break."""
    doc.depth += 1
    try:
        return _flow(el, doc)
    finally:
        doc.depth -= 1


def _heading(level: int, content: str, ident: str | None, doc: _Doc) -> str:
    label = f" <{ident}>" if ident and ident in doc.labels else ""
    return f"#heading(level: {min(level, 6)})[{content}]{label}"


def _blocks(el, doc: _Doc) -> str:
    out = [f"#par[{_text(el.text)}]\n\n"] if (el.text or "").strip() else []
    for child in el:
        out.append(_block(child, doc))
        if (child.tail or "").strip():
            out.append(f"#par[{_text(child.tail)}]\n\n")
    return "".join(out)


def _block(el, doc: _Doc) -> str:
    tag, classes = _tag(el), _classes(el)
    if not tag or tag in SKIPPED:
        return ""
    if tag in HEADINGS:
        level = HEADINGS[tag]
        brk = "#pagebreak(weak: true)\n" if doc.first_screen and level <= 2 and not doc.depth else ""
        doc.first_screen = doc.first_screen and not brk
        doc.level = level
        return f"{brk}{_heading(level, _inline(el, doc), el.get('id'), doc)}\n\n"
    if tag == "p":
        return f"#par[{_inline(el, doc)}]\n\n"
    if tag in ("ul", "ol") and "areas" in classes:
        return _scorecard(el, doc)
    if tag in ("ul", "ol"):
        items = ", ".join(f"[{_nested(li, doc)}]" for li in el if _tag(li) == "li")
        return f"#{'list' if tag == 'ul' else 'enum'}({items})\n\n" if items else ""
    if tag == "dl":
        pairs, term = [], ""
        for child in el:
            if _tag(child) == "dt":
                term = _inline(child, doc)
            elif _tag(child) == "dd":
                pairs.append(f"terms.item([{term}], [{_nested(child, doc)}])")
        return f"#terms({', '.join(pairs)})\n\n" if pairs else ""
    if tag == "table":
        return _table(el, doc)
    if tag == "figure":
        return _figure(el, doc)
    if tag == "details":
        return _details(el, doc)
    if tag in INSETS:
        return (f"#block(inset: (left: 0.9em, y: 0.2em), stroke: (left: 1.5pt + luma(150)), width: 100%)"
                f"[{_nested(el, doc)}]\n\n")
    if tag in CONTAINERS or tag in ("summary", "li", "dd", "dt", "address"):
        section = doc.level
        text = _blocks(el, doc)
        if tag == "section":
            doc.level = section  # a fold after the section still belongs to the heading before it
        return text
    if tag == "pre":
        return f"#raw({_str(_content(el))}, block: true)\n\n"
    if tag in ("svg", "img"):
        image = _image(el, doc, width="100%" if tag == "img" else "auto")
        return f"#align(center, {image})\n\n" if image else ""
    if tag == "hr":
        return "#line(length: 100%, stroke: 0.5pt + luma(180))\n\n"
    if _content(el).strip():
        return f"#par[{_flow(el, doc)}]\n\n"
    return ""


# Body rows: a longer table, and the list of procurements (many narrow columns headed by indicator IDs), is printed
# as one paragraph per row, each cell after its column's name (Typst's tables cost per cell).
LONG_TABLE = 40


def _table(el, doc: _Doc) -> str:
    rows = el.xpath("./thead/tr|./tbody/tr|./tr|./tfoot/tr")
    head = el.xpath("./thead/tr")
    width = max((len(r.xpath("./th|./td")) for r in rows), default=1)
    caption = el.xpath("./caption")
    if head and (len(rows) - len(head) > LONG_TABLE or "procurements" in _classes(el)):
        names = [_inline(c, doc) for c in head[-1].xpath("./th|./td")]
        out = [f"#par[*{_inline(caption[0], doc)}*]\n\n"] if caption else []
        for row in (r for r in rows if r not in head):
            cells = row.xpath("./th|./td")
            first = f"*{_inline(cells[0], doc)}*" if cells else ""
            rest = "; ".join(f"{name}: {_inline(c, doc)}" for name, c in zip(names[1:], cells[1:], strict=False)
                             if _content(c).strip())
            out.append(f"#par[{first}. {rest}]\n\n")
        return "".join(out)

    def cells(row) -> str:
        return ", ".join(f"[{_nested(c, doc)}]" for c in row.xpath("./th|./td"))

    body = [cells(r) for r in rows if r not in head]
    header = f"table.header({', '.join(cells(r) for r in head)}), " if head else ""
    table = f"table(columns: {width}, align: left, {header}{', '.join(body)})"
    if caption:
        return f"#figure({table}, kind: table, caption: [{_inline(caption[0], doc)}])\n\n"
    return f"#{table}\n\n"


def _figure(el, doc: _Doc) -> str:
    """A figure with its caption; left out, caption and all, where it has nothing that can be drawn."""
    caption = el.xpath("./figcaption")
    cap = f", caption: [{_inline(caption[0], doc)}]" if caption else ""
    pictures = el.xpath(".//img|.//*[local-name()='svg']")
    if pictures:
        image = _image(pictures[0], doc, width="100%" if _tag(pictures[0]) == "img" else "auto")
        return f"#figure({image}{cap})\n\n" if image else ""
    doc.depth += 1
    content = "".join(_block(c, doc) for c in el if _tag(c) != "figcaption")
    doc.depth -= 1
    return f"#figure([{content}]{cap})\n\n" if content.strip() else ""


def _details(el, doc: _Doc) -> str:
    """A fold, open: its summary a heading one level below the section's, with its value, and its SVG (the
    sparkline) drawn at the right of that line; then its content."""
    summary = next((c for c in el if _tag(c) == "summary"), None)
    section, title, chart = doc.level, "", ""
    if summary is not None and set((el.get("class") or "").split()) & CAPTIONED_FOLDS:
        return "".join(_block(c, doc) for c in el if c is not summary)  # the caption names it: one label
    if summary is not None:
        pictures = [node for node in summary.iter() if _tag(node) == "svg"]
        for svg in pictures:  # drawn beside the heading, not inside it
            _drop(svg)
        title = _heading(section + 1, _summary(summary, doc), el.get("id"), doc)
        chart = _image(pictures[0], doc, height="1.9em") if pictures else ""
        doc.level = section + 1
    body = "".join(_block(c, doc) for c in el if c is not summary)
    doc.level = section
    if chart:
        return (f"#block(sticky: true, above: 1.3em, below: 0.7em, grid(columns: (1fr, auto), column-gutter: "
                f"1em, align: horizon, [#set block(above: 0pt, below: 0pt)\n{title}], {chart}))\n\n{body}")
    return f"{title}\n\n{body}" if title else body


def _summary(el, doc: _Doc) -> str:
    """A summary's text for its heading line: its value pushed to the right, set a little larger."""
    parts = [_text(el.text)]
    for child in el:
        if "value" in _classes(child):
            parts.append(f"#h(1fr)#text(size: 1.15em)[{_inline(child, doc)}]")
        else:
            parts.append(_inline_element(child, doc))
        parts.append(_text(child.tail))
    return "".join(parts)


def _scorecard(el, doc: _Doc) -> str:
    """The areas as a grid: an area per row, its heading (and lines without a value, such as goals on track)
    on the left, each headline indicator a cell with its value set large."""
    cells = []
    doc.depth += 1
    for area in (c for c in el if _tag(c) == "li"):
        heads = [c for c in area if _tag(c) in HEADINGS]
        lists = [c for c in area if _tag(c) in ("ul", "ol")]
        items = [li for lst in lists for li in lst if _tag(li) == "li"]
        stats = [li for li in items if li.xpath(".//*[contains(concat(' ', @class, ' '), ' value ')]")]
        left = "".join(_block(h, doc) for h in heads)
        left += "".join(f"#par[{_inline(li, doc)}]\n" for li in items if li not in stats)
        left += "".join(_block(c, doc) for c in area if c not in heads and c not in lists)
        rows = max(1, -(-len(stats) // 2))
        cells.append(f"grid.cell(rowspan: {rows}, colspan: {1 if stats else 3}, fill: luma(243))[{left}]")
        for k, li in enumerate(stats):
            span = 2 if k == len(stats) - 1 and k % 2 == 0 else 1
            cells.append(f"grid.cell(colspan: {span})[{_stat(li, doc)}]")
    doc.depth -= 1
    doc.first_screen = True
    return ("#grid(columns: (23%, 1fr, 1fr), inset: (x: 6pt, y: 5pt), stroke: (top: 0.5pt + luma(170), "
            "bottom: 0.5pt + luma(170)), " + ", ".join(cells) + ")\n\n")


def _stat(li, doc: _Doc) -> str:
    """One headline indicator: its name, then its value set large (its base beside it, smaller), then a
    line per further part (direction, position)."""
    lines, after_value = [[_text(li.text)]], False
    for part in li:
        classes = _classes(part)
        if "value" in classes:
            lines.append([f'#text(size: 15pt, weight: "bold")[{_inline(part, doc)}]'])
        elif "base" in classes and after_value:
            lines[-1].append(f" #text(size: 8.5pt)[{_inline(part, doc)}]")
        else:
            lines.append([_inline_element(part, doc)])
        after_value = "value" in classes
        lines[-1].append(_text(part.tail))
    text = "#linebreak()".join(line for line in ("".join(parts) for parts in lines) if line.strip(' #"'))
    return f"#set par(leading: 0.45em)\n#par[{text}]"


# ---------------------------------------------------------------------------------------------------- page
def _labels(root) -> set[str]:
    """Ids that name exactly one heading or fold and can be written as Typst labels: link targets."""
    ids = Counter(el.get("id") for el in root.iter() if _tag(el) in (*HEADINGS, "details") and el.get("id"))
    return {i for i, n in ids.items() if n == 1 and _LABEL.match(i)}


def typst_source(html: str, title: str, lang: str, image_root: Path | None = None) -> str:
    """Typst source for an HTML fragment; images are read relative to `image_root` (a path inside the
    compile root)."""
    root = lxml.etree.fromstring(f"<html><body>{html}</body></html>", _HTML).find("body")
    doc = _Doc(image_root.as_posix().strip("/") if image_root is not None else None, _labels(root))
    return (f"#set document(title: {_str(title)})\n#set text(lang: {_str(lang)})\n{_STYLE}\n"
            + _blocks(root, doc))


@cache
def compiler(root: str) -> typst.Compiler:
    """Typst with images read under `root`."""
    return typst.Compiler(root=root, ignore_system_fonts=True)  # the wheel's own fonts: same output anywhere


def write(html: str, title: str, lang: str, out: Path, root: Path) -> None:
    """Compiles the report to a tagged PDF at `out`; `root` is the site directory (images live under it)."""
    source = typst_source(html, title, lang, out.parent.relative_to(root))
    typst_compiler = compiler(str(root))
    try:
        data = typst_compiler.compile(input=source.encode(), format="pdf", timestamp=source_date_epoch(),
                                      pdf_standards=["ua-1"])
    except typst.TypstError as exc:  # e.g. an analysis whose first heading is not h1: still tagged, not UA-1
        warnings.warn(f"{out}: not PDF/UA-1 ({exc}); written as a tagged PDF", stacklevel=2)
        data = typst_compiler.compile(input=source.encode(), format="pdf", timestamp=source_date_epoch())
    write_bytes(out, data)


class Pdf(Writer):
    """A PDF per report, from the report's content (its figures are read from the site, where `Files` wrote
    them first)."""

    def __init__(self, out: Path):
        self.out = out

    def report(self, report: Report) -> None:
        write(report.body, report.title, report.page.lang, self.out / report.page.folder / f"{report.org_nr}.pdf",
              self.out)
