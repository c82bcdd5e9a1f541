"""`innomaal templates`: one Excel workbook per source an organisation supplies itself, to fill in.

Each workbook is made from the dataset contract, not by hand: its data sheets have the columns the ingest
reads (`ingest.sources`, `ingest.registers`), their allowed values (the same tuples the loaders and the pandera
schemas check: statuses, gain types, units, contract standards, yes/no, the scales of `survey_items.yaml`),
and each column's indicators come from the catalogue (the indicators that read the source and name the column
in their SQL; for survey items, the item map). Headers read `Label (key)` in the chosen language: the ingest
finds a column by the key in brackets, so columns may be moved but not renamed.

- An instructions sheet (protected) says where the workbook goes, who usually holds the data, what the report
  then shows, and per column what it means, which values it takes and which indicators it feeds.
- Data validation where values are closed (lists, the 1–5 scale, whole years, dates); dates formatted as
  `yyyy-mm-dd`. Example rows, marked in the first column, are never read.
- Sheet protection only on what must not change: the instructions and the header rows (no password; sorting,
  filtering, inserting and deleting rows stay allowed).
- The same templates are written byte for byte on every run (fixed times in the workbook and the zip).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import catalogue, i18n
from .basis import TEMPLATES, Template
from .i18n import N_
from .ingest import registers, sources, vocabularies
from .ingest import workbook as wb
from .io import write_bytes, xlsx_bytes

LAST_ROW = 5000  # validation and formats reach this row of each data sheet
YEARS = (1990, 2100)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # N_ message (or a text already in the language: a self-evaluation question)
    help: str  # N_ message
    kind: str = "text"  # text, org_nr, date, year, number, choice, flag, scale
    values: tuple[str, ...] = ()  # choice and scale: the allowed values
    required: bool = True
    translated: bool = False  # label and help are already in the workbook's language


# What each column means (the same key means the same thing in every sheet).
LABELS = {
    "org_nr": (N_("Organisation number"),
               N_("The organisation's 9-digit organisation number (spaces and an MVA suffix are allowed).")),
    "year": (N_("Year"), N_("The year the answers or figures are for (four digits).")),
    "respondent_id": (N_("Respondent"), N_("An ID for each person who answers, the same on all of that person's "
                                           "answers. No names.")),
    "item_id": (N_("Item"), N_("The survey item answered: one of the items listed below.")),
    "value": (N_("Answer"), N_("The answer on the item's scale, or its \"don't know\" code.")),
    "goal_id": (N_("Goal ID"), N_("The goal's ID: in the goals sheet an ID of your choosing (G1, G2, …); in the "
                                  "other sheets one of those IDs.")),
    "text": (N_("Goal"), N_("The goal, in a sentence.")),
    "indicator_ref": (N_("Indicator"), N_("The indicator of the catalogue the goal is measured by, if any.")),
    "baseline_value": (N_("Baseline value"), N_("The value when the goal was set (the baseline).")),
    "baseline_date": (N_("Baseline date"), N_("When the baseline was measured; no effect can be dated before it.")),
    "target_value": (N_("Target value"), N_("The value the goal aims for.")),
    "target_year": (N_("Target year"), N_("The year the target is to be reached.")),
    "owner": (N_("Owner"), N_("Who owns the goal (a role or a name).")),
    "risk_likelihood": (N_("Risk likelihood"), N_("How likely it is that the goal is not reached, from 1 (low) "
                                                  "to 5 (high).")),
    "risk_consequence": (N_("Risk consequence"), N_("How serious it would be, from 1 (low) to 5 (high).")),
    "risk_text": (N_("Risk"), N_("The main risk, in a sentence.")),
    "measure_id": (N_("Measure ID"), N_("The measure's ID: in the measures sheet an ID of your choosing (M1, M2, "
                                        "…); in the implementations sheet one of those IDs.")),
    "description": (N_("Measure"), N_("What the measure is, in a sentence.")),
    "start": (N_("Start"), N_("When the measure starts.")),
    "end": (N_("End"), N_("When the measure ends.")),
    "cost_nok": (N_("Cost (NOK)"), N_("What the measure costs, in NOK.")),
    "status": (N_("Status"), N_("planned, ongoing, done or stopped.")),
    "date": (N_("Date"), N_("The date of the status (implementations) or of the effect measured (effects).")),
    "doffin_ids": (N_("Doffin IDs"), N_("The Doffin notice IDs of the procurements that carry out the measure, "
                                        "separated by spaces.")),
    "effect_id": (N_("Effect ID"), N_("An ID of your choosing for the effect (E1, E2, …).")),
    "gain_type": (N_("Gain type"), N_("efficiency (NOK saved), quality, other_actors (gains for others) or co2e "
                                      "(tonnes of CO₂e saved).")),
    "unit": (N_("Unit"), N_("The unit of the values: kr for efficiency, tonn CO₂e for co2e, otherwise one unit "
                            "of your choosing per goal.")),
    "planned_value": (N_("Planned value"), N_("The gain planned.")),
    "realised_value": (N_("Realised value"), N_("The gain realised; empty until it is measured.")),
    "evidence": (N_("Evidence"), N_("Where the realised value is documented.")),
    "contract_id": (N_("Contract ID"), N_("The contract's ID in the contract register; in the evaluations sheet, "
                                          "the contract evaluated.")),
    "procurement_id": (N_("Procurement ID"), N_("The procurement's Doffin notice ID, or your case number.")),
    "supplier_org_nr": (N_("Supplier"), N_("The supplier's organisation number; empty if foreign or unknown.")),
    "signed_date": (N_("Signed"), N_("When the contract was signed.")),
    "standard": (N_("Contract standard"), N_("The contract standard the contract is based on; other: another "
                                             "standard or none.")),
    "development_phases": (N_("Development phases"), N_("Does the contract have development phases?")),
    "ipr": (N_("Rights (IPR)"), N_("Does the contract settle the rights to what is developed?")),
    "scaling": (N_("Scaling"), N_("Does the contract provide for scaling the solution (options, more buyers)?")),
    "new_to_market": (N_("New to the market"), N_("Is the solution new to the market?")),
    "new_to_org": (N_("New to the organisation"), N_("Is the solution new to the organisation?")),
    "innovation_friendly": (N_("Innovation-friendly"), N_("Is the contract innovation-friendly, in the "
                                                          "procurement unit's assessment?")),
    "evaluation_date": (N_("Evaluation date"), N_("When the contract was evaluated.")),
    "score": (N_("Score"), N_("How well the solution met the need, from 1 (not at all) to 5 (fully).")),
    "procurement_fte": (N_("Procurement FTE"), N_("Full-time equivalents working with procurement that year.")),
    "trained_fte": (N_("FTE trained"), N_("Of those, full-time equivalents trained in innovative procurement.")),
}
KINDS = {"org_nr": "org_nr", "supplier_org_nr": "org_nr", "year": "year", "target_year": "year",
         "baseline_date": "date", "start": "date", "end": "date", "date": "date", "signed_date": "date",
         "evaluation_date": "date", "baseline_value": "number", "target_value": "number", "cost_nok": "number",
         "planned_value": "number", "realised_value": "number", "procurement_fte": "number",
         "trained_fte": "number", "value": "number"}
CHOICES = {"status": vocabularies.STATUSES, "gain_type": vocabularies.GAIN_TYPES, "standard": vocabularies.STANDARDS,
           # one form of each unit; ingest also takes the other spellings it knows (NOK, tCO2e, t CO₂e, …)
           "unit": ("%", "kr", "tonn CO₂e")}
SCALES = {"risk_likelihood": ("1", "2", "3", "4", "5"), "risk_consequence": ("1", "2", "3", "4", "5"),
          "score": ("1", "2", "3", "4", "5")}
OPTIONAL = {"supplier_org_nr", *registers.FLAGS, "respondent_id", "baseline_value", "baseline_date",
            "target_value", "target_year", "owner", "risk_likelihood", "risk_consequence", "risk_text",
            "indicator_ref", "start", "end", "cost_nok", "date", "doffin_ids", "planned_value", "realised_value",
            "evidence"}


def column(key: str, sheet: str) -> Column:
    label, help_ = LABELS[key]
    if key in registers.FLAGS:
        return Column(key, label, help_, "flag", required=False)
    if key == "indicator_ref":
        return Column(key, label, help_, "choice", tuple(i.id for i in catalogue.load().indicators), False)
    if key in CHOICES:
        return Column(key, label, help_, "choice", CHOICES[key], key not in OPTIONAL)
    if key in SCALES:
        return Column(key, label, help_, "scale", SCALES[key], key not in OPTIONAL)
    required = key not in OPTIONAL or (key == "respondent_id" and sheet != "evaluations")
    return Column(key, label, help_, KINDS.get(key, "text"), required=required)


# The columns of each data sheet, in the order the ingest documents them.
COLUMNS = {**sources.GAIN_FILES, "answers": sources.SURVEY_COLUMNS, "contracts": registers.CONTRACT_COLUMNS,
           "evaluations": registers.EVALUATION_COLUMNS, "training": registers.TRAINING_COLUMNS,
           "self_evaluation": ["org_nr", "year", "respondent_id"]}

TEXT = {
    "where": N_("Put the filled-in workbook in the dataset's folder {folder}/ and build again."),
    "holder": N_("Who usually holds the data: {holder}."),
    "shows": N_("The report will then show: {indicators}."),
    "keys": N_("Do not rename the sheets, nor the key in brackets at the end of each column header; columns may "
               "be moved. One row per {row}."),
    "examples": N_("Rows marked “{mark}” in the first column are examples and are never read: delete them, or "
                   "clear the mark on a row you fill in."),
    "lists": N_("Cells with a list take only its values. An empty yes/no cell means unknown, not no. Dates as "
                "31.12.2024 or 2024-12-31."),
    "guide": N_("The method page of the published site (Sources, and how to start measuring) says what each "
                "workbook feeds."),
    "header": (N_("Sheet"), N_("Column"), N_("Key"), N_("What it means"), N_("Allowed values"),
               N_("Required or optional"), N_("Indicators it feeds")),
    "items": (N_("Item"), N_("Text"), N_("Scale"), N_("\"Don't know\" code"), N_("Indicator")),
    "yes": N_("yes"), "no": N_("no"),
    "required": N_("required"), "optional": N_("optional"),
    "flag": N_("{yes} or {no}; empty: unknown"),
    "date": N_("a date"), "year": N_("a year"), "number": N_("a number"), "org_nr": N_("9 digits"),
    "text": N_("text"),
    "question": N_("Answer each question from 1 (strongly disagree) to 5 (strongly agree), or 9 (don't know); for "
                   "each barrier, 1 if it applies and 0 if not."),
    # what a cell refused by its validation says, by the kind of cell
    "choose": N_("Choose a value from the list."),
    "write_date": N_("Write a date, for example 31.12.2024."),
    "write_year": N_("Write a year with four digits."),
    "barrier": N_("Barrier: {barrier}"),
}
ROWS = {"self_evaluation": N_("respondent and year"), "answers": N_("answer"), "goals": N_("goal"),
        "measures": N_("measure"), "implementations": N_("status of a measure"), "effects": N_("effect"),
        "contracts": N_("contract"), "evaluations": N_("evaluation"), "training": N_("year")}


def _survey():
    from .ingest import self_evaluation_questions, survey_items

    return survey_items(), self_evaluation_questions()


def data_columns(sheet: str, lang: str) -> list[Column]:
    """The columns of a data sheet (the self-evaluation: the respondent's columns, then one per question and
    one per barrier, headed by the question in `lang`)."""
    cols = [column(k, sheet) for k in COLUMNS[sheet]]
    if sheet == "answers":
        items, _ = _survey()
        cols[3] = Column("item_id", cols[3].label, cols[3].help, "choice", tuple(items))
    if sheet == "self_evaluation":
        items, questions = _survey()
        t = i18n.translations(lang)
        for q in questions:
            item = items[q["item"]]
            cols.append(Column(q["item"], q[lang], item[f"text_{lang}"], "scale",
                               tuple(str(v) for v in range(item["scale"][0], item["scale"][1] + 1))
                               + tuple(item["dont_know"]), False, True))
        for key, item in items.items():
            if key.startswith("barrier_"):
                label = t.gettext(TEXT["barrier"]).format(barrier=item[f"text_{lang}"])
                cols.append(Column(key, label, item[f"text_{lang}"], "scale", ("0", "1"), False, True))
    return cols


def feeds(template: Template, key: str) -> list[str]:
    """The indicators a column feeds: those that read the template's source and name the column in their SQL;
    a survey item's indicator from the item map."""
    items, _ = _survey()
    if key in items:
        return [items[key]["indicator"]] if items[key]["indicator"] else []
    found = []
    for ind in catalogue.load().indicators:
        if template.source in ind.reads and ind.sql and re.search(rf"\b{re.escape(key)}\b", ind.sql):
            found.append(ind.id)
    return found


