"""Every path the project uses, in one place. Nothing else hard-codes a path."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("INNOMAAL_ROOT", PACKAGE.parents[1])).resolve()

CONFIG = PACKAGE / "config"
CATALOGUE = CONFIG / "indicators.yaml"
CODELISTS = CONFIG / "codelists.yaml"
SURVEY_ITEMS = CONFIG / "survey_items.yaml"
THRESHOLDS = CONFIG / "thresholds.csv"
LOCALES = PACKAGE / "locales"  # gettext catalogs: locales/<lang>/LC_MESSAGES/messages.po

NOTEBOOKS = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS / "report.ipynb"
ANALYSES = NOTEBOOKS / "analyses"  # analysis notebooks run for every report, registered in analyses.yaml
ANALYSES_REGISTRY = ANALYSES / "analyses.yaml"
TEMPLATES = ROOT / "templates"
SITE_TEMPLATES = TEMPLATES / "site"
NARRATIVE_TEMPLATES = TEMPLATES / "narrative"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"  # the template a notebook page is made with (innomaal/)
PARAMS = ROOT / "params"
DEMO_DATA = ROOT / "data" / "demo"
OUTPUT = ROOT / "output"


@dataclass(frozen=True)
class BuildPaths:
    """Where one build writes, all below one output directory."""

    output: Path

    @property
    def data(self) -> Path:
        """Normalised tables (Parquet), written by ingest."""
        return self.output / "data"

    @property
    def data_key(self) -> Path:
        """Content key of the dataset and code the ingested tables came from."""
        return self.data / ".key"

    @property
    def lock(self) -> Path:
        """Held (flock) by the build that writes to this output directory; see `analysis.lock`."""
        return self.output / ".lock"

    @property
    def cache(self) -> Path:
        """What later builds reuse to avoid work (safe to delete: the next build redoes that work)."""
        return self.output / "cache"

    @property
    def file_hashes(self) -> Path:
        """Each input file's stat stamp and SHA-256 (filehash.index)."""
        return self.cache / "files.pickle"

    @property
    def notice_cache(self) -> Path:
        """Each notice file's parse result as table rows, by content hash and parser code (ingest.notice_cache)."""
        return self.cache / "notices"

    @property
    def source_cache(self) -> Path:
        """The tables of the other sources, by their files' content and the code (ingest.source_cache)."""
        return self.cache / "sources"

    @property
    def compute_key(self) -> Path:
        return self.output / ".compute.key"

    @property
    def site_key(self) -> Path:
        """Content key of the published site."""
        return self.output / ".site.key"

    @property
    def quality(self) -> Path:
        """Data-quality summary of the last ingest."""
        return self.data / "quality.json"

    @property
    def indicators(self) -> Path:
        return self.output / "indicators.parquet"

    @property
    def national(self) -> Path:
        """National totals per indicator and year, written by compute."""
        return self.output / "national.parquet"

    @property
    def basis(self) -> Path:
        """The data basis per organisation, year and source (what the dataset holds), written by compute."""
        return self.output / "basis.parquet"

    @property
    def procurements(self) -> Path:
        """The procurements behind the notice-based indicators per organisation and year, written by compute."""
        return self.output / "procurements.parquet"

    @property
    def procurement_flags(self) -> Path:
        """Each procurement unit's answer per flagged indicator (what its value counts), written by compute."""
        return self.output / "procurement_flags.parquet"

    @property
    def examples(self) -> Path:
        """Procurements to learn from, nationally, per year and kind (the overview's examples), written by compute."""
        return self.output / "examples.parquet"

    @property
    def self_evaluation(self) -> Path:
        """Self-evaluation scores per organisation, year and question, written by compute."""
        return self.output / "self_evaluation.parquet"

    @property
    def reports(self) -> Path:
        """Executed notebooks, one per organisation and year."""
        return self.output / "reports"

    def report(self, year: str, org_nr: str) -> Path:
        """The executed notebook of one report. The year and organisation number are checked before they
        become part of a path (four digits; nine digits), so no value can point outside the build."""
        if not (re.fullmatch(r"\d{4}", str(year)) and re.fullmatch(r"\d{9}", str(org_nr))):
            raise ValueError(f"not a year and an organisation number: {year!r}, {org_nr!r}")
        return self.reports / year / f"{org_nr}.ipynb"

    def analysis(self, name: str, year: str, org_nr: str) -> Path:
        """The executed notebook of one registered analysis for one report."""
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValueError(f"not an analysis name: {name!r}")
        return self.output / "analyses" / name / self.report(year, org_nr).relative_to(self.reports)

    @property
    def executions(self) -> Path:
        """Summary of the last execute stage (successes and failures)."""
        return self.reports / "executions.json"

    @property
    def staging(self) -> Path:
        """The next site, rendered here and swapped in by publish."""
        return self.output / "staging"

    @property
    def site(self) -> Path:
        return self.output / "site"
