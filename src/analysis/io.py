"""Writing files atomically and deterministically: a file is either complete or absent."""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it (and at once back)
    os.umask(mask)
    return mask


# The mode an ordinary new file gets (0644 under the usual umask 022), read once at import while nothing else
# runs: a temporary file from mkstemp is 0600, which would hide a published page from the web server.
FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Calls `write(tmp)` with a temporary path beside `path`, then renames it into place. The file gets the
    mode a plain `open` would give it (FILE_MODE: readable by others as the umask allows), not mkstemp's 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno and exc.filename in (None, tmp):  # disk full, no permission:
            raise OSError(exc.errno, os.strerror(exc.errno), str(path)) from exc  # name the file, not its tmp
        raise


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def source_date_epoch() -> int:
    """Build time for anything that records one (PDF, XLSX): SOURCE_DATE_EPOCH, else 0 (1970), never now."""
    return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str, more: dict[str, pd.DataFrame] | None = None) -> None:
    """An Excel workbook with a sheet for `frame` (and one per frame of `more`, by name), byte for byte the same
    for the same frames: the workbook's created/modified times come from SOURCE_DATE_EPOCH (1980 at the
    earliest, as zip requires), and every zip entry gets that one timestamp."""
    from openpyxl import Workbook

    book = Workbook()
    for k, (title, table) in enumerate([(sheet, frame), *(more or {}).items()]):
        ws = book.active if k == 0 else book.create_sheet()
        ws.title = title[:31]
        ws.append(list(table.columns))
        for row in table.itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in row])
        ws.freeze_panes = "A2"
    write_bytes(path, xlsx_bytes(book))


def xlsx_bytes(book) -> bytes:
    """An openpyxl workbook as bytes, the same for the same workbook: its created/modified times come from
    SOURCE_DATE_EPOCH (1980 at the earliest, as zip requires), every zip entry gets that one timestamp, and the
    entries are sorted."""
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(max(source_date_epoch(), 315532800), UTC).replace(tzinfo=None)  # zip: ≥ 1980
    book.properties.created = book.properties.modified = when
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    book.properties.creator = "Innomål"
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(fixed, data)
    return out.getvalue()


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
