"""`innomaal templates` and the workbooks the ingest reads: the templates as written (byte for byte the same,
validation, instructions in the chosen language), a round trip (templates → filled with openpyxl → ingest and
compute → the indicators hold what was filled in), the demo dataset with its own sources as .xlsx, and a
filled nynorsk gain register on a report's effects chain. The bad workbooks are in tests/test_bad_input.py."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from analysis import i18n, params, pipeline, workbooks
from analysis.cli import app
from analysis.ingest import survey_items
from analysis.ingest import workbook as wb
from tests.conftest import copy_dataset, report_pages

A = "974760673"


def fill(path: Path, sheet: str, rows: list[dict], keep_examples: bool = True) -> None:
    """Appends `rows` (by column key) to a template's sheet, as a person filling it in would."""
    book = load_workbook(path)
    ws = book[wb.find_sheet(path, book.sheetnames, sheet, single_ok=False)]
    if not keep_examples:
        ws.delete_rows(2, ws.max_row)
    keys = [wb.header_key(c.value) for c in ws[1]]
    for row in rows:
        ws.append([row.get(k) for k in keys])
    book.save(path)


def templates(out: Path, lang: str = "en") -> dict[str, Path]:
    result = CliRunner().invoke(app, ["templates", "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in out.glob("*.xlsx")}


def compute(data: Path, out: Path) -> pd.DataFrame:
    result = CliRunner().invoke(app, ["compute", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return pd.read_csv(out, dtype={"org_nr": str, "year": str})


def test_templates_are_the_same_bytes_every_time(tmp_path):
    first, second = templates(tmp_path / "a", "nb"), templates(tmp_path / "b", "nb")
    assert sorted(first) == sorted(t.name for t in workbooks.TEMPLATES)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name
        with zipfile.ZipFile(path) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
            assert "1980-01-01T00:00:00Z" in core and str(date.today().year) not in core


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_each_template_has_instructions_and_validation_in_the_language(tmp_path, lang):
    t = i18n.translations(lang)
    for template in workbooks.TEMPLATES:
        path = tmp_path / f"{template.name}.xlsx"
        workbooks.write(tmp_path, lang)
        book = load_workbook(path)
        guide = book[t.gettext(wb.SHEETS["instructions"])]
        assert book.sheetnames[0] == guide.title and guide.protection.sheet
        text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
        assert t.gettext(workbooks.TEXT["where"]).format(folder=template.source) in text
        assert t.gettext(template.holder) in text
        for key in template.sheets:
            ws = book[t.gettext(wb.SHEETS[key])]
            keys = [wb.header_key(c.value) for c in ws[1]]
            assert keys[0] == wb.EXAMPLE and keys[1:] == [c.key for c in workbooks.data_columns(key, lang)]
            for c in workbooks.data_columns(key, lang):
                label = c.label if c.translated else t.gettext(c.label)
                assert f"{label} ({c.key})" in [h.value for h in ws[1]]
                assert c.key in text  # every column is explained
            assert ws.data_validations.dataValidation, (template.name, key)
            assert ws.protection.sheet and not ws.protection.insertRows and not ws.protection.sort
            assert all(ws.cell(r, 1).value == t.gettext(wb.EXAMPLE_MARK) for r in range(2, ws.max_row + 1))
    if lang == "nn":  # nynorsk words, not bokmål ones
        book = load_workbook(tmp_path / "gain-register.xlsx")
        assert "Rettleiing" in book.sheetnames
        assert "Kven som vanlegvis har dataa" in "\n".join(str(c.value) for c in book["Rettleiing"]["A"])


def _validations(ws) -> dict[str, object]:
    """The data validations of a sheet by column key."""
    letters = {c.column_letter: wb.header_key(c.value) for c in ws[1]}
    return {letters[re.match(r"[A-Z]+", str(dv.sqref)).group()]: dv for dv in ws.data_validations.dataValidation}


def test_closed_values_are_validated_with_the_loaders_lists(tmp_path):
    workbooks.write(tmp_path, "en")
    book = load_workbook(tmp_path / "gain-register.xlsx")
    assert _validations(book["Implementations"])["status"].formula1 == '"planned,ongoing,done,stopped"'
    effects = _validations(book["Effects"])
    assert effects["gain_type"].formula1 == '"efficiency,quality,other_actors,co2e"'
    assert effects["date"].type == "date"
    goals = _validations(book["Goals"])
    assert goals["risk_likelihood"].formula1 == '"1,2,3,4,5"' and goals["target_year"].type == "whole"
    contracts = _validations(load_workbook(tmp_path / "contract-register.xlsx")["Contracts"])
    assert contracts["ipr"].formula1 == '"yes,no"' and contracts["ipr"].allow_blank
    assert "SSA-T" in contracts["standard"].formula1
    survey = load_workbook(tmp_path / "survey.xlsx")
    assert _validations(survey["Survey answers"])["item_id"].formula1.startswith("='Instructions'!$A$")
    ws = load_workbook(tmp_path / "self-evaluation.xlsx")["Self-evaluation"]
    header = {wb.header_key(c.value): c for c in ws[1]}
    assert header["self_goals"].value.startswith("How is innovation part of the organisation's goals?")
    assert _validations(ws)["self_goals"].formula1 == '"1,2,3,4,5,9"'


def test_round_trip_templates_filled_and_computed(tmp_path):
    """What a test fills into the templates is what the indicators say."""
    books = templates(tmp_path / "maler", "nb")
    data = tmp_path / "data"
    (data / "notices").mkdir(parents=True)
    (data / "organisations.csv").write_text(f"org_nr,name,org_type\n{A},Testetaten,state\n", encoding="utf-8")
    folders = {t.name: t.source for t in workbooks.TEMPLATES}
    for name, path in books.items():
        (data / folders[name]).mkdir(exist_ok=True)
        shutil.copyfile(path, data / folders[name] / path.name)
    trained, total = 3.5, 10
    fill(data / "training" / "training.xlsx", "training",
         [{"org_nr": int(A), "year": 2024, "procurement_fte": total, "trained_fte": trained}])
    maturity = [4, 2, 5, 3, 3, 4]
    fill(data / "surveys" / "survey.xlsx", "answers",
         [{"org_nr": A, "year": "2024", "respondent_id": f"r{i}", "item_id": "innovation_maturity", "value": v}
          for i, v in enumerate(maturity)])
    goals = [{"goal_id": f"G{i}", "org_nr": A, "text": f"Mål {i}", "baseline_value": 1,
              "baseline_date": date(2024, 2, i + 1), "target_year": 2026} for i in range(3)]
    fill(data / "gains" / "gain-register.xlsx", "goals", goals)
    barriers = [1, 1, 0, 1, 1]
    fill(data / "surveys" / "self-evaluation.xlsx", "self_evaluation",
         [{"org_nr": A, "year": 2024, "respondent_id": f"s{i}", "self_goals": 3, "barrier_market": b}
          for i, b in enumerate(barriers)])
    table = compute(data, tmp_path / "ind.csv")
    row = table[(table["org_nr"] == A) & (table["year"] == "2024")].set_index("indicator_id")
    assert row.loc["F2b", "value"] == pytest.approx(trained / total)
    assert row.loc["F2a", "value"] == pytest.approx(sum(maturity) / len(maturity))
    assert row.loc["F1b", "value"] == len(goals)
    assert survey_items()["barrier_market"]["indicator"] == "F6"
    assert row.loc["F6", "n"] == len(barriers)


def _xlsx(rows: list[list[str]]) -> bytes:
    """A CSV file's rows saved as .xlsx the way Excel types them: numbers as numbers, ISO dates as dates."""
    book = Workbook()
    ws = book.active
    for i, row in enumerate(rows):
        ws.append([v if i == 0 else _typed(v) for v in row])
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def _typed(value: str):
    if re.fullmatch(r"-?(0|[1-9]\d{0,14})", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    return value or None


def test_the_demo_as_workbooks_gives_the_same_indicators(tmp_path, demo_data):
    data = copy_dataset(demo_data, tmp_path / "xlsx")
    converted, own = 0, ("surveys", "gains", "contracts", "evaluations", "training")
    for folder in own:
        for path in sorted((data / folder).glob("**/*.csv")):
            text = path.read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=max(";,", key=text.splitlines()[0].count)))
            path.with_suffix(".xlsx").write_bytes(_xlsx(rows))
            path.unlink()
            converted += 1
    assert converted >= 7 and not [f for folder in own for f in (data / folder).glob("**/*.csv")]
    expected = compute(demo_data, tmp_path / "csv.csv")
    got = compute(data, tmp_path / "xlsx.csv")
    pd.testing.assert_frame_equal(got, expected)


def test_a_nynorsk_gain_register_puts_its_goal_on_the_effects_chain(tmp_path, demo_data):
    books = templates(tmp_path / "maler", "nn")
    data = copy_dataset(demo_data, tmp_path / "data")
    org = pd.read_csv(data / "organisations.csv", dtype=str)["org_nr"].iloc[0]
    shutil.rmtree(data / "gains")
    (data / "gains").mkdir()
    register = data / "gains" / "gevinstregister.xlsx"
    shutil.copyfile(books["gain-register"], register)
    goal = "Halvere matsvinnet i kantinene"
    fill(register, "goals", [{"goal_id": "M1", "org_nr": org, "text": goal, "baseline_value": 12,
                              "baseline_date": date(2023, 3, 1), "target_value": 6, "target_year": 2026}], False)
    fill(register, "measures", [{"measure_id": "T1", "goal_id": "M1", "description": "Ny kantineavtale",
                                 "start": date(2023, 4, 1), "cost_nok": 150000}], False)
    fill(register, "implementations", [{"measure_id": "T1", "status": "done", "date": date(2024, 1, 10)}], False)
    fill(register, "effects", [{"effect_id": "E1", "goal_id": "M1", "gain_type": "quality", "unit": "tonn",
                                "planned_value": 6, "realised_value": 4, "date": date(2025, 1, 31)}], False)
    p = params.parse({"data": str(data), "output": str(tmp_path / "out"), "lang": "nn", "years": ["2025"],
                      "orgs": [org], "renderer": "builtin", "workers": "1"}, "test-params")
    for stage in (pipeline.ingest, pipeline.compute, pipeline.execute, pipeline.render, pipeline.publish):
        stage(p)
    site = pipeline.build_paths(p).site
    method = (site / "metode.html").read_text(encoding="utf-8")  # the report's "how to start measuring" link
    kilder = method[method.index('id="kilder"'):]
    assert 'id="arbeidsbok"' in kilder and "Kven som vanlegvis har dataa" in kilder
    for template in workbooks.TEMPLATES:
        assert f"<code>{template.name}.xlsx</code>" in kilder
    [page] = report_pages(site, "2025")
    html = page.read_text(encoding="utf-8")
    chain = html[html.index(i18n.translate("nn", "Effects chain")):]
    assert goal in chain
