"""The Quarto writer: a standard Quarto website project (output/quarto), rendered by `quarto render`.

Report and analysis pages are their executed notebooks (with the downloads appended as a cell), every other
page a .qmd whose body is the same HTML as the built-in page's main content. `quarto render` then makes the
site without executing anything: Bootstrap with the project's SCSS (Designsystemet's look), the navbar and
footer on every page, each page in its own language, and Quarto's full-text search (search.json, no external
service). The project is kept between builds, so only the pages whose input changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import nbformat
import yaml
from markupsafe import Markup

from .. import i18n, paths
from ..i18n import N_
from ..io import write_bytes, write_text
from ..model import Page, Report, Site, SiteModel
from ..model.pages import SITE_TEXT
from . import Writer, quarto_run
from .files import ASSETS, STYLESHEETS
from .html import template

# The Quarto site's own words (its navbar and footer are the same on every page, in the site's language).
QUARTO_TEXT = {
    "skip": N_("Skip to main content"),
    "back": N_("Back to the report"),
    "footer": N_("Made with Innomål following DFØ's framework for measuring innovative procurement."),
}
# Quarto's Bootstrap theme: Designsystemet's colours and the built-in site's type (templates/site/quarto/).
QUARTO_THEME = "quarto/innomaal.scss"
# The id Quarto gives the <main> element of every page: the skip link's target.
QUARTO_MAIN = "quarto-document-content"


def _static_html(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with every HTML output given to Quarto as a raw HTML block in a Markdown output.

    Quarto takes any text/html output for a JavaScript widget that needs require.js and jQuery, and loads
    both from a CDN on that page (quarto-cli src/core/jupyter/widgets.ts; no option turns it off). These
    outputs are static HTML (tables, figures, the scorecard): given as Markdown holding a raw HTML block
    they are published unchanged (the built-in renderer prefers text/html too) and nothing is loaded."""
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            html = out.get("data", {}).get("text/html")
            if html is None:
                continue
            html = "".join(html) if isinstance(html, list) else html
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", html)), default=0))
            out["data"] = {"text/markdown": f"{fence}{{=html}}\n{html}\n{fence}\n"}
    return nb


