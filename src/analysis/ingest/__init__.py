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
  commentary/<year>/<org_nr>.md  the organisation's own words in its report (see ingest.commentary)

Third-party sources (notices, TED CSV, Enhetsregisteret, Regnskapsregisteret) come in bulk and are messy: a
file or record that cannot be read is refused and listed (file, where, reason) and the rest goes on; valid
files that are not procurement notices (X01, X02) are skipped and listed. `strict=True` turns every refusal
into an error (exit 2). The organisation's own files (organisations.csv, spend, surveys, gains, contracts,
evaluations, training) are strict either way; every problem of every source and of the commentary is listed in one
run before the build stops. A problem in a commentary file (an unknown indicator ID, a year
or organisation not in the dataset, a file that is not UTF-8, a date that is no date) is refused like a
third-party file: that part is left out, the rest is shown.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import catalogue, filehash, paths
from ..errors import InputError, Problem
from ..io import write_parquet, write_text
from ..yamlfile import read_yaml
from . import accounts, commentary, eforms, names, notice_cache, notice_tables, registers, sources, ted, workbook
from .source_cache import SourceCache

CACHE_BATCH = 25_000  # parsed files written to the notice cache at a time
PARSE_BATCH = 200  # files a worker parses in one task
TABLES = ("organisations", "notices", "notice_buyers", "lots", "awards", "submissions", "suppliers", "spend",
          "surveys", "goals", "measures", "implementations", "effects", "contracts", "evaluations", "training",
          "accounts", "commentary")


@dataclass
class Ingested:
    tables: dict[str, pd.DataFrame]
    quality: dict = field(default_factory=dict)
    cached: bool = False  # the tables were already up to date (not read again)
    notice_hashes: dict[str, str | None] = field(default_factory=dict)  # notices/… → SHA-256 of the bytes read


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
    return read_yaml(paths.SURVEY_ITEMS)


def survey_items() -> dict:
    """Survey item → {indicator (or None), scale, dont_know, text_nb, text_nn, text_en}."""
    return _survey_config()["items"]


def self_evaluation_questions() -> list[dict]:
    """The seven self-evaluation questions: {id, item, nb, nn, en, barriers (an indicator, optional)}."""
    return _survey_config()["self_evaluation"]


def parse_notices(files: list[str], workers: int = 1, progress=None, cache: Path | None = None,
                  absolute: list[str] | None = None) -> tuple[list[str], notice_cache.NoticeCache]:
    """Parses every notice file: the content hash each file was read under, in order, and the cache holding
    the rows of every one of them (`absolute`: the files' absolute paths, if known). `progress()` is called
    per file. With `cache` (a directory), a file whose content the same parser has read before is not
    parsed again; while the cache is empty, no file is read before a worker reads it to parse it (the hash
    is the worker's)."""
    if progress:
        progress(total=len(files))
    store = notice_cache.NoticeCache(cache)
    given = [str(f) for f in files]  # paths as given (the files' names in refusals)
    absolute = absolute or [os.path.abspath(f) for f in given]
    hashes: list[str | None] = (filehash.sha256_many(absolute, unreadable_ok=True, absolute=True) if len(store)
                                else [None] * len(given))
    todo = [i for i, h in enumerate(hashes) if h not in store.shas]
    ticked = _tick(progress, len(given) - len(todo))
    while todo:  # a second pass only for a copy whose original changed while it was read
        chosen, seen = [], set()
        for i in todo:  # each content once (each file, while no hash is known)
            if (hashes[i] or i) not in seen:
                seen.add(hashes[i] or i)
                chosen.append(i)
        done = 0
        for read, rows in _parse_all([given[i] for i in chosen], workers):
            for i, (sha, stamp) in zip(chosen[done:done + len(read)], read, strict=True):
                hashes[i] = sha
                if stamp is not None:
                    filehash.remember(absolute[i], stamp, sha)
            done += len(read)
            ticked += _tick(progress, len(read))
            store.add(rows)
            if sum(len(part["files"]) for part in store.pending) >= CACHE_BATCH:
                store.commit()
        store.commit()
        todo = [i for i, h in enumerate(hashes) if h not in store.shas]
    _tick(progress, len(given) - ticked)
    store.keep_only(set(hashes))
    return hashes, store


