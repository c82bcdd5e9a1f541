"""What a fetch writes besides the fetched files: the dataset's organisations.csv (rows added, never changed)
and a params.yaml for building it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from ..io import write_text
from ..orgnr import normalise

HEADER = ["org_nr", "name", "org_type", "lang"]


def _dialect(first_line: str) -> str:
    return max((",", ";", "\t"), key=first_line.count)


def _table(path: Path) -> tuple[list[list[str]], str]:
    """The rows of a CSV file (header first) and its delimiter."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    delimiter = _dialect(lines[0] if lines else ",")
    return list(csv.reader(lines, delimiter=delimiter)), delimiter


def known_orgs(path: Path) -> set[str]:
    """The organisation numbers organisations.csv lists (normalised); empty when it is absent."""
    if not path.is_file():
        return set()
    table, _ = _table(path)
    header = [h.strip() for h in table[0]] if table else []
    at = header.index("org_nr") if "org_nr" in header else 0
    return {n for row in table[1:] if len(row) > at and (n := normalise(row[at]))}


def add_organisations(path: Path, rows: list[dict]) -> list[dict]:
    """Writes `rows` (org_nr, name, org_type, lang) to organisations.csv when it is absent; when present, adds
    those whose number it lacks at its end, in its own delimiter and columns, and leaves every line it has as
    it is. Returns the rows added."""
    rows = sorted(rows, key=lambda r: r["org_nr"])
    if not path.is_file():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows([[r.get(c) or "" for c in HEADER] for r in rows])
        write_text(path, out.getvalue())
        return rows
    table, delimiter = _table(path)
    header = [h.strip() for h in table[0]] if table else HEADER
    known = known_orgs(path)
    new = [r for r in rows if r["org_nr"] not in known]
    if not new:
        return []
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerows([[r.get(c) or "" for c in header] for r in new])
    raw = path.read_bytes().decode("utf-8")  # the user's own lines, byte for byte (a BOM included)
    write_text(path, raw + ("" if raw.endswith("\n") or not raw else "\n") + out.getvalue())
    return new


def write_params(path: Path, data: Path) -> bool:
    """A params file for the dataset at `data` unless one exists. The build's output goes beside the dataset
    (`<data>-output`), not into it: every file of the dataset is an input of the build."""
    if path.exists():
        return False
    data = data.resolve()
    body = yaml.safe_dump({"data": str(data), "output": str(data.with_name(data.name + "-output"))},
                          allow_unicode=True, sort_keys=False)
    write_text(path, "# Written by `innomaal fetch`: build this dataset with `innomaal build --params "
               f"{path}`.\n# Every key of params/demo.yaml may be added (years, orgs, lang, renderer …).\n"
               + body + "years: all\norgs: all\nlang: nb\n")
    return True
