"""The dated threshold table, and the eForms fallback to it when a notice does not state its class."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis import thresholds
from analysis.ingest import eforms
from tests.conftest import EFORMS

NATIONAL = EFORMS / "nor" / "national" / "cn_24_national.xml"


def test_table_covers_each_period_without_overlaps():
    rows = thresholds.load()
    keys = {(t.buyer_type, t.contract_nature, t.currency) for t in rows}
    for key in keys:
        periods = sorted((t.valid_from, t.valid_to or "9999") for t in rows if (t.buyer_type, t.contract_nature,
                                                                                   t.currency) == key)
        assert all(a[1] < b[0] for a, b in zip(periods, periods[1:], strict=False)), key


@pytest.mark.parametrize(("day", "buyer", "nature", "currency", "amount"), [
    ("2024-03-14", "state", "services", "NOK", "1490000"),
    ("2024-03-13", "state", "services", "NOK", "1400000"),  # the day before the 2024 change
    ("2024-06-01", "other", "supplies", "NOK", "2300000"),
    ("2025-01-01", "utilities", "works", "NOK", "57800000"),  # works: any buyer
    ("2023-05-01", "other", "services", "EUR", "215000"),
    ("2026-02-01", "other", "services", "EUR", "216000"),
])
def test_find_the_threshold_valid_on_a_day(day, buyer, nature, currency, amount):
    assert thresholds.find(day, buyer, nature, currency).amount == Decimal(amount)


def test_unknown_period_is_none_not_a_guess():
    assert thresholds.find("2026-06-01", "state", "services", "NOK") is None  # not published when written
    assert thresholds.above(Decimal(5_000_000), "NOK", "2026-06-01", "state", "services") is None
    assert thresholds.above(None, "NOK", "2025-01-01", "state", "services") is None


def test_above_and_below():
    assert thresholds.above(Decimal(1_490_000), "NOK", "2025-01-01", "state", "services") is True
    assert thresholds.above(Decimal(1_489_999), "nok", "2025-01-01", "state", "services") is False


def test_buyer_type_from_legal_type_and_domain():
    assert thresholds.buyer_type("cga") == "state"
    assert thresholds.buyer_type("la") == "other"
    assert thresholds.buyer_type("cga", "32014L0025") == "utilities"


def _without_class(amount: str) -> bytes:
    xml = NATIONAL.read_bytes().replace(b":eforms:national<", b":eforms<")
    return xml.replace(b'currencyID="EUR">4500000<', amount.encode())


def test_notice_without_a_class_falls_back_to_its_estimated_value():
    assert eforms.parse_bytes(NATIONAL.read_bytes(), "n.xml").above_eea is False  # says :national
    assert eforms.parse_bytes(_without_class('currencyID="EUR">4500000<'), "n.xml").above_eea is True
    assert eforms.parse_bytes(_without_class('currencyID="NOK">900000<'), "n.xml").above_eea is False


def test_notice_without_class_or_value_is_unknown():
    xml = _without_class('currencyID="EUR">4500000<')
    xml = xml.replace(b"<cbc:EstimatedOverallContractAmount", b"<cbc:Note").replace(
        b"</cbc:EstimatedOverallContractAmount>", b"</cbc:Note>")
    assert eforms.parse_bytes(xml, "n.xml").above_eea is None
