"""The bad-input corpus: real-world faults in every source, each with its exact outcome.

Every case starts from one small valid dataset (with a real Doffin notice from tests/fixtures) and
breaks one thing. The outcome is either an error — exit code 2, one line per problem naming the file, the
row or XML element and the field, no traceback, nothing written — or the fault is handled and counted
in the data-quality summary with its exact count. A fault in a third-party source (notices, TED CSV,
Enhetsregisteret) refuses that file or row: exit 0 with the refusal listed in quality.json, and with
`--strict` the error (exit 2) naming the same file, element or row and field.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from analysis.cli import app
from tests.conftest import EFORMS, FIXTURES

A, B = "974760673", "964967369"  # B is the buyer (Flekkefjord kommune) of the fixture notice
NOTICE = EFORMS / "nor" / "eu" / "cn_24.xml"
SPEND = "org_nr;supplier_org_nr;amount_nok;invoice_date\n" \
        f"{A};976030788;1 000,50;01.02.2024\n{A};971497017;2000;2024-02-02\n"
SURVEY = "org_nr,year,respondent_id,item_id,value\n" + "".join(
    f"{A},2024,r{i},innovation_maturity,{3 + i % 2}\n" for i in range(5))
GOALS = ("goal_id,org_nr,text,indicator_ref,baseline_value,baseline_date,target_value,target_year,owner,"
         "risk_likelihood,risk_consequence,risk_text\n"
         f"g1,{A},Flere innovative anskaffelser,P4,0.02,2024-01-15,0.1,2026,Kari,2,3,Umodent marked\n")
MEASURES = "measure_id,goal_id,description,start,end,cost_nok\nm1,g1,Markedsdialog,2024-02-01,2024-12-31,100000\n"
IMPLEMENTATIONS = "measure_id,status,date,doffin_ids\nm1,done,2024-06-01,\n"
EFFECTS = "effect_id,goal_id,gain_type,unit,planned_value,realised_value,date,evidence\n" \
          "e1,g1,efficiency,NOK,100000,90000,2024-12-31,Årsrapport\n"
UNITS = [{"organisasjonsnummer": "976030788", "navn": "LITEN AS", "antallAnsatte": 12,
          "organisasjonsform": {"kode": "AS"}, "stiftelsesdato": "2021-03-04"}]


ACCOUNTS = FIXTURES / "real" / "accounts"
CONTRACTS = "org_nr;contract_id;procurement_id;supplier_org_nr;signed_date;standard;development_phases;ipr\n"


# ------------------------------------------------------------------ Excel workbooks (innomaal templates)
CONTRACT = {"org_nr": A, "contract_id": "K1", "procurement_id": "P1", "signed_date": date(2024, 3, 1),
            "standard": "SSA-T", "ipr": "yes"}
TRAINING = {"org_nr": A, "year": 2024, "procurement_fte": 10, "trained_fte": 4}


def workbook_bytes(template: str, sheet: str, rows: list[dict], edit: Callable | None = None,
                   keep_examples: bool = False) -> bytes:
    """A template of `innomaal templates` (in English) with `rows` filled in (by column key); `edit(book, ws)`
    then changes it as a person might."""
    from openpyxl import load_workbook

    from analysis import workbooks
    from analysis.ingest import workbook as wb

    [chosen] = [t for t in workbooks.TEMPLATES if t.name == template]
    book = load_workbook(io.BytesIO(workbooks.build(chosen, "en")))
    ws = book[wb.find_sheet(Path(template), book.sheetnames, sheet, single_ok=False)]
    if not keep_examples:
        ws.delete_rows(2, ws.max_row)
    keys = [wb.header_key(c.value) for c in ws[1]]
    for row in rows:
        ws.append([row.get(k) for k in keys])
    if edit:
        edit(book, ws)
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def workbook(rel: str, template: str, sheet: str, rows: list[dict], edit: Callable | None = None,
             keep_examples: bool = False) -> Callable[[Path], None]:
    """Writes the workbook when the case runs (not when the corpus is collected)."""
    return lambda root: write(rel, workbook_bytes(template, sheet, rows, edit, keep_examples))(root)


def patched(data: bytes, part: str, old: str, new: str) -> bytes:
    """The workbook with `old` replaced by `new` (a regular expression) in one of its zip parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                text, n = re.subn(old, new, content.decode("utf-8"))
                assert n, (part, old)
                content = text.encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr(name, content)
    return out.getvalue()


def zip_bomb(root: Path) -> None:
    """A workbook whose sheet unpacks to 300 MB of zeros (written in chunks, never held in memory)."""
    path = root / "contracts" / "register.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(chunk)


def merged(book, ws) -> None:
    ws.merge_cells("B2:C2")


