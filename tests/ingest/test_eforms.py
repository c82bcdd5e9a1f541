"""The eForms loader on every real fixture, and on hostile XML."""

import pytest

from analysis.errors import InputError
from analysis.ingest import eforms
from tests.conftest import EFORMS

ALL = sorted(EFORMS.glob("**/*.xml"))
EMPTY = {"INVALID_can_24_empty.xml", "INVALID_cn_24_empty.xml"}


@pytest.mark.parametrize("path", [p for p in ALL if p.name not in EMPTY], ids=lambda p: p.name)
def test_every_fixture_parses(path):
    notice = eforms.parse_file(path)
    assert notice.notice_id and len(notice.issue_date) == 10 and notice.subtype
    assert notice.unknown_codes == []  # every code in the fixtures is in the EU or DFØ codelists


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_invalid_notices_give_one_clear_error(name):
    with pytest.raises(InputError) as exc:
        eforms.parse_file(EFORMS / "eu" / name)
    (problem,) = exc.value.problems
    assert problem.file.endswith(name) and "notice-id" in problem.where and "missing" in problem.message


def test_fixture_count_covers_all_folders():
    assert len(ALL) >= 50 and {p.parent.name for p in ALL} >= {"eu", "national", "national-e"}


def test_norwegian_award_notice_fields():
    n = eforms.parse_file(EFORMS / "nor" / "eu" / "can_24.xml")
    assert n.form_type == "result" and n.above_eea and n.year == "2025"
    assert [b.org_nr for b in n.buyers] == ["959469059"]
    assert {(s.code, s.lot_id) for s in n.submissions} >= {("t-sme", "LOT-0000")}


def test_threshold_class_from_customization():
    assert eforms.parse_file(EFORMS / "nor" / "national" / "cn_24_national.xml").above_eea is False
    assert eforms.parse_file(EFORMS / "nor" / "national-e" / "VALID-national-e3-minimum.xml").above_eea is False
    assert eforms.parse_file(EFORMS / "nor" / "eu" / "cn_24.xml").above_eea is True
    assert eforms.parse_file(EFORMS / "eu" / "cn_24_minimal.xml").above_eea is True
    assert eforms.parse_file(EFORMS / "eu" / "E3_minimal.xml").above_eea is False


def test_lot_fields_and_innovation_codes():
    n = eforms.parse_file(EFORMS / "eu" / "cn_24_maximal.xml")
    assert n.procedure_type == "neg-w-call"
    assert any("proc-innov" in lot.innovative for lot in n.lots)
    assert any(lot.sme_suitable for lot in n.lots)
    assert all(lot.variants in (None, "allowed", "not-allowed", "required") for lot in n.lots)


def test_change_notice_names_the_notice_it_changes():
    n = eforms.parse_file(EFORMS / "eu" / "change-cn_24_void.xml")
    assert n.changed_notice == "f42be27e-09cf-4f0e-a745-63ec689631e6-01"


def test_multi_buyer_notice_keeps_every_buyer():
    n = eforms.parse_file(EFORMS / "nor" / "national-e" / "VALID-national-e3-multi-buyer-0e9f.xml")
    assert len(n.buyers) >= 2


def test_winner_size_and_no_contact_fields():
    n = eforms.parse_file(EFORMS / "eu" / "can_24_minimal.xml")
    assert [a.winner_size for a in n.awards] == ["micro"]
    assert "contact@" not in repr(n) and "+33" not in repr(n)


@pytest.mark.parametrize("data, where", [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ContractNotice>&e;</ContractNotice>',
     "document"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>', "document"),
    (b'<ContractNotice><cbc:ID', "line 1"),
    (b'', "line"),
    (b'<Invoice xmlns="urn:x"/>', "element /Invoice"),
])
def test_hostile_or_broken_xml_is_refused(data, where):
    with pytest.raises(InputError) as exc:
        eforms.parse_bytes(data, "bad.xml")
    (problem,) = exc.value.problems
    assert problem.file == "bad.xml" and problem.where.startswith(where)
    assert "root:x" not in str(exc.value)


def test_unknown_codes_are_reported_not_dropped():
    text = (EFORMS / "eu" / "cn_24_minimal.xml").read_bytes().replace(b">open<", b">made-up<")
    n = eforms.parse_bytes(text, "x.xml")
    assert n.procedure_type == "made-up" and ("procurement-procedure-type", "made-up") in n.unknown_codes
