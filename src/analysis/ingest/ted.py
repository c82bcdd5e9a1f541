"""Legacy TED CSV (data.europa.eu dataset "ted-csv", 2006–2023): contract notices and contract award notices.

The files carry one row per lot (contract notices) or per award (contract award notices), with the real
column names of the dataset (`ID_NOTICE_CN`, `ID_NOTICE_CAN`, `CAE_NATIONALID`, `TOP_TYPE`,
`B_CONTRACTOR_SME`, `NUMBER_TENDERS_SME`, ...). Rows become the same `Notice` records as eForms notices,
so every indicator reads them alike: rows of one notice are grouped into its lots, awards and
received-tender counts. Norwegian buyers only; other countries and cancelled notices are counted and
excluded. An award notice is linked to its contract notice through the CN file's `FUTURE_CAN_ID`.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import thresholds
from ..errors import InputError, Problem
from ..orgnr import normalise
from . import csvfiles
from .eforms import Award, Buyer, Lot, Notice, Submissions

COMMON = ["iso_country_code", "cae_nationalid", "dt_dispatch", "cpv", "top_type"]
OPTIONAL = ("cae_type", "type_of_contract", "value_euro", "cancelled", "out_of_directives", "b_multiple_cae",
            "id_lot", "id_lot_awarded", "id_award", "win_nationalid", "win_country_code", "b_contractor_sme",
            "number_offers", "number_tenders_sme", "future_can_id", "lots_number")
# TOP_TYPE (type of procedure) to BT-105 procurement-procedure-type.
PROCEDURES = {"OPE": "open", "RES": "restricted", "NIC": "neg-w-call", "NIP": "neg-w-call", "NEG": "neg-w-call",
              "NOC": "neg-wo-call", "NOP": "neg-wo-call", "AWP": "neg-wo-call", "COD": "comp-dial",
              "INP": "innovation"}
CAE_TYPES = {"1": "cga", "3": "ra", "5": "eu-ins-bod-ag", "6": "body-pl"}  # CAE_TYPE to BT-11 (where clear)
NATURES = {"S": "services", "U": "supplies", "W": "works", "SERVICES": "services", "SUPPLIES": "supplies",
           "WORKS": "works"}
_MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"), start=1)}


def parse_date(value: str) -> str | None:
    """TED CSV dates: `2018-01-15`, `15/01/18`, `15/01/2018`, `15-JAN-18`, and the Norwegian `15.01.2018`."""
    if iso := csvfiles.parse_date(value):
        return iso
    if m := re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})", value):
        day, month, year = m.group(1), _MONTHS.get(m.group(2).upper()), m.group(3)
        if month is None:
            return None
        value = f"{day}/{month}/{year}"
    for pattern in ("%d/%m/%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _yes(value: str) -> bool:
    return value.strip().upper() in {"Y", "YES", "1", "TRUE"}


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def parse_file(path: Path, quality: Counter, refused: list[Problem] | None = None
               ) -> tuple[list[Notice], dict[str, str]]:
    """The notices of one TED CSV file, and the CAN→CN links its `FUTURE_CAN_ID` column gives. With a
    `refused` list, rows with a bad value are refused there (the rest of the file goes on); without, they
    raise one InputError."""
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").splitlines()[0].upper()
    award_file = "ID_NOTICE_CAN" in head
    key = "id_notice_can" if award_file else "id_notice_cn"
    frame, _ = csvfiles.read(path, [key, *COMMON], OPTIONAL)
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    conv = csvfiles.Converter(path, frame)
    frame["day"] = conv.convert("dt_dispatch", parse_date, "a date (2018-01-15, 15/01/18 or 15-JAN-18)")
    frame["value"] = conv.convert("value_euro", csvfiles.parse_number, "an amount in EUR", optional=True)
    for col in ("number_offers", "number_tenders_sme"):
        conv.convert(col, _count, "a whole number", optional=True)
    foreign = frame["iso_country_code"].str.upper() != "NO"
    cancelled = frame["cancelled"].map(_yes)
    quality["ted: rows of buyers outside Norway (excluded)"] += int(foreign.sum())
    quality["ted: rows of cancelled notices (excluded)"] += int((cancelled & ~foreign).sum())
    frame = frame[~foreign & ~cancelled]
    missing = frame[key] == ""
    for line in frame.loc[missing, "_line"]:
        conv.problems.append(Problem(str(path), f"row {line}", key.upper(), "the notice has no ID"))
    if refused is None:
        conv.check()
    else:
        refused += conv.problems
        frame = frame[~frame["_line"].isin({int(p.where.split()[-1]) for p in conv.problems})]
    notices = [_notice(path, notice_id, rows, award_file, quality) for notice_id, rows in frame.groupby(key, sort=True)]
    links = {} if award_file else {
        can: cn for cn, can in zip(frame["id_notice_cn"], frame["future_can_id"], strict=True) if can}
    return notices, links


def _notice(path: Path, notice_id: str, rows: pd.DataFrame, award_file: bool, quality: Counter) -> Notice:
    first = rows.iloc[0]
    day = first["day"]
    raw_ids = [r for r in re.split(r"\s*-{3}\s*", first["cae_nationalid"]) if r]
    buyers = [Buyer(raw, normalise(raw), CAE_TYPES.get(first["cae_type"])) for raw in raw_ids] or [
        Buyer(None, None, CAE_TYPES.get(first["cae_type"]))]
    top = first["top_type"].upper()
    if top and top not in PROCEDURES:
        quality[f"ted: unknown TOP_TYPE code {top!r} (kept without a procedure type)"] += 1
    nature = NATURES.get(first["type_of_contract"].upper())
    if _yes(first["out_of_directives"]):
        above = False
    else:  # published on TED; a value below the dated threshold means a voluntary publication
        by_value = thresholds.above(first["value"], "EUR", day, thresholds.buyer_type(buyers[0].legal_type), nature)
        above = True if by_value is None else by_value
    lots, awards, subs = [], [], []
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        lot_id = (row.id_lot_awarded or row.id_lot or row.id_award or str(i)) if award_file else (row.id_lot or str(i))
        if lot_id not in {lot.lot_id for lot in lots}:
            lots.append(Lot(lot_id, row.cpv or None, None, [], [], None))
        if award_file:
            foreign = row.win_country_code.upper() not in ("", "NO")
            size = {"Y": "sme", "N": "large"}.get(row.b_contractor_sme.upper()[:1]) if row.b_contractor_sme else None
            awards.append(Award(lot_id, row.win_nationalid or None,
                                None if foreign else normalise(row.win_nationalid), size))
            for code, value in (("tenders", row.number_offers), ("t-sme", row.number_tenders_sme)):
                if (count := _count(value)) is not None:
                    subs.append(Submissions(lot_id, code, count))
    return Notice(
        source=f"{path}#{notice_id}", notice_id=notice_id, version="01", folder_id=notice_id,
        subtype="ted-can" if award_file else "ted-cn", form_type="result" if award_file else "competition",
        notice_type="ted-csv", issue_date=day, customization="ted-csv", above_eea=above,
        procedure_type=PROCEDURES.get(top), main_cpv=first["cpv"] or None, changed_notice=None,
        buyers=buyers, lots=lots, awards=awards, submissions=subs)


def read(paths: list[Path], quality: Counter, refused: list[Problem] | None = None) -> list[Notice]:
    """Every TED CSV file; award notices take the ID of their contract notice as their procedure (folder).
    Files and rows that cannot be read go to `refused`; without it, they raise one InputError."""
    notices, links, problems = [], {}, []
    for path in paths:
        try:
            found, found_links = parse_file(path, quality, problems)
        except InputError as exc:
            problems += exc.problems
            continue
        notices += found
        links.update(found_links)
    if refused is not None:
        refused += problems
    elif problems:
        raise InputError(problems)
    for n in notices:
        if n.form_type == "result" and n.notice_id in links:
            n.folder_id = links[n.notice_id]
    return notices
