"""Narrative rules, case by case."""

import pytest

from analysis import fmt, narrative


def base(**kw):
    row = {"indicator_id": "P4", "year": "2024", "status": "ok", "value": 0.20, "prev_value": 0.10,
           "change_prev": 0.10, "baseline_value": 0.05, "change_baseline": 0.15, "baseline_year": "2019",
           "n": 20, "coverage": 1.0, "peer_n": 4, "peer_quartile": 4, "peer_median": 0.08, "reason": None}
    row.update(kw)
    return row


def text(lang="nb", target=None, **kw):
    return narrative.indicator_text(base(**kw), lang, target)


def test_up_is_an_increase_in_the_desired_direction():
    t = text()
    assert "en økning på 10,0 prosentpoeng fra 2023" in t and "ønsket retning" in t
    assert "20,0\u00a0%" in t and "høyeste fjerdedelen" in t


def test_down_is_a_fall():
    t = text(value=0.05, prev_value=0.15, change_prev=-0.10)
    assert "en nedgang på 10,0 prosentpoeng" in t and "feil retning" in t and "−" not in t.split("fra")[0]


def test_change_inside_threshold_is_stable_never_increased():
    t = text(value=0.105, prev_value=0.10, change_prev=0.005)
    assert "stabilt" in t and "økning" not in t


def test_no_trend_from_a_missing_or_suppressed_previous_value():
    t = text(prev_value=None, change_prev=None)
    assert "økning" not in t and "nedgang" not in t and "stabilt" not in t


def test_suppressed_value_claims_nothing():
    t = text(status="suppressed", value=None, n=3)
    assert "vises ikke" in t and "%" not in t and "økning" not in t


def test_no_data_and_unavailable():
    assert "Ikke nok data for 2024" in text(status="no_data", value=None)
    assert text(status="unavailable", value=None, indicator_id="P1", reason="Krever X.") == \
        "Ikke nok data: Krever X."


def test_no_baseline_says_nothing_about_baseline():
    t = text(baseline_value=None, change_baseline=None)
    assert "basisåret" not in t


def test_polarity_reversed_a_fall_is_good():
    t = text(indicator_id="F6", value=0.4, prev_value=0.6, change_prev=-0.2)
    assert "nedgang" in t and "ønsket retning" in t


def test_neutral_polarity_makes_no_judgement():
    t = text(indicator_id="S3", value=0.4, prev_value=0.6, change_prev=-0.2)
    assert "nedgang" in t and "retning" not in t


def test_target_on_and_off_track():
    target = narrative.Target(baseline=0.02, baseline_year=2019, target=0.10, target_year=2026)
    assert "i rute" in text(target=target, value=0.09) and "ikke i rute" not in text(target=target, value=0.09)
    assert "ikke i rute" in text(target=target, value=0.03)


def test_low_coverage_caveat():
    assert "lav rapportering" in text(coverage=0.3)
    assert "lav rapportering" not in text(coverage=0.9)


def test_few_peers_give_no_peer_position():
    assert "sammenlignbare" not in text(peer_n=2)


def test_english():
    t = text("en")
    assert "an increase of 10.0 percentage points from 2023" in t and "20.0%" in t


@pytest.mark.parametrize("v, out", [(0.124, "12,4\u00a0%"), (None, "–")])
def test_percent_bokmal(v, out):
    assert fmt.percent(v) == out


def test_money_and_dates_bokmal():
    assert fmt.nok(1234567) == "1\u00a0234\u00a0567\u00a0kr"
    assert fmt.day("2024-03-01") == "1. mars 2024" and fmt.day("2024-03-01", "en") == "1 March 2024"


def test_negative_numbers_use_the_minus_sign_and_never_show_minus_zero():
    assert fmt.number(-1234.5, "nb", 1) == "\u22121\u00a0234,5"
    assert fmt.number(-0.001, "nb", 2) == "0,00" and fmt.number(-0.001, "en", 2) == "0.00"