class Quarto(Writer):
    """Writes the Quarto project's inputs (`page`, and `report` in the report's worker) and renders it
    (`finish`). Its report files are inputs of the project, not files of the site: a reused report's are
    written again (unchanged: the project keeps them, and Quarto renders only what changed)."""

    site_files = False

    def __init__(self, site: Site, out: Path, full: bool = False, workers: int = 1):
        self.site, self.out, self.full, self.workers = site, out, full, workers  # workers: Quarto processes
        self.project = site.build.output / "quarto"
        self.project.mkdir(parents=True, exist_ok=True)
        self.rendered: list[str] = []  # the inputs `finish` gave to `quarto render` (all of them on a full render)

    def _input(self, rel: str, text: str) -> None:
        """Writes one page's input into the project, unless it is there already with the same content."""
        target, data = self.project / rel, text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            write_bytes(target, data)

    @staticmethod
    def input_of(page: Page) -> str:
        """A page's input in the project: its notebook for a report or analysis, else a .qmd."""
        return Path(page.rel).with_suffix(".ipynb" if page.notebook else ".qmd").as_posix()

    @staticmethod
    def _main(page: Page, **content) -> str:
        """The main block of the page's built-in layout: the HTML the page shows inside Quarto's."""
        tpl = template(page.kind, page.lang)
        return "".join(tpl.blocks["main"](tpl.new_context({**page.content, **content})))

    def _front(self, title: str, lang: str | None) -> dict:
        """A page's front matter: its title as `pagetitle` (a `title` would add Quarto's title block, a second
        h1 beside the page's own), its language, and the skip link to the main content in that language
        (`finish` moves it first in the body)."""
        lang = lang or self.site.lang
        skip = i18n.text(QUARTO_TEXT, lang)["skip"]
        return {"pagetitle": title, "lang": lang,
                "include-before-body": [{"text": f'<a class="skip" href="#{QUARTO_MAIN}">{skip}</a>'}]}

    @staticmethod
    def _yaml(front: dict) -> str:
        return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**6) + "---\n"

    def page(self, page: Page) -> None:
        self._input(self.input_of(page), f"{self._yaml(self._front(page.title, page.lang))}\n"
                                         f"```{{=html}}\n{self._main(page)}\n```\n")

    def _write(self, page: Page, end: str) -> None:
        """Writes the page's notebook into the project with its front matter (a raw cell first) and `end`
        (HTML) last."""
        nb = _static_html(nbformat.read(page.notebook, as_version=4))
        # The cells' ids are fixed (nbformat would draw random ones): the same page, the same input.
        nb.cells.insert(0, nbformat.v4.new_raw_cell(self._yaml(self._front(page.title, page.lang)),
                                                    id="innomaal-front-matter"))
        nb.cells.append(nbformat.v4.new_markdown_cell(f"```{{=html}}\n{end}\n```", id="innomaal-end"))
        self._input(self.input_of(page), nbformat.writes(nb) + "\n")

    def report(self, report: Report) -> None:
        """The report's notebook as it was executed, its downloads (and the analyses' links) after it; each
        analysis notebook as it is, with a link back to its report."""
        downloads = self._main(report.page, body=Markup(""))
        first = "analyses" if report.page.content.get("analyses") else "downloads"
        self._write(report.page, downloads[downloads.index(f'<section class="{first}"'):])
        back = i18n.text(QUARTO_TEXT, report.page.lang)["back"]
        for page in report.analyses:
            self._write(page, f'<p><a href="{page.content["report_href"]}">{back}: '
                              f'{Markup.escape(page.content["report_title"])}</a></p>')

    @staticmethod
    def quarto(*args: str, cwd: Path) -> str:
        """Runs Quarto in `cwd` (the project: its paths are given relative to it, since Quarto reads every path
        as a glob); returns what it wrote to standard output (its progress goes to standard error)."""
        return subprocess.run(["quarto", *args], cwd=cwd, check=True, stdout=subprocess.PIPE, text=True).stdout

    def config(self, years: list[str]) -> dict:
        """_quarto.yml: a website with the navbar, footer and search, Bootstrap with the project's theme and
        stylesheets, nothing executed again."""
        t, site = i18n.text({**SITE_TEXT, **QUARTO_TEXT}, self.site.lang), self.site
        return {
            "project": {"type": "website", "output-dir": "_site", "resources": ["assets/"]},
            "website": {
                "title": site.title_in(site.lang), "search": {"location": "navbar", "type": "overlay"},
                "navbar": {"left": [
                    {"href": "index.qmd", "text": t["reports"]},
                    *([{"href": f"oversikt/{site.newest_year or years[-1]}.qmd", "text": t["overview"]}]
                      if years else []),
                    {"href": "metode.qmd", "text": t["method"]},
                    {"href": "tilgjengelighet.qmd", "text": t["a11y"]}]},
                "page-footer": {"left": t["footer"]}},
            "format": {"html": {
                "lang": site.lang, "echo": False, "title-block-style": "none", "page-layout": "full",
                "anchor-sections": False, "theme": [f"assets/{QUARTO_THEME}"],
                "css": [f"assets/{c}" for c in STYLESHEETS],
                # The tables are published as written: Quarto's own table processing would rebuild them and
                # drop their captions' ids, which the scrolling regions around them are labelled by.
                "html-table-processing": "none"}},
            "execute": {"enabled": False},
        }

    def _words(self) -> dict[str, dict[str, str]]:
        """Per language, the site's own words in _quarto.yml (the site title, the navbar's and the footer's
        texts, in the site's language) and theirs in that language: Quarto has one navbar and footer for the
        whole site, so `_tidy` puts them in each page's language. Apostrophes as Quarto shows them (’)."""
        keys = ("reports", "overview", "method", "a11y", "footer")
        site = i18n.text({**SITE_TEXT, **QUARTO_TEXT}, self.site.lang)
        words = {}
        for lang in i18n.LANGS:
            own = i18n.text({**SITE_TEXT, **QUARTO_TEXT}, lang)
            pairs = [(site[k], own[k]) for k in keys] + [(self.site.title_in(self.site.lang), self.site.title_in(lang))]
            words[lang] = {_smart(a): _smart(b) for a, b in pairs if a != b}
        return words

    def _config_digest(self, words: dict) -> str:
        """What every page depends on: _quarto.yml, the assets, each language's words, Quarto's version and
        this writer's code (a change to quarto.py or quarto_run.py renders every page again)."""
        h = hashlib.sha256((self.project / "_quarto.yml").read_bytes())
        h.update(json.dumps(words, sort_keys=True).encode() + Path(__file__).read_bytes())
        h.update(Path(quarto_run.__file__).read_bytes())
        for asset in (*ASSETS, QUARTO_THEME):
            h.update(asset.encode() + b"\0" + (self.project / "assets" / asset).read_bytes())
        h.update(self.quarto("--version", cwd=self.project).strip().encode())
        return h.hexdigest()

    def finish(self, model: SiteModel) -> None:
        """Renders what changed since the project's last render: everything on a forced build, when the
        configuration, assets or Quarto changed, when the record or the rendered site is not whole, or when
        most pages changed (Quarto renders the files it is given one by one, each costing more than a page of a
        full render). Drops the pages no longer in the site, makes search.json canonical and copies the
        rendered site into the staging directory."""
        pages = [*model.pages, *(p for r in model.reports for p in (r.page, *r.analyses))]
        inputs = {rel: hashlib.sha256((self.project / rel).read_bytes()).hexdigest()
                       for rel in sorted(map(self.input_of, pages))}  # every page's input this build: digest
        settings = yaml.safe_dump(self.config(model.years), allow_unicode=True, sort_keys=False)
        write_text(self.project / "_quarto.yml", settings)
        for asset in (*ASSETS, QUARTO_THEME):
            write_bytes(self.project / "assets" / asset, (paths.SITE_TEMPLATES / asset).read_bytes())
        words, site, record_path = self._words(), self.project / "_site", self.project / RENDERED
        config, record = self._config_digest(words), _read_record(record_path)
        record_path.unlink(missing_ok=True)  # an interrupted render leaves no record: the next one is full
        for stale in sorted(set(quarto_run.pages_of(self.project)) - inputs.keys()):
            output = site / Path(stale).with_suffix(".html")
            shutil.rmtree(output.with_name(f"{output.stem}_files"), ignore_errors=True)
            for gone in (self.project / stale, output):
                gone.unlink(missing_ok=True)
                _prune(gone.parent, self.project)
        whole = record.get("config") == config and all((site / f).is_file() for f in ("index.html", "search.json"))
        done = record.get("inputs", {}) if whole else {}
        self.rendered = sorted(rel for rel, digest in inputs.items()
                               if done.get(rel) != digest or not (site / Path(rel).with_suffix(".html")).is_file())
        full = self.full or not whole or 2 * len(self.rendered) > len(inputs)
        if full:
            self.rendered = sorted(inputs)
            quarto_run.render(self.project, None, self.workers)
        elif self.rendered:  # Quarto writes their search entries anew, as a full render does
            _forget(site, [Path(rel).with_suffix(".html").as_posix() for rel in self.rendered])
            quarto_run.render(self.project, self.rendered, self.workers)
        pages = sorted(site.rglob("*.html")) if full else [site / Path(r).with_suffix(".html") for r in self.rendered]
        for page in pages:
            _tidy(page, words)
        _canonical_search(site)
        write_text(record_path, json.dumps({"config": config, "inputs": inputs}, indent=1, sort_keys=True) + "\n")
        shutil.copytree(site, self.out, dirs_exist_ok=True)