def _parse_all(files: list[str], workers: int):
    """(each file's hash and stamp, rows) of each batch of PARSE_BATCH files, in order; in a process pool for
    more than 200 files."""
    batches = [files[i:i + PARSE_BATCH] for i in range(0, len(files), PARSE_BATCH)]
    if workers > 1 and len(files) > 200:
        with ProcessPoolExecutor(workers) as pool:
            yield from pool.map(notice_cache.parse_batch, batches)
    else:
        yield from map(notice_cache.parse_batch, batches)


def _tick(progress, n: int) -> int:
    for _ in range(n if progress else 0):
        progress()
    return n


def read_dataset(data: Path, workers: int = 1, progress=None, strict: bool = False,
                 cache: Path | None = None, source_cache: Path | None = None) -> Ingested:
    if not data.is_dir():
        raise InputError.one(data, "directory", "data", "the dataset directory does not exist")
    org_file = data / "organisations.csv"
    if not org_file.is_file():
        raise InputError.one(org_file, "file", "organisations.csv", "required file is missing")
    quality: Counter = Counter()
    refusals = Refusals()
    kept = SourceCache(source_cache, data)

    def source(name: str, files: list[Path], read):  # read(quality, refused), or its tables kept from before
        return kept.read(name, files, read, quality, refusals.refused)

    errors: list[Problem] = []  # the organisation's own files: errors in any mode, every one listed at the end

    def own(name: str, files: list[Path], read, failed=None):  # a source whose problem is an error
        try:
            return source(name, files, read)
        except InputError as e:
            errors.extend(e.problems)
            return failed

    def found(folder: str, *patterns: str) -> list[Path]:  # Excel's lock files (~$x.xlsx) are never data
        return sorted({f for pattern in patterns for f in (data / folder).glob(pattern)
                       if not workbook.is_owner_file(f)})

    patterns = ("**/*.csv", *workbook.PATTERNS)  # the organisation's own sources: CSV files or Excel workbooks

    orgs = source("organisations", [org_file], lambda q, r: sources.organisations(org_file))
    relative = filehash.files_below(data / "notices", ".xml")
    folder, absolute = os.path.join(data, "notices", ""), os.path.join(os.path.abspath(data), "notices", "")
    xml_files = [folder + f for f in relative]  # strings: pathlib costs seconds at 150,000 files
    hashes, store = parse_notices(xml_files, workers, progress, cache, absolute=[absolute + f for f in relative])
    ted_rows, ted_files, seen = notice_cache.Rows(), [], set()  # TED CSV notices: rows of their own, not cached
    for notice in ted.read(sorted((data / "ted").glob("**/*.csv")), quality, refusals.refused):
        sha = "ted:" + notice_cache.content(notice)
        if sha not in seen:  # the same notice twice: its rows once, the second one a copy
            ted_rows.add(sha, notice)
            seen.add(sha)
        ted_files.append((notice.source, sha))
    parsed = notice_tables.assemble(
        [*zip(xml_files, hashes, strict=True), *ted_files],
        notice_cache.concat([store.rows(), ted_rows.tables()]))
    refusals.refused[:0] = parsed.refused
    refusals.skipped += parsed.skipped
    quality.update(parsed.counts)
    units = found("suppliers", "**/*.json", "**/*.json.gz", "**/*.csv", "**/*.csv.gz")
    suppliers = source("suppliers", units, lambda q, r: sources.suppliers(units, q, r))
    filings_files = found("accounts", "**/*.json", "**/*.json.gz")
    filings = source("accounts", filings_files, lambda q, r: accounts.read(filings_files, q, r))
    tables = parsed.tables
    tables["organisations"] = orgs
    tables["suppliers"] = suppliers
    tables["accounts"] = filings
    tables["notice_buyers"] = names.resolve(tables["notice_buyers"], [suppliers, orgs], quality)
    spend, surveys = found("spend", "**/*.csv"), found("surveys", *patterns)
    tables["spend"] = own("spend", spend, lambda q, r: sources.spend(spend, q))
    tables["surveys"] = own("surveys", surveys, lambda q, r: sources.surveys(surveys, survey_items(), q))
    tables.update(own("gains", found("gains", *patterns), lambda q, r: sources.gains(data / "gains", q), {}))
    contracts, evaluations = found("contracts", *patterns), found("evaluations", *patterns)
    tables["contracts"] = own("contracts", contracts, lambda q, r: registers.contracts(contracts, q))
    if tables["contracts"] is not None:  # evaluations are checked against the contracts' IDs
        tables["evaluations"] = own(
            "evaluations", contracts + evaluations,
            lambda q, r: registers.evaluations(evaluations, set(tables["contracts"]["contract_id"]), q))
    training = found("training", *patterns)
    tables["training"] = own("training", training, lambda q, r: registers.training(training, q))
    if not errors:
        kept.prune()
    tables["commentary"], problems = commentary.read(data, set(orgs["org_nr"]), commentary.dataset_years(tables),
                                                     [i.id for i in catalogue.load().indicators])
    refusals.refused += problems
    if errors:  # every problem of the dataset in one run: the own files' errors, and with strict the refusals
        raise InputError((refusals.refused if strict else []) + errors)
    refusals.check(strict)
    _notice_quality(tables, quality)
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
        "unknown_codes": parsed.unknown_codes,
        **refusals.summary(data),
    }
    read = {f"notices/{f}": None if h.startswith(notice_cache.UNREADABLE) else h
            for f, h in zip(relative, hashes, strict=True)}
    return Ingested(tables, summary, notice_hashes=read)


