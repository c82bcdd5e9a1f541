"""Reading the organisation's own Excel workbooks (.xlsx) as `csvfiles` reads CSV files.

The workbooks `innomaal templates` writes (and any workbook with the same columns) are read into the same
frame of stripped strings as a CSV file, so the same converters and schemas check them and the same errors
come out, each naming the file, the sheet and row (`sheet goals, row 5`) and the column.

- Columns are found by their key: a header cell reads either the key (`goal_id`) or a label ending in the key
  in brackets (`Mål-ID (goal_id)`), so columns may be moved; a renamed column is a missing column.
- Sheets are found by their key or its name in any of the site's languages; a workbook with a single sheet
  is that sheet (a CSV file saved as .xlsx).
- Rows marked as examples (the `example` column) are ignored and counted; empty rows are ignored.
- Values as Excel stores them: numbers are written back as plain decimal text (`1234.5`, `2024`), dates as
  `2024-12-31`, true/false as `true`/`false`; a formula is read as the value Excel saved with it, and a
  formula without one is an error naming the cell.
- Nothing is executed or resolved: no macros (`.xlsm` and workbooks holding VBA are refused), no external
  links, no DOCTYPE in any part. A file that is not a zip, is encrypted, or would unpack to more than
  `MAX_UNPACKED` bytes (a zip bomb) is refused before openpyxl opens it. Merged cells are refused (a merged
  cell holds one value for several rows or columns, which cannot be read back as rows).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

import pandas as pd

from ..errors import InputError, Problem
from ..i18n import LANGS, N_, translate

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 1000  # uncompressed / compressed size of one part above 1 MB
SUFFIXES = (".xlsx", ".xlsm", ".xls")
PATTERNS = ("**/*.xlsx", "**/*.xlsm", "**/*.xls")  # found beside the CSV files (.xlsm and .xls to refuse them)
EXAMPLE = "example"  # the key of the column that marks example rows
EXAMPLE_MARK = N_("example")  # what an example row holds in that column (any language is accepted)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or a pre-2007 .xls
# The data sheets by key, with their names in the templates (a sheet is found by key or by any of its names).
SHEETS = {
    "instructions": N_("Instructions"),
    "answers": N_("Survey answers"),
    "self_evaluation": N_("Self-evaluation"),
    "goals": N_("Goals"),
    "measures": N_("Measures"),
    "implementations": N_("Implementations"),
    "effects": N_("Effects"),
    "contracts": N_("Contracts"),
    "evaluations": N_("Evaluations"),
    "training": N_("Training"),
}
_KEY = re.compile(r"\(\s*([A-Za-z0-9_]+)\s*\)\s*$")
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def is_owner_file(path: Path) -> bool:
    """Excel's lock file beside an open workbook (`~$budget.xlsx`): not data, never read."""
    return path.name.startswith("~$")


def sheet_names(key: str, label: str | None) -> set[str]:
    """The names a sheet may have: its key and its label in every language (compared in lower case)."""
    return {key.lower(), *(translate(lang, label).lower() for lang in LANGS if label)}


def example_marks() -> set[str]:
    return {translate(lang, EXAMPLE_MARK).strip().lower() for lang in LANGS} | {EXAMPLE}


def where(sheet: str, row: int) -> str:
    return f"sheet {sheet}, row {row}"


def header_key(value) -> str:
    """The column key a header cell names: `goal_id`, or `Mål-ID (goal_id)`."""
    text = "" if value is None else str(value).strip()
    m = _KEY.search(text)
    return (m.group(1) if m else text).lower()


def _problem(path: Path, where_: str, field: str, message: str) -> InputError:
    return InputError.one(path, where_, field, message)


