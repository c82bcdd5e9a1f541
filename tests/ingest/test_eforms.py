"""The eForms loader on every real fixture, and on hostile XML."""

import pickle
from dataclasses import replace

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


# ------------------------------------------------------------------ real variants, read as what they are
REAL = EFORMS.parent / "real" / "eforms"


def variant(path, old: str, new: str, count: int = 1) -> eforms.Notice:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    return eforms.parse_bytes(text.replace(old, new, count).encode(), path.name)


def test_a_prefixed_root_element_is_the_same_notice():
    path = EFORMS / "nor" / "eu" / "can_24.xml"
    text = path.read_text(encoding="utf-8")
    plain = eforms.parse_file(path)
    prefixed = text.replace("<ContractAwardNotice xmlns=", "<urn:ContractAwardNotice xmlns:urn=", 1).replace(
        "</ContractAwardNotice>", "</urn:ContractAwardNotice>")
    assert "<urn:ContractAwardNotice" in prefixed
    assert eforms.parse_bytes(prefixed.encode(), path.name) == replace(plain, source=path.name)


@pytest.mark.parametrize(("path", "subtype", "form"), [
    (EFORMS / "nor" / "eu" / "cn_24.xml", "16", "competition"),  # cn-standard under Directive 2014/24
    (EFORMS / "nor" / "national" / "cn_24_national.xml", "N16", "competition"),  # Doffin's national clone
    (REAL / "sdk-1.15" / "can-modif_24_value.xml", "38", "cont-modif"),
])
def test_a_missing_subtype_is_derived_from_notice_type_and_legal_basis(path, subtype, form):
    text = path.read_text(encoding="utf-8")
    start = text.index("<efac:NoticeSubType>")
    end = text.index("</efac:NoticeSubType>") + len("</efac:NoticeSubType>")
    stripped = text[:start] + text[end:]
    n = eforms.parse_bytes(stripped.encode(), path.name)
    assert (n.subtype, n.form_type) == (subtype, form)
    assert "SubTypeCode missing (derived from the notice type and legal basis)" in n.issues


@pytest.mark.parametrize(("customization", "sdk", "above"), [
    ("eforms-sdk-0.6", "0.6", True), ("eforms-1.0", "1.0", True), ("eforms-sdk-1.15", "1.15", True),
    ("eforms-sdk-1.7#urn:fdc:anskaffelser.no:2023:eforms:national", "1.7", False),
    ("eforms-sdk-1.13#extended#urn:fdc:anskaffelser.no:2023:eforms:eu", "1.13", True),
    ("eforms-sdk-1.10#extended#urn:fdc:anskaffelser.no:2026:eforms:national-e", "1.10", False),
])
def test_every_customization_id_is_read(customization, sdk, above):
    n = variant(REAL / "sdk-1.15" / "cn_24_minimal.xml", "<cbc:CustomizationID>eforms-sdk-1.15<",
                f"<cbc:CustomizationID>{customization}<")
    assert (n.sdk, n.above_eea, n.issues) == (sdk, above, [])


def test_an_unrecognised_customization_id_is_kept_and_counted():
    n = variant(REAL / "sdk-1.15" / "cn_24_minimal.xml", "<cbc:CustomizationID>eforms-sdk-1.15<",
                "<cbc:CustomizationID>ubl-2.3<")
    assert n.sdk is None and n.issues == ["CustomizationID is not an eForms version (kept)"]


@pytest.mark.parametrize("name", ["CEI.xml", "t01_PRT.xml", "t02_ESP.xml", "E5_minimal.xml", "E6_minimal.xml"])
def test_the_newest_sdk_subtypes_are_known(name):
    n = eforms.parse_file(REAL / "sdk-1.15" / name)
    assert n.subtype in eforms.subtypes() and n.unknown_codes == []


def test_procedure_type_unknown_is_not_stated():
    n = eforms.parse_file(REAL / "doffin" / "ContractNotice_cn-social_2023-629257.xml")
    assert n.procedure_type is None and n.unknown_codes == []
    assert n.issues == ["procedure type UNKNOWN (read as not stated)"]


def test_a_converted_ted_notice_cannot_answer_what_its_form_lacked():
    n = eforms.parse_file(REAL / "doffin" / "2023-610912.xml")
    assert n.converted and n.lots and all(lot.innovative is None and lot.strategic is None for lot in n.lots)
    native = eforms.parse_file(REAL / "sdk-1.15" / "cn_24_maximal.xml")
    assert not native.converted and all(lot.innovative is not None for lot in native.lots)


def test_business_registration_notices_are_skipped_not_refused():
    with pytest.raises(eforms.NotProcurement) as exc:
        eforms.parse_file(REAL / "sdk-1.15" / "X01_EEIG.xml")
    assert pickle.loads(pickle.dumps(exc.value)).reason == exc.value.reason  # it crosses process pools


@pytest.mark.parametrize(("text", "iso"), [
    ("2024-03-14", "2024-03-14"), ("2024-03-14+01:00", "2024-03-14"), ("2024-03-14Z", "2024-03-14"),
    ("2024-02-29-05:00", "2024-02-29"), ("2024-13-45", None), ("2023-02-29", None), ("14.03.2024", None),
    ("2024-03-14T10:00:00", None), ("2024-3-4", None),
])
def test_issue_dates_are_real_calendar_dates(text, iso):
    assert eforms.valid_date(text) == iso


@pytest.mark.parametrize(("value", "currency", "ok"), [
    ("16000000", "NOK", True), ("1234.50", "EUR", True), ("NaN", "NOK", False), ("Infinity", "NOK", False),
    ("1e400", "NOK", False), ("-5", "NOK", False), ("100", "kroner", False), ("100", None, False),
])
def test_amounts_are_finite_with_a_currency(value, currency, ok):
    assert (eforms.valid_amount(value, currency) is not None) == ok


def test_a_bad_time_is_counted_not_fatal():
    n = variant(EFORMS / "nor" / "eu" / "cn_24.xml", "<cbc:IssueTime>", "<cbc:IssueTime>25:61:00")
    assert "IssueTime is not a valid time (ignored)" in n.issues


def test_the_buyers_own_reference_is_read_and_validated():
    path = REAL / "doffin" / "2023-100679.xml"
    assert eforms.parse_file(path).internal_id == "23/13419"  # BT-22 of the procedure, not of a lot (LOT-…)
    n = variant(path, "<cbc:ID schemeName=\"InternalID\">23/13419", "<cbc:ID schemeName=\"InternalID\">23/\n13419")
    assert n.internal_id is None and "internal reference (BT-22) is not an identifier (read as unknown)" in n.issues