def moved(book, ws) -> None:
    ws.move_range("A1:M2", cols=1)  # every column one to the right, then the first one into the gap
    ws.move_range("C1:C2", cols=-2)


def renamed(book, ws) -> None:
    ws["C1"] = "Kontrakt"  # was "Contract ID (contract_id)"


def remove_sheet(name: str):
    return lambda book, ws: book.remove(book[name])


def formatted_rows(book, ws) -> None:
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(3, 100_003):
        ws.cell(row, 2).fill = fill


def example_mark(mark: str):
    def edit(book, ws) -> None:
        ws["A2"] = mark
    return edit


def formula(cell: str, text: str):
    def edit(book, ws) -> None:
        ws[cell] = text
    return edit


def training_table(check: Callable[[dict], bool]) -> Callable[[dict], bool]:
    return lambda tables: len(tables["training"]) == 1 and check(tables["training"].iloc[0])


SHEET2 = "xl/worksheets/sheet2.xml"


def wb_ole() -> bytes:
    """The start of an OLE compound file: what Excel writes for a password-protected workbook (and .xls)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # the first data sheet (after the instructions)


def base(root: Path) -> Path:
    files = {
        "organisations.csv": f"org_nr,name,org_type\n{A},Testetaten,state\n{B},Flekkefjord kommune,municipality\n",
        "spend/ledger.csv": SPEND, "surveys/survey.csv": SURVEY, "gains/goals.csv": GOALS,
        "gains/measures.csv": MEASURES, "gains/implementations.csv": IMPLEMENTATIONS, "gains/effects.csv": EFFECTS,
        "suppliers/units.json": json.dumps(UNITS),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "notices").mkdir()
    shutil.copyfile(NOTICE, root / "notices" / "cn.xml")
    return root


@dataclass
class Error:
    """Exit 2; exactly these (file name, where, field) problems, in this order."""
    problems: list[tuple[str, str, str]]


@dataclass
class Refused:
    """Exit 0 with exactly these (file name, where, field) refused in quality.json; exit 2 with `--strict`."""
    problems: list[tuple[str, str, str]]


@dataclass
class Counted:
    """Exit 0; the data-quality summary counts exactly this."""
    what: str
    count: int


@dataclass
class Handled:
    """Exit 0; `check(tables)` holds for the normalised tables."""
    check: Callable[[dict], bool]


def replace(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (root / rel).write_bytes(text)
        else:
            (root / rel).write_text(text, encoding="utf-8")
    return mutate


def _lot_code(root: Path, code: str) -> None:
    """Adds a BT-776 code to the first lot of the notice."""
    path = root / "notices" / "cn.xml"
    text = path.read_text(encoding="utf-8")
    lot = text.index("<cac:ProcurementProjectLot>")
    nature = text.index('<cbc:ProcurementTypeCode listName="contract-nature">', lot)
    extra = ('<cac:ProcurementAdditionalType><cbc:ProcurementTypeCode listName="innovative-acquisition">'
             f"{code}</cbc:ProcurementTypeCode></cac:ProcurementAdditionalType>")
    path.write_text(text[:nature] + extra + text[nature:], encoding="utf-8")


def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def spend(rows: str, header: str = "org_nr;supplier_org_nr;amount_nok;invoice_date") -> Callable[[Path], None]:
    return write("spend/ledger.csv", f"{header}\n{rows}")


def tables_of(out: Path) -> dict:
    import pandas as pd

    return {p.stem: pd.read_parquet(p) for p in (out / "data").glob("*.parquet")}


UNSAFE_MARKDOWN = ("Vurdering <script>alert(1)</script> og <img src=x onerror=\"alert(1)\">.\n\n"
                   "[klikk](javascript:alert(1)) <javascript:alert(1)> [b](JaVaScRiPt&colon;alert(1)) "
                   "![x](https://evil.example/x.png)\n\n## P2\n<iframe src=\"https://evil.example\"></iframe>\n\n"
                   "## Tiltak\n- [gjør](javascript:alert(1)) <b onmouseover=alert(1)>x</b> (leder, 2025-06-30)\n")


def _shown_as_text(rows) -> bool:
    """Every part of the file is kept, and none of it can run or fetch anything once rendered."""
    import lxml.html

    from analysis import commentary

    assert rows["kind"].tolist() == ["assessment", "note", "action"], rows
    for text in rows["text"]:
        html = commentary.markdown(text)
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
        assert not tree.xpath("//script|//img|//iframe|//b|//*[@*[starts-with(name(), 'on')]]"), html
        assert not [a for a in tree.xpath("//a") if not a.get("href", "").startswith(("https:", "http:"))], html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in commentary.markdown(rows["text"][0])  # shown as text
    return True


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          "<ContractNotice>&lol2;</ContractNotice>")
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       "<ContractNotice>&xxe;</ContractNotice>")

CASES = {
    # ------------------------------------------------------------------ eForms XML
    "xml truncated": (lambda r: (r / "notices" / "cn.xml").write_text(notice_text()[:5000], encoding="utf-8"),
                      Refused([("cn.xml", "line 83", "xml")])),
    "xml malformed tag": (write("notices/bad.xml", "<ContractNotice><a></b></ContractNotice>"),
                          Refused([("bad.xml", "line 1", "xml")])),
    "xml external entity": (write("notices/xxe.xml", XXE), Refused([("xxe.xml", "document", "DOCTYPE")])),
    "xml entity expansion": (write("notices/lol.xml", LAUGHS), Refused([("lol.xml", "document", "DOCTYPE")])),
    "xml not an eForms notice": (write("notices/x.xml", "<Invoice/>"),
                                 Refused([("x.xml", "element /Invoice", "root")])),
    "xml issue date not a date": (replace("notices/cn.xml", "<cbc:IssueDate>2025-", "<cbc:IssueDate>x"),
                                  Refused([("cn.xml", "element /ContractNotice/cbc:IssueDate", "cbc:IssueDate")])),
    "xml notice without buyer": (lambda r: (replace("notices/cn.xml", "<cac:ContractingParty>", "<cac:Other>")(r),
                                            replace("notices/cn.xml", "</cac:ContractingParty>", "</cac:Other>")(r)),
                                 Counted("notices: without a buyer with a valid Norwegian organisation number "
                                         "(excluded)", 1)),
    "xml buyer with bad check digit": (replace("notices/cn.xml", "<cbc:CompanyID>964967369<",
                                               "<cbc:CompanyID>964967368<"),
                                       Counted("buyers: without an organisation number, resolved by name", 1)),
    "xml unknown buyer with bad check digit": (
        lambda r: (replace("notices/cn.xml", "<cbc:CompanyID>964967369<", "<cbc:CompanyID>964967368<")(r),
                   replace("notices/cn.xml", "Flekkefjord Kommune", "Ukjent Kommune", 9)(r)),
        Counted("notices: buyers without a valid Norwegian organisation number (not attributed)", 1)),
    "xml issue date not a calendar date": (replace("notices/cn.xml", "<cbc:IssueDate>2025-03-14",
                                                   "<cbc:IssueDate>2024-13-45"),
                                           Refused([("cn.xml", "element /ContractNotice/cbc:IssueDate",
                                                     "cbc:IssueDate")])),
    "xml estimated value not an amount": (lambda r: (  # no threshold class: the estimated value is read
        replace("notices/cn.xml", "anskaffelser.no:2023:eforms:eu<", "anskaffelser.no:2023:eforms<")(r),
        replace("notices/cn.xml", 'currencyID="NOK">16000000', 'currencyID="NOK">NaN')(r)),
                                          Counted("notices: estimated value is not an amount with a currency "
                                                  "(read as unknown)", 1)),
    "xml business registration notice": (write("notices/x01.xml", (EFORMS.parent / "real" / "eforms" / "sdk-1.15" /
                                                                   "X01_EEIG.xml").read_text(encoding="utf-8")),
                                         Handled(lambda t: len(t["notices"]) == 1)),
    "xml buyer in messy form": (replace("notices/cn.xml", "<cbc:CompanyID>964967369<",
                                        "<cbc:CompanyID>NO 964 967 369 MVA<"),
                                Handled(lambda t: B in set(t["notice_buyers"]["org_nr"]))),
    "xml unknown subtype": (replace("notices/cn.xml", ">16</cbc:SubTypeCode>", ">99</cbc:SubTypeCode>"),
                            Counted("notices: unknown notice-subtype code '99' (kept)", 1)),
    "xml unknown innovation code": (lambda r: _lot_code(r, "brand-new"),
                                    Counted("notices: unknown innovative-acquisition code 'brand-new' (kept)", 1)),
    "xml duplicated notice": (lambda r: shutil.copyfile(NOTICE, r / "notices" / "copy.xml"),
                              Counted("notices: copies of a notice version already read (counted once)", 1)),
    "xml corrected by a change notice": (write("notices/change.xml", notice_text().replace(
        "<cbc:ID schemeName=\"notice-id\">ac61f12e-f19b-4424-abdd-37af78634acd</cbc:ID>",
        "<cbc:ID schemeName=\"notice-id\">bbbbbbbb-f19b-4424-abdd-37af78634acd</cbc:ID>").replace(
        "<efac:NoticeSubType>", "<efac:Changes><efbc:ChangedNoticeIdentifier>ac61f12e-f19b-4424-abdd-37af78634acd-01"
        "</efbc:ChangedNoticeIdentifier></efac:Changes><efac:NoticeSubType>")),
        Counted("notices: change notices (the latest version of a procedure is counted)", 1)),
    "xml tender count not a number": (write("notices/can.xml", (EFORMS / "nor" / "eu" / "can_24.xml").read_text(
        encoding="utf-8").replace("<efbc:StatisticsNumeric>", "<efbc:StatisticsNumeric>x", 1)),
        Counted("notices: received-submissions count is not a whole number (read as unknown)", 1)),
    # ------------------------------------------------------------------ organisations.csv
    "organisations bad check digit": (replace("organisations.csv", f"{A},", "974760674,"),
                                      Error([("organisations.csv", "row 2", "org_nr")])),
    "organisations messy number forms": (replace("organisations.csv", f"{A},Testetaten",
                                                 "\"NO 974 760 673 MVA\",Testetaten"),
                                         Handled(lambda t: A in set(t["organisations"]["org_nr"]))),
    "organisations unknown type": (replace("organisations.csv", ",state", ",statlig"),
                                   Error([("organisations.csv", "row 2", "org_type")])),
    "organisations listed twice": (replace("organisations.csv", f"{A},Testetaten,state\n",
                                           f"{A},Testetaten,state\nOrg.nr. {A},Igjen,state\n"),
                                   Error([("organisations.csv", "row 2", "org_nr"),
                                          ("organisations.csv", "row 3", "org_nr")])),
    "organisations windows-1252": (lambda r: (r / "organisations.csv").write_bytes(
        f"org_nr;name;org_type\n{A};Tilsynet for fjøs og æøå;state\n{B};Flekkefjord kommune;municipality\n"
        .encode("cp1252")), Handled(lambda t: "Tilsynet for fjøs og æøå" in set(t["organisations"]["name"]))),
    "organisations missing": (lambda r: (r / "organisations.csv").unlink(),
                              Error([("organisations.csv", "file", "organisations.csv")])),
    # ------------------------------------------------------------------ spend ledger
    "spend wrong delimiter": (spend(f"{A}|976030788|100|2024-01-01\n",
                                    "org_nr|supplier_org_nr|amount_nok|invoice_date"),
                              Error([("ledger.csv", "line 1", c) for c in
                                     ("org_nr", "supplier_org_nr", "amount_nok", "invoice_date")])),
    "spend missing column": (spend(f"{A};976030788;2024-01-01\n", "org_nr;supplier_org_nr;invoice_date"),
                             Error([("ledger.csv", "line 1", "amount_nok")])),
    "spend extra columns": (spend(f"{A};976030788;100;2024-01-01;x\n",
                                  "org_nr;supplier_org_nr;amount_nok;invoice_date;project"),
                            Counted("spend: extra columns ignored in ledger.csv (project)", 1)),
    "spend bom and decimal comma": (lambda r: (r / "spend" / "ledger.csv").write_bytes(
        b"\xef\xbb\xbf" + f"org_nr;supplier_org_nr;amount_nok;invoice_date\n{A};976030788;1.234,56;2024-01-01\n"
        .encode()), Handled(lambda t: t["spend"]["amount_ore"].tolist() == [123456])),
    "spend windows-1252 comma delimiter": (lambda r: (r / "spend" / "ledger.csv").write_bytes(
        f"org_nr,supplier_org_nr,amount_nok,invoice_date,merknad\n{A},976030788,\"12,50\",2024-01-01,Bøker\n"
        .encode("cp1252")), Handled(lambda t: t["spend"]["amount_ore"].tolist() == [1250])),
    "spend text in amount": (spend(f"{A};976030788;ca. 100;2024-01-01\n"),
                             Error([("ledger.csv", "row 2", "amount_nok")])),
    "spend amount with three decimals": (spend(f"{A};976030788;10,505;2024-01-01\n"),
                                         Error([("ledger.csv", "row 2", "amount_nok")])),
    "spend norwegian dates": (spend(f"{A};976030788;100;31.12.2024\n"),
                              Handled(lambda t: t["spend"]["invoice_date"].tolist() == ["2024-12-31"])),
    "spend impossible date": (spend(f"{A};976030788;100;31.02.2024\n"),
                              Error([("ledger.csv", "row 2", "invoice_date")])),
    "spend empty file": (write("spend/ledger.csv", ""), Error([("ledger.csv", "file", "content")])),
    "spend duplicate rows": (spend(f"{A};976030788;100;2024-01-01\n" * 3),
                             Counted("spend: lines identical to an earlier line (kept: two equal invoices are "
                                     "possible; check the export)", 2)),
    "spend credit notes": (spend(f"{A};976030788;-100;2024-01-01\n{A};976030788;−50,00;2024-01-02\n"),
                           Counted("spend: credit notes (negative lines, counted)", 2)),
    "spend invalid supplier number": (spend(f"{A};123456789;100;2024-01-01\n{A};;5;2024-01-01\n"),
                                      Counted("spend: lines whose supplier has no valid Norwegian organisation "
                                              "number (kept, size unknown)", 1)),
    "spend organisation not in list": (spend(f"{A};976030788;100;2024-01-01\n923609016;976030788;5;2024-01-01\n"),
                                       Counted("spend: rows of organisations not in organisations.csv (excluded)",
                                               1)),
    "spend every problem reported": (spend(f"{A};976030788;x;2024-01-01\n97476067;976030788;1;soon\n"),
                                     Error([("ledger.csv", "row 3", "org_nr"), ("ledger.csv", "row 2", "amount_nok"),
                                            ("ledger.csv", "row 3", "invoice_date")])),
    # ------------------------------------------------------------------ surveys
    "survey value outside scale": (replace("surveys/survey.csv", "innovation_maturity,3", "innovation_maturity,7"),
                                   Error([("survey.csv", "row 2", "value")])),
    "survey dont know": (replace("surveys/survey.csv", "innovation_maturity,3", "innovation_maturity,9"),
                         Counted("surveys: 'don't know' answers (kept as no value)", 1)),
    "survey unknown item": (lambda r: (r / "surveys" / "survey.csv").open("a").write(f"{A},2024,r1,shoe_size,44\n"),
                            Counted("surveys: answers to items not in the item map (excluded)", 1)),
    "survey repeated answer": (lambda r: (r / "surveys" / "survey.csv").open("a").write(
        f"{A},2024,r0,innovation_maturity,5\n"),
        Counted("surveys: repeated answers by the same respondent (the last one kept)", 1)),
    "survey year as text": (replace("surveys/survey.csv", f"{A},2024,r0", f"{A},i fjor,r0"),
                            Error([("survey.csv", "row 2", "year")])),
    # ------------------------------------------------------------------ gain register
    "gains baseline after result": (replace("gains/effects.csv", "2024-12-31", "2023-12-31"),
                                    Error([("effects.csv", "row 2", "date")])),
    "gains unit does not match": (replace("gains/effects.csv", "efficiency,NOK", "efficiency,timer"),
                                  Error([("effects.csv", "row 2", "unit")])),
    "gains unknown goal": (replace("gains/effects.csv", "e1,g1", "e1,g9"),
                           Error([("effects.csv", "row 2", "goal_id")])),
    "gains measure ends before start": (replace("gains/measures.csv", "2024-12-31", "2024-01-01"),
                                        Error([("measures.csv", "row 2", "end")])),
    "gains risk outside 1-5": (replace("gains/goals.csv", "Kari,2,3", "Kari,7,3"),
                               Error([("goals.csv", "row 2", "risk_likelihood")])),
    "gains unknown status": (replace("gains/implementations.csv", "m1,done", "m1,ferdig"),
                             Error([("implementations.csv", "row 2", "status")])),
    # ------------------------------------------------------------------ Enhetsregisteret
    "registry malformed json": (write("suppliers/units.json", "[{\"organisasjonsnummer\": "),
                                Refused([("units.json", "line 1", "json")])),
    "registry not a registry document": (write("suppliers/units.json", "{\"hello\": 1}"),
                                         Refused([("units.json", "document", "organisasjonsnummer")])),
    "registry unit without valid number": (write("suppliers/units.json", json.dumps(
        UNITS + [{"organisasjonsnummer": "123", "navn": "X"}])),
        Counted("suppliers: units without a valid organisation number (excluded)", 1)),
    # ------------------------------------------------------------------ contracts, evaluations, training
    "contracts every problem at once": (write("contracts/k.csv", CONTRACTS + f"{A};k1;p1;;2024-02-30;SSA-T;ja;\n"
                                              f"{A};k2;p1;123;2024-03-01;SSA-X;kanskje;\n"),
                                        Error([("k.csv", "row 3", "supplier_org_nr"), ("k.csv", "row 2", "signed_date"),
                                               ("k.csv", "row 3", "standard"),
                                               ("k.csv", "row 3", "development_phases")])),
    "contracts id in two files": (lambda r: (write("contracts/a.csv", f"{CONTRACTS}{A};k1;p1;;2024-02-01;PS2000\n")(r),
                                             write("contracts/b.csv", f"{CONTRACTS}{A};k1;p2;;2024-02-01;PS2000\n")(r)),
                                  Error([("a.csv", "row 2", "contract_id"), ("b.csv", "row 2", "contract_id")])),
    "contracts missing column": (write("contracts/k.csv", f"org_nr;contract_id;signed_date;standard\n{A};k1;;\n"),
                                 Error([("k.csv", "line 1", "procurement_id")])),
    "contracts flags left empty": (write("contracts/k.csv", CONTRACTS + f"{A};k1;p1;;2024-02-01;ssa-t;;ja\n"),
                                   Counted("contracts: yes/no fields left empty (unknown, not 'no')", 5)),
    "evaluations unknown contract and score": (
        lambda r: (write("contracts/k.csv", CONTRACTS + f"{A};k1;p1;;2024-02-01;PS2000\n")(r),
                   write("evaluations/e.csv", "contract_id,evaluation_date,score\nk1,2025-01-01,6\n"
                                              "k9,2025-01-01,4\n")(r)),
        Error([("e.csv", "row 2", "score"), ("e.csv", "row 3", "contract_id")])),
    "training fte not a number": (write("training/t.csv", "org_nr,year,procurement_fte,trained_fte\n"
                                                  f"{A},2024,2,3\n{A},2025,x,1\n"),
                                            Error([("t.csv", "row 3", "procurement_fte")])),
    "training trained above total": (write("training/t.csv", "org_nr,year,procurement_fte,trained_fte\n"
                                                             f"{A},2024,2,3\n"),
                                     Error([("t.csv", "row 2", "trained_fte")])),
    "training year twice": (write("training/t.csv", f"org_nr,year,procurement_fte,trained_fte\n{A},2024,2,1\n"
                                                    f"{A},2024,3,1\n"),
                            Error([("t.csv", "row 2", "year"), ("t.csv", "row 3", "year")])),
    # ------------------------------------------------------------------ Regnskapsregisteret
    "accounts http 500 body": (lambda r: shutil.copyfile(ACCOUNTS / "foretak__brreg_regnskap_500.json",
                                                         (r / "accounts").mkdir() or r / "accounts" / "916823525.json"),
                               Refused([("916823525.json", "document", "status")])),
    "accounts malformed json": (write("accounts/x.json", "[{"), Refused([("x.json", "line 1", "json")])),
    "accounts empty array": (write("accounts/x.json", "[]"),
                             Counted("accounts: responses with no filings (empty array)", 1)),
    "accounts filing without a period end": (write("accounts/x.json", json.dumps(
        [{"virksomhet": {"organisasjonsnummer": "976030788"}, "regnskapsperiode": {"tilDato": "2024-02-30"}}])),
        Refused([("x.json", "[0].regnskapsperiode", "tilDato")])),
    # ------------------------------------------------------------------ legacy TED CSV
    "ted foreign buyer": (write("ted/can.csv", "ID_NOTICE_CAN,DT_DISPATCH,ISO_COUNTRY_CODE,CAE_NATIONALID,CPV,"
                                "TOP_TYPE\n2019-1,15/01/19,SE,556000-0000,72000000,OPE\n"),
                          Counted("ted: rows of buyers outside Norway (excluded)", 1)),
    "ted bad date": (write("ted/can.csv", "ID_NOTICE_CAN,DT_DISPATCH,ISO_COUNTRY_CODE,CAE_NATIONALID,CPV,TOP_TYPE\n"
                           f"2019-1,in january,NO,{A},72000000,OPE\n"),
                     Refused([("can.csv", "row 2", "dt_dispatch")])),
    # ------------------------------------------------------------------ Excel workbooks
    "xlsx not a zip": (write("contracts/register.xlsx", b"org_nr;contract_id\n974760673;K1\n"),
                       Error([("register.xlsx", "file", "workbook")])),
    "xlsx cut short": (lambda r: write("contracts/register.xlsx", workbook_bytes(
                           "contract-register", "contracts", [CONTRACT])[:3000])(r),
                       Error([("register.xlsx", "file", "workbook")])),
    "xlsx zip bomb": (zip_bomb, Error([("register.xlsx", "file", "workbook")])),
    "xlsx encrypted": (write("contracts/register.xlsx", wb_ole()), Error([("register.xlsx", "file", "workbook")])),
    "xls old format": (write("training/training.xls", wb_ole()), Error([("training.xls", "file", "workbook")])),
    "xlsm macro workbook": (lambda r: write("contracts/register.xlsm", workbook_bytes(
                                "contract-register", "contracts", [CONTRACT]))(r),
                            Error([("register.xlsm", "file", "workbook")])),
    "xlsx holding VBA": (lambda r: write("contracts/register.xlsx", with_part(workbook_bytes(
                             "contract-register", "contracts", [CONTRACT]), "xl/vbaProject.bin", b"\0" * 64))(r),
                         Error([("register.xlsx", "file", "workbook")])),
    "xlsx DOCTYPE in a part": (lambda r: write("contracts/register.xlsx", patched(workbook_bytes(
                                   "contract-register", "contracts", [CONTRACT]), SHEET2, r"^<worksheet",
                                   '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet'))(r),
                               Error([("register.xlsx", f"part {SHEET2}", "workbook")])),
    "xlsx missing sheet": (lambda r: write("gains/gain-register.xlsx", workbook_bytes(
                               "gain-register", "goals", [], remove_sheet("Effects")))(r),
                           Error([("gain-register.xlsx", "sheet", "effects")])),
    "xlsx renamed column": (lambda r: write("contracts/register.xlsx", workbook_bytes(
                                "contract-register", "contracts", [CONTRACT], renamed))(r),
                            Error([("register.xlsx", "sheet Contracts, row 1", "contract_id")])),
    "xlsx moved columns": (workbook("contracts/register.xlsx", "contract-register", "contracts", [CONTRACT], moved),
                           Handled(lambda t: t["contracts"][["contract_id", "procurement_id", "ipr"]].values.tolist()
                                   == [["K1", "P1", True]])),
    "xlsx merged cells": (workbook("contracts/register.xlsx", "contract-register", "contracts", [CONTRACT], merged),
                          Error([("register.xlsx", "sheet Contracts, cells B2:C2", "cells")])),
    "xlsx value outside the list": (workbook("contracts/register.xlsx", "contract-register", "contracts",
                                             [{**CONTRACT, "standard": "SSA-X"}]),
                                    Error([("register.xlsx", "sheet Contracts, row 2", "standard")])),
    "xlsx yes/no outside the list": (workbook("contracts/register.xlsx", "contract-register", "contracts",
                                              [{**CONTRACT, "ipr": "maybe"}]),
                                     Error([("register.xlsx", "sheet Contracts, row 2", "ipr")])),
    "xlsx status outside the list": (workbook("gains/gain-register.xlsx", "gain-register", "implementations",
                                              [{"measure_id": "m1", "status": "over"}]),
                                     Error([("gain-register.xlsx", "sheet Implementations, row 2", "status")])),
    "xlsx unknown goal in effects": (lambda r: write("gains/gain-register.xlsx", workbook_bytes(
                                         "gain-register", "effects", [{"effect_id": "e9", "goal_id": "g9",
                                                                       "gain_type": "quality", "unit": "%"}]))(r),
                                     Error([("gain-register.xlsx", "sheet Effects, row 2", "goal_id")])),
    "xlsx 100,000 empty formatted rows": (workbook("contracts/register.xlsx", "contract-register", "contracts",
                                                   [CONTRACT], formatted_rows),
                                          Handled(lambda t: t["contracts"]["contract_id"].tolist() == ["K1"])),
    "xlsx example rows left in": (workbook("contracts/register.xlsx", "contract-register", "contracts", [CONTRACT],
                                           keep_examples=True),
                                  Counted("contracts: example rows in workbooks (ignored)", 1)),
    "xlsx example mark changed": (workbook("contracts/register.xlsx", "contract-register", "contracts", [CONTRACT],
                                           example_mark("x")),
                                  Error([("register.xlsx", "sheet Contracts, row 2", "example")])),
    "xlsx formula without a saved value": (workbook("training/training.xlsx", "training", "training", [TRAINING],
                                                    formula("E2", "=D2*0.4")),
                                           Error([("training.xlsx", "sheet Training, row 2", "trained_fte")])),
    "xlsx formula with its saved value": (lambda r: write("training/training.xlsx", patched(workbook_bytes(
                                              "training", "training", [TRAINING], formula("E2", "=D2*0.4")),
                                              SHEET2, r"(<f>D2\*0\.4</f>)<v\s*/>|(<f>D2\*0\.4</f>)<v></v>",
                                              r"\1\2<v>4</v>"))(r),
                                          Handled(training_table(lambda row: row["trained_fte"] == 4))),
    "xlsx external link with its saved value": (lambda r: write("training/training.xlsx", patched(workbook_bytes(
                                                    "training", "training", [TRAINING],
                                                    formula("D2", "='[budget.xlsx]Ark1'!B7")),
                                                    SHEET2, r"(<f>[^<]*budget[^<]*</f>)(<v\s*/>|<v></v>)",
                                                    r"\1<v>12.5</v>"))(r),
                                                Handled(training_table(lambda row: row["procurement_fte"] == 12.5))),
    "xlsx date typed as text": (workbook("contracts/register.xlsx", "contract-register", "contracts",
                                         [{**CONTRACT, "signed_date": "01.03.2024"}]),
                                Handled(lambda t: t["contracts"]["signed_date"].tolist() == ["2024-03-01"])),
    "excel lock file beside a workbook": (write("contracts/~$register.xlsx", b"\x0bKari Nordmann"),
                                          Handled(lambda t: len(t["contracts"]) == 0)),
    # ------------------------------------------------------------------ commentary files (the body's own words)
    "commentary unknown indicator ID": (write(f"commentary/2024/{A}.md", "Vurdering.\n\n## P99\nTekst.\n"),
                                        Refused([(f"{A}.md", "line 3", "indicator")])),
    "commentary year not in the dataset": (write(f"commentary/2031/{A}.md", "Vurdering.\n"),
                                           Refused([(f"{A}.md", "file", "year")])),
    "commentary organisation not in the dataset": (write("commentary/2024/123456785.md", "Vurdering.\n"),
                                                   Refused([("123456785.md", "file", "org_nr")])),
    "commentary not UTF-8": (write(f"commentary/2024/{A}.md", "Vi nådde målet.\n".encode("cp1252")),
                             Refused([(f"{A}.md", "line 1", "encoding")])),
    "commentary dates that are no dates": (write(f"commentary/2024/{A}.md", "---\ndate: 31.02.2025\n---\nTekst.\n\n"
                                                 "## Tiltak\n- Markedsdialog (leder, 2025-13-01)\n"),
                                           Refused([(f"{A}.md", "line 2", "date"), (f"{A}.md", "line 7", "date")])),
    "commentary not a commentary file": (write("commentary/2024/notat.docx", b"PK\x03\x04"),
                                         Refused([("notat.docx", "file", "path")])),
    "commentary with a script, onerror and javascript: links": (
        write(f"commentary/2024/{A}.md", UNSAFE_MARKDOWN),
        Handled(lambda t: _shown_as_text(t["commentary"]))),
}


def run(tmp_path: Path, mutate: Callable[[Path], None], params: dict | None = None, *options: str):
    root = tmp_path / "data"
    if not root.exists():
        mutate(base(root))
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"data": str(root), "output": str(tmp_path / "out"), **(params or {})}),
                    encoding="utf-8")
    return CliRunner().invoke(app, ["ingest", "--params", str(path), *options])


def error_lines(output: str) -> list[tuple[str, str, str]]:
    lines = [line.removeprefix("error: ") for line in output.splitlines() if line.startswith("error: ")]
    return [(Path(ln.split(": ")[0]).name, ln.split(": ")[1], ln.split(": ")[2]) for ln in lines]


def test_the_base_dataset_is_valid(tmp_path):
    result = run(tmp_path, lambda root: None)
    assert result.exit_code == 0, result.output
    quality = json.loads((tmp_path / "out" / "data" / "quality.json").read_text(encoding="utf-8"))
    assert quality["rows"]["notices"] == 1 and quality["rows"]["spend"] == 2


def test_the_corpus_has_at_least_40_cases():
    assert len(CASES) + len(PARAMS_CASES) >= 40


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(tmp_path, name):
    mutate, expected = CASES[name]
    result = run(tmp_path, mutate)
    assert "Traceback" not in result.output
    if isinstance(expected, Error):
        assert result.exit_code == 2, result.output
        assert error_lines(result.output) == expected.problems, result.output
        assert not (tmp_path / "out" / "data" / "organisations.parquet").exists()  # nothing written
        return
    assert result.exit_code == 0, result.output
    quality = json.loads((tmp_path / "out" / "data" / "quality.json").read_text(encoding="utf-8"))
    if isinstance(expected, Refused):
        got = [(Path(r["file"]).name, r["where"], r["field"]) for r in quality["refused"]]
        assert got == expected.problems, quality["refused"]
        assert f"{len(got)} refused" in result.output  # the closing summary names them
        strict = run(tmp_path, mutate, None, "--strict")
        assert strict.exit_code == 2 and "Traceback" not in strict.output, strict.output
        assert error_lines(strict.output) == expected.problems, strict.output
    elif isinstance(expected, Counted):
        assert quality["counts"].get(expected.what) == expected.count, quality["counts"]
    else:
        assert expected.check(tables_of(tmp_path / "out"))


# Params files: codes stay text, unknown keys are errors.
PARAMS_CASES = {
    "params unquoted org code": ("orgs: [0301]\n", Error([("params.yaml", "key orgs", "orgs")])),
    "params NO as a language": ("lang: NO\n", Error([("params.yaml", "key lang", "lang")])),
    "params unknown key": ("colour: blue\n", Error([("params.yaml", "key colour", "colour")])),
    "params year as a number": ("years: [2024, 20x5]\n", Error([("params.yaml", "key years", "years")])),
}


@pytest.mark.parametrize("name", list(PARAMS_CASES))
def test_bad_params(tmp_path, name):
    extra, expected = PARAMS_CASES[name]
    root = base(tmp_path / "data")
    path = tmp_path / "params.yaml"
    path.write_text(f"data: {root}\noutput: {tmp_path / 'out'}\n{extra}", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--params", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert error_lines(result.output) == expected.problems
