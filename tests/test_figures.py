"""The report's figures: valid, self-contained SVG that depends on the data only, drawn as the data say."""

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from analysis import figures

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str):
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root) -> list[str]:
    return [t.text for t in root.iterfind(".//s:text", NS)]


def series(name="P4 Innovasjonsvennlige prosedyrer", values=(0.1, 0.2, 0.3), **extra):
    years = [str(2023 + k) for k in range(len(values))]
    return {"name": name, "years": years, "values": list(values), "median": [0.15] * len(values),
            "q1": [0.1] * len(values), "q3": [0.25] * len(values), **extra}


def test_trend_draws_every_series_with_its_band_median_and_markers():
    svg, alt = figures.trend([series(), series("P5a Egnet for SMB", (0.4, 0.5, 0.6))], "share", "innkjøpspraksis")
    root = parse(svg)
    assert len(root.findall(".//s:polygon[@fill-opacity]", NS)) == 2  # one band per series
    lines = root.findall(".//s:polyline", NS)
    assert len([p for p in lines if p.get("stroke-dasharray") == "1.5 3"]) == 2  # the medians, dotted
    assert {"2023", "2024", "2025", "År", "Verdi", "P4 Innovasjonsvennlige prosedyrer", "P5a Egnet for SMB"} \
        <= set(texts(root))
    assert "60\u00a0%" in texts(root)  # the y axis reaches the highest value, labelled in bokmål
    assert alt == ("Linjediagram over innkjøpspraksis for 2023–2025. P4 Innovasjonsvennlige prosedyrer: 30,0\u00a0% "
                   "i 2025; P5a Egnet for SMB: 60,0\u00a0% i 2025.")


def test_a_missing_or_suppressed_year_breaks_the_line_instead_of_bridging_it():
    root = parse(figures.trend([series(values=(0.1, None, 0.3, 0.4))], "share", "x")[0])
    solid = [p for p in root.findall(".//s:polyline", NS) if p.get("stroke-width") == "2.2"]
    assert [len(p.get("points").split()) for p in solid] == [1, 2, 2]  # before the gap, after it, the legend


def test_a_target_gets_a_star_and_widens_the_years_to_its_year():
    svg, alt = figures.trend([series(target=("2028", 0.5))], "share", "x")
    root = parse(svg)
    assert "2028" in texts(root) and "Målverdi for P4" in texts(root)
    assert alt.startswith("Linjediagram over x for 2023–2025.") and "(målverdi 50,0\u00a0% innen 2028)" in alt
    stars = [p for p in root.findall(".//s:polygon", NS) if len(p.get("points").split()) == 10]
    assert len(stars) == 2  # in the plot and in the legend


def test_peers_draws_hundreds_of_peers_as_one_path_and_widens_the_axis_past_100_percent():
    rows = [{"name": "G2 Realiseringsgrad for gevinster", "value": 1.1, "peers": [k / 355 for k in range(355)],
             "median": 0.5}]
    svg, alt = figures.peers(rows, "share", "2025")
    root = parse(svg)
    paths = [p for p in root.findall(".//s:path", NS) if p.get("stroke-linecap") == "round"]
    assert len(paths) == 2  # the row's peers and the legend's swatch
    assert 300 <= paths[0].get("d").count("M") <= 355  # peers within half a pixel share a dot
    assert "125\u00a0%" in texts(root)
    assert len(svg) < 12_000
    assert "Over medianen: G2 Realiseringsgrad for gevinster 110,0\u00a0% (gruppemedian 50,0\u00a0%)." in alt


def test_profile_hides_suppressed_questions_and_marks_the_previous_wave():
    rows = [{"k": 1, "label": "Mål", "value": 3.5, "prev": 3.0}, {"k": 2, "label": "Strategi", "value": None,
                                                                  "prev": None}]
    svg, alt = figures.profile(rows, "2025", "2023", min_n=5)
    root = parse(svg)
    bars = [r for r in root.findall(".//s:rect", NS) if r.get("fill") == figures.PALETTE[0]]
    assert len(bars) == 2  # question 1 and the legend: question 2 has no bar
    assert "n<5" in texts(root) and "Forrige måling (2023)" in texts(root)
    assert alt.endswith("Spørsmål 1: 3,5; Spørsmål 2: vises ikke (n<5).")


