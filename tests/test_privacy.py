"""Privacy and safety of what is published: suppressed survey values appear nowhere, free text from any
input is shown as text, and no natural-person field from a notice reaches the output."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from html import escape

import lxml.html
import pandas as pd
import pytest

from analysis import catalogue, i18n, params, pipeline
from tests.conftest import EFORMS, page_lang

ORG = "906420643"  # the first demo organisation
EVIL_NAME = 'Direktoratet <script>alert("navn")</script> & Co'
EVIL_GOAL = '<script>alert("mål")</script> **fet** [lenke](javascript:alert(1)) <img src=x onerror=alert(1)>'
CONTACTS = ("post@flekkefjord.kommune.no", "38328000", "38176300")  # in the fixture notice


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, demo_data):
    data = shutil.copytree(demo_data, tmp_path_factory.mktemp("hostile") / "data")
    rows = list(csv.reader(io.StringIO((data / "organisations.csv").read_text(encoding="utf-8"))))
    rows = [[r[0], EVIL_NAME if r[0] == ORG else r[1], *r[2:]] for r in rows]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (data / "organisations.csv").write_text(buf.getvalue(), encoding="utf-8")
    goals = pd.read_csv(data / "gains" / "goals.csv", dtype=str, keep_default_na=False)
    first = goals.index[goals["org_nr"] == ORG][0]
    goals.loc[first, "text"] = EVIL_GOAL
    goals.loc[first, "risk_text"] = "<b>risiko</b>"
    goals.to_csv(data / "gains" / "goals.csv", index=False)
    shutil.copyfile(EFORMS / "nor" / "eu" / "cn_24.xml", data / "notices" / "with-contacts.xml")
    out = tmp_path_factory.mktemp("hostile-out")
    p = params.parse({"data": str(data), "output": str(out), "years": ["2025"], "orgs": [ORG],
                      "renderer": "builtin", "workers": "1"}, "test-params")
    pipeline.ingest(p)
    pipeline.compute(p)
    assert all(r.ok for r in pipeline.execute(p))
    pipeline.render(p)
    pipeline.publish(p)
    return p


def test_free_text_is_shown_as_text_never_run(hostile_build):
    site = pipeline.build_paths(hostile_build).site
    index = (site / "index.html").read_text(encoding="utf-8")
    report = (site / "reports" / "2025" / f"{ORG}.html").read_text(encoding="utf-8")
    assert "Direktoratet &lt;script&gt;alert(&#34;navn&#34;)&lt;/script&gt; &amp; Co" in index or \
        "Direktoratet &lt;script&gt;alert(&quot;navn&quot;)&lt;/script&gt; &amp; Co" in index
    for html in (index, report):
        assert "<script>alert" not in html and "<b>risiko" not in html
        tree = lxml.html.fromstring(html)
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.attrib  # no event handler
            for a in ("href", "src"):
                assert not el.get(a, "").strip().lower().startswith("javascript:"), el.attrib
        scripts = [el.get("src") for el in tree.iter("script")]
        assert all(src and src.endswith("assets/filter.js") for src in scripts), scripts  # only our own
    goal = EVIL_GOAL.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert f"<summary>Mål 1: {goal}</summary>" in report  # the goal exactly as written, as text
    assert "&lt;b&gt;risiko&lt;/b&gt;" in report
    alts = re.findall(r'alt="([^"]*)"', report)
    assert any("&lt;script&gt;alert(&quot;mål&quot;)" in a for a in alts) and not any("\\[" in a for a in alts)


def test_no_natural_person_field_reaches_any_output(hostile_build):
    b = pipeline.build_paths(hostile_build)
    for path in b.output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".ipynb", ".qmd", ".typ"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(c in text for c in CONTACTS), path
    for table in b.data.glob("*.parquet"):
        frame = pd.read_parquet(table)
        text = frame.astype(str).to_csv(index=False)
        assert not any(c in text for c in CONTACTS), table


def test_suppressed_survey_values_appear_nowhere(demo_build):
    """For every suppressed survey value of the build: the summary table, the indicator's summary and sparkline, the
    downloads and the self-evaluation say n<5 and give no number."""
    p, _ = demo_build
    b = pipeline.build_paths(p)
    table = pd.read_parquet(b.indicators)
    survey = {i.id for i in catalogue.load().indicators if i.survey}
    hidden = table[(table["status"] == "suppressed") & table["indicator_id"].isin(survey)]
    assert not hidden.empty
    checked, langs = 0, set()
    for row in hidden.itertuples():
        page = b.site / "reports" / row.year / f"{row.org_nr}.html"
        if not page.is_file():
            continue
        html, lang = page.read_text(encoding="utf-8"), page_lang(page)  # each body's report in its language
        title = re.escape(escape(catalogue.load()[row.indicator_id].title[lang], quote=False))
        hidden_word = escape(i18n.translate(lang, "hidden (n<{min_n})").format(min_n=5))
        cells = re.search(rf"<th scope=\"row\">{row.indicator_id} {title}</th>(.*?)</tr>", html).group(1)
        values = re.findall(r"<td>(.*?)</td>", cells)
        assert values[:2] == [hidden_word, "n&lt;5"] and values[2:4] == ["–", "–"], (row.indicator_id, values)
        summary = re.search(rf'<details class="indicator" id="{row.indicator_id}"><summary>(.*?)</summary>', html,
                            re.S).group(1)
        assert f'<span class="value">{hidden_word}</span>' in summary, summary
        if "sparkline" in summary:  # its text alternative names the hidden year as n<5, its line has a gap
            over_time = i18n.translate(lang, "Over time: {items}.").split("{items}")[0]
            assert re.search(rf'aria-label="{over_time}[^"]*{row.year}: {re.escape(hidden_word)}', summary), summary
        langs.add(lang)
        download = pd.read_csv(page.with_suffix(".csv"), dtype=str).set_index("indicator_id").loc[row.indicator_id]
        assert download[["value", "numerator", "denominator", "n", "coverage"]].isna().all()
        checked += 1
    assert checked > 0 and "nb" in langs
    se = pd.read_parquet(b.self_evaluation)
    hidden_se = se[(se["status"] == "suppressed") & (se["kind"] == "score")]
    for row in hidden_se.itertuples():
        page = b.site / "reports" / row.year / f"{row.org_nr}.html"
        if page.is_file():
            assert "vises ikke (n&lt;5)" in page.read_text(encoding="utf-8")
    assert se.loc[se["status"] == "suppressed", ["value", "share_agree"]].isna().all().all()


def test_a_higher_minimum_hides_more(demo_build, tmp_path):
    """params min_n raises the bar for survey values (privacy); nothing else moves."""
    from analysis import compute

    p, _ = demo_build
    b = pipeline.build_paths(p)
    strict = compute.compute(b.data, p.baseline_year, survey_min_n=15)
    normal = pd.read_parquet(b.indicators)
    survey = {i.id for i in catalogue.load().indicators if i.survey}
    s = strict[strict["indicator_id"].isin(survey)]
    assert (s.loc[s["n"] < 15, "status"].isin(["suppressed", "no_data"])).all()
    assert s.loc[s["status"] == "suppressed", "value"].isna().all()
    other = ~strict["indicator_id"].isin(survey)
    assert strict.loc[other, "status"].tolist() == normal.loc[~normal["indicator_id"].isin(survey), "status"].tolist()
    assert replace(p, min_n=15).min_n == 15
