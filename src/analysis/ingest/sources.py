"""Loaders for every source of the dataset directory, each returning tables and what it excluded."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..i18n import LANGS
from ..orgnr import normalise
from . import csvfiles, workbook
from .vocabularies import GAIN_TYPES, ORG_TYPES, STATUSES


def organisations(path: Path) -> pd.DataFrame:
    """The organisations; an optional `lang` column (nb, nn, en) gives the language of a body's reports
    (empty: the params' `lang`)."""
    frame, _ = csvfiles.read(path, ["org_nr", "name", "org_type"], optional=("lang",))
    conv = csvfiles.Converter(path, frame)
    out = pd.DataFrame({"org_nr": conv.org_nr("org_nr"), "name": conv.text("name"),
                        "org_type": conv.choice("org_type", ORG_TYPES),
                        "lang": conv.choice("lang", LANGS, optional=True) if "lang" in frame else None})
    conv.validate("organisations", out)
    conv.check()
    return out.sort_values("org_nr").reset_index(drop=True)


# Columns of Enhetsregisteret's bulk CSV export: the API field names (`antallAnsatte`, read in lower case),
# and the labels of the older export (`Antall ansatte`).
BRREG_CSV = {"organisasjonsnummer": ("organisasjonsnummer",), "navn": ("navn",),
             "organisasjonsform": ("organisasjonsform.kode",),
             "antallAnsatte": ("antallansatte", "antall ansatte"),
             "harRegistrertAntallAnsatte": ("harregistrertantallansatte", "har registrert antall ansatte"),
             "stiftelsesdato": ("stiftelsesdato",),
             "naeringskode1": ("naeringskode1.kode", "næringskode 1", "naeringskode 1"),
             "postnummer": ("forretningsadresse.postnummer", "forretningsadresse postnummer")}


def _brreg_csv(path: Path) -> list[dict]:
    """Rows of the bulk CSV export in the shape of the API's unit JSON."""
    frame, _ = csvfiles.read(path, ["organisasjonsnummer"], tuple(c for cs in BRREG_CSV.values() for c in cs))
    col = {key: next((c for c in names if c in frame.columns), None) for key, names in BRREG_CSV.items()}
    units = []
    for row in frame.to_dict("records"):
        get = {key: (row[c] if c else "") for key, c in col.items()}
        registered = get["harRegistrertAntallAnsatte"].lower()
        units.append({"organisasjonsnummer": get["organisasjonsnummer"], "navn": get["navn"] or None,
                      "organisasjonsform": {"kode": get["organisasjonsform"] or None},
                      "antallAnsatte": get["antallAnsatte"] or None,
                      "harRegistrertAntallAnsatte": {"true": True, "false": False}.get(registered),
                      "stiftelsesdato": get["stiftelsesdato"] or None,
                      "naeringskode1": {"kode": get["naeringskode1"] or None},
                      "forretningsadresse": {"postnummer": get["postnummer"] or None}})
    return units


def _brreg_json(path: Path) -> list:
    try:
        doc = json.loads(csvfiles.read_text(path), strict=False)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError.one(path, f"line {getattr(exc, 'lineno', '?')}", "json", "malformed JSON") from None
    if isinstance(doc, dict) and "_embedded" in doc:
        return doc["_embedded"].get("enheter", [])
    if isinstance(doc, dict) and "organisasjonsnummer" in doc:
        return [doc]
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and "page" in doc:  # a search page with no hits
        return []
    raise InputError.one(path, "document", "organisasjonsnummer", "not an Enhetsregisteret unit, search page or "
                         "bulk array")


def suppliers(paths: list[Path], quality: Counter, refused: list[Problem] | None = None) -> pd.DataFrame:
    """Enhetsregisteret units: API unit JSON, API search pages (`_embedded.enheter`), bulk JSON arrays, and
    the bulk CSV export; any of them gzip-compressed (`enheter_alle.json.gz`). A file that cannot be read
    goes to `refused` (without it, all such files raise one InputError); the other files go on."""
    units, problems = [], []
    for path in paths:
        try:
            items = _brreg_csv(path) if path.name.endswith((".csv", ".csv.gz")) else _brreg_json(path)
        except InputError as exc:
            problems += exc.problems
            continue
        for i, unit in enumerate(items):
            _unit(unit, f"{path}#{i}", units, quality)
    if refused is not None:
        refused += problems
    elif problems:
        raise InputError(problems)
    frame = pd.DataFrame(units, columns=["org_nr", "name", "org_form", "employees", "founded", "nace", "postal_code",
                                         "source"])
    dupes = frame.duplicated("org_nr", keep="last")
    quality["suppliers: repeated units (the last one kept)"] += int(dupes.sum())
    frame = frame[~dupes].sort_values("org_nr").reset_index(drop=True)
    frame["employees"] = frame["employees"].astype("Int64")
    return frame.drop(columns="source")


def _unit(unit, source: str, units: list[dict], quality: Counter) -> None:
    org_nr = normalise(unit.get("organisasjonsnummer")) if isinstance(unit, dict) else None
    if org_nr is None:
        quality["suppliers: units without a valid organisation number (excluded)"] += 1
        return
    employees = unit.get("antallAnsatte")
    if unit.get("harRegistrertAntallAnsatte") is False and not employees:
        employees = 0
    units.append({
        "org_nr": org_nr,
        "name": unit.get("navn"),
        "org_form": (unit.get("organisasjonsform") or {}).get("kode"),
        "employees": int(employees) if isinstance(employees, int | str) and str(employees).isdigit() else None,
        "founded": csvfiles.parse_date(str(unit.get("stiftelsesdato") or "")),
        "nace": (unit.get("naeringskode1") or {}).get("kode"),
        "postal_code": _postal_code(unit),
        "source": source,
    })


def _postal_code(unit: dict) -> str | None:
    """The unit's postal code (business address, else location address), as four digits."""
    for key in ("forretningsadresse", "beliggenhetsadresse"):
        code = str((unit.get(key) or {}).get("postnummer") or "").strip()
        if len(code) == 4 and code.isdigit():
            return code
    return None


def spend(paths: list[Path], quality: Counter) -> pd.DataFrame:
    frames = []
    for path in paths:
        frame, extra = csvfiles.read(path, ["org_nr", "supplier_org_nr", "amount_nok", "invoice_date"])
        if extra:
            quality[f"spend: extra columns ignored in {path.name} ({', '.join(extra)})"] += 1
        conv = csvfiles.Converter(path, frame)
        out = pd.DataFrame({"org_nr": conv.org_nr("org_nr"), "amount_ore": conv.ore("amount_nok"),
                            "invoice_date": conv.date("invoice_date")})
        conv.check()
        out["amount_ore"] = out["amount_ore"].astype("int64")
        supplier = frame["supplier_org_nr"].map(normalise)
        bad = supplier.isna() & (frame["supplier_org_nr"] != "")
        quality["spend: lines whose supplier has no valid Norwegian organisation number (kept, size unknown)"] += \
            int(bad.sum())
        out["supplier_org_nr"] = supplier
        conv.validate("spend", out)
        conv.check()
        frames.append(out)
    cols = ["org_nr", "supplier_org_nr", "amount_ore", "invoice_date"]
    frame = pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
    frame["amount_ore"] = frame["amount_ore"].astype("int64")
    frame["year"] = frame["invoice_date"].str[:4]
    quality["spend: credit notes (negative lines, counted)"] += int((frame["amount_ore"] < 0).sum())
    quality["spend: lines identical to an earlier line (kept: two equal invoices are possible; check the export)"] \
        += int(frame.duplicated().sum())
    return frame


def surveys(paths: list[Path], items: dict, quality: Counter) -> pd.DataFrame:
    """Survey answers in long form. Values outside an item's scale are errors; "don't know" codes are kept
    as missing values and counted; unknown items are counted and excluded."""
    frames = []
    for path, frame in _survey_sheets(paths, items, quality):
        conv = csvfiles.Converter(path, frame)
        out = pd.DataFrame({"org_nr": conv.org_nr("org_nr"), "year": conv.year("year"),
                            "respondent_id": conv.text("respondent_id"), "item_id": frame["item_id"]})
        values = []
        for item_id, value, line in zip(frame["item_id"], frame["value"], frame["_line"], strict=True):
            item = items.get(item_id)
            if item is None:
                values.append(None)
                continue
            if value in item.get("dont_know", []):
                values.append(None)
                continue
            number = csvfiles.parse_number(value)
            lo, hi = item["scale"]
            if number is None or not lo <= number <= hi:
                conv.problems.append(Problem(str(path), csvfiles.where(line), "value",
                                             f"{value!r} is outside the scale {lo}–{hi} of item {item_id}"))
                values.append(None)
            else:
                values.append(float(number))
        out["value"] = pd.Series(values, index=out.index, dtype="float64")
        conv.validate("surveys", out)
        conv.check()
        unknown = ~out["item_id"].isin(list(items))
        quality["surveys: answers to items not in the item map (excluded)"] += int(unknown.sum())
        out = out[~unknown]
        quality["surveys: 'don't know' answers (kept as no value)"] += int(out["value"].isna().sum())
        frames.append(out)
    cols = ["org_nr", "year", "respondent_id", "item_id", "value"]
    frame = pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
    dupes = frame.duplicated(["org_nr", "year", "respondent_id", "item_id"], keep="last")
    quality["surveys: repeated answers by the same respondent (the last one kept)"] += int(dupes.sum())
    return frame[~dupes].reset_index(drop=True)


SURVEY_COLUMNS = ["org_nr", "year", "respondent_id", "item_id", "value"]


def _survey_sheets(paths: list[Path], items: dict, quality: Counter):
    """(file, frame in long form) per CSV file and per survey sheet of a workbook: the answers sheet (long
    form, as the CSV files) and the self-evaluation sheet (one row per respondent, one column per item,
    turned into long form; an empty cell is no answer)."""
    for path in paths:
        if not workbook.is_workbook(path):
            yield path, csvfiles.read(path, SURVEY_COLUMNS)[0]
            continue
        sheets = workbook.open_sheets(path)
        chosen = [s for s in sheets if s.strip().lower() in workbook.sheet_names("answers", workbook.SHEETS[
            "answers"]) | workbook.sheet_names("self_evaluation", workbook.SHEETS["self_evaluation"])]
        if not chosen:
            chosen = [workbook.find_sheet(path, sheets, "answers")]
        for sheet in chosen:
            frame, _ = workbook.read_sheet(path, sheet, SURVEY_COLUMNS[:3], ("item_id", "value"), quality,
                                           source="surveys", wide=lambda keys: [k for k in keys if k in items])
            if "item_id" in frame.columns or "value" in frame.columns:
                missing = [c for c in ("item_id", "value") if c not in frame.columns]
                if missing:
                    raise InputError([Problem(str(path), workbook.where(sheet, 1), c, "required column is missing")
                                      for c in missing])
                yield path, frame[[*SURVEY_COLUMNS, "_line"]]
                continue
            asked = [c for c in frame.columns if c in items]
            if not asked:
                raise InputError.one(path, workbook.where(sheet, 1), "item_id", "neither an item_id and value column "
                                     "nor a column per survey item (self-evaluation)")
            rows = [{**{c: r[c] for c in SURVEY_COLUMNS[:3]}, "item_id": item, "value": r[item], "_line": r["_line"]}
                    for r in frame.to_dict("records") for item in asked if r[item] != ""]
            yield path, pd.DataFrame(rows, columns=[*SURVEY_COLUMNS, "_line"], dtype=object)


GAIN_FILES = {
    "goals": ["goal_id", "org_nr", "text", "indicator_ref", "baseline_value", "baseline_date", "target_value",
              "target_year", "owner", "risk_likelihood", "risk_consequence", "risk_text"],
    "measures": ["measure_id", "goal_id", "description", "start", "end", "cost_nok"],
    "implementations": ["measure_id", "status", "date", "doffin_ids"],
    "effects": ["effect_id", "goal_id", "gain_type", "unit", "planned_value", "realised_value", "date",
                "evidence"],
}


def gain_files(directory: Path, name: str) -> list[Path]:
    """The files of one part of the gain register: `goals*.csv` (and `goals*.xlsx`, a workbook of that part
    alone), and every other workbook in gains/, which holds the whole register, one sheet per part."""
    if not directory.is_dir():
        return []
    books = sorted({p for pattern in workbook.PATTERNS for p in directory.glob(pattern)
                    if not workbook.is_owner_file(p)})
    parts = [p for p in books if any(p.stem.lower().startswith(n) for n in GAIN_FILES)]
    return sorted([*directory.glob(f"**/{name}*.csv"), *(p for p in parts if p.stem.lower().startswith(name)),
                   *(p for p in books if p not in parts)])


def gains(directory: Path, quality: Counter | None = None) -> dict[str, pd.DataFrame]:
    """The gain register and effects chain: goals.csv, measures.csv, implementations.csv, effects.csv, or a
    workbook with one sheet per part (`innomaal templates`).

    Cells are converted file by file; the register is then checked as a whole (ingest.schemas), and across
    its files: every measure and effect belongs to a known goal, every implementation to a known measure,
    and no effect is dated before its goal's baseline (nullpunkt), which must be measured before any effect."""
    from .schemas import problems

    out, found = {}, []
    for name, cols in GAIN_FILES.items():
        files = gain_files(directory, name)
        frames = []
        for path in files:
            frame, _ = csvfiles.read_table(path, cols, sheet=name, label=workbook.SHEETS[name], quality=quality,
                                           source="gains", single_ok=path.stem.lower().startswith(name))
            conv = csvfiles.Converter(path, frame)
            if name == "goals":
                frame["org_nr"] = conv.org_nr("org_nr")
                frame["baseline_value"] = conv.number("baseline_value", optional=True)
                frame["baseline_date"] = conv.date("baseline_date", optional=True)
                frame["target_value"] = conv.number("target_value", optional=True)
                for col in ("risk_likelihood", "risk_consequence"):
                    frame[col] = conv.choice(col, ("1", "2", "3", "4", "5"), optional=True)
            elif name == "measures":
                frame["start"] = conv.date("start", optional=True)
                frame["end"] = conv.date("end", optional=True)
                frame["cost_nok"] = conv.number("cost_nok", optional=True)
            elif name == "implementations":
                frame["status"] = conv.choice("status", STATUSES)
                frame["date"] = conv.date("date", optional=True)
            else:
                frame["gain_type"] = conv.choice("gain_type", GAIN_TYPES)
                frame["planned_value"] = conv.number("planned_value", optional=True)
                frame["realised_value"] = conv.number("realised_value", optional=True)
                frame["date"] = conv.date("date", optional=True)
            conv.check()
            frames.append(frame[[*cols, "_line"]].assign(_file=str(path)))
        frame = (pd.concat(frames, ignore_index=True) if frames
                 else pd.DataFrame(columns=[*cols, "_line", "_file"]))
        for col in cols:
            if col.endswith(("_value", "cost_nok")):
                frame[col] = pd.to_numeric(frame[col].map(lambda v: None if v is None else str(v)))
            else:  # empty cells are missing values
                frame[col] = frame[col].astype(object).map(lambda v: None if v == "" or pd.isna(v) else v)
        found += problems(name, frame)
        out[name] = frame
    found += _gain_links(out)
    if found:
        raise InputError(found)
    return {name: frame.drop(columns=["_line", "_file"]) for name, frame in out.items()}


def _gain_links(register: dict[str, pd.DataFrame]) -> list[Problem]:
    goals, measures = register["goals"], register["measures"]
    found = []

    def unknown(table: str, column: str, known: pd.Series, what: str) -> None:
        frame = register[table]
        for row in frame[~frame[column].isin(set(known))].to_dict("records"):
            found.append(Problem(row["_file"], csvfiles.where(row["_line"]), column,
                                 f"{row[column]!r} is not a {what}"))

    unknown("measures", "goal_id", goals["goal_id"], "goal_id in goals.csv")
    unknown("effects", "goal_id", goals["goal_id"], "goal_id in goals.csv")
    unknown("implementations", "measure_id", measures["measure_id"], "measure_id in measures.csv")
    unique_goals = goals[~goals["goal_id"].duplicated(keep=False)]  # a repeated id is reported already
    effects = register["effects"].merge(unique_goals[["goal_id", "baseline_date"]], on="goal_id", how="inner")
    early = effects["date"].notna() & effects["baseline_date"].notna() & (effects["date"] < effects["baseline_date"])
    for row in effects[early].to_dict("records"):
        found.append(Problem(row["_file"], csvfiles.where(row["_line"]), "date",
                             f"the effect ({row['date']}) is dated before its goal's baseline "
                             f"({row['baseline_date']}); the baseline must be measured before any effect"))
    return found