def shown(template: Template, lang: str) -> str:
    """The indicators the source feeds, by ID and title."""
    cat = catalogue.load()
    return "; ".join(f"{i.id} {i.title[lang]}" for i in cat.indicators if template.source in i.reads)


EXAMPLES = {
    "self_evaluation": [{"org_nr": "974760673", "year": 2025, "respondent_id": "R1", "self_goals": 4,
                         "self_operationalised": 3, "self_capacity": 2, "self_culture": 4, "self_procurement": 3,
                         "self_change": 4, "self_barriers": 5, "barrier_capacity": 1, "barrier_market": 1,
                         "barrier_competence": 0}],
    "answers": [{"org_nr": "974760673", "year": 2025, "respondent_id": "R1", "item_id": "innovation_maturity",
                 "value": 3},
                {"org_nr": "974760673", "year": 2025, "respondent_id": "R1", "item_id": "strategy_innovation",
                 "value": 1}],
    "goals": [{"goal_id": "G1", "org_nr": "974760673", "text": N_("More innovative procurements"),
               "indicator_ref": "P4", "baseline_value": 0.05, "baseline_date": date(2024, 1, 15), "target_value": 0.15,
               "target_year": 2027, "owner": N_("Head of procurement"), "risk_likelihood": 2, "risk_consequence": 3,
               "risk_text": N_("Immature market")}],
    "measures": [{"measure_id": "M1", "goal_id": "G1",
                  "description": N_("Market dialogue before every larger procurement"),
                  "start": date(2024, 2, 1), "end": date(2025, 12, 31), "cost_nok": 250000}],
    "implementations": [{"measure_id": "M1", "status": "ongoing", "date": date(2024, 6, 1),
                         "doffin_ids": "2024-105432"}],
    "effects": [{"effect_id": "E1", "goal_id": "G1", "gain_type": "efficiency", "unit": "kr",
                 "planned_value": 500000, "realised_value": 320000, "date": date(2025, 6, 30),
                 "evidence": N_("Annual report 2025")}],
    "contracts": [{"org_nr": "974760673", "contract_id": "K-2025-001", "procurement_id": "2024-105432",
                   "supplier_org_nr": "976030788", "signed_date": date(2025, 3, 1), "standard": "SSA-T",
                   "development_phases": "yes", "ipr": "yes", "scaling": "no", "new_to_market": "",
                   "new_to_org": "yes", "innovation_friendly": "yes"}],
    "evaluations": [{"contract_id": "K-2025-001", "evaluation_date": date(2026, 3, 1), "score": 4,
                     "respondent_id": "R1"}],
    "training": [{"org_nr": "974760673", "year": 2025, "procurement_fte": 12.5, "trained_fte": 4}],
}


