"""The Markdown the site renders: one MarkdownIt configuration per purpose, all CommonMark with raw HTML shown
as text.

One place, so that two writers of the same kind of text cannot drift apart (a page rendering a table the
report would not), and so that what a purpose restricts stays with it: the commentary's renderer rewrites
headings and refuses links, which the other purposes must not inherit. Each is built once per process;
`render` and `renderInline` keep no state between calls.

- `PAGES`: whole pages and notebook cells (markdown cells, Markdown outputs, the site's own pages), with
  tables (`analysis.notebooks`).
- `PROSE`: the sentences the project writes itself into a report: the data basis, key messages, facts and
  effects chains, the procurements' intro (`analysis.report`, `analysis.procurements`); no tables.
- `COMMENTARY`: the organisation's own words (`analysis.commentary`): no images, links limited to http(s),
  mailto and relative ones, a heading shown as a strong paragraph (it would break the page's heading order),
  so nothing in a file can run in the reader's browser or fetch anything. `analysis.ingest.commentary` parses
  the commentary files with it too, so its sections are the blocks this renderer sees.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

LINK_SCHEMES = ("http", "https", "mailto")  # the links a commentary may carry, besides relative ones


def safe_link(url: str) -> bool:
    """http(s), mailto and relative links only (never javascript:, data:, file:, vbscript:, //host)."""
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme:
        return scheme.group(1).lower() in LINK_SCHEMES
    return not url.strip().startswith("//") and not url.strip().startswith("\\")


def _commentary() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")  # no picture is fetched from anywhere
    md.validateLink = safe_link
    md.add_render_rule("heading_open", lambda self, tokens, idx, options, env: "<p><strong>")
    md.add_render_rule("heading_close", lambda self, tokens, idx, options, env: "</strong></p>\n")
    return md


PAGES = MarkdownIt("commonmark", {"html": False}).enable("table")
PROSE = MarkdownIt("commonmark", {"html": False})
COMMENTARY = _commentary()
