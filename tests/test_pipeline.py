"""The demo pipeline end to end: every organisation x year gets a page, the index links each one."""

from __future__ import annotations

import html as html_lib
import re
from functools import partial
from pathlib import Path

import pandas as pd

from analysis import catalogue, i18n, pipeline
from tests.conftest import page_lang, report_pages


def test_every_report_has_a_page_linked_from_the_index(demo_build, demo_data):
    p, results = demo_build
    site = pipeline.build_paths(p).site
    orgs = pd.read_csv(demo_data / "organisations.csv", dtype=str)["org_nr"]
    reports = [r for r in results if "analyses" not in Path(r.output).parts]
    assert all(r.ok for r in results) and len(reports) == len(orgs) * 2
    index = (site / "index.html").read_text(encoding="utf-8")
    for year in ("2024", "2025"):
        for org in orgs:
            page = site / "reports" / year / f"{org}.html"
            assert page.is_file(), page
            assert f'href="reports/{year}/{org}.html"' in index


def test_report_pages_are_bokmal_with_one_h1_and_no_code(demo_build):
    p, _ = demo_build
    page = report_pages(pipeline.build_paths(p).site, "2025")[0].read_text(encoding="utf-8")
    assert '<html lang="nb">' in page and page.count("<h1") == 1
    assert "report.load(" not in page and "import " not in page
    for ind in ("P4", "P5a", "P6", "P7a", "G3", "G4"):
        assert f'<details class="indicator" id="{ind}"><summary><span class="name">{ind} ' in page
    assert re.search(r"\d+,\d\u00a0%", page)  # bokmål percentages
    assert not re.search(r"\d\.\d\u00a0?%", page)  # never an English decimal point in a percentage


def test_every_figure_has_alt_text_from_the_data(demo_build):
    p, _ = demo_build
    site = pipeline.build_paths(p).site
    kinds = set()
    for page in [*report_pages(site), *site.glob("oversikt/*.html")]:
        html = page.read_text(encoding="utf-8")
        images = re.findall(r"<img [^>]*>", html)
        alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
        assert len(alts) == len(images), page  # no image without alt
        for alt in alts:
            assert len(alt) > 60 and re.search(r"\d", alt), (page, alt)  # numbers from the data, no placeholder
            kinds.add(alt.split()[0])
    assert {"Linjediagram", "Prikkdiagram", "Stolpediagram", "Effektkjede"} <= kinds


