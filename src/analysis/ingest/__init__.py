"""Stage 1, ingest: read a dataset directory, validate it, and write normalised Parquet tables.

Dataset layout (the input contract):
  organisations.csv  org_nr, name, org_type (and optionally lang: nb, nn or en)
  notices/**.xml     eForms notices
  ted/**.csv         legacy TED CSV contract notices and contract award notices (optional)
  suppliers/**       Enhetsregisteret units (.json: unit, search page or bulk array; .csv: bulk export; .gz)
  spend/**.csv       org_nr, supplier_org_nr, amount_nok, invoice_date
  surveys/**.csv     org_nr, year, respondent_id, item_id, value
  gains/             goals.csv, measures.csv, implementations.csv, effects.csv
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .. import paths
from ..errors import InputError
from ..io import write_parquet, write_text
from . import eforms, sources, ted

TABLES = ("organisations", "notices", "notice_buyers", "lots", "awards", "submissions", "suppliers", "spend",
          "surveys", "goals", "measures", "implementations", "effects")


@dataclass
class Ingested:
    tables: dict[str, pd.DataFrame]
    quality: dict = field(default_factory=dict)
    cached: bool = False  # the tables were already up to date (not read again)


@cache
def _survey_config() -> dict:
    return yaml.safe_load(paths.SURVEY_ITEMS.read_text(encoding="utf-8"))


def survey_items() -> dict:
    """Survey item → {indicator (or None), scale, dont_know, text_nb, text_nn, text_en}."""
    return _survey_config()["items"]


def self_evaluation_questions() -> list[dict]:
    """The seven self-evaluation questions: {id, item, nb, nn, en, barriers (an indicator, optional)}."""
    return _survey_config()["self_evaluation"]


def _parse(path: Path) -> eforms.Notice | InputError:
    try:
        return eforms.parse_file(path)
    except InputError as exc:
        return exc


def parse_notices(files: list[Path], workers: int = 1, progress=None) -> list[eforms.Notice]:
    """Parses every notice; all bad files are reported together. `progress()` is called per file."""
    if progress:
        progress(total=len(files))
    if workers > 1 and len(files) > 200:
        with ProcessPoolExecutor(workers) as pool:
            results = [_tick(r, progress) for r in pool.map(_parse, files, chunksize=64)]
    else:
        results = [_tick(_parse(f), progress) for f in files]
    errors = [p for r in results if isinstance(r, InputError) for p in r.problems]
    if errors:
        raise InputError(errors)
    return results  # type: ignore[return-value]


def _tick(result, progress):
    if progress:
        progress()
    return result


def read_dataset(data: Path, workers: int = 1, progress=None) -> Ingested:
    if not data.is_dir():
        raise InputError.one(data, "directory", "data", "the dataset directory does not exist")
    org_file = data / "organisations.csv"
    if not org_file.is_file():
        raise InputError.one(org_file, "file", "organisations.csv", "required file is missing")
    quality: Counter = Counter()
    orgs = sources.organisations(org_file)
    xml_files = sorted((data / "notices").glob("**/*.xml"))
    notices = parse_notices(xml_files, workers, progress)
    notices += ted.read(sorted((data / "ted").glob("**/*.csv")), quality)
    notices = _distinct(notices, quality)
    tables = sources.notice_tables(notices)
    tables["organisations"] = orgs
    tables["suppliers"] = sources.suppliers(sorted(
        f for pattern in ("**/*.json", "**/*.json.gz", "**/*.csv", "**/*.csv.gz")
        for f in (data / "suppliers").glob(pattern)), quality)
    tables["spend"] = sources.spend(sorted((data / "spend").glob("**/*.csv")), quality)
    tables["surveys"] = sources.surveys(sorted((data / "surveys").glob("**/*.csv")), survey_items(), quality)
    tables.update(sources.gains(data / "gains"))
    _notice_quality(tables, notices, quality)
    known = set(orgs["org_nr"])
    for name in ("spend", "surveys"):
        outside = ~tables[name]["org_nr"].isin(known)
        quality[f"{name}: rows of organisations not in organisations.csv (excluded)"] += int(outside.sum())
        tables[name] = tables[name][~outside].reset_index(drop=True)
    summary = {
        "files": {"notices": len(xml_files),
                  **{k: len(list((data / k).glob("**/*.*"))) for k in ("ted", "suppliers", "spend", "surveys",
                                                                        "gains")}},
        "rows": {name: len(tables[name]) for name in TABLES},
        "counts": {k: v for k, v in sorted(quality.items()) if v},
        "unknown_codes": sorted({f"{lst}: {code}" for n in notices for lst, code in n.unknown_codes}),
    }
    return Ingested(tables, summary)


def _distinct(notices: list[eforms.Notice], quality: Counter) -> list[eforms.Notice]:
    """One copy of each notice version (the first file by path); copies are counted, not double-counted."""
    seen, kept = set(), []
    for n in notices:
        if (n.notice_id, n.version) in seen:
            quality["notices: copies of a notice version already read (counted once)"] += 1
            continue
        seen.add((n.notice_id, n.version))
        kept.append(n)
    return kept


def _notice_quality(tables: dict[str, pd.DataFrame], notices: list[eforms.Notice], quality: Counter) -> None:
    buyers = tables["notice_buyers"]
    attributed = set(zip(buyers.loc[buyers["org_nr"].notna(), "notice_id"],
                         buyers.loc[buyers["org_nr"].notna(), "version"], strict=True))
    quality["notices: without a buyer with a valid Norwegian organisation number (excluded)"] += sum(
        (n.notice_id, n.version) not in attributed for n in notices)
    quality["notices: buyers without a valid Norwegian organisation number (not attributed)"] += int(
        buyers["org_nr"].isna().sum())
    outside = buyers["org_nr"].notna() & ~buyers["org_nr"].isin(set(tables["organisations"]["org_nr"]))
    quality["notices: buyers not in organisations.csv (in national figures only)"] += int(outside.sum())
    quality["notices: threshold class unknown (no CustomizationID class, estimated value or threshold; not in P6)"] \
        += sum(1 for n in notices if n.above_eea is None)
    quality["notices: change notices (the latest version of a procedure is counted)"] += sum(
        1 for n in notices if n.changed_notice)
    quality["notices: awards whose winner has no Norwegian organisation number"] += int(
        tables["awards"]["winner_org_nr"].isna().sum())
    for n in notices:
        for listname, code in n.unknown_codes:
            quality[f"notices: unknown {listname} code {code!r} (kept)"] += 1


def run(data: Path, out: Path, workers: int = 1, progress=None) -> Ingested:
    """Reads `data` and writes one Parquet file per table, plus quality.json, into `out`."""
    ingested = read_dataset(data, workers, progress)
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        write_parquet(ingested.tables[name], out / f"{name}.parquet")
    write_text(out / "quality.json", json.dumps(ingested.quality, indent=2, ensure_ascii=False) + "\n")
    return ingested