def _notice_quality(tables: dict[str, pd.DataFrame], quality: Counter) -> None:
    buyers, notices = tables["notice_buyers"], tables["notices"]

    def key(frame: pd.DataFrame) -> pa.Array:  # Arrow's lookup: pandas' isin makes Python objects of both sides
        return pa.array(frame["notice_id"] + "\x1f" + frame["version"], pa.string())

    attributed = pc.is_in(key(notices), value_set=key(buyers[buyers["org_nr"].notna()]))
    quality["notices: without a buyer with a valid Norwegian organisation number (excluded)"] += \
        pc.sum(pc.invert(attributed)).as_py() or 0
    quality["notices: buyers without a valid Norwegian organisation number (not attributed)"] += int(
        buyers["org_nr"].isna().sum())
    outside = buyers["org_nr"].notna() & ~buyers["org_nr"].isin(set(tables["organisations"]["org_nr"]))
    quality["notices: buyers not in organisations.csv (in national figures only)"] += int(outside.sum())
    quality["notices: threshold class unknown (no CustomizationID class, estimated value or threshold; not in P6)"] \
        += int(notices["above_eea"].isna().sum())
    quality["notices: change notices (the latest version of a procedure is counted)"] += int(
        notices["changed_notice"].notna().sum())
    quality["notices: awards whose winner has no Norwegian organisation number"] += int(
        tables["awards"]["winner_org_nr"].isna().sum())
    quality["notices: converted from TED XML (fields the TED forms lacked are unknown, not 'no')"] += int(
        notices["converted"].sum())


def run(data: Path, out: Path, workers: int = 1, progress=None, strict: bool = False,
        cache: Path | None = None, source_cache: Path | None = None) -> Ingested:
    """Reads `data` and writes one Parquet file per table, plus quality.json, into `out`. `cache`: the notice
    cache's directory (BuildPaths.notice_cache), or None to parse every notice file; `source_cache`: the
    other sources' (BuildPaths.source_cache), or None to read them all."""
    ingested = read_dataset(data, workers, progress, strict, cache, source_cache)
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:  # Arrow converts, compresses and writes without the GIL
        list(pool.map(lambda name: write_parquet(ingested.tables[name], out / f"{name}.parquet"), TABLES))
    write_text(out / "quality.json", json.dumps(ingested.quality, indent=2, ensure_ascii=False) + "\n")
    return ingested
