"""Shared fixtures: the real-format files in tests/fixtures (copied with their attribution, see its README) and a
demo build made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import demo, params, pipeline

FIXTURES = Path(__file__).parent / "fixtures"
EFORMS = FIXTURES / "eforms"


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    return demo.generate(tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, demo_data):
    """The demo pipeline run end to end for two years, into a temporary output directory."""
    out = tmp_path_factory.mktemp("build")
    p = params.parse({"data": str(demo_data), "output": str(out), "years": ["2024", "2025"],
                      "renderer": "builtin", "workers": "2"}, "test-params")
    pipeline.ingest(p)
    pipeline.compute(p)
    results = pipeline.execute(p)
    pipeline.render(p)
    pipeline.publish(p)
    return p, results


def copy_dataset(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def report_pages(site: Path, pattern: str = "*") -> list[Path]:
    """The report pages of a site (reports/<year>/<org_nr>.html), without the analysis pages beside them."""
    return sorted(f for f in site.glob(f"reports/{pattern}/*.html") if f.stem.isdigit())
