"""Stage 4, render: the executed notebooks become a website in the staging directory.

With `quarto` on PATH (renderer `auto` or `quarto`), a standard Quarto website project is generated
around the executed notebooks and rendered without executing them again. Otherwise the built-in renderer
turns each notebook's outputs (code hidden) into a page with the project's Jinja2 templates, in process.
Both produce the same pages: index, one report per organisation and year, the method page and the
accessibility statement.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2
import nbformat
import pandas as pd
from markdown_it import MarkdownIt

from . import catalogue, paths
from .execute import read_summary
from .io import write_text
from .report import TEXT as REPORT_TEXT

SITE_TEXT = {
    "nb": {"skip": "Hopp til hovedinnholdet", "nav": "Hovedmeny", "reports": "Rapporter", "method": "Metode",
           "a11y": "Tilgjengelighet", "footer": "Laget med Innomål etter DFØs rammeverk for måling av innovative "
           "anskaffelser.", "index_intro": "Rapporter om innovative anskaffelser per virksomhet og år.",
           "failures": "Rapporter som ikke kunne lages", "listing_caption": "Rapporter for {year}",
           "organisation": "Virksomhet", "org_nr": "Organisasjonsnummer", "org_type": "Type",
           "method_title": "Metode: indikatorkatalogen", "method_intro": "Alle indikatorene, med definisjon, "
           "teller, nevner, enhet, polaritet, minste antall enheter og datakilde.", "numerator": "Teller",
           "denominator": "Nevner", "unit": "Enhet", "polarity": "Høyere er", "min_n": "Minste n",
           "source": "Kilde", "status": "Status", "note": "Merknad",
           "polarities": {"higher": "bedre", "lower": "dårligere", "neutral": "verken bedre eller dårligere"},
           "units": {"share": "andel", "mean": "gjennomsnitt", "count": "antall", "nok": "kroner",
                     "tco2e": "tonn CO₂e", "difference": "differanse"}},
    "en": {"skip": "Skip to main content", "nav": "Main menu", "reports": "Reports", "method": "Method",
           "a11y": "Accessibility", "footer": "Made with Innomål following DFØ's framework for measuring "
           "innovative procurement.", "index_intro": "Reports on innovative procurement per organisation and year.",
           "failures": "Reports that could not be made", "listing_caption": "Reports for {year}",
           "organisation": "Organisation", "org_nr": "Organisation number", "org_type": "Type",
           "method_title": "Method: the indicator catalogue", "method_intro": "Every indicator, with its "
           "definition, numerator, denominator, unit, polarity, minimum n and data source.",
           "numerator": "Numerator", "denominator": "Denominator", "unit": "Unit", "polarity": "Higher is",
           "min_n": "Minimum n", "source": "Source", "status": "Status", "note": "Note",
           "polarities": {"higher": "better", "lower": "worse", "neutral": "neither better nor worse"},
           "units": {"share": "share", "mean": "mean", "count": "count", "nok": "NOK", "tco2e": "tonnes CO₂e",
                     "difference": "difference"}},
}
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Site:
    title: str
    lang: str
    build: paths.BuildPaths

    def reports(self) -> list[tuple[str, str, Path]]:
        """(year, org_nr, notebook) for every successfully executed report."""
        found = []
        for nb in sorted(self.build.reports.glob("*/*.ipynb")):
            if nb.name.endswith((".failed.ipynb", ".running.ipynb")):
                continue
            found.append((nb.parent.name, nb.stem, nb))
        return found


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(paths.SITE_TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def notebook_html(nb: nbformat.NotebookNode) -> str:
    """The visible content of an executed notebook: markdown cells and code outputs, code hidden."""
    parts = []
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []) or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(_MD.render(cell.source))
            continue
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") == "stream" or out.get("output_type") == "error":
                continue  # warnings and logs are not part of a published report
            if "text/html" in data:
                parts.append(data["text/html"])
            elif "text/markdown" in data:
                parts.append(_MD.render(data["text/markdown"]))
            elif "image/png" in data:
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                parts.append(f'<img src="data:image/png;base64,{data["image/png"]}" alt="{escape(alt)}">')
            elif "text/plain" in data:
                parts.append(f"<pre>{escape(data['text/plain'])}</pre>")
    return "\n".join(parts)


def render_builtin(site: Site, out: Path) -> list[Path]:
    env, lang = _env(), site.lang
    t = SITE_TEXT[lang]
    cat = catalogue.load()
    table = pd.read_parquet(site.build.indicators, columns=["org_nr", "name", "org_type"]).drop_duplicates()
    orgs = {r.org_nr: r for r in table.itertuples(index=False)}
    written = []

    def page(rel: str, template: str, **context) -> None:
        root = "../" * rel.count("/")
        html = env.get_template(template).render(lang=lang, t=t, site_title=site.title, root=root, **context)
        write_text(out / rel, html)
        written.append(out / rel)

    by_year: dict[str, list[dict]] = {}
    for year, org_nr, nb_path in site.reports():
        org = orgs.get(org_nr)
        name = org.name if org else org_nr
        nb = nbformat.read(nb_path, as_version=4)
        rel = f"reports/{year}/{org_nr}.html"
        page(rel, "report.html.j2", page_title=f"{name} {year}", active="report",
             body=jinja2.utils.markupsafe.Markup(notebook_html(nb)))
        by_year.setdefault(year, []).append({
            "href": rel, "name": name, "org_nr": org_nr,
            "org_type_label": REPORT_TEXT[lang]["types"].get(org.org_type, org.org_type) if org else ""})
    failures = []
    for f in read_summary(site.build.executions):
        if not f["ok"]:
            org = orgs.get(f["parameters"]["org_nr"])
            failures.append({"org_nr": f["parameters"]["org_nr"], "year": f["parameters"]["year"],
                             "name": org.name if org else "", "error": f["error"]})
    page("index.html", "index.html.j2", page_title=t["reports"], active="index", failures=failures,
         reports_by_year=[(y, sorted(r, key=lambda r: r["name"])) for y, r in sorted(by_year.items(), reverse=True)])
    areas = [({"id": a, "title": titles[lang]}, [{
        "id": i.id, "title": i.title[lang], "definition": i.definition[lang], "numerator": i.numerator[lang],
        "denominator": i.denominator[lang], "unit": t["units"][i.unit], "polarity": t["polarities"][i.polarity],
        "min_n": i.min_n, "source": i.source, "unavailable": (i.unavailable or {}).get(lang), "note": i.note,
    } for i in cat.in_area(a)]) for a, titles in cat.areas.items()]
    page("metode.html", "method.html.j2", page_title=t["method"], active="method", areas=areas)
    statement = (paths.SITE_TEMPLATES / f"tilgjengelighet.{lang}.md").read_text(encoding="utf-8")
    page("tilgjengelighet.html", "page.html.j2", page_title=t["a11y"], active="a11y",
         body=jinja2.utils.markupsafe.Markup(_MD.render(statement)))
    (out / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.SITE_TEMPLATES / "style.css", out / "assets" / "style.css")
    return written


def render_quarto(site: Site, out: Path) -> list[Path]:
    """Generates a Quarto website project around the executed notebooks and renders it (no execution)."""
    project = site.build.output / "quarto"
    shutil.rmtree(project, ignore_errors=True)
    (project / "reports").mkdir(parents=True)
    listing = []
    for year, org_nr, nb_path in site.reports():
        target = project / "reports" / year / f"{org_nr}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(nb_path, target)
        listing.append(f"- [{year} {org_nr}](reports/{year}/{org_nr}.ipynb)")
    t = SITE_TEXT[site.lang]
    write_text(project / "_quarto.yml", "\n".join([
        "project:", "  type: website", "  output-dir: _site", "website:", f'  title: "{site.title}"',
        "  navbar:", "    left:", f'      - {{href: index.qmd, text: "{t["reports"]}"}}',
        f'      - {{href: metode.qmd, text: "{t["method"]}"}}',
        f'      - {{href: tilgjengelighet.qmd, text: "{t["a11y"]}"}}',
        "format:", "  html:", f"    lang: {site.lang}", "    echo: false", "    embed-resources: true",
        "    theme: none", "execute:", "  enabled: false", ""]))
    write_text(project / "index.qmd", f"---\ntitle: \"{site.title}\"\n---\n\n" + "\n".join(listing) + "\n")
    write_text(project / "metode.qmd", f"---\ntitle: \"{t['method']}\"\n---\n\n" + "\n\n".join(
        f"## {i.id} {i.title[site.lang]}\n\n{i.definition[site.lang]}" for i in catalogue.load().indicators) + "\n")
    shutil.copyfile(paths.SITE_TEMPLATES / f"tilgjengelighet.{site.lang}.md", project / "tilgjengelighet.qmd")
    subprocess.run(["quarto", "render", str(project)], check=True)
    shutil.copytree(project / "_site", out, dirs_exist_ok=True)
    return sorted(out.rglob("*.html"))


def choose(renderer: str) -> str:
    if renderer == "auto":
        return "quarto" if shutil.which("quarto") else "builtin"
    return renderer


def run(site: Site, renderer: str = "auto") -> tuple[str, Path]:
    """Renders into a fresh staging directory; returns the renderer used and the staging path."""
    out = site.build.staging
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    used = choose(renderer)
    (render_quarto if used == "quarto" else render_builtin)(site, out)
    return used, out
