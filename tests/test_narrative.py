"""Narrative rules, case by case."""

from dataclasses import replace

import pytest

from analysis import catalogue, fmt, narrative


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


def test_no_data_and_unavailable(monkeypatch):
    assert "Ikke nok data for 2024" in text(status="no_data", value=None)
    # Why a value is unavailable comes from the catalogue in the report's language, not from the table's
    # `reason` column (written once, in bokmål, by compute). Every indicator is computable today, so P1 is
    # made unavailable here, as an indicator whose data the layout does not take would be.
    cat = catalogue.load()
    reason = {"nb": "Krever et register.", "nn": "Krev eit register.", "en": "Needs a register."}
    p1 = replace(cat["P1"], sql=None, unavailable=reason)
    monkeypatch.setattr(catalogue, "load", lambda: replace(cat, indicators=tuple(
        p1 if i.id == "P1" else i for i in cat.indicators)))
    for lang, words in (("nb", "Ikke nok data: "), ("nn", "Ikkje nok data: "), ("en", "Not enough data: ")):
        assert text(lang, status="unavailable", value=None, indicator_id="P1", reason="Krever X.") == \
            words + reason[lang]


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


# ------------------------------------------------------------------------------------------ key messages
def rows(**overrides):
    """This year's rows for a few indicators; each keyword replaces fields of one indicator's row."""
    found = []
    for ind_id, fields in {"P4": {}, "P5a": {"value": 0.5, "prev_value": 0.49, "change_prev": 0.01,
                                             "peer_quartile": 1},
                           "F6": {"value": 0.3, "prev_value": 0.5, "change_prev": -0.2, "peer_quartile": 1},
                           "F1a": {"status": "suppressed", "value": None, "change_prev": None}}.items():
        found.append(base(indicator_id=ind_id, **{**fields, **overrides.get(ind_id, {})}))
    return found


def test_key_messages_name_the_largest_change_with_its_direction_and_judgement():
    messages = narrative.key_messages(rows())
    assert 3 <= len(messages) <= 5
    assert messages[0].startswith("Den største endringen: F6 Opplevde barrierer falt med 20,0 prosentpoeng")
    assert "ønsket retning" in messages[0]  # fewer barriers is better
    assert not any("P5a" in m and "økte" in m for m in messages)  # +1 point is stable, never "increased"


def test_key_messages_ignore_small_n_and_suppressed_values():
    messages = narrative.key_messages(rows(F6={"n": 4}))
    assert "F6" not in messages[0] and messages[0].startswith("Den største endringen: P4")
    assert not any("F1a" in m for m in messages)  # suppressed: no claim


def test_key_messages_rank_peers_by_polarity():
    facts = narrative.key_facts(rows())
    # P4 top quartile (higher is better): best; F6 bottom quartile where lower is better: also best;
    # P5a bottom quartile where higher is better: weakest.
    assert facts["best"] == ["F6", "P4"] and facts["weakest"] == ["P5a"]


def test_key_messages_name_goals_off_track():
    goals = [{"text": "Flere innovasjonspartnerskap", "on_track": False}, {"text": "Mer dialog", "on_track": True}]
    messages = narrative.key_messages(rows(), goals=goals)
    assert "Av 2 mål med nullpunkt og målverdi er 1 i rute, mens målet «Flere innovasjonspartnerskap» ikke er i " \
           "rute." in messages


def test_key_messages_in_english():
    messages = narrative.key_messages(rows(), "en")
    assert messages[0].startswith("The largest change: F6") and "20.0 percentage points" in messages[0]


# ------------------------------------------------------------------------------------------ effects chain
GOAL = {"goal_id": "g1", "text": "Øke bruken av <script>alert(1)</script>", "indicator_ref": "P4",
        "baseline_value": 0.02, "baseline_date": "2020-01-15", "target_value": 0.10, "target_year": "2026",
        "owner": "Kari", "risk_likelihood": "4", "risk_consequence": "4", "risk_text": "Umodent marked"}


def chain(goal=GOAL, statuses=("done", "done"), value=0.05, year="2024", effects=()):
    measures = [{"measure_id": f"m{i}", "description": "Tiltak", "cost_nok": 100000} for i in range(len(statuses))]
    impls = [{"measure_id": f"m{i}", "status": s} for i, s in enumerate(statuses)]
    result = None if value is None else {"value": value, "unit": "share", "source": "P4"}
    return narrative.chain_facts(goal, measures, impls, list(effects), result, [], year)


def test_chain_off_track_with_every_measure_done_asks_for_correction():
    f = chain()  # progress (0.05-0.02)/0.08 = 37.5 % against 4/6 of the time
    assert f["on_track"] is False and f["reached"] is False and f["advice"] == "correct"
    text = narrative.chain_text(f)
    assert "ikke i rute" in text and "vurder hva som må korrigeres" in text and "38\u00a0%" in text


