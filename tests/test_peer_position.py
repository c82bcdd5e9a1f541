"""One peer comparison (issue 37, E2): the quarter a report places a body in, and the median printed beside it,
come from the same peers (published values on a sufficient base), so they can never contradict each other: a
body in one of the two lower quarters is below the median, a body in one of the upper quarters above it."""

from __future__ import annotations

import re

import pandas as pd

from analysis import narrative, pipeline

PLACED = re.compile(r"^(?P<title>.+?) was (?:NOK\s)?(?P<value>[−\d,.]+)\S* in \d{4}\..*"
                    r"That places the organisation in the "
                    r"(?P<where>lowest|second-lowest|second-highest|highest) quarter of (?P<n>\d+) comparable "
                    r"organisations? \(median (?:NOK\s)?(?P<median>[−\d,.]+)\S*\)")


def number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def test_every_quarter_sentence_of_the_demo_agrees_with_its_median(demo_build):
    p, _ = demo_build
    table = pd.read_parquet(pipeline.build_paths(p).indicators)
    placed = 0
    for row in table[table["status"] == "ok"].to_dict("records"):
        text = narrative.indicator_text(row, "en")
        if "That places" not in text:
            continue
        m = PLACED.search(text)
        assert m, text
        placed += 1
        value, median = number(m["value"]), number(m["median"])
        if m["where"] in ("lowest", "second-lowest"):
            assert value < median, text
        else:
            assert value > median, text
        assert int(m["n"]) >= narrative.MIN_PEERS and not row["small_base"], text
    assert placed > 50  # the demo places most bodies: a pattern that never matched would pass vacuously


def test_the_median_and_the_quarter_count_the_same_peers(demo_build):
    """The median is over the peers that can be placed (no small base), and a body is placed only among at
    least min_peers of them."""
    p, _ = demo_build
    table = pd.read_parquet(pipeline.build_paths(p).indicators)
    peers = table[(table["status"] == "ok") & ~table["small_base"].astype(bool)]
    medians = peers.groupby(["year", "org_type", "indicator_id"])["value"].agg(["median", "count"])
    checked = table.join(medians, on=["year", "org_type", "indicator_id"])
    checked = checked[checked["peer_median"].notna()]
    assert len(checked) > 100
    assert (checked["peer_median"] - checked["median"]).abs().max() < 1e-9
    assert (checked["peer_n"] == checked["count"]).all()
    quartered = table[table["peer_quartile"].notna()]
    assert (quartered["peer_n"] >= narrative.MIN_PEERS).all() and not quartered["small_base"].astype(bool).any()
