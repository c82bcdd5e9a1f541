"""Executed notebooks as the body of a site page, through nbconvert.

One `HTMLExporter` per process (a worker renders many reports) with the project's template
(templates/nbconvert/innomaal: nbconvert's base template, inputs and prompts excluded), so every output
type nbconvert knows is published: HTML, Markdown, SVG, PNG, JPEG, LaTeX (kept as text, so nothing such as
MathJax is loaded) and plain text. Error and stream outputs stay out. The exporter runs without nbconvert's
default preprocessors (and the notebook copy made for them) and without HTMLExporter's BeautifulSoup pass
(generic alt text and focus for JupyterLab's markup, which these pages do not use): a report page takes a
few milliseconds.

Every image's alt text comes from the output's metadata (`metadata["image/png"]["alt"]`, likewise for the
other image types, or `metadata["alt"]`) or from the cell's metadata (`alt`); `analysis.figures` sets it.
`missing_alt` names the cells whose shown image has none.
"""

from __future__ import annotations

import re
from functools import cache

import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter
from traitlets.config import Config

from . import paths
from .markdown import PAGES

# What a page shows of an output holding several representations: the first of these it has.
PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain"]
IMAGES = ("image/svg+xml", "image/png", "image/jpeg")
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)[^>]*>", re.IGNORECASE)
_HIDDEN_TAGS = {"parameters", "injected-parameters"}


def markdown(text: str) -> str:
    """CommonMark (with tables, raw HTML escaped) as HTML: markdown cells, Markdown outputs, site pages."""
    return PAGES.render(text)


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter with the project's template; see the module's docstring for what it leaves
    out."""

    def from_notebook_node(self, nb, resources=None, **kw):
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)  # not HTMLExporter's soup pass

    def _preprocess(self, nb, resources):
        return nb, resources  # no preprocessors, so no second deep copy of the notebook for them


@cache
def exporter() -> PageExporter:
    """Created once per process: the template is compiled on first use and then reused."""
    page = PageExporter(config=Config({"NbConvertBase": {"display_data_priority": PRIORITY}}),
                        extra_template_basedirs=[str(paths.NBCONVERT_TEMPLATES)], template_name="innomaal",
                        default_preprocessors=[], exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True)
    page.register_filter("commonmark", markdown)
    return page


def html(nb: nbformat.NotebookNode) -> str:
    """The visible content of an executed notebook: markdown cells and code outputs, code hidden."""
    body, _ = exporter().from_notebook_node(nb)
    return body


def _visible(nb: nbformat.NotebookNode):
    """(cell number, cell, output, its representation shown on the page) for every displayed output. Cells
    are numbered from 1 as in the notebook the analyst wrote (papermill's injected parameters not counted)."""
    k = 0
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        k += "injected-parameters" not in tags
        if cell.cell_type != "code" or _HIDDEN_TAGS & tags:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "execute_result"):
                mime = next((m for m in PRIORITY if m in out.get("data", {})), None)
                if mime:
                    yield k, cell, out, mime


def missing_alt(nb: nbformat.NotebookNode) -> list[int]:
    """The cells (numbered as in `_visible`) with an image shown without alt text: an image
    output without `alt` in its own or its cell's metadata, or an HTML output with an <img> lacking alt."""
    cells = []
    for k, cell, out, mime in _visible(nb):
        if mime in IMAGES:
            meta = out.get("metadata", {})
            lacking = not (meta.get(mime, {}).get("alt") or meta.get("alt") or cell.metadata.get("alt"))
        else:
            lacking = mime == "text/html" and bool(_IMG_WITHOUT_ALT.search(out["data"][mime]))
        if lacking and k not in cells:
            cells.append(k)
    return cells
