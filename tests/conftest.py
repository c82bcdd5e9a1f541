"""Shared fixtures: the real-format files in tests/fixtures (copied with their attribution, see its README) and a
demo build made once per session."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
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


RENDERERS = ["builtin", "quarto"]
NO_QUARTO = ("Quarto is not installed here (`quarto` is not on PATH): the Quarto site is not tested; "
             ".ci/run installs it from ../shared/tools/quarto, users with Quarto's official installer")


def need_quarto() -> None:
    """Skips, naming Quarto's absence, unless `quarto` is on PATH; where CI installed it
    (INNOMAAL_REQUIRE_QUARTO) its absence is a failure, so the Quarto tests cannot silently skip there."""
    if shutil.which("quarto") is None:
        if os.environ.get("INNOMAAL_REQUIRE_QUARTO"):
            pytest.fail("Quarto is required here (INNOMAAL_REQUIRE_QUARTO) but `quarto` is not on PATH")
        pytest.skip(NO_QUARTO)


@pytest.fixture(scope="session")
def quarto_build(tmp_path_factory, demo_build) -> Path:
    """The demo build's newest year (every organisation) rendered by Quarto and published, from a copy of the
    executed notebooks (nothing is executed again): the published site's path."""
    need_quarto()
    p, _ = demo_build
    out = tmp_path_factory.mktemp("quarto-build")
    shutil.copytree(p.output, out, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("site", "staging", "quarto", "2024", "*.key"))
    q = replace(p, output=out, years=("2025",), renderer="quarto")
    used, _ = pipeline.render(q, force=True)
    assert used == "quarto"
    return pipeline.publish(q)


@pytest.fixture(scope="session", params=RENDERERS)
def rendered_site(request, demo_build) -> Path:
    """The published demo site of each renderer: the built-in one, and Quarto's (skipped without Quarto)."""
    if request.param == "quarto":
        return request.getfixturevalue("quarto_build")
    p, _ = demo_build
    return pipeline.build_paths(p).site


def copy_dataset(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def page_lang(page: Path) -> str:
    """The language a page says it is in (<html lang="…">): each demo body's report speaks its own."""
    return re.search(r'<html\b[^>]*\blang="(\w+)"', page.read_text(encoding="utf-8")).group(1)


def report_pages(site: Path, pattern: str = "*") -> list[Path]:
    """The report pages of a site (reports/<year>/<org_nr>.html), without the analysis pages beside them."""
    return sorted(f for f in site.glob(f"reports/{pattern}/*.html") if f.stem.isdigit())
