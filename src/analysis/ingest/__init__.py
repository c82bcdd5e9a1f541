"""Stage 1, ingest: read a dataset directory, validate it, and write normalised Parquet tables.

Dataset layout (the input contract):
  organisations.csv  org_nr, name, org_type (and optionally lang: nb, nn or en)
  notices/**.xml     eForms notices
  ted/**.csv         legacy TED CSV contract notices and contract award notices (optional)
  suppliers/**       Enhetsregisteret units (.json: unit, search page or bulk array; .csv: bulk export; .gz)
  spend/**.csv       org_nr, supplier_org_nr, amount_nok, invoice_date
  surveys/**.csv     org_nr, year, respondent_id, item_id, value
  gains/             goals.csv, measures.csv, implementations.csv, effects.csv
  contracts/*.csv    the contract register; evaluations/*.csv post-contract evaluations;
  training/*.csv     procurement FTE and FTE trained in innovation (see ingest.registers)
  accounts/**.json   Regnskapsregisteret responses as they come (see ingest.accounts)

Third-party sources (notices, TED CSV, Enhetsregisteret, Regnskapsregisteret) come in bulk and are messy: a
file or record that cannot be read is refused and listed (file, where, reason) and the rest goes on; valid
files that are not procurement notices (X01, X02) are skipped and listed. `strict=True` turns every refusal
into an error (exit 2). The organisation's own files (organisations.csv, spend, surveys, gains, contracts,
evaluations, training) are strict either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .. import filehash, paths
from ..errors import InputError, Problem
from ..io import write_parquet, write_text
from . import accounts, eforms, names, notice_cache, registers, sources, ted

CACHE_BATCH = 10_000  # parse results committed to the notice cache at a time
TABLES = ("organisations", "notices", "notice_buyers", "lots", "awards", "submissions", "suppliers", "spend",
          "surveys", "goals", "measures", "implementations", "effects", "contracts", "evaluations", "training",
          "accounts")


@dataclass
class Ingested:
    tables: dict[str, pd.DataFrame]
    quality: dict = field(default_factory=dict)
    cached: bool = False  # the tables were already up to date (not read again)


@dataclass
class Refusals:
    """What a tolerant ingest left out of third-party sources: refused (cannot be read) and skipped (valid,
    but not a procurement notice), each by file. `strict` turns refusals into one InputError."""
    refused: list[Problem] = field(default_factory=list)
    skipped: list[eforms.NotProcurement] = field(default_factory=list)

    def check(self, strict: bool) -> None:
        if strict and self.refused:
            raise InputError(self.refused)

    def summary(self, root: Path) -> dict:
        def rel(file: str) -> str:
            try:
                return Path(file).relative_to(root).as_posix()
            except ValueError:
                return file
        refused = sorted(({"file": rel(p.file), "where": p.where, "field": p.field, "reason": p.message}
                          for p in self.refused), key=lambda r: (r["file"], r["where"], r["field"]))
        skipped = sorted(({"file": rel(s.file), "reason": s.reason} for s in self.skipped),
                         key=lambda r: r["file"])
        return {
            "refused": refused,
            "refused_by_reason": dict(sorted(Counter(_reason_kind(p) for p in self.refused).items())),
            "skipped": skipped,
            "skipped_by_reason": dict(sorted(Counter(s.reason for s in self.skipped).items())),
        }


def _reason_kind(problem: Problem) -> str:
    """A refusal's reason without the values it quotes, so that refusals can be counted by reason."""
    return problem.field + ": " + re.sub(r"'[^']*'", "…", problem.message)


@cache
def _survey_config() -> dict:
    return yaml.safe_load(paths.SURVEY_ITEMS.read_text(encoding="utf-8"))


def survey_items() -> dict:
    """Survey item → {indicator (or None), scale, dont_know, text_nb, text_nn, text_en}."""
    return _survey_config()["items"]


def self_evaluation_questions() -> list[dict]:
    """The seven self-evaluation questions: {id, item, nb, nn, en, barriers (an indicator, optional)}."""
    return _survey_config()["self_evaluation"]


