"""Incremental builds and the Dask executor: nothing unchanged is built again, a change to one
organisation rebuilds only what depends on it, and a Dask cluster gives the same site as the local pool."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import params, pipeline
from analysis.writers.quarto import Quarto
from tests.conftest import RENDERERS, need_quarto
from tests.test_publish import digests

ORGS: list[str] = []  # the first three demo organisations, read from the demo data


def build(p, force: bool = False):
    pipeline.ingest(p, force)
    pipeline.compute(p, force)
    results = pipeline.execute(p, force=force)
    used, staging = pipeline.render(p, force)
    pipeline.publish(p)
    return results, staging


@pytest.fixture(scope="module", params=RENDERERS)
def small(request, tmp_path_factory, demo_data):
    """Three demo organisations' 2025 reports, built by each renderer (Quarto's skipped without Quarto)."""
    if request.param == "quarto":
        need_quarto()
    data = shutil.copytree(demo_data, tmp_path_factory.mktemp("inc") / "data")
    ORGS[:] = list(pd.read_csv(data / "organisations.csv", dtype=str)["org_nr"][:3])
    out = tmp_path_factory.mktemp("inc-out")
    p = params.parse({"data": str(data), "output": str(out), "years": ["2025"], "orgs": ORGS,
                      "renderer": request.param, "workers": "2"}, "test-params")
    results, _ = build(p)
    assert all(r.ok and not r.cached for r in results)
    return p


def test_nothing_changed_nothing_is_built_again(small):
    site = pipeline.build_paths(small).site
    before = digests(site)
    assert pipeline.ingest(small).cached
    results, staging = build(small)
    assert all(r.cached for r in results) and staging is None
    assert digests(site) == before


@pytest.fixture
def quarto_renders(monkeypatch) -> list[list[str]]:
    """The inputs each Quarto writer of this test gave to `quarto render`."""
    seen: list[list[str]] = []
    finish = Quarto.finish

    def spy(self, model):
        try:
            return finish(self, model)
        finally:
            seen.append(self.rendered)
    monkeypatch.setattr(Quarto, "finish", spy)
    return seen


def test_a_change_to_one_organisations_register_rebuilds_only_its_report(small, quarto_renders):
    site = pipeline.build_paths(small).site
    before = digests(site)
    goals = small.data / "gains" / "goals.csv"
    frame = pd.read_csv(goals, dtype=str, keep_default_na=False)
    first = frame.index[frame["org_nr"] == ORGS[1]][0]
    frame.loc[first, "text"] = frame.loc[first, "text"] + " (endret)"
    frame.to_csv(goals, index=False)
    results, staging = build(small)
    rerun = {r.parameters["org_nr"] for r in results if not r.cached}
    assert rerun == {ORGS[1]}
    after = digests(site)
    changed = {k for k in after if before.get(k) != after[k]}
    assert f"reports/2025/{ORGS[1]}.html" in changed and "provenance.json" in changed
    assert not any(k.startswith("reports/") and ORGS[1] not in k for k in changed), changed
    assert "(endret)" in (site / "reports" / "2025" / f"{ORGS[1]}.html").read_text(encoding="utf-8")
    if small.renderer == "quarto":  # Quarto rendered again its report and the pages that list the goal, no other
        assert len(quarto_renders) == 1
        rendered = set(quarto_renders[0])
        assert f"reports/2025/{ORGS[1]}.ipynb" in rendered
        assert not any(r.startswith("reports/") and ORGS[1] not in r for r in rendered), rendered
        assert rendered <= {Path(k).with_suffix(s).as_posix() for k in changed for s in (".qmd", ".ipynb")}


def test_a_changed_commentary_file_rebuilds_only_the_reports_that_show_it(small):
    """The 2024 commentary's next steps are the 2025 report's follow-up: changing them rebuilds that report
    alone (the build holds 2025 only); changing nothing in it rebuilds nothing."""
    site = pipeline.build_paths(small).site
    before = digests(site)
    [path] = (small.data / "commentary" / "2024").glob("*.md")
    org = path.stem
    assert org in ORGS
    path.write_text(path.read_text(encoding="utf-8").replace("Gi alle innkjøpere", "Gi alle ledere"),
                    encoding="utf-8")
    results, _ = build(small)
    assert {r.parameters["org_nr"] for r in results if not r.cached} == {org}
    after = digests(site)
    changed = {k for k in after if before.get(k) != after[k]}
    assert {f"reports/2025/{org}.html", f"reports/2025/{org}.pdf"} <= changed
    assert not any(k.startswith("reports/") and org not in k for k in changed), changed
    assert "Gi alle ledere opplæring" in (site / "reports" / "2025" / f"{org}.html").read_text(encoding="utf-8")


def test_a_forced_build_equals_the_incremental_one(small):
    site = pipeline.build_paths(small).site
    incremental = digests(site)
    results, staging = build(small, force=True)
    assert not any(r.cached for r in results) and staging is not None
    assert digests(site) == incremental


def test_the_dask_executor_gives_the_same_site_as_the_local_pool(small):
    """Execute and render on a Dask LocalCluster, everything rebuilt: byte for byte the local pool's site."""
    local = digests(pipeline.build_paths(small).site)
    results, staging = build(replace(small, executor="dask"), force=True)
    assert all(r.ok and not r.cached for r in results) and staging is not None
    assert digests(pipeline.build_paths(small).site) == local
