"""The demo pipeline end to end: every organisation x year gets a page, the index links each one."""

from __future__ import annotations

import re

import pandas as pd

from analysis import pipeline


def test_every_report_has_a_page_linked_from_the_index(demo_build, demo_data):
    p, results = demo_build
    site = pipeline.build_paths(p).site
    orgs = pd.read_csv(demo_data / "organisations.csv", dtype=str)["org_nr"]
    assert all(r.ok for r in results) and len(results) == len(orgs) * 2
    index = (site / "index.html").read_text(encoding="utf-8")
    for year in ("2024", "2025"):
        for org in orgs:
            page = site / "reports" / year / f"{org}.html"
            assert page.is_file(), page
            assert f'href="reports/{year}/{org}.html"' in index


def test_report_pages_are_bokmal_with_one_h1_and_no_code(demo_build):
    p, _ = demo_build
    page = next((pipeline.build_paths(p).site / "reports" / "2025").glob("*.html")).read_text(encoding="utf-8")
    assert '<html lang="nb">' in page and page.count("<h1") == 1
    assert "report.load(" not in page and "import " not in page
    for ind in ("P4", "P5a", "P6", "P7a", "G3", "G4"):
        assert f"<h3>{ind} " in page
    assert re.search(r"\d+,\d\u00a0%", page)  # bokmål percentages
    assert not re.search(r"\d\.\d\u00a0?%", page)  # never an English decimal point in a percentage


def test_figures_have_alt_text_from_the_data(demo_build):
    p, _ = demo_build
    page = next((pipeline.build_paths(p).site / "reports" / "2024").glob("*.html")).read_text(encoding="utf-8")
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
    assert alts and all(a.startswith("Linjediagram") and "2024" in a for a in alts)


def test_site_makes_no_external_requests(demo_build):
    p, _ = demo_build
    for f in pipeline.build_paths(p).site.rglob("*"):
        if f.suffix in (".html", ".css"):
            text = f.read_text(encoding="utf-8")
            assert not re.search(r'(src|href)="(https?:)?//', text), f


def test_method_page_lists_every_indicator(demo_build):
    from analysis import catalogue

    p, _ = demo_build
    page = (pipeline.build_paths(p).site / "metode.html").read_text(encoding="utf-8")
    for ind in catalogue.load().indicators:
        assert f'id="ind-{ind.id}"' in page


def test_data_quality_summary_counts_what_it_excluded(demo_build):
    import json

    p, _ = demo_build
    quality = json.loads((pipeline.build_paths(p).data / "quality.json").read_text(encoding="utf-8"))
    assert quality["counts"]["notices: change notices (the latest version of a procedure is counted)"] > 0
    assert quality["rows"]["notices"] == quality["files"]["notices"]


def test_rendering_again_gives_a_byte_identical_site(demo_build):
    import hashlib

    p, _ = demo_build
    b = pipeline.build_paths(p)
    pipeline.render(p)

    def digests(root):
        return {f.relative_to(root): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted(root.rglob("*")) if f.is_file()}

    assert digests(b.staging) == digests(b.site)