def parse_notices(files: list[Path], workers: int = 1, progress=None, refusals: Refusals | None = None,
                  cache: Path | None = None) -> list[eforms.Notice]:
    """Parses every notice file. Refused and skipped files go to `refusals`; without it, any refused file
    raises one InputError listing every bad file. `progress()` is called per file. With `cache` (a
    NoticeCache file), a file whose content the same parser has read before is not parsed again."""
    if progress:
        progress(total=len(files))
    if cache is None:
        packed = [blob for _, blob in _parse_all(files, workers, progress)]
    else:
        packed = _parse_cached(files, workers, progress, cache)
    results = [notice_cache.unpack(blob, str(f)) for f, blob in zip(files, packed, strict=True)]
    found = refusals or Refusals()
    found.refused += [p for r in results if isinstance(r, InputError) for p in r.problems]
    found.skipped += [r for r in results if isinstance(r, eforms.NotProcurement)]
    if refusals is None:
        found.check(strict=True)
    return [r for r in results if isinstance(r, eforms.Notice)]


def _parse_cached(files: list[Path], workers: int, progress, cache: Path) -> list[bytes]:
    """The packed result of each file: from the cache when its content was parsed before, else parsed (and
    stored in batches, so that what a killed ingest parsed is kept)."""
    store = notice_cache.NoticeCache(cache)
    try:
        keys = [store.key(h) if h else None for h in filehash.sha256_many(files, unreadable_ok=True)]
        found = store.get(set(keys))
        todo = [f for f, k in zip(files, keys, strict=True) if k not in found]
        for _ in range(len(files) - len(todo)):
            _tick(progress)
        parsed: dict[Path, bytes] = {}
        new: dict[str, bytes] = {}
        stored: set[str] = set()
        for path, (content, blob) in zip(todo, _parse_all(todo, workers, progress), strict=True):
            parsed[path] = blob
            if content:  # the hash of the bytes the worker read
                new[store.key(content)] = blob
            if len(new) >= CACHE_BATCH:
                store.put(new)
                stored |= new.keys()
                new = {}
        store.put(new)
        store.keep_only({k for k in keys if k} | stored | new.keys())
    finally:
        store.close()
    return [found[k] if k in found else parsed[f] for f, k in zip(files, keys, strict=True)]


def _parse_all(files: list[Path], workers: int, progress):
    """(content hash, packed result) of each file, in order; in a process pool for more than 200 files."""
    if workers > 1 and len(files) > 200:
        with ProcessPoolExecutor(workers) as pool:
            for result in pool.map(notice_cache.parse, files, chunksize=128):
                _tick(progress)
                yield result
    else:
        for f in files:
            _tick(progress)
            yield notice_cache.parse(f)


def _tick(progress) -> None:
    if progress:
        progress()


