"""org_type from Enhetsregisteret and BT-11: each rule of analysis.fetch.orgtypes on a record in the register's
shape (tests/fixtures/replay/brreg: real numbers and names, fields as data-apis.md §3.2 shows them)."""

from __future__ import annotations

import json

import pytest

from analysis.fetch.orgtypes import language, org_type
from tests.conftest import FIXTURES

UNITS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (FIXTURES / "replay" / "brreg").glob("*.json")}


@pytest.mark.parametrize(("org_nr", "expected"), [
    ("942110464", ("municipality", "form")),  # KOMM
    ("817920632", ("county", "form")),  # FYLK
    ("889640782", ("state", "state")),  # ORGL in sector 6100 under its ministry
    ("916879067", ("health", "health")),  # SÆR named "… HF"
    ("883658752", ("health", "health")),  # SÆR named "… RHF"
    ("971014407", ("enterprise", "enterprise")),  # IKS
    ("984421370", ("enterprise", "enterprise")),  # KF
    ("990612498", ("municipality", "parent")),  # ORGL in sector 6500 under Oslo kommune (KOMM)
])
def test_each_rule_on_a_register_record(org_nr, expected):
    assert org_type(UNITS[org_nr], UNITS, []) == expected


def test_the_register_wins_over_what_a_notice_declares():
    # Municipalities declare 'ra' (regional authority) in real notices; KOMM settles it.
    assert org_type(UNITS["942110464"], UNITS, ["ra", "ra"]) == ("municipality", "form")


def test_bt11_is_the_fallback_where_the_register_does_not_settle_the_type():
    assert org_type(None, UNITS, ["cga", "cga", None]) == ("state", "notices")
    assert org_type(None, UNITS, ["body-pl-la"]) == ("municipality", "notices")
    assert org_type(None, UNITS, ["pub-undert-cga"]) == ("enterprise", "notices")
    other = {"organisasjonsnummer": "986399445", "organisasjonsform": {"kode": "SÆR"}}  # not named HF
    assert org_type(other, UNITS, ["ra"]) == ("county", "notices")


def test_a_tie_or_nothing_declared_is_not_typed_and_sector_6500_is_municipal():
    assert org_type(None, UNITS, ["cga", "la"]) == ("other", "untyped")
    assert org_type(None, UNITS, ["body-pl", "spec-rights-entity"]) == ("other", "untyped")
    orphan = {"organisasjonsnummer": "111111111", "organisasjonsform": {"kode": "ORGL"},
              "institusjonellSektorkode": {"kode": "6500"}}
    assert org_type(orphan, {}, []) == ("municipality", "sector")


def test_a_parent_loop_ends():
    a = {"organisasjonsnummer": "1", "organisasjonsform": {"kode": "ORGL"},
         "institusjonellSektorkode": {"kode": "6500"}, "overordnetEnhet": "2"}
    b = {**a, "organisasjonsnummer": "2", "overordnetEnhet": "1"}
    assert org_type(a, {"1": a, "2": b}, []) == ("municipality", "sector")


def test_the_language_of_the_reports_from_maalform():
    assert language(UNITS["844458312"]) == "nn" and language(UNITS["942110464"]) == "nb"
    assert language(None) is None and language({"maalform": ""}) is None
