"""The organisation's own registers: contracts (kontraktsregister), post-contract evaluations
(etterevaluering) and training (competence). Strict: every problem of a file is reported at once (exit 2).

  contracts/*.csv    org_nr, contract_id, procurement_id, supplier_org_nr, signed_date, standard,
                     development_phases, ipr, scaling, new_to_market, new_to_org, innovation_friendly
  evaluations/*.csv  contract_id, evaluation_date, score (1–5), respondent_id
  training/*.csv     org_nr, year, procurement_fte, trained_fte

Yes/no columns take ja/nei, yes/no, true/false or 1/0; left empty they are unknown (never "no").
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from . import csvfiles
from .vocabularies import STANDARDS

_YES = {"ja": True, "yes": True, "true": True, "1": True, "j": True, "y": True,
        "nei": False, "no": False, "false": False, "0": False, "n": False}
FLAGS = ("development_phases", "ipr", "scaling", "new_to_market", "new_to_org", "innovation_friendly")
CONTRACT_COLUMNS = ["org_nr", "contract_id", "procurement_id", "supplier_org_nr", "signed_date", "standard",
                    *FLAGS]
EVALUATION_COLUMNS = ["contract_id", "evaluation_date", "score", "respondent_id"]
TRAINING_COLUMNS = ["org_nr", "year", "procurement_fte", "trained_fte"]


def _read_all(paths: list[Path], read) -> list[pd.DataFrame]:
    """Reads every file with `read`, collecting the problems of all files before raising."""
    frames, found = [], []
    for path in paths:
        try:
            frames.append(read(path))
        except InputError as exc:
            found += exc.problems
    if found:
        raise InputError(found)
    return frames


def _checked(table: str, conv: csvfiles.Converter, out: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """A file's converted rows after the table's schema, with the file and line each row came from."""
    out["_file"] = str(conv.path)
    conv.validate(table, out)
    conv.check()
    return out.assign(_line=frame["_line"].to_numpy())


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _flag(value: str) -> bool | None:
    return _YES.get(value.lower())


def contracts(paths: list[Path], quality: Counter) -> pd.DataFrame:
    """The contract register: one row per contract. A contract ID may occur once over all files."""
    def read(path: Path) -> pd.DataFrame:
        frame, extra = csvfiles.read_table(path, CONTRACT_COLUMNS[:3] + ["signed_date", "standard"],
                                           ("supplier_org_nr", *FLAGS), sheet="contracts", label=None,
                                           quality=quality, source="contracts")
        for column in ("supplier_org_nr", *FLAGS):
            if column not in frame.columns:
                frame[column] = ""
        if extra:
            quality[f"contracts: extra columns ignored in {path.name} ({', '.join(extra)})"] += 1
        conv = csvfiles.Converter(path, frame)
        lower = {s.lower(): s for s in STANDARDS}
        out = pd.DataFrame({
            "org_nr": conv.org_nr("org_nr"), "contract_id": conv.text("contract_id"),
            "procurement_id": conv.text("procurement_id"),
            "supplier_org_nr": conv.org_nr("supplier_org_nr", optional=True),
            "signed_date": conv.date("signed_date"),
            "standard": conv.convert("standard", lambda v: lower.get(v.lower()), f"one of {', '.join(STANDARDS)}"),
            **{c: conv.convert(c, _flag, "ja/nei (yes/no, true/false, 1/0) or empty", optional=True)
               for c in FLAGS}})
        return _checked("contracts", conv, out, frame)

    frames = _read_all(paths, read)
    frame = _concat(frames, [*CONTRACT_COLUMNS, "_file", "_line"])
    _unique(frame, "contract_id")
    quality["contracts: yes/no fields left empty (unknown, not 'no')"] += int(frame[list(FLAGS)].isna().sum().sum())
    frame = frame.astype({c: "boolean" for c in FLAGS})
    return frame.drop(columns=["_file", "_line"]).sort_values("contract_id").reset_index(drop=True)


def _unique(frame: pd.DataFrame, column: str) -> None:
    """The same ID in two rows (of one file or of two) is an error naming both rows."""
    repeated = frame[frame[column].duplicated(keep=False)]
    if len(repeated):
        raise InputError([Problem(r["_file"], csvfiles.where(r["_line"]), column,
                                  f"{r[column]!r} occurs more than once")
                          for r in repeated.to_dict("records")])


def evaluations(paths: list[Path], contract_ids: set[str], quality: Counter) -> pd.DataFrame:
    """Post-contract evaluations: how well the solution met the need, 1–5, per contract (and respondent).
    Every contract ID must be in the contract register."""
    def read(path: Path) -> pd.DataFrame:
        frame, _ = csvfiles.read_table(path, EVALUATION_COLUMNS[:3], ("respondent_id",), sheet="evaluations",
                                       label=None, quality=quality, source="evaluations")
        if "respondent_id" not in frame.columns:
            frame["respondent_id"] = ""
        conv = csvfiles.Converter(path, frame)
        out = pd.DataFrame({
            "contract_id": conv.text("contract_id"), "evaluation_date": conv.date("evaluation_date"),
            "score": conv.convert("score", lambda v: int(v) if v in {"1", "2", "3", "4", "5"} else None,
                                  "a score from 1 to 5"),
            "respondent_id": frame["respondent_id"].where(frame["respondent_id"] != "", None)})
        for row, line in zip(out["contract_id"], frame["_line"], strict=True):
            if row is not None and row not in contract_ids:
                conv.problems.append(Problem(str(path), csvfiles.where(line), "contract_id",
                                             f"{row!r} is not a contract_id in contracts/"))
        conv.check()
        return out

    frames = _read_all(paths, read)
    frame = _concat(frames, EVALUATION_COLUMNS)
    frame["score"] = frame["score"].astype("int64")
    dupes = frame.duplicated(["contract_id", "respondent_id", "evaluation_date"], keep="last")
    quality["evaluations: repeated evaluations (the last one kept)"] += int(dupes.sum())
    return frame[~dupes].sort_values(EVALUATION_COLUMNS[:2]).reset_index(drop=True)


def training(paths: list[Path], quality: Counter) -> pd.DataFrame:
    """Procurement FTE and FTE trained in innovation methods, per organisation and year."""
    def read(path: Path) -> pd.DataFrame:
        frame, _ = csvfiles.read_table(path, TRAINING_COLUMNS, sheet="training", label=None, quality=quality,
                                       source="training")
        conv = csvfiles.Converter(path, frame)
        out = pd.DataFrame({"org_nr": conv.org_nr("org_nr"), "year": conv.year("year"),
                            "procurement_fte": conv.number("procurement_fte"),
                            "trained_fte": conv.number("trained_fte")})
        conv.check()
        out[["procurement_fte", "trained_fte"]] = out[["procurement_fte", "trained_fte"]].astype("float64")
        return _checked("training", conv, out, frame)

    frames = _read_all(paths, read)
    frame = _concat(frames, [*TRAINING_COLUMNS, "_file", "_line"])
    repeated = frame[frame.duplicated(["org_nr", "year"], keep=False)]
    if len(repeated):
        raise InputError([Problem(r["_file"], csvfiles.where(r["_line"]), "year", f"{r['org_nr']} {r['year']} occurs "
                                  "more than once") for r in repeated.to_dict("records")])
    frame = frame.drop(columns=["_file", "_line"]).astype({"procurement_fte": "float64", "trained_fte": "float64"})
    return frame.sort_values(["org_nr", "year"]).reset_index(drop=True)