EXAMPLE_TEXTS = ("text", "owner", "risk_text", "description", "evidence")  # marked N_ above


def build(template: Template, lang: str) -> bytes:
    """The template's workbook in `lang`, as bytes (the same every time)."""
    from openpyxl import Workbook

    t = i18n.translations(lang)
    book = Workbook()
    guide = book.active
    guide.title = t.gettext(wb.SHEETS["instructions"])[:31]
    sheets = {}
    for key in template.sheets:
        sheets[key] = book.create_sheet(t.gettext(wb.SHEETS[key])[:31])
    validated = _instructions(guide, template, lang, t)
    for key, ws in sheets.items():
        _data_sheet(ws, key, data_columns(key, lang), lang, t, validated)
    book.active = 0
    return xlsx_bytes(book)


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {"bold": Font(bold=True), "title": Font(bold=True, size=14), "wrap": Alignment(wrap_text=True,
            vertical="top"), "head": PatternFill("solid", fgColor="DDE4EE"), "example": Font(italic=True,
            color="595959"), "unlocked": Protection(locked=False), "locked": Protection(locked=True)}


def _instructions(ws, template: Template, lang: str, t) -> dict[str, str]:
    """Fills the instructions sheet; returns the ranges of long lists on it, by column key."""
    s = _styles()
    mark = t.gettext(wb.EXAMPLE_MARK)
    rows = [
        [t.gettext(template.title)],
        [t.gettext(TEXT["where"]).format(folder=template.source)],
        [t.gettext(TEXT["holder"]).format(holder=t.gettext(template.holder))],
        [t.gettext(TEXT["shows"]).format(indicators=shown(template, lang))],
        [t.gettext(TEXT["keys"]).format(row=", ".join(t.gettext(ROWS[k]) for k in template.sheets)
                                        if len(template.sheets) == 1 else
                                        i18n.and_list((f"{t.gettext(ROWS[k])} ({t.gettext(wb.SHEETS[k])})"
                                                       for k in template.sheets), lang))],
        [t.gettext(TEXT["examples"]).format(mark=mark)],
        [t.gettext(TEXT["lists"])],
        *([[t.gettext(TEXT["question"])]] if "self_evaluation" in template.sheets else []),
        [t.gettext(TEXT["guide"])],
        [],
        [t.gettext(h) for h in TEXT["header"]],
    ]
    ws.append(rows[0])
    ws["A1"].font = s["title"]
    for row in rows[1:]:
        ws.append(row)
    header = len(rows)
    for cell in ws[header]:
        cell.font, cell.fill = s["bold"], s["head"]
    for key in template.sheets:
        for col in data_columns(key, lang):
            label = col.label if col.translated else t.gettext(col.label)
            help_ = col.help if col.translated else t.gettext(col.help)
            ws.append([t.gettext(wb.SHEETS[key]), label, col.key, help_, _allowed(col, lang, t),
                       t.gettext(TEXT["required"] if col.required else TEXT["optional"]),
                       ", ".join(feeds(template, col.key))])
    ranges = {}
    if template.source == "surveys":
        items, _ = _survey()
        ws.append([])
        ws.append([t.gettext(h) for h in TEXT["items"]])
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = s["bold"], s["head"]
        first = ws.max_row + 1
        for key, item in items.items():
            lo, hi = item["scale"]
            ws.append([key, item[f"text_{lang}"], f"{lo}–{hi}", ", ".join(item["dont_know"]), item["indicator"] or ""])
        ranges["item_id"] = f"'{ws.title}'!$A${first}:$A${ws.max_row}"
    for col, width in zip("ABCDEFG", (22, 26, 20, 60, 30, 11, 22), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=header + 1):
        for cell in row:
            cell.alignment = s["wrap"]
    ws.protection.sheet = True  # the instructions do not change (no password: this guards against slips)
    return ranges