def check_container(path: Path) -> None:
    """Refuses, before anything parses it, a file that is not a plain .xlsx workbook."""
    if path.suffix.lower() == ".xls":
        raise _problem(path, "file", "workbook", "an old Excel workbook (.xls) is not read: save it as an Excel "
                       "workbook (.xlsx)")
    if path.suffix.lower() == ".xlsm":
        raise _problem(path, "file", "workbook", "a macro-enabled workbook (.xlsm) is not read: save it as an "
                       "Excel workbook (.xlsx), which holds no macros")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise _problem(path, "file", "workbook", f"cannot be read ({exc.strerror})") from None
    if head == OLE_MAGIC:
        raise _problem(path, "file", "workbook", "the workbook is encrypted (password-protected) or an old .xls "
                       "workbook: save it as an Excel workbook (.xlsx) without a password")
    if not zipfile.is_zipfile(path):
        raise _problem(path, "file", "workbook", "not an Excel workbook (.xlsx is a zip file; this is not one)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if info.flag_bits & 0x1:
                    raise _problem(path, "file", "workbook", "the workbook is encrypted: save it without a password")
                if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise _problem(path, f"part {info.filename}", "workbook",
                                   f"unpacks to {info.file_size:,} bytes from {info.compress_size:,} "
                                   "(a zip bomb?): not read")
            if total > MAX_UNPACKED:
                raise _problem(path, "file", "workbook", f"unpacks to {total:,} bytes, more than the "
                               f"{MAX_UNPACKED:,} a workbook may hold: not read")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise _problem(path, "file", "workbook", "a zip file, but not an Excel workbook (no xl/workbook.xml)")
            if any(PurePosixPath(n).name.lower() == "vbaproject.bin" for n in names):
                raise _problem(path, "file", "workbook", "the workbook holds macros (VBA): save it as an Excel "
                               "workbook (.xlsx) without macros")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as part:
                        if b"<!DOCTYPE" in part.read(4096).upper().replace(b"<!doctype", b"<!DOCTYPE"):
                            raise _problem(path, f"part {info.filename}", "workbook",
                                           "a DOCTYPE in a workbook part is not read (entities are never expanded)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise _problem(path, "file", "workbook", f"not a readable Excel workbook ({exc})") from None


def _open(path: Path, data_only: bool):
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl warns about data validation and styles it does not read
        warnings.simplefilter("ignore")
        return load_workbook(path, read_only=True, data_only=data_only, keep_links=False, keep_vba=False,
                             rich_text=False)


def open_sheets(path: Path) -> list[str]:
    """The workbook's sheet names, after `check_container`."""
    check_container(path)
    try:
        book = _open(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise _problem(path, "file", "workbook", f"not a readable Excel workbook ({type(exc).__name__}: {exc})") \
            from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def find_sheet(path: Path, sheets: list[str], key: str, label: str | None = None, single_ok: bool = True) -> str:
    """The sheet of `key` in a workbook with `sheets`: by name in any language, or the only sheet."""
    label = label or SHEETS.get(key)
    names = sheet_names(key, label)
    found = [s for s in sheets if s.strip().lower() in names]
    if found:
        return found[0]
    if single_ok and len(sheets) == 1:
        return sheets[0]
    shown = translate("en", label) if label else key
    raise _problem(path, "sheet", key, f"the sheet {shown!r} is missing (the workbook has "
                   f"{', '.join(repr(s) for s in sheets)}): do not rename or delete the template's sheets")


def text(value) -> str:
    """A cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def read(path: Path, sheet_key: str, sheet_label: str | None, required: list[str], optional: tuple[str, ...] = (),
         quality: Counter | None = None, prefilled: tuple[str, ...] = (), single_ok: bool = True,
         source: str = "") -> tuple[pd.DataFrame, list[str]]:
    """One sheet as `csvfiles.read` gives a CSV file: stripped strings by column key, `_line` naming the sheet
    and row, and the extra columns ignored. Example rows are left out and counted under `source`; a row whose
    only values are in `prefilled` columns (or the example column) is an empty row."""
    sheet = find_sheet(path, open_sheets(path), sheet_key, sheet_label, single_ok)
    return read_sheet(path, sheet, required, optional, quality, prefilled, source, wide=None)


def read_sheet(path: Path, sheet: str, required: list[str], optional: tuple[str, ...] = (),
               quality: Counter | None = None, prefilled: tuple[str, ...] = (), source: str = "",
               wide=None) -> tuple[pd.DataFrame, list[str]]:
    """As `read`, for a named sheet. `wide(keys)`: the keys of further columns to keep (the self-evaluation's
    question columns), given every key of the header."""
    rows, formulas = _rows(path, sheet, with_formulas=True)
    if not rows or not any(rows[0]):
        raise _problem(path, where(sheet, 1), "header", "the sheet has no header row (row 1 names the columns)")
    keys = [header_key(v) for v in rows[0]]
    seen = Counter(k for k in keys if k)
    twice = sorted(k for k, n in seen.items() if n > 1)
    if twice:
        raise InputError([Problem(str(path), where(sheet, 1), k, "the column occurs more than once") for k in twice])
    missing = [c for c in required if c not in seen]
    if missing:
        raise InputError([Problem(str(path), where(sheet, 1), c, "required column is missing (a column's header "
                                  f"must read {c!r} or end in '({c})')") for c in missing])
    kept = [*required, *optional, *(wide(list(seen)) if wide else ())]
    extra = sorted(set(seen) - set(kept) - {EXAMPLE} - set(prefilled))
    cols = {k: i for i, k in enumerate(keys) if k in kept or k == EXAMPLE}
    marks = example_marks()
    records, lines, examples, problems = [], [], 0, []
    for n, row in enumerate(rows[1:], start=2):
        values = {k: text(row[i]) if i < len(row) else "" for k, i in cols.items()}
        for k, i in cols.items():
            if (i, n) in formulas:
                problems.append(Problem(str(path), where(sheet, n), k, formulas[(i, n)]))
        mark = values.pop(EXAMPLE, "")
        if mark:
            if mark.lower() in marks:
                examples += 1
                continue
            problems.append(Problem(str(path), where(sheet, n), EXAMPLE, f"{mark!r} is not "
                                    f"{translate('en', EXAMPLE_MARK)!r}: leave the column empty on rows with data"))
            continue
        if not any(v for k, v in values.items() if k not in prefilled):
            continue
        records.append(values)
        lines.append(where(sheet, n))
    if problems:
        raise InputError(problems)
    if quality is not None and examples:
        quality[f"{source}: example rows in workbooks (ignored)"] += examples
    frame = pd.DataFrame(records, columns=[k for k in cols if k != EXAMPLE], dtype=object)
    frame = frame.fillna("").astype(object)
    frame["_line"] = pd.Series(lines, index=frame.index, dtype=object)
    return frame, extra


def _rows(path: Path, sheet: str, with_formulas: bool) -> tuple[list[tuple], dict[tuple[int, int], str]]:
    """The sheet's rows of values (trailing empty rows dropped), and the formulas without a saved value as
    {(column index, row): message}. Merged cells are an error."""
    try:
        book = _open(path, data_only=False)
        try:
            ws = book[sheet]
            ws.reset_dimensions()  # the stored dimension may be wrong; read every row there is
            _merged(path, book, ws, sheet)
            raw = [tuple(r) for r in ws.iter_rows(values_only=True)]
        finally:
            book.close()
        formula_cells = [(i, n) for n, row in enumerate(raw, start=1) for i, v in enumerate(row)
                         if isinstance(v, str) and v.startswith("=")]
        values = raw
        if formula_cells:  # the values Excel saved with the formulas
            book = _open(path, data_only=True)
            try:
                ws = book[sheet]
                ws.reset_dimensions()
                values = [tuple(r) for r in ws.iter_rows(values_only=True)]
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken part: one line, never a traceback
        raise _problem(path, f"sheet {sheet}", "workbook", f"cannot be read ({type(exc).__name__}: {exc})") \
            from None
    formulas = {}
    for i, n in formula_cells:
        saved = values[n - 1][i] if n - 1 < len(values) and i < len(values[n - 1]) else None
        if saved is None:
            from openpyxl.utils import get_column_letter

            formulas[(i, n)] = (f"cell {get_column_letter(i + 1)}{n} holds a formula ({raw[n - 1][i]}) without a "
                                "saved value: open the workbook in Excel and save it, or type the value")
    while values and not any(v is not None and str(v).strip() != "" for v in values[-1]):
        values.pop()
    return values, formulas


def _merged(path: Path, book, ws, sheet: str) -> None:
    """Merged cells, read from the sheet's XML (openpyxl's read-only mode does not load them)."""
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ranges = []
    with book._archive.open(ws._worksheet_path) as src:
        parser = etree.iterparse(src, events=("end",), tag=f"{ns}mergeCell", resolve_entities=False,
                                 no_network=True, huge_tree=False)
        for _, el in parser:
            ranges.append(el.get("ref", "?"))
            el.clear()
    if ranges:
        raise InputError([Problem(str(path), f"sheet {sheet}, cells {r}", "cells", "merged cells cannot be read as "
                                  "rows: unmerge them (Home > Merge & Center) and fill in each cell")
                          for r in ranges[:20]])