def read_dataset(data: Path, workers: int = 1, progress=None, strict: bool = False,
                 cache: Path | None = None) -> Ingested:
    if not data.is_dir():
        raise InputError.one(data, "directory", "data", "the dataset directory does not exist")
    org_file = data / "organisations.csv"
    if not org_file.is_file():
        raise InputError.one(org_file, "file", "organisations.csv", "required file is missing")
    quality: Counter = Counter()
    refusals = Refusals()
    orgs = sources.organisations(org_file)
    xml_files = [Path(os.path.join(data, "notices", f)) for f in filehash.files_below(data / "notices", ".xml")]
    notices = parse_notices(xml_files, workers, progress, refusals, cache)
    notices += ted.read(sorted((data / "ted").glob("**/*.csv")), quality, refusals.refused)
    suppliers = sources.suppliers(sorted(
        f for pattern in ("**/*.json", "**/*.json.gz", "**/*.csv", "**/*.csv.gz")
        for f in (data / "suppliers").glob(pattern)), quality, refusals.refused)
    filings = accounts.read(sorted(f for pattern in ("**/*.json", "**/*.json.gz")
                                   for f in (data / "accounts").glob(pattern)), quality, refusals.refused)
    refusals.check(strict)
    notices = _distinct(notices, quality)
    tables = sources.notice_tables(notices)
    tables["organisations"] = orgs
    tables["suppliers"] = suppliers
    tables["accounts"] = filings
    tables["notice_buyers"] = names.resolve(tables["notice_buyers"], [suppliers, orgs], quality)
    tables["spend"] = sources.spend(sorted((data / "spend").glob("**/*.csv")), quality)
    tables["surveys"] = sources.surveys(sorted((data / "surveys").glob("**/*.csv")), survey_items(), quality)
    tables.update(sources.gains(data / "gains"))
    tables["contracts"] = registers.contracts(sorted((data / "contracts").glob("**/*.csv")), quality)
    tables["evaluations"] = registers.evaluations(sorted((data / "evaluations").glob("**/*.csv")),
                                                  set(tables["contracts"]["contract_id"]), quality)
    tables["training"] = registers.training(sorted((data / "training").glob("**/*.csv")), quality)
    _notice_quality(tables, notices, quality)
    known = set(orgs["org_nr"])
    for name in ("spend", "surveys", "contracts", "training"):
        outside = ~tables[name]["org_nr"].isin(known)
        quality[f"{name}: rows of organisations not in organisations.csv (excluded)"] += int(outside.sum())
        tables[name] = tables[name][~outside].reset_index(drop=True)
    summary = {
        "files": {"notices": len(xml_files),
                  **{k: len(list((data / k).glob("**/*.*"))) for k in ("ted", "suppliers", "spend", "surveys",
                                                                        "gains", "contracts", "evaluations",
                                                                        "training", "accounts")}},
        "rows": {name: len(tables[name]) for name in TABLES},
        "counts": {k: v for k, v in sorted(quality.items()) if v},
        "unknown_codes": sorted({f"{lst}: {code}" for n in notices for lst, code in n.unknown_codes}),
        **refusals.summary(data),
    }
    return Ingested(tables, summary)


def _distinct(notices: list[eforms.Notice], quality: Counter) -> list[eforms.Notice]:
    """One copy of each notice version (the first file by path); copies are counted, not double-counted.

    A different notice under a notice ID and version already read (the TED converter gives every notice
    the same placeholder notice ID and contract folder ID) is kept apart: its notice and folder IDs, which
    cannot be trusted, get its OJ S publication number (else a digest of its content) as a suffix, and it
    is counted."""
    first: dict[tuple[str, str], eforms.Notice] = {}
    kept = []
    for n in notices:
        seen = first.get((n.notice_id, n.version))
        if seen is not None and replace(seen, source="") == replace(n, source=""):
            quality["notices: copies of a notice version already read (counted once)"] += 1
            continue
        if seen is not None:
            quality["notices: a different notice under a notice ID already read (kept apart)"] += 1
            tag = n.publication_id or hashlib.sha256(repr(replace(n, source="")).encode()).hexdigest()[:12]
            n.notice_id, n.folder_id = f"{n.notice_id}#{tag}", f"{n.folder_id}#{tag}"
        first[(n.notice_id, n.version)] = n
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
    quality["notices: converted from TED XML (fields the TED forms lacked are unknown, not 'no')"] += sum(
        n.converted for n in notices)
    for n in notices:
        for listname, code in n.unknown_codes:
            quality[f"notices: unknown {listname} code {code!r} (kept)"] += 1
        for issue in n.issues:
            quality[f"notices: {issue}"] += 1


def run(data: Path, out: Path, workers: int = 1, progress=None, strict: bool = False,
        cache: Path | None = None) -> Ingested:
    """Reads `data` and writes one Parquet file per table, plus quality.json, into `out`. `cache`: the notice
    cache file (BuildPaths.notice_cache), or None to parse every notice file."""
    ingested = read_dataset(data, workers, progress, strict, cache)
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        write_parquet(ingested.tables[name], out / f"{name}.parquet")
    write_text(out / "quality.json", json.dumps(ingested.quality, indent=2, ensure_ascii=False) + "\n")
    return ingested