def _allowed(col: Column, lang: str, t) -> str:
    if col.kind == "flag":
        return t.gettext(TEXT["flag"]).format(yes=t.gettext(TEXT["yes"]), no=t.gettext(TEXT["no"]))
    if col.kind in ("choice", "scale"):
        return ", ".join(col.values)
    return t.gettext(TEXT[col.kind])


def _data_sheet(ws, key: str, cols: list[Column], lang: str, t, ranges: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    s = _styles()
    mark = t.gettext(wb.EXAMPLE_MARK)
    headers = [f"{mark.capitalize()} ({wb.EXAMPLE})"]
    headers += [f"{c.label if c.translated else t.gettext(c.label)} ({c.key})" for c in cols]
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment, cell.protection = s["bold"], s["head"], s["wrap"], s["locked"]
    ws.row_dimensions[1].height = 60 if key == "self_evaluation" else 32
    yes, no = t.gettext(TEXT["yes"]), t.gettext(TEXT["no"])
    for example in EXAMPLES[key]:
        values = [mark]
        for c in cols:
            v = example.get(c.key, "")
            v = t.gettext(v) if c.key in EXAMPLE_TEXTS else v  # the example's own words, in the workbook's language
            values.append({"yes": yes, "no": no}.get(v, v) if c.kind == "flag" else v)
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.font, cell.protection = s["example"], s["unlocked"]
    dv_mark = DataValidation(type="list", formula1=f'"{mark}"', allow_blank=True)
    ws.add_data_validation(dv_mark)
    dv_mark.add(f"A2:A{LAST_ROW}")
    for i, c in enumerate(cols, start=2):
        letter = get_column_letter(i)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        dim = ws.column_dimensions[letter]
        dim.width = 24 if key == "self_evaluation" and i > 4 else max(14, min(40, len(headers[i - 1]) + 2))
        dim.protection = s["unlocked"]
        dv = _validation(c, ranges, yes, no, t)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(cells)
        if c.kind == "date":
            dim.number_format = "yyyy-mm-dd"
            for row in range(2, ws.max_row + 1):
                ws[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        elif c.kind in ("org_nr", "text") and c.key not in ("text", "description", "risk_text", "evidence"):
            dim.number_format = "@"
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["A"].protection = s["unlocked"]
    ws.freeze_panes = "B2"
    # Only the header row is locked; rows may be sorted, filtered, inserted, deleted and formatted.
    p = ws.protection
    p.sheet = True
    p.sort = p.autoFilter = p.insertRows = p.deleteRows = p.formatCells = p.formatColumns = p.formatRows = False


def _validation(c: Column, ranges: dict[str, str], yes: str, no: str, t):
    from openpyxl.worksheet.datavalidation import DataValidation

    def dv(error: str = "choose", **kw):
        v = DataValidation(allow_blank=not c.required, showErrorMessage=True, **kw)
        v.errorTitle = t.gettext(c.label) if not c.translated else c.label[:32]
        v.error = t.gettext(TEXT[error])
        return v

    if c.key in ranges:
        return dv(type="list", formula1=f"={ranges[c.key]}")
    if c.kind == "flag":
        return dv(type="list", formula1=f'"{yes},{no}"')
    if c.kind in ("choice", "scale"):
        v = dv(type="list", formula1='"' + ",".join(c.values) + '"')
        if c.key == "unit":  # other gain types take any unit: the list suggests, a warning lets others in
            v.errorStyle = "warning"
        return v
    if c.kind == "year":
        return dv("write_year", type="whole", operator="between", formula1=str(YEARS[0]), formula2=str(YEARS[1]))
    if c.kind == "date":
        return dv("write_date", type="date", operator="between", formula1=f"DATE({YEARS[0]},1,1)",
                  formula2=f"DATE({YEARS[1]},12,31)")
    return None


def write(out: Path, lang: str) -> list[Path]:
    """Every template into `out`, in `lang`; the paths written."""
    if lang not in i18n.LANGS:
        raise ValueError(lang)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for template in TEMPLATES:
        path = out / f"{template.name}.xlsx"
        write_bytes(path, build(template, lang))
        written.append(path)
    return written
