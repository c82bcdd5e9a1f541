"""The site model (analysis.model): read once, the pages the writers write, and the checks on its content."""

from __future__ import annotations

import pytest

from analysis import paths, pipeline, render
from analysis.errors import InputError
from analysis.model import Page, ReportTask, Site, SiteModel, checks, pages, reports


def test_the_model_has_every_page_the_published_site_has(demo_build):
    """Every HTML page of the built-in site is a page of the model, once: the site's own pages and, read by
    their tasks, each report and the analyses beside it (the writers write nothing the model does not hold)."""
    p, _ = demo_build
    b = pipeline.build_paths(p)
    model = pages.read(render.Site(p.title, p.lang, b, orgs=p.orgs, years=p.years))
    read = [reports.read(task) for task in model.tasks[:3]]  # a few: reading converts every notebook
    rels = [page.rel for page in model.pages] + [page.rel for r in read for page in (r.page, *r.analyses)]
    assert len(rels) == len(set(rels))
    published = {f.relative_to(b.site).as_posix() for f in b.site.rglob("*.html")}
    assert set(rels) <= published
    tasks = {f"reports/{t.year}/{t.org_nr}.html" for t in model.tasks}
    analyses = {f"reports/{t.year}/{t.org_nr}-{name}.html" for t in model.tasks for name, _, _ in t.analyses}
    assert {page.rel for page in model.pages} | tasks | analyses == published
    for r in read:  # its figures are named as its content links them, its downloads as the page links them
        assert all(f'src="{figure.name}"' in r.body for figure in r.page.figures)
        assert r.workbook == f"{r.org_nr}.xlsx" and r.downloads[0].name == f"{r.org_nr}.csv"
        assert r.story is not None and r.story.name == r.name


def _site(tmp_path, strict: bool = False) -> Site:
    return Site("Innomål", "nb", paths.BuildPaths(tmp_path), strict=strict)


def test_a_link_to_no_page_of_the_site_is_named(tmp_path):
    """The links check: the index links a report the model does not have (its task is missing)."""
    site = _site(tmp_path)
    row = {"href": "reports/2025/974760673.html", "org_href": "virksomheter/974760673.html"}
    model = SiteModel(site, [Page("index.html", "index", "Rapporter", "nb", {"reports_by_year": [("2025", [row])]}),
                             Page("virksomheter/974760673.html", "org", "Ett", "nb",
                                  {"org_nr": "974760673", "entries": [{"year": "2025", "report": True}]})],
                      [], ["2025"], set())
    found = checks._links(model, [])
    assert [(p.file, p.message) for p in found] == [
        ("index.html", "reports/2025/974760673.html leads to no page of the site"),
        ("virksomheter/974760673.html", "../reports/2025/974760673.html leads to no page of the site")]
    said = []
    checks.run(model, said.append)
    assert len(said) == 2 and all(s.startswith("warning: ") for s in said)
    with pytest.raises(InputError):
        checks.run(SiteModel(_site(tmp_path, strict=True), model.pages, [], ["2025"], set()))


def test_a_report_task_and_its_model_travel_to_a_worker(tmp_path):
    """Tasks go to worker processes (a pool or Dask): they and what comes back are picklable."""
    import pickle

    task = ReportTask(_site(tmp_path), "2025", "974760673", "Ett", tmp_path / "x.ipynb", None, None)
    assert pickle.loads(pickle.dumps(task)) == task
