"""Ingest's notice tables (notices, notice_buyers, lots, awards, submissions) from the rows the parser made of
each notice file (`notice_cache.Rows`), joined to the files in the order they are read.

A notice file whose name ends in its Doffin number (`2023-100679.xml`, `ContractNotice_cn-standard_2023-100679.xml`)
gives its notice that number (`doffin_id`): the number is not in the XML, and contract registers refer to
procurements by it. A copy of a notice read under such a name gives the number to the notice it copies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from . import eforms
from .notice_cache import COUNTS

_S = pa.string()
DOFFIN_ID = r"\d{4}-\d{6}"  # a Doffin number: 2023-100679
DOFFIN_NAME = rf"(?:^|[/\\_])(?P<doffin_id>{DOFFIN_ID})\.xml$"  # 2023-100679.xml, …_cn-standard_2023-100679.xml

# The columns of ingest's notice tables (notice_buyers gains `resolved_by_name` in ingest.names).
OUTPUT = {
    "notices": ["notice_id", "version", "folder_id", "subtype", "form_type", "notice_type", "issue_date", "year",
                "above_eea", "procedure_type", "main_cpv", "changed_notice", "n_buyers", "source", "converted", "sdk",
                "internal_id", "publication_id", "doffin_id", "title", "estimated_value", "currency"],
    "notice_buyers": ["notice_id", "version", "org_nr", "raw_id", "legal_type", "name", "postal_code"],
    "lots": ["notice_id", "version", "lot_id", "main_cpv", "sme_suitable", "strategic", "innovative", "variants"],
    "awards": ["notice_id", "version", "lot_id", "winner_org_nr", "winner_size"],
    "submissions": ["notice_id", "version", "lot_id", "code", "count"],
}


def frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas; list columns stay Arrow lists (None: the notice cannot answer)."""
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_list(t) else None)


@dataclass
class Assembled:
    tables: dict[str, pd.DataFrame]  # ingest's notice tables (OUTPUT columns)
    refused: list[Problem]
    skipped: list[eforms.NotProcurement]
    counts: dict[str, int]  # quality counts
    unknown_codes: list[str]


def assemble(files: list[tuple[str, str]], rows: dict[str, pa.Table]) -> Assembled:
    """Ingest's notice tables from `files` ((source, content hash) in the order they are read) and `rows`
    (holding the rows of every one of those hashes). A file whose notice ID and version were already read
    holds a copy (counted once) or, when its content differs, a different notice kept apart: the TED
    converter gives every notice the same placeholder notice and folder ID, so its IDs, which cannot be
    trusted, get its OJ S publication number (else a digest of its content) as a suffix. Files find their
    rows with Arrow's hash lookups, and notices their buyers, lots and so on by offset (at 150,000 files,
    pandas merges on the hashes took seconds)."""
    sources = [source for source, _ in files]
    hashes = pa.array([sha for _, sha in files], _S)
    found = pc.index_in(hashes, value_set=rows["files"]["sha"])
    assert found.null_count == 0, "every file has rows"
    kinds = rows["files"].take(found).append_column("source", pa.array(sources, _S))
    refused = [Problem(r["source"], *problem) for r in kinds.filter(pc.equal(kinds["kind"], "refused")).to_pylist()
               for problem in json.loads(r["detail"])]
    skipped = [eforms.NotProcurement(r["source"], r["detail"])
               for r in kinds.filter(pc.equal(kinds["kind"], "skipped")).to_pylist()]
    at = pc.index_in(hashes, value_set=rows["notices"]["sha"])
    is_notice = np.flatnonzero(pc.is_valid(at).to_numpy(zero_copy_only=False))
    row = at.take(pa.array(is_notice))
    notices = frame(rows["notices"].take(row))
    names = [sources[i] for i in is_notice]
    notices["source"] = pd.array(names, dtype=str)
    named = pc.extract_regex(pa.array(names, _S), DOFFIN_NAME)  # Arrow's regex: pandas' takes 0.3 s for 150,000
    notices["doffin_id"] = pc.struct_field(named, "doffin_id").to_pandas()
    notices["row"] = row.to_numpy()
    copy = notices.duplicated(["notice_id", "version", "content"])
    # A copy named by its Doffin number gives the number to the notice it copies.
    numbers = dict(notices.loc[copy, ["content", "doffin_id"]].dropna().drop_duplicates("content").to_numpy())
    if numbers:
        given = ~copy & notices["doffin_id"].isna() & notices["content"].isin(numbers.keys())
        notices.loc[given, "doffin_id"] = [numbers[c] for c in notices.loc[given, "content"]]
    counts = {"notices: copies of a notice version already read (counted once)": int(copy.sum())}
    notices = notices[~copy].reset_index(drop=True)
    apart = notices.duplicated(["notice_id", "version"])
    counts["notices: a different notice under a notice ID already read (kept apart)"] = int(apart.sum())
    if apart.any():
        tag = "#" + notices["publication_id"].fillna(notices["content"].str[:12])
        for column in ("notice_id", "folder_id"):
            notices.loc[apart, column] = notices.loc[apart, column] + tag[apart]
    ids = pa.table({"notice_id": pa.array(notices["notice_id"], _S), "version": pa.array(notices["version"], _S)})
    tables = {"notices": notices}
    kept = notices["row"].to_numpy()
    for name, count in COUNTS.items():  # a notice's rows follow one another: found by offset, not by hash
        per_notice = rows["notices"][count].to_numpy()
        sizes, starts = per_notice[kept], (np.cumsum(per_notice) - per_notice)[kept]
        take = pa.array(np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum()))
        owner = pa.array(np.repeat(np.arange(len(kept)), sizes))
        tables[name] = frame(rows[name].take(take).append_column("notice_id", ids["notice_id"].take(owner))
                             .append_column("version", ids["version"].take(owner)))
    notes = tables.pop("notes")
    issues = notes[notes["kind"] == "issue"]["value"].value_counts()
    counts.update({f"notices: {issue}": int(n) for issue, n in issues.items()})
    unknown = notes[notes["kind"] == "unknown"]
    for (listname, code), n in unknown.groupby(["list", "value"]).size().items():
        counts[f"notices: unknown {listname} code {code!r} (kept)"] = int(n)
    return Assembled(
        tables={name: tables[name][columns].reset_index(drop=True) for name, columns in OUTPUT.items()},
        refused=refused, skipped=skipped, counts=counts,
        unknown_codes=sorted({f"{lst}: {code}" for lst, code in zip(unknown["list"], unknown["value"], strict=True)}))
