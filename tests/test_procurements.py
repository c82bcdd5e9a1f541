"""The procurements behind the numbers (analysis.procurements): names in an indicator's details, the list as a
table (marks with words, folded when long) and as a download, and the catalogue's flag-counted indicators."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import catalogue
from analysis.procurements import NAMED, Behind


def text(html: str) -> str:
    """HTML as its text (the notices' titles are marked with their language)."""
    return re.sub(r"<[^>]+>", "", html)


def behind(n: int, flags: list[tuple[str, str, str | None, bool | None]], lang: str = "nb") -> Behind:
    items = pd.DataFrame([{"org_nr": "974760673", "year": "2024", "folder_id": f"f{i:04d}", "notice_id": f"n{i}",
                           "doffin_id": f"2024-{100000 + i}" if i % 2 == 0 else None, "title": f"Anskaffelse {i}",
                           "first_date": f"2024-{1 + i % 12:02d}-01", "procedure_type": "open",
                           "estimated_value": 1_000_000.0, "currency": "NOK", "lots": 1} for i in range(n)])
    frame = pd.DataFrame(flags, columns=["indicator_id", "folder_id", "lot_id", "flag"])
    return Behind(items, frame, lang)


def test_every_flag_counted_indicator_counts_its_own_flags():
    cat = catalogue.load()
    flagged = [i for i in cat.indicators if i.flags]
    assert len(flagged) >= 10
    for ind in flagged:
        assert ind.flags.strip() in ind.sql and "count(*) FILTER (WHERE flag) AS numerator" in ind.sql, ind.id
        assert ind.units in ("procedure", "lot", "award") and ind.reads == ("notices",), ind.id


def test_details_name_the_yes_and_the_unknown():
    b = behind(4, [("P4", "f0000", None, True), ("P4", "f0001", None, False), ("P4", "f0002", None, None),
                   ("P4", "f0003", None, False)])
    said = b.details(catalogue.load()["P4"])
    assert '«<span lang="no">Anskaffelse 0</span>»' in said
    said = text(said)
    assert "Telles som ja i 1 av 3 anskaffelser: «Anskaffelse 0»." in said
    # The field the notices left empty, by its eForms name (not the source's whole explanation).
    assert "Ukjent i 1 anskaffelse (BT-105-Procedure er ikke fylt ut): «Anskaffelse 2»." in said


def test_details_with_no_yes_name_what_was_counted_and_many_are_cut_with_a_link():
    few = behind(3, [("P2", f"f{i:04d}", None, False) for i in range(3)], "nn")
    assert "Blir talt som ja i 0 av 3 anskaffingar («Anskaffelse 0», «Anskaffelse 1» og «Anskaffelse 2»)." \
        in text(few.details(catalogue.load()["P2"]))
    # Named in the list's order (by date), not in the order of the contract folders' IDs.
    b = behind(2, [("P2", "f0001", None, True), ("P2", "f0000", None, True)])
    b.items["first_date"] = ["2024-12-01", "2024-01-01"]
    b = Behind(b.items.sort_values("first_date").reset_index(drop=True), b.flags, "nb")
    assert "«Anskaffelse 1» og «Anskaffelse 0»" in text(b.details(catalogue.load()["P2"]))
    many = behind(9, [("P2", f"f{i:04d}", None, True) for i in range(9)], "en")
    said = many.details(catalogue.load()["P2"])
    assert text(said).count("“Anskaffelse") == NAMED - 1 and f"and {9 - NAMED + 1} more" in text(said)
    assert '<a href="#procurements">the list of procurements</a>' in said  # the rest: a link to the list
    assert behind(1, [], "nb").details(catalogue.load()["P2"]) == ""


def test_lots_are_counted_per_procurement_in_the_table():
    b = behind(1, [("P5a", "f0000", "LOT-1", True), ("P5a", "f0000", "LOT-2", False),
                   ("P5a", "f0000", "LOT-3", None), ("P2", "f0000", None, True)])
    table = b.table("2024")
    assert ('<td class="flag"><span aria-hidden="true">✓</span> 1 av 2 ja<br><span aria-hidden="true">?</span> '
            "1 ukjent") in table
    assert '<td class="flag"><span aria-hidden="true">✓</span> ja</td>' in table
    assert b.download().loc[0, "P5a"] == "1/2 +1 unknown" and b.download().loc[0, "P2"] == "yes"


@pytest.mark.parametrize(("n", "summary"), [(1, "Vis listen (1 anskaffelse)"), (400, "Vis listen (400 anskaffelser)")])
def test_the_list_is_folded_and_says_how_long(n, summary):
    b = behind(n if n > 1 else 2, [("P4", f"f{i:04d}", None, i % 3 == 0) for i in range(n)])
    b = Behind(b.items.head(n), b.flags, "nb")
    table = b.table("2024")
    assert table.count('<th scope="row">') == n and f'<details class="procurements"><summary>{summary}</summary>' \
        in table
    # Linked where the file named its Doffin number, else the notice ID shown as code.
    assert 'href="https://www.doffin.no/notices/2024-100000"' in table and ("<code>n1</code>" in table) == (n > 1)


def test_nothing_to_list_shows_nothing():
    assert behind(0, []).table("2024") == "" and Behind.empty("nb").download().empty


def test_examples_are_grouped_by_kind_and_counted_by_body():
    from analysis import overview

    frame = pd.DataFrame([
        {"year": "2024", "kind": "innovation", "org_nr": "974760673", "buyer": "A", "org_type": "state",
         "folder_id": "f1", "doffin_id": "2024-100001", "notice_id": "n1", "title": "Ny plattform",
         "first_date": "2024-03-01"},
        {"year": "2024", "kind": "innovation", "org_nr": "974760673", "buyer": "A", "org_type": "state",
         "folder_id": "f2", "doffin_id": None, "notice_id": "n2", "title": None, "first_date": "2024-04-01"},
        {"year": "2024", "kind": "rd", "org_nr": "889640782", "buyer": "B", "org_type": None,
         "folder_id": "f3", "doffin_id": "2024-100003", "notice_id": "n3", "title": "FoU", "first_date": "2024-05-01"},
        {"year": "2024", "kind": "rd", "org_nr": "974760673", "buyer": "A", "org_type": "state",
         "folder_id": "f3", "doffin_id": "2024-100003", "notice_id": "n3", "title": "FoU", "first_date": "2024-05-01"},
        {"year": "2023", "kind": "rd", "org_nr": "889640782", "buyer": "B", "org_type": None,
         "folder_id": "f4", "doffin_id": None, "notice_id": "n4", "title": "Eldre", "first_date": "2023-05-01"}])
    groups = overview.examples(frame, "2024", "nb")
    assert [(g["id"], g["sentence"], len(g["items"])) for g in groups] == [
        ("innovation", "2 anskaffelser hos 1 virksomhet.", 2), ("rd", "1 anskaffelse hos 2 virksomheter.", 1)]
    assert [b["name"] for b in groups[1]["items"][0]["buyers"]] == ["B", "A"]  # a joint procurement once
    first, untitled = groups[0]["items"]
    assert first["href"] == "https://www.doffin.no/notices/2024-100001"
    assert first["buyers"] == [{"org_nr": "974760673", "name": "A", "type": "statlig virksomhet"}]
    assert untitled["href"] is None and untitled["title"] == "f2"
    assert overview.examples(frame, "2022", "nb") == []


@pytest.mark.slow
def test_the_demo_overview_shows_examples_and_reports_link_to_them(demo_build):
    p, _ = demo_build
    site = p.output / "site"
    page = (site / "oversikt" / "2025.html").read_text(encoding="utf-8")
    assert '<h2 id="examples">Eksempler å lære av</h2>' in page
    for section in re.findall(r'<h3 id="examples-[^"]+">.*?</table>', page, re.S):
        rows = section.count('<tr><th scope="row">')
        said = re.search(r"<p>(\d+) anskaffelser? hos (\d+) virksomhet", section)
        assert said and int(said.group(1)) == rows, section[:200]
    report = next((site / "reports" / "2025").glob("*[0-9].html")).read_text(encoding="utf-8")
    assert 'href="../../oversikt/2025.html#examples"' in report
