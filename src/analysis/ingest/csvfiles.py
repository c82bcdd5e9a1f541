"""Reading CSV files as real systems export them, with every problem named by file, row and field.

Finance systems and survey tools write `,` or `;` (or tab) delimited files, in UTF-8 with or without BOM
or in Windows-1252, with decimal commas and thousands separators, and dates as `2024-12-31` or
`31.12.2024`. Everything is read as text first; values are then converted column by column, and all
problems in a file are reported together.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..orgnr import normalise

MAX_PROBLEMS = 20  # per file; the count of the rest is given


def read(path: Path, required: list[str], optional: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[str]]:
    """The file as a frame of stripped strings, with a `_line` column (its line in the file), and the
    names of extra columns that were ignored."""
    text = read_text(path, fallback="cp1252")
    if not text.strip():
        raise InputError.one(path, "file", "content", "the file is empty")
    header = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=header.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skipinitialspace=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError.one(path, "file", "csv", f"not a readable CSV file ({exc})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        hint = f" (the delimiter read was {delimiter!r})" if len(frame.columns) == 1 else ""
        raise InputError([Problem(str(path), "line 1", c, f"required column is missing{hint}") for c in missing])
    extra = sorted(set(frame.columns) - set(required) - set(optional))
    frame = frame[[c for c in frame.columns if c in required or c in optional]]
    frame = frame.apply(lambda col: col.str.strip())
    frame["_line"] = range(2, len(frame) + 2)
    return frame, extra


def where(line) -> str:
    """Where a row is, from its `_line`: a CSV file's line number (`row 12`), or a workbook's sheet and row as
    `ingest.workbook` gives it (`sheet goals, row 5`)."""
    return line if isinstance(line, str) else f"row {line}"


def read_table(path: Path, required: list[str], optional: tuple[str, ...] = (), *, sheet: str, label: str | None,
               quality=None, source: str = "", prefilled: tuple[str, ...] = (),
               single_ok: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """`read` for a CSV file, or the sheet `sheet` (named `label` in the site's languages) of an Excel
    workbook (`ingest.workbook`): the same frame of stripped strings either way."""
    from . import workbook

    if workbook.is_workbook(path):
        return workbook.read(path, sheet, label, required, optional, quality, prefilled, single_ok, source)
    return read(path, required, optional)


UNREADABLE_REASON = "cannot be read"  # the start of the reason given for a file that cannot be read


def read_text(path: Path, fallback: str | None = None) -> str:
    """A file's text: gunzipped when it ends in .gz, UTF-8 with or without BOM, else `fallback`."""
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise InputError.one(path, "file", "content", f"{UNREADABLE_REASON} ({exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if fallback is None:
            raise
        return raw.decode(fallback, errors="replace")


class Converter:
    """Converts columns of a frame read by `read`, collecting problems instead of stopping at one."""

    def __init__(self, path: Path, frame: pd.DataFrame):
        self.path, self.frame = path, frame
        self.problems: list[Problem] = []

    def convert(self, column: str, fn, what: str, optional: bool = False) -> pd.Series:
        out = []
        for value, line in zip(self.frame[column], self.frame["_line"], strict=True):
            if optional and value == "":
                out.append(None)
                continue
            converted = fn(value)
            if converted is None:
                self.problems.append(Problem(str(self.path), where(line), column, f"{value!r} is not {what}"))
            out.append(converted)
        return pd.Series(out, index=self.frame.index, dtype=object)

    def org_nr(self, column: str, optional: bool = False) -> pd.Series:
        return self.convert(column, normalise, "a valid organisation number (9 digits, MOD11)", optional)

    def date(self, column: str, optional: bool = False) -> pd.Series:
        return self.convert(column, parse_date, "a date (2024-12-31 or 31.12.2024)", optional)

    def ore(self, column: str, optional: bool = False) -> pd.Series:
        return self.convert(column, parse_ore, "an amount in NOK with at most two decimals", optional)

    def number(self, column: str, optional: bool = False) -> pd.Series:
        return self.convert(column, parse_number, "a number", optional)

    def year(self, column: str) -> pd.Series:
        return self.convert(column, lambda v: v if re.fullmatch(r"(19|20)\d\d", v) else None, "a year")

    def choice(self, column: str, choices: tuple[str, ...], optional: bool = False) -> pd.Series:
        return self.convert(column, lambda v: v if v in choices else None, f"one of {', '.join(choices)}",
                             optional)

    def text(self, column: str) -> pd.Series:
        return self.convert(column, lambda v: v if v else None, "a non-empty text")

    def validate(self, table: str, frame: pd.DataFrame) -> None:
        """The table's schema (ingest.schemas) over the converted rows, once every cell converted."""
        from .schemas import problems  # pandera is imported only when a file is validated

        if not self.problems:
            self.problems += problems(table, frame.assign(_line=self.frame["_line"].to_numpy()), self.path)

    def check(self) -> None:
        if self.problems:
            shown = self.problems[:MAX_PROBLEMS]
            if len(self.problems) > MAX_PROBLEMS:
                shown.append(Problem(str(self.path), "…", "…", f"and {len(self.problems) - MAX_PROBLEMS} more"))
            raise InputError(shown)


_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


def parse_number(value: str) -> Decimal | None:
    text = re.sub(r"[\s\u00a0]|kr|nok", "", value.lower())
    if "," in text and "." in text:
        thousands, decimal = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else ""
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", text):
        text = text.replace(".", "")
    text = text.replace("\u2212", "-")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_ore(value: str) -> int | None:
    """NOK as written (`1 234,50`, `1.234,50`, `-500`, `1234.5`) in whole øre; None if not exact."""
    number = parse_number(value)
    if number is None or number.as_tuple().exponent < -2:
        return None
    return int(number * 100)


def parse_date(value: str) -> str | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) or re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if "-" in value else (m.group(3), m.group(2), m.group(1))
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None
