"""Stage 4, render: the executed notebooks become a website in the staging directory.

One function, `render_site`, decides every page and file of the site; a writer decides their form.
With `quarto` on PATH (renderer `auto` or `quarto`), the Quarto writer generates a standard Quarto website
project (output/quarto: the executed report notebooks, and a .qmd per other page holding the same HTML)
and runs `quarto render` on it without executing anything; the project is kept between builds, so only
the pages whose input changed are rendered again. Otherwise the built-in writer turns each
notebook's outputs (code hidden) into a page with the project's Jinja2 templates, in process. Either way
the site has the index (with filters), one report per organisation and year with its CSV, XLSX and PDF,
one page per organisation, the method page, the accessibility statement and provenance.json.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

import jinja2
import nbformat
import pandas as pd
import yaml
from markupsafe import Markup

from . import (
    analyses,
    basis,
    catalogue,
    dataquality,
    fmt,
    i18n,
    manifest,
    notebooks,
    orgyears,
    overview,
    paths,
    pdf,
    procurements,
    quarto_run,
)
from .errors import InputError, Problem
from .execute import read_summary
from .i18n import N_
from .io import atomic_write, write_bytes, write_text, write_xlsx
from .params import title_in
from .report import MISSING, history_sparkline, status_word
from .report import TEXT as REPORT_TEXT

# The site's words that Python places (the templates translate their own with Jinja2's i18n extension).
SITE_TEXT = {
    "reports": N_("Reports"),
    "overview": N_("Overview"),
    "method": N_("Method"),
    "a11y": N_("Accessibility"),
    "polarities": {"higher": N_("better"), "lower": N_("worse"), "neutral": N_("neither better nor worse")},
    "units": {"share": N_("share"), "mean": N_("mean"), "count": N_("count"), "nok": N_("NOK"),
              "tco2e": N_("tonnes CO₂e"), "difference": N_("difference")},
}
# The columns of the downloadable indicator table (CSV and XLSX), in order.
DOWNLOAD_COLUMNS = ["org_nr", "name", "year", "area", "indicator_id", "title", "unit", "value", "numerator",
                    "denominator", "n", "coverage", "status", "reason", "peer_n", "peer_median", "peer_q1",
                    "peer_q3", "change_prev", "change_baseline"]
PROCUREMENTS_CSV = "procurements.csv"  # <org_nr>.procurements.csv beside the report
PARALLEL_FROM = 24  # reports; below this a process pool costs more than it saves
# Copied from templates/site/ into the site's assets/: the site's own style and script, and Digdir's
# Designsystemet (vendored by `make designsystemet`, with its licences and versions).
STYLESHEETS = ("vendor/designsystemet/theme-digdir.css", "vendor/designsystemet/designsystemet.css", "style.css")
ASSETS = (*STYLESHEETS, "filter.js", "vendor/designsystemet/LICENSE", "vendor/designsystemet/LICENSE.theme",
          "vendor/designsystemet/VERSION")


@dataclass(frozen=True)
class Site:
    title: str | dict[str, str]  # params `title`: one, or one per language (see title_in)
    lang: str
    build: paths.BuildPaths
    provenance: dict | None = None  # written as provenance.json at the site root
    newest_year: str | None = None  # the year the navigation's overview link points to
    strict: bool = False  # an image without alt text is an error, not a warning
    orgs: tuple[str, ...] | None = None  # the organisations the params ask for (None: all)
    years: tuple[str, ...] | None = None  # the years the params ask for (None: all)

    def title_in(self, lang: str) -> str:
        """The site's title on a page in `lang`."""
        return title_in(self.title, lang, self.lang)

    def _plan(self) -> orgyears.Plan | None:
        if not self.build.indicators.is_file():
            return None
        return orgyears.read(self.build.indicators, self.orgs, self.years, self.build.basis)

    def reports(self) -> list[tuple[str, str, Path]]:
        """(year, org_nr, notebook) for every successfully executed report of an organisation-year that the
        params ask for and that has data (a notebook left from an earlier build is not a report of this one)."""
        plan = self._plan()
        wanted = None if plan is None else set(plan.reports)
        found = []
        for nb in sorted(self.build.reports.glob("*/*.ipynb")):
            if nb.name.endswith((".failed.ipynb", ".running.ipynb")):
                continue
            if wanted is None or (nb.stem, nb.parent.name) in wanted:
                found.append((nb.parent.name, nb.stem, nb))
        return found

    def empty(self) -> list[tuple[str, str]]:
        """(year, org_nr) of every organisation-year the params ask for that has no data of any kind."""
        plan = self._plan()
        return [] if plan is None else [(year, org) for org, year in plan.empty]


