"""Analyses: parameterised notebooks beside the report, run for every organisation × year and shown on
the site as pages linked from each report. They are registered in notebooks/analyses/analyses.yaml;
`innomaal new-analysis NAME` scaffolds one and registers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from . import paths
from .errors import InputError
from .i18n import LANGS
from .io import write_text
from .yamlfile import read_yaml

NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


@dataclass(frozen=True)
class Analysis:
    name: str
    notebook: Path
    title: dict[str, str]


def registered(registry: Path = paths.ANALYSES_REGISTRY) -> list[Analysis]:
    if not registry.is_file():
        return []
    raw = read_yaml(registry) or {}
    found = []
    for i, entry in enumerate(raw.get("analyses") or []):
        name = str(entry.get("name", ""))
        if not NAME.fullmatch(name):
            raise InputError.one(registry, f"analyses[{i}]", "name", "lower-case letters, digits and _ only")
        notebook = registry.parent / str(entry.get("notebook", f"{name}.ipynb"))
        if not notebook.is_file():
            raise InputError.one(registry, f"analyses[{i}]", "notebook", f"{notebook.name} does not exist")
        title = entry.get("title") or {}
        found.append(Analysis(name, notebook, {lang: title.get(lang, name) for lang in LANGS}))
    return found


def _cell(kind: str, source: str, **metadata) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(metadata)
    return cell


def scaffold(name: str, title: str, registry: Path = paths.ANALYSES_REGISTRY) -> Path:
    """Writes notebooks/analyses/<name>.ipynb (parameters cell, imports from `analysis`, a narrative cell)
    and registers it, so the next build runs it for every organisation × year."""
    if not NAME.fullmatch(name):
        raise InputError.one("new-analysis", "argument NAME", "name",
                             f"{name!r}: use lower-case letters, digits and _ (starting with a letter)")
    notebook = registry.parent / f"{name}.ipynb"
    if notebook.exists() or any(a.name == name for a in registered(registry)):
        raise InputError.one(notebook, "file", "name", "an analysis of this name exists already")
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    nb.cells = [
        _cell("code", '# Parameters (papermill injects the real ones below this cell).\norg_nr = "906420643"\n'
              'year = "2025"\nlang = "nb"\nbuild_dir = ""', tags=["parameters"]),
        _cell("code", "# Load what the build computed; numbers come from `analysis`, never from here.\n"
              "from IPython.display import Markdown, display\n\nfrom analysis import fmt, report\n\n"
              "r = report.load(org_nr, year, lang, build_dir)"),
        _cell("code", f'display(Markdown(f"# {title}: {{r.name}} {{year}}"))'),
        _cell("markdown", "The narrative: write what the numbers mean for the reader. Compute the facts in a "
              "function in `src/analysis/`, format numbers with `analysis.fmt`, and display the sentence here."),
        _cell("code", 'p7a = r.now.loc["P7a"]\n'
              'display(Markdown(f"Andelen av innkjøpene som gikk til SMB var {fmt.value(p7a[\'value\'], '
              '\'share\', lang)} i {year}." if p7a["status"] == "ok" else "Ikke nok data."))'),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    notebook.parent.mkdir(parents=True, exist_ok=True)
    write_text(notebook, nbformat.writes(nb) + "\n")
    raw = read_yaml(registry) if registry.is_file() else None
    raw = raw or {"analyses": []}
    raw.setdefault("analyses", []).append({"name": name, "notebook": notebook.name,
                                           "title": dict.fromkeys(LANGS, title)})
    header = "# Analyses run for every organisation × year and shown on the site (see docs/add-an-analysis.md).\n"
    write_text(registry, header + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    return notebook