def _text(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", main))


def test_no_number_is_formatted_the_english_way_in_a_norwegian_report(demo_build):
    p, _ = demo_build
    site = pipeline.build_paths(p).site
    pages = [*site.glob("reports/*/*.html"), *site.glob("oversikt/*.html"), *site.glob("virksomheter/*.html")]
    assert {page_lang(page) for page in pages} == {"nb", "nn", "en"}  # the demo has a body of each language
    for page in pages:
        if page_lang(page) == "en":  # an English report writes 33.3%, as English does
            continue
        text = _text(page.read_text(encoding="utf-8"))
        for pattern in (r"\d\.\d", r"\d%", r"\d,\d{3}(?!\d)", r"\d{4}-\d{2}-\d{2}", r"(?<![\w−])-\d"):
            found = re.search(pattern, text)
            assert not found, f"{page.name}: {text[max(0, found.start() - 40):found.end() + 40]!r}"


def test_every_report_has_every_part_of_the_story(demo_build):
    p, _ = demo_build
    areas = catalogue.load().areas
    for page in report_pages(pipeline.build_paths(p).site):
        html, lang = page.read_text(encoding="utf-8"), page_lang(page)
        sections = ("Key messages", "Position among peers", "Effects chain", "Self-evaluation", "Data and method")
        for heading in [*(i18n.translate(lang, h) for h in sections), *(a[lang] for a in areas.values())]:
            assert f">{heading}</h2>" in html, (page, heading)
        messages = html[html.index(f">{i18n.translate(lang, 'Key messages')}</h2>"):].split("</ul>")[0].count("<li>")
        assert 3 <= messages <= 5, (page, messages)


def test_every_goal_in_the_gain_register_has_its_effects_chain(demo_build):
    import pandas as pd

    p, _ = demo_build
    b = pipeline.build_paths(p)
    goals = pd.read_parquet(b.data / "goals.parquet")
    for page in report_pages(b.site):
        year, org = page.parent.name, page.stem
        mine = goals[(goals["org_nr"] == org) & (goals["baseline_date"].str[:4] <= year)]
        html, lang = page.read_text(encoding="utf-8"), page_lang(page)
        t = partial(i18n.translate, lang)
        chain = html[html.index(f">{t('Effects chain')}</h2>"):html.index(f">{t('Self-evaluation')}</h2>")]
        goal = t("Goal {k}: {text}").split("{k}")[0]
        assert chain.count(f'<details class="goal"><summary>{goal}') == len(mine) > 0, page
        for text in mine["text"]:
            assert text in chain
        for question in ("What are the preconditions?", "What are the baseline and the risk?",
                         "Has the goal been reached?", "Have we achieved the results we want?",
                         "How have we contributed to societal goals?", "Do the measures work, and what should be "
                         "corrected?"):
            assert chain.count(html_lib.escape(t(question), quote=False)) == len(mine), (page, t(question))


def test_site_makes_no_external_requests(rendered_site):
    """No page or stylesheet of either renderer's site loads anything from elsewhere (a script, stylesheet,
    image or font from a CDN); links to other sites are not requests and the site has none either."""
    for f in rendered_site.rglob("*"):
        if f.suffix in (".html", ".css"):
            text = f.read_text(encoding="utf-8")
            assert not re.search(r'(src|href)="(https?:)?//', text), f
            assert not re.search(r"""url\(\s*['"]?(https?:)?//|@import\s+['"]?(url\()?['"]?(https?:)?//""", text), f


def test_published_site_matches_its_manifest_and_has_no_broken_link(rendered_site):
    """What publishing checked before the swap holds for either renderer's published site."""
    from analysis import links, manifest

    assert manifest.verify(rendered_site) == [] and links.check(rendered_site) == []
    assert (rendered_site / "manifest.json").is_file()


def test_method_page_lists_every_indicator(demo_build):
    from analysis import catalogue

    p, _ = demo_build
    page = (pipeline.build_paths(p).site / "metode.html").read_text(encoding="utf-8")
    for ind in catalogue.load().indicators:
        assert f'id="ind-{ind.id}"' in page


def test_data_quality_summary_counts_what_it_excluded(demo_build):
    import json

    p, _ = demo_build
    quality = json.loads((pipeline.build_paths(p).data / "quality.json").read_text(encoding="utf-8"))
    assert quality["counts"]["notices: change notices (the latest version of a procedure is counted)"] > 0
    assert quality["rows"]["notices"] == quality["files"]["notices"]


def test_rendering_again_gives_a_byte_identical_site(demo_build):
    import hashlib

    p, _ = demo_build
    b = pipeline.build_paths(p)
    pipeline.render(p, force=True)  # everything rendered again, nothing copied from the published site

    def digests(root):
        return {f.relative_to(root): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted(root.rglob("*")) if f.is_file()}

    assert digests(b.staging) == digests(b.site)


def test_the_demo_gives_every_indicator_a_value_somewhere(demo_build):
    """Every indicator of the catalogue has a value for at least one organisation and year of the demo."""
    p, _ = demo_build
    table = pd.read_parquet(pipeline.build_paths(p).indicators)
    with_value = set(table.loc[(table["status"] == "ok") & table["value"].notna(), "indicator_id"])
    assert {i.id for i in catalogue.load().indicators} - with_value == set()


def test_a_report_says_which_source_answered_g3_and_g4(demo_build):
    p, _ = demo_build
    b = pipeline.build_paths(p)
    table = pd.read_parquet(b.indicators)
    answered = table[table["indicator_id"].isin(["G3", "G4"]) & (table["status"] == "ok")
                     & table["year"].isin(p.years) & table["answered_by"].isin(["register", "notices+register"])]
    assert len(answered), "the demo's contract register answers G3 or G4 somewhere"
    bokmal = {page.stem for page in report_pages(b.site) if page_lang(page) == "nb"}
    answered = answered[answered["org_nr"].isin(bokmal)]
    assert len(answered), "the contract register answers G3 or G4 for a bokmål body somewhere"
    for r in answered.head(5).itertuples():
        page = (b.site / "reports" / r.year / f"{r.org_nr}.html").read_text(encoding="utf-8")
        words = {"register": "svar fra kontraktsregisteret",
                 "notices+register": "svar fra kunngjøringene og kontraktsregisteret"}[r.answered_by]
        assert words in page, (r.org_nr, r.year, r.indicator_id)
