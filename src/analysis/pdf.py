"""PDF reports via Typst (the `typst` wheel, in process): a report page's HTML becomes Typst source.

The report HTML is the project's own (headings, paragraphs, lists, tables with captions and headers,
figures with alt text and captions), so a small, strict converter is enough: every text is passed to
Typst as a string literal, never as markup, so nothing in the data can be read as Typst code. Pandoc
does the same conversion but costs about a second of process start per report; this takes milliseconds.
The PDF is tagged (PDF/UA-1), with the document language and title set, and its timestamp comes from
SOURCE_DATE_EPOCH so the same inputs give the same bytes.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import lxml.html
import typst

from .io import source_date_epoch, write_bytes

BLOCKS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_STYLE = """#set page(paper: "a4", margin: 2cm, numbering: "1")
#set text(size: 10.5pt)
#set par(justify: false)
#show heading: set block(above: 1.4em, below: 0.8em)
#show figure: set block(breakable: true)
#set table(stroke: 0.5pt + luma(180), inset: 4pt)
"""


def _str(text: str) -> str:
    """A Typst string literal: the text is shown as it is, never interpreted."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _inline(el) -> str:
    """The inline content of an element as Typst code (#"text", #strong(...), ...)."""
    parts = []
    if el.text:
        parts.append(f"#{_str(el.text)}")
    for child in el:
        inner = _inline(child)
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("strong", "b"):
            parts.append(f"#strong[{inner}]")
        elif tag in ("em", "i"):
            parts.append(f"#emph[{inner}]")
        elif tag == "a" and (child.get("href") or "").startswith(("http://", "https://")):
            parts.append(f"#link({_str(child.get('href'))})[{inner}]")
        elif tag == "br":
            parts.append("#linebreak()")
        elif tag in ("script", "style"):
            pass  # never content
        elif tag == "img":
            parts.append(f"#{_str(child.get('alt') or '')}")
        else:
            parts.append(inner)
        if child.tail:
            parts.append(f"#{_str(child.tail)}")
    return "".join(parts)


def _table(el) -> str:
    rows = el.xpath("./thead/tr|./tbody/tr|./tr|./tfoot/tr")
    head = el.xpath("./thead/tr")
    width = max((len(r.xpath("./th|./td")) for r in rows), default=1)

    def cells(row) -> str:
        return ", ".join(f"[{_inline(c)}]" for c in row.xpath("./th|./td"))

    body = [cells(r) for r in rows if r not in head]
    header = f"table.header({', '.join(cells(r) for r in head)}), " if head else ""
    table = f"table(columns: {width}, align: left, {header}{', '.join(body)})"
    caption = el.xpath("./caption")
    if caption:
        return f"#figure({table}, kind: table, caption: [{_inline(caption[0])}])\n\n"
    return f"#{table}\n\n"


def _figure(el, image_root: Path | None) -> str:
    img = el.xpath(".//img")
    caption = el.xpath(".//figcaption")
    if not img or image_root is None or (img[0].get("src") or "").startswith("data:"):
        return f"#par[{_inline(caption[0])}]\n\n" if caption else ""
    path = "/" + (image_root / img[0].get("src")).as_posix().lstrip("/")
    image = f"image({_str(path)}, width: 100%, alt: {_str(img[0].get('alt') or '')})"
    return f"#figure({image}{f', caption: [{_inline(caption[0])}]' if caption else ''})\n\n"


def _blocks(el, image_root: Path | None) -> str:
    out = []
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCKS:
            out.append(f"#heading(level: {BLOCKS[tag]})[{_inline(child)}]\n\n")
        elif tag == "p":
            out.append(f"#par[{_inline(child)}]\n\n")
        elif tag in ("ul", "ol"):
            kind = "list" if tag == "ul" else "enum"
            items = ", ".join(f"[{_inline(li)}]" for li in child.xpath("./li"))
            out.append(f"#{kind}({items})\n\n")
        elif tag == "table":
            out.append(_table(child))
        elif tag == "figure":
            out.append(_figure(child, image_root))
        elif tag in ("section", "div", "article", "main", "header", "details", "blockquote"):
            out.append(_blocks(child, image_root))
        elif tag == "pre":
            out.append(f"#raw({_str(child.text_content())}, block: true)\n\n")
        elif tag in ("nav", "script", "style", "svg"):
            continue
        elif child.text_content().strip():
            out.append(f"#par[{_inline(child)}]\n\n")
    return "".join(out)


def typst_source(html: str, title: str, lang: str, image_root: Path | None = None) -> str:
    """Typst source for an HTML fragment; images are read relative to `image_root` (a path inside the
    compile root)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return (f"#set document(title: {_str(title)})\n#set text(lang: {_str(lang)})\n{_STYLE}\n"
            + _blocks(root, image_root))


@cache
def _compiler(root: str) -> typst.Compiler:
    return typst.Compiler(root=root, ignore_system_fonts=True)  # the wheel's own fonts: same output anywhere


def write(html: str, title: str, lang: str, out: Path, root: Path) -> None:
    """Compiles the report to a tagged PDF at `out`; `root` is the site directory (images live under it)."""
    source = typst_source(html, title, lang, out.parent.relative_to(root))
    compiler = _compiler(str(root))
    try:
        data = compiler.compile(input=source.encode(), format="pdf", timestamp=source_date_epoch(),
                                pdf_standards=["ua-1"])
    except typst.TypstError as exc:  # e.g. an analysis whose first heading is not h1: still tagged, not UA-1
        warnings.warn(f"{out}: not PDF/UA-1 ({exc}); written as a tagged PDF", stacklevel=2)
        data = compiler.compile(input=source.encode(), format="pdf", timestamp=source_date_epoch())
    write_bytes(out, data)