def _smart(text: str) -> str:
    """A text of _quarto.yml as Quarto shows it (Pandoc's smart punctuation: ' becomes ’)."""
    return text.replace("'", "\u2019")


def _read_record(path: Path) -> dict:
    """The record of the project's last render; none when it is missing or unreadable (then all is rendered)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and isinstance(record.get("inputs"), dict) else {}


def _prune(folder: Path, root: Path) -> None:
    """Removes `folder` and its parents up to `root` while they are empty (a year with no reports left)."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# The Quarto project's record of its last render: the configuration's digest and each input's.
RENDERED = ".innomaal-rendered.json"


def _forget(site: Path, pages: list[str]) -> None:
    """Drops the entries of `pages` from Quarto's search index, before Quarto renders them again."""
    index, gone = site / "search.json", set(pages)
    entries = json.loads(index.read_text(encoding="utf-8"))
    write_text(index, json.dumps([e for e in entries if e["href"].partition("#")[0] not in gone], ensure_ascii=False))


def _canonical_search(site: Path) -> None:
    """Quarto's search index in one order, whatever was rendered when: the entries of the pages there (a
    removed page's are dropped), by page path, each page's own entry first, then its sections in page order.
    (A partial render adds its pages' entries at the end.)"""
    index = site / "search.json"
    if not index.is_file():
        return
    pages: dict[str, str | None] = {}

    def place(entry: dict) -> tuple | None:
        page, _, fragment = entry["href"].partition("#")
        if page not in pages:
            pages[page] = (site / page).read_text(encoding="utf-8") if (site / page).is_file() else None
        if (html := pages[page]) is None:
            return None
        at = re.search(rf'\sid="{re.escape(fragment)}"', html) if fragment else None
        return page, -1 if not fragment else at.start() if at else len(html)

    entries = json.loads(index.read_text(encoding="utf-8"))
    kept = sorted((key, json.dumps(e, sort_keys=True), e) for e in entries if (key := place(e)) is not None)
    write_text(index, json.dumps([e for _, _, e in kept], indent=2, ensure_ascii=False) + "\n")