def _template(name: str, lang: str) -> jinja2.Template:
    """A page template speaking `lang` (a report and its organisation's page may speak another language than
    the site: organisations.csv's `lang`)."""
    return i18n.jinja_env(str(paths.SITE_TEMPLATES), lang, autoescape=True).get_template(name)


_DATA_IMAGE = re.compile(r'src="data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=]+)"')
_SUFFIX = {"png": "png", "jpeg": "jpg", "svg+xml": "svg"}


def extract_images(html: str, out_dir: Path, stem: str) -> str:
    """Writes each embedded image of a page as a file beside it (.svg, .png or .jpg) and links it instead."""
    count = 0

    def save(match: re.Match) -> str:
        nonlocal count
        count += 1
        name = f"{stem}-{count}.{_SUFFIX[match.group(1)]}"
        write_bytes(out_dir / name, base64.b64decode(match.group(2)))
        return f'src="{name}"'

    return _DATA_IMAGE.sub(save, html)


def downloads(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One organisation-year of the indicator table as published: suppressed and missing values stay empty,
    and so do their n and coverage. Titles and the reasons for a missing value are in `lang`."""
    cat = catalogue.load()
    words = i18n.text(REPORT_TEXT, lang)
    reasons = [(cat[i].unavailable or {}).get(lang) if status == "unavailable" else
               words[status] if status in MISSING else reason
               for i, status, reason in zip(table["indicator_id"], table["status"], table["reason"], strict=True)]
    frame = table.assign(title=table["indicator_id"].map(lambda i: cat[i].title[lang]), reason=reasons)
    hidden = frame["status"] != "ok"
    frame.loc[hidden, ["n", "coverage"]] = None
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("float64")
    return frame[DOWNLOAD_COLUMNS].reset_index(drop=True)


class Builtin:
    """Writes each page as a complete HTML file with the project's layout (templates/site/base.html.j2)."""

    def __init__(self, site: Site, out: Path):
        self.site, self.out = site, out
        self.written: list[Path] = []

    def page(self, rel: str, template: str, **context) -> None:
        context = _context(self.site, rel, **context)
        html = _template(template, context["lang"]).render(**context)
        write_text(self.out / rel, html)
        self.written.append(self.out / rel)

    def report(self, rel: str, nb_path: Path, **context) -> None:
        self.page(rel, "report.html.j2", **context)

    def finish(self) -> list[Path]:
        return self.written


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


class Quarto:
    """Writes a standard Quarto website project: report notebooks as they were executed (with the downloads
    appended as a cell), every other page as a .qmd whose body is the same HTML as the built-in page's
    main content. `quarto render` then makes the site, without executing anything: Bootstrap with the
    project's SCSS (Designsystemet's look), the navbar and footer on every page, each page in its own
    language, and Quarto's full-text search (search.json, no external service)."""

    def __init__(self, site: Site, out: Path, full: bool = False, workers: int = 1):
        self.site, self.out, self.full, self.workers = site, out, full, workers  # workers: Quarto processes
        self.project = site.build.output / "quarto"
        self.project.mkdir(parents=True, exist_ok=True)
        self.inputs: dict[str, str] = {}  # every page's input written this build (its path in the project): digest
        self.rendered: list[str] = []  # the inputs `finish` gave to `quarto render` (all of them on a full render)

    def _input(self, rel: str, text: str) -> None:
        """Writes one page's input into the project, unless it is there already with the same content."""
        target, data = self.project / rel, text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            write_bytes(target, data)
        self.inputs[rel] = hashlib.sha256(data).hexdigest()

    def _main(self, template: str, rel: str, **context) -> str:
        context = _context(self.site, rel, **context)
        tpl = _template(template, context["lang"])
        return "".join(tpl.blocks["main"](tpl.new_context(context)))

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

    def page(self, rel: str, template: str, **context) -> None:
        body = self._main(template, rel, **context)
        self._input(Path(rel).with_suffix(".qmd").as_posix(),
                    f"{self._yaml(self._front(context['page_title'], context.get('lang')))}\n"
                    f"```{{=html}}\n{body}\n```\n")

    def _write(self, nb: nbformat.NotebookNode, rel: str, title: str, lang: str | None, end: str) -> None:
        """Writes `nb` into the project with its front matter (a raw cell first) and `end` (HTML) last."""
        nb = _static_html(nb)
        # The cells' ids are fixed (nbformat would draw random ones): the same page, the same input.
        nb.cells.insert(0, nbformat.v4.new_raw_cell(self._yaml(self._front(title, lang)), id="innomaal-front-matter"))
        nb.cells.append(nbformat.v4.new_markdown_cell(f"```{{=html}}\n{end}\n```", id="innomaal-end"))
        self._input(Path(rel).with_suffix(".ipynb").as_posix(), nbformat.writes(nb) + "\n")

    def notebook(self, rel: str, nb_path: Path, title: str = "", report_href: str = "", report_title: str = "",
                 lang: str | None = None) -> None:
        """An executed analysis notebook shown as it is, with a link back to its report."""
        back = i18n.text(QUARTO_TEXT, lang or self.site.lang)["back"]
        self._write(nbformat.read(nb_path, as_version=4), rel, title or Path(rel).stem, lang,
                    f'<p><a href="{report_href}">{back}: {Markup.escape(report_title)}</a></p>')

    def report(self, rel: str, nb_path: Path, **context) -> None:
        downloads = self._main("report.html.j2", rel, **{**context, "body": Markup("")})
        first = "analyses" if context.get("analyses") else "downloads"
        start = downloads.index(f'<section class="{first}"')
        self._write(nbformat.read(nb_path, as_version=4), rel, context["page_title"], context.get("lang"),
                    downloads[start:])

    @staticmethod
    def quarto(*args: str, cwd: Path) -> str:
        """Runs Quarto in `cwd` (the project: its paths are given relative to it, since Quarto reads every path
        as a glob); returns what it wrote to standard output (its progress goes to standard error)."""
        return subprocess.run(["quarto", *args], cwd=cwd, check=True, stdout=subprocess.PIPE, text=True).stdout

    def config(self) -> dict:
        """_quarto.yml: a website with the navbar, footer and search, Bootstrap with the project's theme and
        stylesheets, nothing executed again."""
        t, site = i18n.text({**SITE_TEXT, **QUARTO_TEXT}, self.site.lang), self.site
        years = sorted({year for year, _, _ in site.reports()})
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
        this writer's code (a change to render.py or quarto_run.py renders every page again)."""
        h = hashlib.sha256((self.project / "_quarto.yml").read_bytes())
        h.update(json.dumps(words, sort_keys=True).encode() + Path(__file__).read_bytes())
        h.update(Path(quarto_run.__file__).read_bytes())
        for asset in (*ASSETS, QUARTO_THEME):
            h.update(asset.encode() + b"\0" + (self.project / "assets" / asset).read_bytes())
        h.update(self.quarto("--version", cwd=self.project).strip().encode())
        return h.hexdigest()

    def finish(self) -> list[Path]:
        """Renders what changed since the project's last render: everything on a forced build, when the
        configuration, assets or Quarto changed, when the record or the rendered site is not whole, or when
        most pages changed (Quarto renders the files it is given one by one, each costing more than a page of a
        full render). Drops the pages no longer in the site, makes search.json canonical and copies the
        rendered site into the staging directory."""
        write_text(self.project / "_quarto.yml", yaml.safe_dump(self.config(), allow_unicode=True, sort_keys=False))
        for asset in (*ASSETS, QUARTO_THEME):
            write_bytes(self.project / "assets" / asset, (paths.SITE_TEMPLATES / asset).read_bytes())
        words, site, record_path = self._words(), self.project / "_site", self.project / RENDERED
        config, record = self._config_digest(words), _read_record(record_path)
        record_path.unlink(missing_ok=True)  # an interrupted render leaves no record: the next one is full
        for stale in sorted(_inputs(self.project) - self.inputs.keys()):
            output = site / Path(stale).with_suffix(".html")
            shutil.rmtree(output.with_name(f"{output.stem}_files"), ignore_errors=True)
            for gone in (self.project / stale, output):
                gone.unlink(missing_ok=True)
                _prune(gone.parent, self.project)
        whole = record.get("config") == config and all((site / f).is_file() for f in ("index.html", "search.json"))
        done = record.get("inputs", {}) if whole else {}
        self.rendered = sorted(rel for rel, digest in self.inputs.items()
                               if done.get(rel) != digest or not (site / Path(rel).with_suffix(".html")).is_file())
        full = self.full or not whole or 2 * len(self.rendered) > len(self.inputs)
        if full:
            self.rendered = sorted(self.inputs)
            quarto_run.render(self.project, None, self.workers)
        elif self.rendered:  # Quarto writes their search entries anew, as a full render does
            _forget(site, [Path(rel).with_suffix(".html").as_posix() for rel in self.rendered])
            quarto_run.render(self.project, self.rendered, self.workers)
        pages = sorted(site.rglob("*.html")) if full else [site / Path(r).with_suffix(".html") for r in self.rendered]
        for page in pages:
            _tidy(page, words)
        _canonical_search(site)
        write_text(record_path, json.dumps({"config": config, "inputs": self.inputs}, indent=1, sort_keys=True) + "\n")
        shutil.copytree(site, self.out, dirs_exist_ok=True)
        return sorted(self.out.rglob("*.html"))


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


def _inputs(project: Path) -> set[str]:
    """The page inputs in the Quarto project (its path in the project), not its output or assets."""
    return {p.relative_to(project).as_posix() for pattern in ("*.qmd", "*.ipynb") for p in project.rglob(pattern)
            if p.relative_to(project).parts[0] not in ("_site", "assets", ".quarto")}


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


def _context(site: Site, rel: str, lang: str | None = None, **context) -> dict:
    """What every page template gets; `lang` is the page's language (default: the site's)."""
    return {"lang": lang or site.lang, "site_title": site.title_in(lang or site.lang), "root": "../" * rel.count("/"),
            "overview_year": site.newest_year, **context}


@dataclass(frozen=True)
class ReportTask:
    """Everything needed to render one report's files, on this machine or a Dask worker."""
    site: Site
    out: Path
    year: str
    org_nr: str
    name: str
    notebook: Path
    table: pd.DataFrame | None  # this organisation-year of the indicator table (downloads)
    builtin: bool  # also write the HTML page (the Quarto writer makes its own)
    previous: Path | None  # the published site, when it holds this report's files for the same key
    analyses: tuple[tuple[str, str, Path], ...] = ()  # (name, title, executed notebook) shown beside it
    lang: str | None = None  # the report's language, when organisations.csv gives it one (else the site's)


def report_files(site_dir: Path, year: str, org_nr: str) -> list[Path]:
    folder = site_dir / "reports" / year
    return sorted([*folder.glob(f"{org_nr}.*"), *folder.glob(f"{org_nr}-*.svg"), *folder.glob(f"{org_nr}-*.png"),
                   *folder.glob(f"{org_nr}-*.jpg"), *folder.glob(f"{org_nr}-*.html")])


@dataclass(frozen=True)
class Rendered:
    """What rendering one report gives back: its HTML body ("" when copied from the previous site) and, per
    notebook whose shown images lack alt text, (None for the report or the analysis' name, its cells)."""
    body: str
    missing_alt: tuple[tuple[str | None, tuple[int, ...]], ...] = ()


def render_report(task: ReportTask) -> Rendered:
    """Writes one report's figures, CSV, XLSX, PDF and (built-in) page. Copies them from the previous site
    instead when that site rendered the same report key (its notebooks' alt text is checked either way)."""
    folder = task.out / "reports" / task.year
    report = nbformat.read(task.notebook, as_version=4)
    extra = [(name, title, nbformat.read(notebook, as_version=4)) for name, title, notebook in task.analyses]
    shown = [(None, report)] + [(name, nb) for name, _, nb in extra]
    lacking = tuple((name, tuple(cells)) for name, nb in shown if (cells := notebooks.missing_alt(nb)))
    if task.previous is not None:
        for f in report_files(task.previous, task.year, task.org_nr):
            write_bytes(folder / f.name, f.read_bytes())
        return Rendered("", lacking)
    lang = task.lang or task.site.lang
    body = extract_images(notebooks.html(report), folder, task.org_nr)
    if task.table is not None:
        frame = downloads(task.table, lang)
        atomic_write(folder / f"{task.org_nr}.csv",
                     lambda tmp: frame.to_csv(tmp, index=False, float_format="%.10g", lineterminator="\n"))
        listed = procurements.load(task.site.build, task.org_nr, task.year, lang).download()
        if len(listed):  # the procurements behind the numbers: a CSV of their own and a sheet of the workbook
            atomic_write(folder / f"{task.org_nr}.{PROCUREMENTS_CSV}",
                         lambda tmp: listed.to_csv(tmp, index=False, float_format="%.10g", lineterminator="\n"))
        write_xlsx(frame, folder / f"{task.org_nr}.xlsx", f"{task.org_nr} {task.year}",
                   more={"procurements": listed} if len(listed) else None)
    pdf.write(body, f"{task.name} {task.year}", lang, folder / f"{task.org_nr}.pdf", task.out)
    if task.builtin:
        writer = Builtin(task.site, task.out)
        writer.report(f"reports/{task.year}/{task.org_nr}.html", task.notebook,
                      **_report_context(task.name, task.year, task.org_nr, body, task.analyses, folder), lang=lang)
        for name, title, nb in extra:
            html = extract_images(notebooks.html(nb), folder, f"{task.org_nr}-{name}")
            writer.page(f"reports/{task.year}/{task.org_nr}-{name}.html", "analysis.html.j2",
                        page_title=f"{title}: {task.name} {task.year}", active="report", body=Markup(html),
                        report_href=f"{task.org_nr}.html", report_title=f"{task.name} {task.year}", lang=lang)
    return Rendered(body, lacking)


def _report_context(name: str, year: str, org_nr: str, body: str, extra=(), folder: Path | None = None) -> dict:
    """What a report page shows around its notebook; `folder` holds its files (a procurement list or not)."""
    listed = folder is not None and (folder / f"{org_nr}.{PROCUREMENTS_CSV}").is_file()
    return {"page_title": f"{name} {year}", "active": "report", "body": Markup(body), "org_nr": org_nr,
            "procurements_csv": f"{org_nr}.{PROCUREMENTS_CSV}" if listed else None,
            "org_href": f"../../virksomheter/{org_nr}.html", "name": name,
            "analyses": [{"title": title, "href": f"{org_nr}-{name}.html"} for name, title, _ in extra]}


def _reusable(site: Site, previous: Path | None) -> set[tuple[str, str]]:
    """Reports whose render key the previous site recorded, with their files there."""
    if previous is None or site.provenance is None or not (previous / "provenance.json").is_file():
        return set()
    old = json.loads((previous / "provenance.json").read_text(encoding="utf-8"))
    if old.get("renderer") != site.provenance.get("renderer"):
        return set()
    damaged = [d.path for d in manifest.verify(previous)]  # what was deleted or altered there is rendered again
    if manifest.NAME in damaged:
        return set()
    before = {(r["year"], r["org_nr"]): r.get("key") for r in old.get("reports", [])}
    return {(r["year"], r["org_nr"]) for r in site.provenance.get("reports", [])
            if r.get("key") and before.get((r["year"], r["org_nr"])) == r["key"]
            and not any(path.startswith(f"reports/{r['year']}/{r['org_nr']}") for path in damaged)}


def _check_alt(lacking: dict, sources: dict[str, Path], strict: bool, warn=None) -> None:
    """One warning per notebook (the report's or an analysis') naming its cells whose images have no alt
    text, and one executed copy to look at; with `strict` they are errors (InputError: exit 2)."""
    problems = []
    for (name, cells), executed in sorted(lacking.items(), key=lambda item: (item[0][0] or "", item[0][1])):
        source = paths.REPORT_NOTEBOOK if name is None else sources.get(name, executed[0])
        where = ("cell " if len(cells) == 1 else "cells ") + ", ".join(map(str, cells))
        problems.append(Problem(_shown(source), where, "alt", f"image without alt text in {len(executed)} "
                                f"executed notebook(s), e.g. {_shown(sorted(executed)[0])}"))
    _warn(problems, strict, warn)


def _check_commentary(site: Site, empty: set[tuple[str, str]], warn=None) -> None:
    """A commentary file for an organisation-year without a report (`empty`: (org_nr, year) with no data of
    any kind) is not shown: one warning naming the file, never a silent drop (with `site.strict` an error)."""
    table = site.build.data / "commentary.parquet"
    if not table.is_file():
        return
    files = pd.read_parquet(table, columns=["org_nr", "year", "file"]).drop_duplicates().sort_values("file")
    _warn([Problem(f.file, "file", "year", f"no report for {f.org_nr} in {f.year} (no data of any kind that year): "
                   "its assessment and notes are not shown")
           for f in files.itertuples(index=False) if (f.org_nr, f.year) in empty], site.strict, warn)


def _warn(problems: list[Problem], strict: bool, warn=None) -> None:
    """What the render stage finds (images without alt text, commentary with no report to show it in): warnings
    through `warn` (default: standard error), or with `strict` an error (InputError: exit 2, nothing published)."""
    if strict and problems:
        raise InputError(problems)
    for problem in problems:
        (warn or _stderr)(f"warning: {problem}")


def _shown(path: Path) -> str:
    """A path as the user knows it: relative to the project where it is inside it."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render_site(site: Site, out: Path, writer: Builtin | Quarto, previous: Path | None = None,
                mapper=map, progress=None, warn=None) -> list[Path]:
    """Every page and file of the site, the same with either writer: reports with their downloads (CSV,
    XLSX), PDFs and figures, organisation pages, the index, the method page, the accessibility statement,
    the assets and provenance.json. Reports are rendered through `mapper` (the built-in `map`, or a Dask
    client's); a report the `previous` site rendered with the same key is copied from it. Images without alt
text are reported through `warn` (default: standard error), or are an error with `site.strict`."""
    lang = site.lang
    t = i18n.text(SITE_TEXT, lang)
    cat = catalogue.load()
    table = pd.read_parquet(site.build.indicators)
    orgs = {r.org_nr: r for r in table[["org_nr", "name", "org_type"]].drop_duplicates().itertuples(index=False)}
    type_label = i18n.text(REPORT_TEXT["type"], lang)  # one organisation's type, in its row of the index
    by_year: dict[str, list[dict]] = {}
    by_org: dict[str, list[str]] = {}
    slices = dict(iter(table.groupby(["org_nr", "year"], sort=False)))
    reuse = _reusable(site, previous)
    langs = i18n.report_languages(site.build, lang)
    registered = analyses.registered()
    failed = {(f["parameters"]["year"], f["parameters"]["org_nr"], f.get("analysis"))
              for f in read_summary(site.build.executions) if not f["ok"]}
    tasks = []
    for year, org_nr, nb_path in site.reports():
        org = orgs.get(org_nr)
        name = org.name if org else org_nr
        own = langs.get(org_nr, lang)
        extra = tuple((a.name, a.title[own], site.build.analysis(a.name, year, org_nr)) for a in registered
                      if site.build.analysis(a.name, year, org_nr).is_file() and (year, org_nr, a.name) not in failed)
        tasks.append(ReportTask(site, out, year, org_nr, name, nb_path, slices.get((org_nr, year)),
                                isinstance(writer, Builtin), previous if (year, org_nr) in reuse else None, extra,
                                own))
        by_year.setdefault(year, []).append({
            "href": f"reports/{year}/{org_nr}.html", "org_href": f"virksomheter/{org_nr}.html", "name": name,
            "org_nr": org_nr, "org_type": org.org_type if org else "",
            "org_type_label": type_label.get(org.org_type, org.org_type) if org else ""})
        by_org.setdefault(org_nr, []).append(year)
    empty_by_year, empty_by_org = _empty_listing(site, orgs, type_label)
    if progress:
        progress(total=len(tasks))
    lacking: dict[tuple[str | None, tuple[int, ...]], list[Path]] = {}
    for task, done in zip(tasks, mapper(render_report, tasks), strict=True):
        if progress:
            progress()
        for name, cells in done.missing_alt:
            lacking.setdefault((name, cells), []).append(
                task.notebook if name is None else site.build.analysis(name, task.year, task.org_nr))
        if isinstance(writer, Quarto):
            writer.report(f"reports/{task.year}/{task.org_nr}.html", task.notebook,
                          **_report_context(task.name, task.year, task.org_nr, done.body, task.analyses,
                                            task.out / "reports" / task.year),
                          lang=task.lang)
            for name, title, notebook in task.analyses:
                writer.notebook(f"reports/{task.year}/{task.org_nr}-{name}.html", notebook,
                                title=f"{title}: {task.name} {task.year}", report_href=f"{task.org_nr}.html",
                                report_title=f"{task.name} {task.year}", lang=task.lang)
    _check_alt(lacking, {a.name: a.notebook for a in registered}, site.strict, warn)
    _check_commentary(site, {(org, y) for org, years in empty_by_org.items() for y in years}, warn)
    base_table = pd.read_parquet(site.build.basis)  # which sources cover each body: "not measured" where none
    bases, no_basis = dict(iter(base_table.groupby("org_nr", sort=False))), base_table.iloc[0:0]
    files = basis.supplied(site.build.quality)
    for org_nr in sorted(by_org.keys() | empty_by_org.keys()):  # its page speaks its reports' language
        org, own = orgs[org_nr], langs.get(org_nr, lang)
        years, empty = sorted(by_org.get(org_nr, [])), empty_by_org.get(org_nr, [])
        writer.page(f"virksomheter/{org_nr}.html", "org.html.j2", page_title=org.name, active="org", name=org.name,
                    org_nr=org_nr, org_type_label=i18n.text(REPORT_TEXT["type"], own).get(org.org_type, org.org_type),
                    years=years, entries=[{"year": y, "report": y in years} for y in sorted({*years, *empty})],
                    rows=_org_rows(table[table["org_nr"] == org_nr], years, cat, own,
                                   basis.for_body(bases.get(org_nr, no_basis), files, "")) if years else [],
                    lang=own)
    failures = []
    for f in read_summary(site.build.executions):
        if not f["ok"]:
            org = orgs.get(f["parameters"]["org_nr"])
            failures.append({"org_nr": f["parameters"]["org_nr"], "year": f["parameters"]["year"],
                             "name": org.name if org else "", "error": f["error"]})
    national = pd.read_parquet(site.build.national)
    learn = pd.read_parquet(site.build.examples) if site.build.examples.is_file() else None
    for year in sorted(by_year):
        years = sorted(y for y in national["year"].unique() if y <= year)
        figure = extract_images(overview.trend_figure(national, years, lang), out / "oversikt", year)
        data = overview.build(table, national, year, lang)
        funnels = [f | {"figure": Markup(extract_images(f["figure"], out / "oversikt", f"{year}-{f['id']}"))}
                   for f in overview.funnels(table, national, year, lang)]
        writer.page(f"oversikt/{year}.html", "overview.html.j2", page_title=data["title"], active="overview",
                    o=data, figure=Markup(figure), funnels=funnels, published={r["org_nr"] for r in by_year[year]},
                    examples=overview.examples(learn, year, lang) if learn is not None else None)
    listing = [(y, sorted(by_year.get(y, []) + empty_by_year.get(y, []), key=lambda r: (r["name"], r["org_nr"])))
               for y in sorted(by_year.keys() | empty_by_year.keys(), reverse=True)]
    types = sorted({r["org_type"] for _, rows in listing for r in rows if r["org_type"]})
    groups = i18n.text(REPORT_TEXT["types"], lang)
    scorecard = overview.national_scorecard(national, max(by_year), lang) if by_year else None
    writer.page("index.html", "index.html.j2", page_title=t["reports"], active="index", failures=failures,
                scorecard=scorecard,
                reports_by_year=listing, types=[(k, groups.get(k, k)) for k in types],  # the filter: groups
                total=sum(len(rows) for rows in by_year.values()))
    areas = [({"id": a, "title": titles[lang]}, [{
        "id": i.id, "title": i.title[lang], "definition": i.definition[lang], "numerator": i.numerator[lang],
        "denominator": i.denominator[lang], "unit": t["units"][i.unit], "polarity": t["polarities"][i.polarity],
        "min_n": i.min_n, "persons": i.persons, "source": i.source[lang],
        "unavailable": (i.unavailable or {}).get(lang),
        "note": (i.note or {}).get(lang),
        **dataquality.indicator_terms(i, lang),
    } for i in cat.in_area(a)]) for a, titles in cat.areas.items()]
    quality = json.loads(site.build.quality.read_text(encoding="utf-8")) if site.build.quality.is_file() else {}
    writer.page("metode.html", "method.html.j2", page_title=t["method"], active="method", areas=areas,
                quality=dataquality.summary(quality, table, lang), small_base=cat.settings["small_base"],
                sources=basis.sources_table(basis.supplied(site.build.quality), cat, lang))
    statement = (paths.SITE_TEMPLATES / f"tilgjengelighet.{lang}.md").read_text(encoding="utf-8")
    writer.page("tilgjengelighet.html", "page.html.j2", page_title=t["a11y"], active="a11y",
                body=Markup(notebooks.markdown(statement)))
    for asset in ASSETS:
        write_bytes(out / "assets" / asset, (paths.SITE_TEMPLATES / asset).read_bytes())
    if site.provenance is not None:
        write_text(out / "provenance.json", json.dumps(site.provenance, indent=2, ensure_ascii=False) + "\n")
    return writer.finish()


def _empty_listing(site: Site, orgs: dict, type_label: dict) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """The organisation-years with no data of any kind, as rows of the index (no report to link: the index
    says there is no data) per year, and their years per organisation (its page says so for each)."""
    by_year: dict[str, list[dict]] = {}
    by_org: dict[str, list[str]] = {}
    for year, org_nr in site.empty():
        org = orgs[org_nr]
        by_year.setdefault(year, []).append({
            "href": None, "org_href": f"virksomheter/{org_nr}.html", "name": org.name, "org_nr": org_nr,
            "org_type": org.org_type, "org_type_label": type_label.get(org.org_type, org.org_type)})
        by_org.setdefault(org_nr, []).append(year)
    return by_year, by_org


def _org_rows(rows: pd.DataFrame, years: list[str], cat: catalogue.Catalogue, lang: str,
             body: basis.Basis) -> list[dict]:
    """One row per indicator: its published value in each year (suppressed and missing values in the reports'
    words, status_word: "not measured" where the body's data basis lacks its source), and a sparkline of them."""
    t = i18n.text(REPORT_TEXT, lang)
    cells = {(r.indicator_id, r.year): r for r in rows.itertuples(index=False) if r.year in years}
    out = []
    for ind in cat.indicators:
        values, points = [], []
        for year in years:
            r = cells.get((ind.id, year))
            if r is None or r.status != "ok":
                min_n = int(r.min_n) if r is not None and not fmt.missing(r.min_n) else ind.min_n
                values.append(status_word("no_data" if r is None else r.status, t, min_n,
                                          bool(body.missing(ind))))
                if r is not None and r.status == "suppressed":
                    points.append((year, values[-1], None))
            else:
                values.append(fmt.value(r.value, ind.unit, lang))
                points.append((year, values[-1], float(r.value)))
        out.append({"id": ind.id, "title": ind.title[lang], "values": values,
                    "sparkline": Markup(history_sparkline(points, lang))})
    return out


def choose(renderer: str) -> str:
    if renderer == "auto":
        return "quarto" if shutil.which("quarto") else "builtin"
    return renderer


def run(site: Site, renderer: str = "auto", previous: Path | None = None, executor: str = "local",
        scheduler: str | None = None, workers: int = 1, progress=None, warn=None) -> tuple[str, Path]:
    """Renders into a fresh staging directory; returns the renderer used and the staging path. With
    `executor="dask"` the reports are rendered as tasks on the cluster (a shared file system is assumed)."""
    out = site.build.staging
    if out.exists():  # what an interrupted build left (no other build runs: the caller holds the lock)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    used = choose(renderer)
    if site.newest_year is None:
        site = replace(site, newest_year=max((year for year, _, _ in site.reports()), default=None))
    writer = Quarto(site, out, full=previous is None, workers=workers) if used == "quarto" else Builtin(site, out)
    if executor == "dask":
        from .execute import dask_client

        with dask_client(scheduler, workers) as client:
            render_site(site, out, writer, previous, mapper=lambda fn, items: client.gather(client.map(
                fn, list(items), pure=False)), progress=progress, warn=warn)
    elif workers > 1 and len(site.reports()) > PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            render_site(site, out, writer, previous, mapper=lambda fn, items: pool.map(fn, items, chunksize=8),
                        progress=progress, warn=warn)
    else:
        render_site(site, out, writer, previous, progress=progress, warn=warn)
    return used, out
