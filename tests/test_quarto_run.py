"""Quarto in parallel (issue #38): a website project rendered by several Quarto processes, each on its share of
the pages in its own copy of the project, merges into the same files, byte for byte, as one `quarto render`;
a partial render likewise; a failing share fails the render with Quarto's message. The tests that run Quarto
skip where it is not installed (`quarto` not on PATH), and fail instead under INNOMAAL_REQUIRE_QUARTO."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest

from analysis.writers import quarto, quarto_run
from tests.conftest import need_quarto

CONFIG = """\
project:
  type: website
  output-dir: _site
  resources: [assets/]
website:
  title: Liten
  search: {location: navbar, type: overlay}
  navbar:
    left: [{href: index.qmd, text: Start}, {href: sub/a.qmd, text: A}]
format:
  html: {lang: nb, echo: false, css: [assets/x.css]}
execute: {enabled: false}
"""
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Erk"
                       "Jggg==")


def page(title: str, text: str, root: str = "") -> str:
    """A page with two sections (search entries of their own) and a link to the index by its output, as the
    writer's pages link to each other."""
    return (f"---\npagetitle: {title}\n---\n\n# {title}\n\n{text}\n\n## Første del\n\nTekst om {title}.\n\n"
            f"## Andre del\n\nMer tekst, se [forsiden]({root}index.html).\n")


def project(root: Path) -> Path:
    """A small website: pages at the top and in folders, two notebooks (one with a figure, which Quarto writes
    into the page's _files folder), a resource folder, search."""
    root.mkdir(parents=True)
    (root / "_quarto.yml").write_text(CONFIG, encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets" / "x.css").write_text("main { max-width: 60rem; }\n", encoding="utf-8")
    pages = {"index.qmd": page("Start", "Velkommen."), "om.qmd": page("Om", "Om sidene."),
             "sub/a.qmd": page("A", "Side A.", "../"), "sub/b.qmd": page("B", "Side B.", "../"),
             "dyp/x/y.qmd": page("Y", "Langt nede.", "../../")}
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel, title in (("sub/c.ipynb", "C"), ("dyp/d.ipynb", "D")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_raw_cell(f"---\npagetitle: {title}\n---", id="front"),
                    nbformat.v4.new_markdown_cell(f"# {title}\n\n## Figur\n\nEn figur.", id="text"),
                    nbformat.v4.new_code_cell("figure()", id="code", execution_count=1, outputs=[
                        nbformat.v4.new_output("display_data", {"image/png": base64.b64encode(PNG).decode()})])]
        nbformat.write(nb, root / rel)
    return root


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def entries(site: Path) -> list[str]:
    return sorted(json.dumps(e, sort_keys=True) for e in json.loads((site / "search.json").read_text("utf-8")))


def assert_same_site(one: Path, merged: Path) -> None:
    """Every file the same bytes: search.json's entries the same before the writer puts them in its canonical
    order (Quarto's own order is its render order), every file after."""
    assert entries(one / "_site") == entries(merged / "_site")
    for site in (one / "_site", merged / "_site"):
        quarto._canonical_search(site)
    expected, got = files(one / "_site"), files(merged / "_site")
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []
    assert files(one / ".quarto" / "idx") == files(merged / ".quarto" / "idx")


def test_pages_are_dealt_into_even_shares_of_at_least_a_few():
    pages = [f"p{i:02}.qmd" for i in range(11)]
    assert quarto_run.deal(pages, 2) == [["p00.qmd", "p03.qmd", "p04.qmd", "p07.qmd", "p08.qmd"],
                                         ["p01.qmd", "p02.qmd", "p05.qmd", "p06.qmd", "p09.qmd", "p10.qmd"]]
    assert [len(share) for share in quarto_run.deal(pages, 3)] == [3, 4, 4]
    assert [len(share) for share in quarto_run.deal(pages, 8)] == [3, 4, 4]  # no share under MIN_SHARE pages
    assert quarto_run.deal(pages[:5], 2) == [pages[:5]]
    assert quarto_run.deal([], 2) == []
    # large and small pages alternating by name (a report and its analysis): each share gets half of each
    sizes = {page: 5000 if i % 2 else 1000 for i, page in enumerate(pages[:8])}
    shares = quarto_run.deal(list(sizes), 2, size=sizes.get)
    assert [sum(sizes[page] for page in share) for share in shares] == [12000, 12000]
    assert quarto_run.deal(list(sizes), 2, size=sizes.get) == shares


def test_the_pages_of_a_project_are_those_quarto_renders(tmp_path):
    root = project(tmp_path / "p")
    (root / "_utkast.qmd").write_text("ignored", encoding="utf-8")
    (root / "_site").mkdir()
    (root / "_site" / "gammel.qmd").write_text("output", encoding="utf-8")
    assert quarto_run.pages_of(root) == ["dyp/d.ipynb", "dyp/x/y.qmd", "index.qmd", "om.qmd", "sub/a.qmd",
                                         "sub/b.qmd", "sub/c.ipynb"]


@pytest.fixture
def rendered(tmp_path) -> tuple[Path, Path]:
    """The same project rendered whole by one Quarto process and by two, each on its share."""
    need_quarto()
    one, two = project(tmp_path / "one"), project(tmp_path / "two")
    quarto_run.render(one, None, 1)
    (two / "_site" / "gammel").mkdir(parents=True)  # a full render starts from an empty output, as Quarto's
    (two / "_site" / "gammel" / "side.html").write_text("stale", encoding="utf-8")
    quarto_run.render(two, None, 2)
    return one, two


def test_a_full_render_in_two_processes_is_the_single_process_render(rendered):
    one, two = rendered
    assert len(quarto_run.deal(quarto_run.pages_of(two), 2)) == 2
    assert (one / "_site" / "sub" / "c_files").is_dir()  # a notebook's figure: a page's own files are merged
    assert_same_site(one, two)
    assert sorted(p.name for p in two.parent.iterdir()) == ["one", "two"]  # the shares' copies are gone


def test_a_partial_render_in_two_processes_gives_the_full_render(rendered, monkeypatch):
    """Two changed pages, neither the index: each share renders one (a share without the index page gets a
    redirect index.html of Quarto's, which must not replace the real one)."""
    one, two = rendered
    monkeypatch.setattr(quarto_run, "MIN_SHARE", 1)
    for root in (one, two):
        for rel in ("sub/b.qmd", "dyp/x/y.qmd"):
            text = (root / rel).read_text(encoding="utf-8")
            (root / rel).write_text(text.replace("Tekst om", "Ny tekst om"), encoding="utf-8")
    quarto_run.render(one, None, 1)
    quarto_run.render(two, ["sub/b.qmd", "dyp/x/y.qmd"], 2)
    assert "Ny tekst om B" in (two / "_site" / "sub" / "b.html").read_text(encoding="utf-8")
    assert_same_site(one, two)


def test_a_failing_share_fails_the_render_with_quartos_message(tmp_path):
    need_quarto()
    root = project(tmp_path / "p")
    (root / "sub" / "a.qmd").write_text("---\npagetitle: [unclosed\n---\n\n# A\n", encoding="utf-8")
    with pytest.raises(quarto_run.QuartoFailed) as failed:
        quarto_run.render(root, None, 2)
    assert "sub/a.qmd" in failed.value.pages and "sub/a.qmd" in str(failed.value)
    assert "ERROR" in str(failed.value) and "YAML" in str(failed.value)
    assert not (root / "_site").exists()  # nothing merged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]