_SKIP_LINK = re.compile(rf'\n?<a class="skip" href="#{QUARTO_MAIN}">[^<]*</a>\n?')
_BODY = re.compile(r"<body\b[^>]*>")
_EMPTY_TITLE_BLOCK = re.compile(r'<header id="title-block-header" class="quarto-title-block">\s*</header>')


_LANG = re.compile(r'<html [^>]*\blang="([^"]+)"')
# What Quarto makes the same on every page: the head (its <title>), the navbar and the footer.
_CHROME = re.compile(r'<head>.*?</head>|<header id="quarto-header".*?</header>|<footer class="footer">.*?</footer>',
                     re.S)


def _tidy(page: Path, words: dict[str, dict[str, str]]) -> None:
    """Moves the page's skip link to the start of its body, before Quarto's navbar: Quarto places what a
    page includes before its body inside <main>, after the navigation the link lets a keyboard user skip.
    Drops the empty title block Quarto leaves at the top of <main> on a page without a title (the page's own
    h1 opens its main content, as on the built-in site; no script of Quarto's looks for it). Puts the site's
    title, navbar and footer in the page's language (`words`: per language, site language's text → its)."""
    text = html = page.read_text(encoding="utf-8")
    link, body = _SKIP_LINK.search(html), _BODY.search(html)
    if link and body and link.start() > body.end():
        html = html[:link.start()] + "\n" + html[link.end():]
        html = html[:body.end()] + "\n" + link.group().strip() + html[body.end():]
    html = _EMPTY_TITLE_BLOCK.sub("", html, count=1)
    lang = _LANG.search(html)
    swap = {escape(k, quote=False): escape(v, quote=False) for k, v in words.get(lang and lang.group(1), {}).items()}
    if swap:
        def own(text: re.Match) -> str:  # a text between tags: one of the words, or a title ending in one
            raw = text.group(1)
            shown = raw.strip()
            for key, value in swap.items():
                if shown == key or shown.endswith(f" – {key}"):
                    at = raw.rindex(key)  # the site's title after a page's title: only the site's is changed
                    return f">{raw[:at]}{value}{raw[at + len(key):]}<"
            return text.group()
        html = _CHROME.sub(lambda chrome: re.sub(r">([^<]+)<", own, chrome.group()), html)
    if html != text:
        write_text(page, html)


