"""The pictures of a filled workbook in docs/start-measuring.md (docs/img/workbook-*.png).

There is no Excel here: the bokmål gain-register template of `innomaal templates` is filled in with openpyxl
(as tests/test_workbooks.py does), read back cell by cell (values, bold and italic, fills, column widths, the
sheet tabs) and drawn as an HTML grid in the browser tests' Chromium. The picture shows the workbook's real
content; the look of the grid (Excel's ribbon and fonts are not drawn) is this script's own.

    python -m tests.browser.workbook_picture [OUT_DIR]
"""

from __future__ import annotations

import html
import io
import sys
from datetime import date, datetime
from pathlib import Path

from analysis import paths, workbooks
from analysis.ingest import workbook as wb
from tests.browser.conftest import ARGS, CHROMIUM

OUT = paths.ROOT / "docs" / "img"
GOALS = [
    {"goal_id": "G1", "org_nr": "974760673", "text": "Flere innovative anskaffelser", "indicator_ref": "P4",
     "baseline_value": 0.04, "baseline_date": date(2024, 1, 15), "target_value": 0.12, "target_year": 2027,
     "owner": "Innkjøpssjef", "risk_likelihood": 3, "risk_consequence": 3, "risk_text": "Umodent marked"},
    {"goal_id": "G2", "org_nr": "974760673", "text": "Halvere matsvinnet i kantinene", "indicator_ref": "",
     "baseline_value": 12, "baseline_date": date(2023, 3, 1), "target_value": 6, "target_year": 2026,
     "owner": "Driftssjef", "risk_likelihood": 2, "risk_consequence": 2, "risk_text": "Leverandøren bytter"},
]


def filled() -> bytes:
    from openpyxl import load_workbook

    [template] = [t for t in workbooks.TEMPLATES if t.name == "gain-register"]
    book = load_workbook(io.BytesIO(workbooks.build(template, "nb")))
    ws = book[wb.find_sheet(Path("x"), book.sheetnames, "goals")]
    keys = [wb.header_key(c.value) for c in ws[1]]
    for row in GOALS:
        ws.append([row.get(k) for k in keys])
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def grid(data: bytes, sheet_index: int, columns: int, rows: int) -> str:
    """A sheet of the workbook as an HTML page that looks like a spreadsheet."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(data))
    ws = book.worksheets[sheet_index]
    widths = [round((ws.column_dimensions[get_column_letter(c)].width or 10) * 7) for c in range(1, columns + 1)]
    cols = "".join(f'<col style="width:{w}px">' for w in widths)
    head = "".join(f"<th>{get_column_letter(c)}</th>" for c in range(1, columns + 1))
    body = []
    for r in range(1, rows + 1):
        cells = []
        for c in range(1, columns + 1):
            cell = ws.cell(r, c)
            value = cell.value
            if isinstance(value, datetime | date):
                value = value.strftime("%Y-%m-%d")
            # As Excel shows them: wrapped where the cell wraps, else on one line spilling over empty cells.
            style = ["white-space:pre-wrap" if cell.alignment and cell.alignment.wrap_text
                     else "white-space:nowrap;overflow:visible"]
            if cell.font and cell.font.b:
                style.append("font-weight:bold")
            if cell.font and cell.font.i:
                style.append("font-style:italic;color:#595959")
            if cell.fill and cell.fill.fill_type == "solid":
                style.append(f"background:#{cell.fill.fgColor.rgb[-6:]}")
            cells.append(f'<td style="{";".join(style)}">{html.escape("" if value is None else str(value))}</td>')
        body.append(f"<tr><th>{r}</th>{''.join(cells)}</tr>")
    tabs = "".join(f'<span class="{"on" if i == sheet_index else ""}">{html.escape(s.title)}</span>'
                   for i, s in enumerate(book.worksheets))
    return f"""<!doctype html><html lang="nb"><meta charset="utf-8"><style>
body {{ font: 13px Arial, sans-serif; margin: 0; background: #fff; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
td, th {{ border: 1px solid #d4d4d4; padding: 3px 5px; vertical-align: top; overflow: hidden; }}
td {{ position: relative; }}
th {{ background: #f3f3f3; color: #444; font-weight: normal; width: 34px; }}
.tabs {{ border-top: 1px solid #bbb; padding: 6px; background: #f3f3f3; }}
.tabs span {{ padding: 4px 12px; margin-right: 4px; }} .tabs .on {{ background: #fff; border-bottom: 3px solid #217346;
 font-weight: bold; }}
</style><table style="width:{sum(widths) + 34}px"><colgroup><col style="width:34px">{cols}</colgroup>
<tr><th></th>{head}</tr>{''.join(body)}</table>
<div class="tabs">{tabs}</div></html>"""


def pictures(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    data = filled()
    shots = {"workbook-goals.png": grid(data, 1, 13, 5), "workbook-instructions.png": grid(data, 0, 7, 16)}
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 400})
        for name, page_html in shots.items():
            page.set_content(page_html)
            out.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out / name), full_page=True)
            written.append(out / name)
        browser.close()
    return written


if __name__ == "__main__":
    for path in pictures(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
