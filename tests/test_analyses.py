"""Analyses and notebooks: every notebook runs clean on the demo data, `new-analysis` scaffolds and
registers a notebook the build then runs for every report, and the site links each analysis page."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
import papermill
import pytest
from typer.testing import CliRunner

from analysis import analyses, paths, pipeline
from analysis.cli import app
from analysis.errors import InputError
from tests.conftest import report_pages

NOTEBOOKS = sorted(paths.NOTEBOOKS.rglob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(paths.NOTEBOOKS).as_posix())
def test_every_notebook_runs_top_to_bottom_with_its_default_parameters(notebook, demo_build, tmp_path):
    """As an analyst runs it in JupyterLab: its own default parameters, pointed at the demo build."""
    p, _ = demo_build
    nb = nbformat.read(notebook, as_version=4)
    defaults = {}
    exec(next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", [])), {}, defaults)
    assert set(defaults) >= {"org_nr", "year", "lang", "build_dir"}
    org = pipeline.report_pairs(p)[0][0]  # the demo build holds 2024–2025 of every demo organisation
    out = tmp_path / notebook.name
    papermill.execute_notebook(str(notebook), str(out), kernel_name="python3", progress_bar=False,
                               parameters={"build_dir": str(p.output), "org_nr": org})
    ran = nbformat.read(out, as_version=4)
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert any(c.outputs for c in ran.cells if c.cell_type == "code")


def test_notebooks_are_committed_without_outputs():
    for notebook in NOTEBOOKS:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, notebook


def test_every_report_links_its_analysis_pages(demo_build):
    p, _ = demo_build
    site = pipeline.build_paths(p).site
    names = [a.name for a in analyses.registered()]
    assert "smb" in names
    for page in report_pages(site):
        html = page.read_text(encoding="utf-8")
        for name in names:
            target = page.with_name(f"{page.stem}-{name}.html")
            assert f'href="{target.name}"' in html and target.is_file(), page
            assert f'href="{page.name}"' in target.read_text(encoding="utf-8")  # and back


def test_new_analysis_scaffolds_and_registers(tmp_path):
    registry = tmp_path / "analyses.yaml"
    shutil.copyfile(paths.ANALYSES_REGISTRY, registry)
    shutil.copyfile(paths.ANALYSES / "smb.ipynb", tmp_path / "smb.ipynb")
    notebook = analyses.scaffold("leverandorer", "Leverandørene våre", registry)
    nb = nbformat.read(notebook, as_version=4)
    assert "parameters" in nb.cells[0].metadata["tags"] and "from analysis import" in nb.cells[1].source
    assert any(c.cell_type == "markdown" for c in nb.cells)
    found = {a.name: a for a in analyses.registered(registry)}
    assert set(found) == {"smb", "leverandorer"} and found["leverandorer"].title["nb"] == "Leverandørene våre"
    with pytest.raises(InputError):
        analyses.scaffold("leverandorer", "Igjen", registry)
    with pytest.raises(InputError):
        analyses.scaffold("Ugyldig-navn", "x", registry)


def test_a_scaffolded_analysis_runs_in_the_next_build(demo_build, tmp_path, monkeypatch):
    p, _ = demo_build
    registry = tmp_path / "analyses" / "analyses.yaml"
    registry.parent.mkdir()
    registry.write_text("analyses: []\n", encoding="utf-8")
    analyses.scaffold("proeve", "Prøveanalyse", registry)
    original = analyses.registered
    monkeypatch.setattr(analyses, "registered", lambda *a, **k: original(registry))
    out = tmp_path / "build"
    shutil.copytree(p.output, out, ignore=shutil.ignore_patterns("site", "staging", "quarto"))
    q = replace(p, output=out, years=("2025",))
    results = pipeline.execute(q)
    ran = [r for r in results if "analyses" in Path(r.output).parts]
    assert ran and all(r.ok and not r.cached for r in ran)
    pipeline.render(q, force=True)
    pipeline.publish(q)
    pages = sorted((out / "site" / "reports" / "2025").glob("*-proeve.html"))
    assert len(pages) == len({r.parameters["org_nr"] for r in ran}) and "Prøveanalyse" in pages[0].read_text()


def test_every_command_has_complete_help_with_an_example():
    runner = CliRunner()
    commands = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    assert "new-analysis" in commands
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name


EVERY_OUTPUT = [
    ("code", "import matplotlib.pyplot as plt\nimport pandas as pd\nimport seaborn as sns\n"
             "from IPython.display import HTML, SVG, Latex\n\nfrom analysis import figures\n\nfigures.theme(lang)", {}),
    ("code", 'fig, ax = plt.subplots(figsize=(6, 3))\nsns.barplot(pd.DataFrame({"klasse": ["Små", "Store"], '
             '"andel": [0.6, 0.4]}), x="klasse", y="andel", ax=ax)\ndisplay(HTML(figures.html(fig, '
             '"Stolpediagram fra seaborn: små 60 %, store 40 %.", "Seaborn-figur")))\nplt.close(fig)', {}),
    ("code", 'pd.DataFrame({"Virksomhet": ["Prøve AS"], "Verdi": [1234]})', {}),
    ("code", "SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"20\"><text x=\"2\" y=\"15\">"
             "SVG-prøve</text></svg>')", {"alt": "Et lite SVG-bilde med teksten SVG-prøve."}),
    ("code", 'display(Markdown("**Markdown-utdata** i en analyse"))', {}),
    ("code", "Latex(r'$\\frac{a}{b}$')", {}),
    ("code", "plain, ax = plt.subplots()\nax.plot([1, 2, 3])\ndisplay(plain)\nplt.close(plain)", {}),
]


def test_every_kind_of_output_is_published_and_missing_alt_text_is_named(demo_build, tmp_path, monkeypatch,
                                                                         capsys):
    """As an analyst works: a seaborn figure with alt text, a DataFrame, an SVG, Markdown, LaTeX and a plain
    matplotlib figure shown with display(fig), which has no alt text."""
    p, _ = demo_build
    registry = tmp_path / "analyses" / "analyses.yaml"
    registry.parent.mkdir()
    registry.write_text("analyses: []\n", encoding="utf-8")
    notebook = analyses.scaffold("alle", "Alle utdata", registry)
    nb = nbformat.read(notebook, as_version=4)
    for kind, source, metadata in EVERY_OUTPUT:
        nb.cells.append(analyses._cell(kind, source, **metadata))
        nb.cells[-1]["id"] = f"cell-{len(nb.cells) - 1:03d}"
    nbformat.write(nb, notebook)
    plain_cell = len(nb.cells)  # the last cell, numbered from 1 as JupyterLab shows them
    original = analyses.registered
    monkeypatch.setattr(analyses, "registered", lambda *a, **k: original(registry))
    out = tmp_path / "build"
    shutil.copytree(p.output, out, ignore=shutil.ignore_patterns("site", "staging", "quarto", "2024"))
    org = pipeline.report_pairs(p)[0][0]
    q = replace(p, output=out, years=("2025",), orgs=(org,))
    assert all(r.ok for r in pipeline.execute(q))
    capsys.readouterr()
    pipeline.render(q, force=True)
    warned = capsys.readouterr().err
    assert f"{notebook}: cell {plain_cell}: alt:" in warned and warned.count("warning:") == 1, warned

    folder = out / "staging" / "reports" / "2025"
    page = (folder / f"{org}-alle.html").read_text(encoding="utf-8")
    assert 'alt="Stolpediagram fra seaborn: små 60 %, store 40 %."' in page  # seaborn, with its alt text
    assert '<table border="1" class="dataframe">' in page and "Prøve AS" in page  # the DataFrame
    assert 'alt="Et lite SVG-bilde med teksten SVG-prøve."' in page  # the SVG, alt text from its cell
    assert "<strong>Markdown-utdata</strong>" in page
    assert '<pre class="latex">$\\frac{a}{b}$</pre>' in page  # LaTeX kept as text: no MathJax
    images = re.findall(r'<img src="([^"]+)"( alt="[^"]*")?>', page)
    assert [Path(src).suffix for src, _ in images] == [".svg", ".svg", ".png"]
    assert images[-1][1] == ""  # the plain figure: published, without alt text
    assert "SVG-prøve" in (folder / images[1][0]).read_text(encoding="utf-8")
    assert (folder / images[2][0]).read_bytes().startswith(b"\x89PNG")
    assert "Traceback" not in page and "<script" not in page

    with pytest.raises(InputError) as strict:
        pipeline.render(replace(q, strict=True), force=True)
    assert [(e.file, e.where, e.field) for e in strict.value.problems] == [(str(notebook), f"cell {plain_cell}",
                                                                            "alt")]