def test_chain_on_track_reached_and_risk():
    f = chain(value=0.12)
    assert f["reached"] and f["on_track"] and f["risk"] == {"score": 16, "level": "high", "text": "Umodent marked"}
    assert "Målet er nådd" in narrative.chain_text(f)


def test_chain_without_baseline_never_measures_progress():
    f = chain(goal={**GOAL, "baseline_value": None, "baseline_date": None})
    assert f["baseline_missing"] and "on_track" not in f
    assert "Nullpunktet mangler" in narrative.chain_text(f)


def test_chain_counts_effects_up_to_the_report_year_only():
    effects = [{"gain_type": "efficiency", "planned_value": 100, "realised_value": 80, "date": "2023-12-31"},
               {"gain_type": "efficiency", "planned_value": 100, "realised_value": 90, "date": "2025-12-31"}]
    f = chain(effects=effects)
    assert f["gains"] == [{"type": "efficiency", "planned": "100\u00a0kr", "realised": "80\u00a0kr",
                           "share": "80\u00a0%"}]


def test_chain_escapes_free_text():
    text = narrative.chain_text(chain())
    assert "<script>" not in text and "\\<script\\>" in text


def test_stopped_and_not_started_measures():
    assert chain(statuses=("stopped", "done"))["advice"] == "stopped"
    assert chain(statuses=("planned",), value=None)["advice"] == "not_started"


# ------------------------------------------------------------------------------------------ self-evaluation
def question(k, value, change=None, status="ok"):
    return {"k": k, "status": status, "value": value, "prev_year": "2023" if change is not None else None,
            "change": change}


def test_self_evaluation_best_worst_moves_and_suppression():
    qs = [question(1, 4.2, 0.5), question(2, 3.0, -0.1), question(3, None, None, "suppressed"),
          question(4, 2.5, -0.4)]
    barriers = [{"text": "Kapasitet og tid", "status": "ok", "value": 0.6},
                {"text": "Risikoaversjon", "status": "suppressed", "value": None},
                {"text": "Kompetanse", "status": "ok", "value": 0.4}]
    f = narrative.self_evaluation_facts(qs, barriers)
    assert f["best"] == {"k": 1, "score": "4,2"} and f["worst"] == {"k": 4, "score": "2,5"}
    assert f["moves"] == {"up": 1, "down": 1, "stable": 1} and f["hidden"] == 1
    assert [b["text"] for b in f["barriers"]] == ["Kapasitet og tid", "Kompetanse"]
    text = narrative.self_evaluation_text(qs, barriers)
    assert "Sammenlignet med forrige måling (2023): 1 spørsmål har gått opp, 1 har gått ned, og 1 er stabilt." in text
    assert "1 spørsmål vises ikke" in text and "kapasitet og tid (60\u00a0%) og kompetanse (40\u00a0%)." in text


def test_self_evaluation_with_nothing_to_show():
    text = narrative.self_evaluation_text([question(1, None, None, "suppressed")], [], "en", 5)
    assert text.startswith("None of the 1 questions can be shown") and "fewer than 5" in text


def test_key_messages_claim_no_stability_without_a_previous_year():
    first_year = [base(indicator_id=i, prev_value=None, change_prev=None) for i in ("P4", "P5a", "F6")]
    messages = narrative.key_messages(first_year)
    assert messages[0].startswith("Det finnes ingen andel med tall for året før") and 3 <= len(messages) <= 5
    assert not any("stabilt" in m for m in messages)
    stable = narrative.key_messages([base(indicator_id="P5a", value=0.5, prev_value=0.49, change_prev=0.01)])
    assert stable[0].startswith("Ingen av andelene har endret seg siden året før mer enn det som regnes som stabilt")


def test_key_messages_say_when_there_are_no_goals_or_too_few_peers():
    alone = [base(indicator_id="P4", peer_n=1, peer_quartile=None)]
    messages = narrative.key_messages(alone, goals=[])
    unsupplied = narrative.key_messages(alone)  # no gain register at all: not measured, so nothing said of goals
    assert not any("mål" in m for m in unsupplied)
    assert any(m.startswith("Virksomheten har ingen mål i gevinstregisteret") for m in messages)
    assert any(m.startswith("Det er for få sammenlignbare virksomheter") for m in messages)
    untargeted = narrative.key_messages(alone, goals=[{"text": "Mål", "on_track": None}])
    assert any(m.startswith("1 mål i gevinstregisteret mangler nullpunkt eller målverdi") for m in untargeted)
    assert 3 <= len(messages) <= 5 and 3 <= len(untargeted) <= 5