def test_effects_chain_has_five_linked_boxes_per_goal():
    chains = [{"title": "Mål", "steps": ["a", "b", "c", "d", "e"], "summary": f"Mål {k}."} for k in (1, 2)]
    svg, alt = figures.effects_chain(chains, "en")
    root = parse(svg)
    assert len(root.findall(".//s:rect[@rx]", NS)) == 10
    assert len(root.findall(".//s:line", NS)) == 8  # four arrows per goal
    assert texts(root)[:5] == ["Goal", "Measures", "Implementation", "Result", "Effect"]
    assert alt.endswith("Mål 1. Mål 2.")
    assert root.find("s:title", NS).text == alt  # the file describes itself when opened on its own


def test_text_from_the_data_is_escaped_and_nothing_is_fetched():
    hostile = '<script>alert(1)</script> & "quotes"'
    svg, _ = figures.trend([series(name=hostile)], "share", "x")
    root = parse(svg)
    assert "<script>" not in svg and hostile in texts(root)
    assert not re.search(r"(href|src)=", svg)


def test_same_data_same_bytes():
    assert figures.trend([series()], "share", "x") == figures.trend([series()], "share", "x")


def test_html_embeds_the_svg_with_alt_text_and_takes_a_matplotlib_figure_too():
    from matplotlib.figure import Figure

    page = figures.html(figures.trend([series()], "share", "x")[0], 'alt "text"', "caption")
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    parse(base64.b64decode(data).decode())
    assert 'alt="alt &quot;text&quot;"' in page and "<figcaption>caption</figcaption>" in page
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    assert "<svg" in base64.b64decode(re.search(r"base64,([^\"]+)", figures.html(fig, "a", "c")).group(1)).decode()


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_ticks_are_round_and_cover_the_range(lo, span):
    marks = figures.ticks(lo, lo + span)
    slack = 1e-8 * (marks[1] - marks[0])  # covered up to float noise of a step
    assert marks[0] <= lo + slack and marks[-1] >= lo + span - slack
    steps = {round(b - a, 9) for a, b in zip(marks, marks[1:], strict=False)}
    assert len(steps) == 1 or max(steps) - min(steps) <= 1e-6 * max(steps)
    assert 2 <= len(marks) <= 7


@pytest.mark.parametrize(("lo", "hi", "expected"), [(0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (0, 0.3, [0, 0.1, 0.2, 0.3]),
                                                    (0, 1.1, [0, 0.25, 0.5, 0.75, 1.0, 1.25]),
                                                    (3, 3, [3, 4, 5, 6]), (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1.0])])
def test_ticks_known_answers(lo, hi, expected):
    assert figures.ticks(lo, hi) == pytest.approx(expected)


def test_theme_and_show_give_a_seaborn_figure_the_house_look_alt_text_and_caption(monkeypatch):
    import IPython.display
    import matplotlib
    import pandas as pd
    import seaborn as sns
    from matplotlib.figure import Figure

    figures.theme("nb")
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [matplotlib.colors.to_hex(c) for c in cycle] == [c.lower() for c in figures.PALETTE]
    assert matplotlib.rcParams["svg.fonttype"] == "none"

    def draw():
        fig = Figure(figsize=(6, 3))
        sns.barplot(pd.DataFrame({"k": ["a", "b"], "v": [1234.5, 2500.0]}), x="k", y="v", ax=fig.subplots())
        return fig

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    figures.show(draw(), alt="To stolper: a 1 234,5 og b 2 500.", caption="Prøvefigur")
    figures.show(draw(), alt="To stolper: a 1 234,5 og b 2 500.", caption="Prøvefigur")
    (data,), kwargs = shown[0]
    assert kwargs["metadata"] == {"image/svg+xml": {"alt": "To stolper: a 1 234,5 og b 2 500."}}
    assert 'alt="To stolper: a 1 234,5 og b 2 500."' in data["text/html"]
    assert "<figcaption>Prøvefigur</figcaption>" in data["text/html"]
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", data["image/svg+xml"])  # text kept as text
    assert "2\u00a0500" in labels and "a" in labels  # bokmål thousands on the value axis
    assert shown[0] == shown[1]  # same figure, same bytes
