"""Funnel plots: control limits computed by hand, a body's position at the edges of the limits, bodies that
cannot be placed, the sentences in three languages, and the figure's text alternative."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import catalogue, figures, funnel


def test_limits_match_values_computed_by_hand():
    # p = 0.5, n = 100: sqrt(0.25 / 100) = 0.05; 1.96 · 0.05 = 0.098
    lo, hi = funnel.limits(0.5, 100, 1.96)
    assert lo == pytest.approx(0.402) and hi == pytest.approx(0.598)
    # p = 0.2, n = 400: sqrt(0.16 / 400) = 0.02; 3.090232 · 0.02 = 0.0618046
    lo, hi = funnel.limits(0.2, 400, funnel.Z998)
    assert lo == pytest.approx(0.2 - 0.0618046, abs=1e-7) and hi == pytest.approx(0.2 + 0.0618046, abs=1e-7)


def test_limits_are_clipped_to_zero_and_one():
    # p = 0.1, n = 25: sqrt(0.09 / 25) = 0.06; 1.959964 · 0.06 = 0.1175978 reaches below 0
    assert funnel.limits(0.1, 25, funnel.Z95) == (0.0, pytest.approx(0.2175978, abs=1e-7))
    assert funnel.limits(0.95, 4, funnel.Z998) == (pytest.approx(0.95 - funnel.Z998 * math.sqrt(0.95 * 0.05 / 4)),
                                                   1.0)


def test_z_values_are_the_two_sided_normal_quantiles():
    from statistics import NormalDist

    assert funnel.Z95 == pytest.approx(NormalDist().inv_cdf(0.975), abs=1e-12)
    assert funnel.Z998 == pytest.approx(NormalDist().inv_cdf(0.999), abs=1e-12)


@pytest.mark.parametrize("n", [0, -3, None, float("nan")])
def test_no_units_no_limits_and_no_position(n):
    assert funnel.limits(0.3, n, funnel.Z95) is None
    assert funnel.position(0.3, n, 0.3) is None


@pytest.mark.parametrize("share, national", [(None, 0.3), (float("nan"), 0.3), (0.3, None), (0.3, float("nan")),
                                             (0.3, 1.5)])
def test_a_share_without_a_value_or_a_national_share_cannot_be_placed(share, national):
    assert funnel.position(share, 50, national) is None


def test_positions_at_the_edges_of_the_limits():
    """A share on a limit is within it; the next float beyond it is outside."""
    p, n = 0.3, 80
    lo95, hi95 = funnel.limits(p, n, funnel.Z95)
    lo998, hi998 = funnel.limits(p, n, funnel.Z998)
    assert funnel.position(p, n, p) == "within"
    assert funnel.position(hi95, n, p) == "within"
    assert funnel.position(math.nextafter(hi95, 1), n, p) == "above95"
    assert funnel.position(hi998, n, p) == "above95"
    assert funnel.position(math.nextafter(hi998, 1), n, p) == "above998"
    assert funnel.position(lo95, n, p) == "within"
    assert funnel.position(math.nextafter(lo95, 0), n, p) == "below95"
    assert funnel.position(lo998, n, p) == "below95"
    assert funnel.position(math.nextafter(lo998, 0), n, p) == "below998"


def test_the_same_share_is_placed_differently_by_its_number_of_units():
    """12 of 40 against a national 20 % is within chance; 300 of 1,000 is far above it."""
    assert funnel.position(0.3, 40, 0.2) == "within"
    assert funnel.position(0.3, 1000, 0.2) == "above998"
    assert funnel.position(0.1, 1000, 0.2) == "below998"


def test_a_national_share_of_zero_leaves_no_room():
    assert funnel.limits(0.0, 30, funnel.Z998) == (0.0, 0.0)
    assert funnel.position(0.0, 30, 0.0) == "within"
    assert funnel.position(1 / 30, 30, 0.0) == "above998"


def test_sentences_in_three_languages():
    assert funnel.sentence("within", "en", "procedures") == \
        "Against the national share, the value is within the range expected for its number of procedures."
    assert "over den øvre 95\u00a0%-grensen for antallet delkontrakter" in funnel.sentence("above95", "nb",
                                                                                           "delkontrakter")
    assert "under den nedre 99,8\u00a0%-grensa for talet på tildelingar" in funnel.sentence("below998", "nn",
                                                                                            "tildelingar")
    sentences = {funnel.sentence(key, lang, "x") for key in funnel.POSITIONS for lang in ("nb", "nn", "en")}
    assert len(sentences) == 15 and all(s.endswith(".") for s in sentences)
    assert funnel.sentence(None, "nb", "x") == "" == funnel.label(None, "nb")
    assert funnel.label("below95", "en") == "below the lower 95% limit"


def test_funnels_only_for_shares_of_counted_units_outside_surveys():
    cat = catalogue.load()
    chosen = {i.id for i in cat.indicators if funnel.eligible(i)}
    assert {"P3", "P4", "P5a", "G3", "S1", "P7c", "P7d"} <= chosen
    assert not chosen & {"F1a", "F5", "G1"}  # survey answers
    assert not chosen & {"P7a", "P7b", "G2", "F2b"}  # shares of NOK or FTE
    assert all(cat[i].unit == "share" for i in chosen)
    assert funnel.units_word(cat["P7d"], "en") == "tenders received"
    assert funnel.lowered("FoU-anskaffelser") == "FoU-anskaffelser" and funnel.lowered("SMB") == "SMB"
    assert funnel.lowered("Tilbud fra SMB") == "tilbud fra SMB"


def _rows():
    return [{"name": "Small", "n": 8, "value": 0.25, "position": funnel.position(0.25, 8, 0.1)},
            {"name": "Large", "n": 400, "value": 0.2, "position": funnel.position(0.2, 400, 0.1)},
            {"name": "Low", "n": 300, "value": 0.05, "position": funnel.position(0.05, 300, 0.1)},
            {"name": "Middle", "n": 120, "value": 0.12, "position": funnel.position(0.12, 120, 0.1)}]


def test_funnel_figure_names_every_body_outside_the_limits_in_its_text_alternative():
    rows = _rows()
    assert [r["position"] for r in rows] == ["within", "above998", "below95", "within"]
    svg, alt = figures.funnel(rows, 0.1, "P3 Functional requirements", "Lots", "2025", "en")
    assert alt.startswith("Funnel plot of P3 Functional requirements in 2025: the shares of 4 organisations "
                          "against their number of lots, with 95% and 99.8% control limits around the national "
                          "share of 10.0%.")
    assert "Within the 95% limits: 2 of 4." in alt
    assert "Above the upper 99.8% limit: Large 20.0% of 400." in alt
    assert "Below the lower 95% limit: Low 5.0% of 300." in alt
    assert "Small" not in alt and "Middle" not in alt
    assert f"<title>{alt}</title>" in svg
    assert svg.count("<polygon") >= 2  # the two bodies outside the limits are triangles
    assert figures.funnel(rows[::-1], 0.1, "P3 Functional requirements", "Lots", "2025", "en")[0] == svg


def test_funnel_figure_with_one_body_and_one_size():
    svg, alt = figures.funnel([{"name": "Only", "n": 3, "value": 0.0, "position": "within"}], 0.4, "P4 x", "Lots",
                              "2024", "nb")
    assert svg.startswith("<svg") and "andelen til 1 virksomhet mot antallet lots" in alt
    assert "Innenfor 95\u00a0%-grensene: 1 av 1." in alt


def test_funnel_legend_names_bodies_above_and_below_the_limits():
    svg, _ = figures.funnel(_rows(), 0.1, "P3 x", "Lots", "2025", "en")
    assert ">Above the upper limit</text>" in svg and ">Below the lower limit</text>" in svg


# ------------------------------------------------------------------------------------------ overview's best value
def _ok_rows(ind_id: str, values: list[tuple[float, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": ind_id, "org_nr": f"9{k:08d}", "name": f"Body {k}", "value": v,
                          "denominator": n, "change_prev": 0.1 * k} for k, (v, n) in enumerate(values)])


def test_best_value_only_beyond_the_95_limits_and_never_among_ties():
    """The overview names a best value only where the funnel plot says it differs from the national share by
    more than chance, and only where one body holds it alone (issue 37: "P2 … 0,0 %" for every body, "P7c:
    100,0 %" on one award)."""
    from analysis import overview

    ind = catalogue.load()["P4"]  # higher is better, a share of counted procurements
    assert funnel.eligible(ind) and ind.polarity == "higher"
    beyond = overview._leader(_ok_rows("P4", [(0.9, 200), (0.3, 200), (0.2, 200)]), ind, 0.3, "en")
    assert beyond["leader"]["name"] == "Body 0" and beyond["mover"]["name"] == "Body 2"
    assert overview._leader(_ok_rows("P4", [(1.0, 1), (0.3, 200), (0.2, 200)]), ind, 0.3, "en") is None  # 1 of 1
    assert overview._leader(_ok_rows("P4", [(0.9, 200), (0.9, 200), (0.2, 200)]), ind, 0.3, "en") is None  # a tie
    assert overview._leader(_ok_rows("P4", [(0.0, 20), (0.0, 30)]), ind, 0.0, "en") is None  # all at 0 %
