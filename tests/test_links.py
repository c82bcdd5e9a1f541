"""Link integrity: every internal link and asset of a rendered site must resolve before it is published."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analysis import links, manifest, publish
from analysis.errors import EXIT_NOT_PUBLISHED, BuildError


def page(root: Path, rel: str, body: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(f'<!doctype html><html lang="nb"><body>{body}</body></html>', encoding="utf-8")


def good_site(root: Path) -> Path:
    page(root, "index.html", '<a href="reports/2025/123456785.html?x=1#funn">r</a> <a href="#top" id="top">t</a>'
         '<a href="mailto:a@b.no">m</a> <a href="https://example.org/">e</a> <a href="reports/">dir</a>'
         '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x"> <link rel="stylesheet" href="assets/style.css">')
    page(root, "reports/index.html", '<a href="../index.html">up</a>')
    page(root, "reports/2025/123456785.html", '<h2 id="funn">Funn</h2><a href="../../assets/style.css">css</a>'
         '<img src="123456785%2D1.png" alt="figur"><a href="">self</a>')
    (root / "reports" / "2025" / "123456785-1.png").write_bytes(b"png")
    (root / "assets").mkdir()
    (root / "assets" / "style.css").write_text("body{}", encoding="utf-8")
    return root


def test_a_complete_site_has_no_broken_links(tmp_path):
    assert links.check(good_site(tmp_path / "site")) == []


def test_each_broken_link_is_named_with_its_page(tmp_path):
    site = good_site(tmp_path / "site")
    page(site, "oversikt/2025.html", '<a href="../reports/2025/999999999.html">gone</a> <a href="../../x.html">out</a>'
         '<a href="/index.html">absolute</a> <a href="../reports/2025/123456785.html#nei">no id</a>'
         '<img src="../assets/missing.png" alt="">')
    found = [(b.page, b.link, b.why) for b in links.check(site)]
    assert found == [
        ("oversikt/2025.html", "../reports/2025/999999999.html", "no such file in the site"),
        ("oversikt/2025.html", "../../x.html", "points outside the site"),
        ("oversikt/2025.html", "/index.html", "points outside the site"),
        ("oversikt/2025.html", "../reports/2025/123456785.html#nei", "no element with id 'nei' on that page"),
        ("oversikt/2025.html", "../assets/missing.png", "no such file in the site"),
    ]


def test_publish_refuses_a_broken_staged_site_and_keeps_the_previous_one(tmp_path):
    site = good_site(tmp_path / "site")
    manifest.write(site)
    before = {f: hashlib.sha256(f.read_bytes()).digest() for f in site.rglob("*") if f.is_file()}
    staging = good_site(tmp_path / "staging")
    (staging / "reports" / "2025" / "123456785.html").unlink()
    manifest.write(staging)
    with pytest.raises(BuildError) as caught:
        publish.publish(staging, site)
    assert caught.value.exit_code == EXIT_NOT_PUBLISHED
    assert f"{staging}/index.html: link 'reports/2025/123456785.html?x=1#funn': no such file in the site" \
        in caught.value.lines
    assert {f: hashlib.sha256(f.read_bytes()).digest() for f in site.rglob("*") if f.is_file()} == before


def test_publish_refuses_a_staged_site_that_differs_from_its_manifest(tmp_path):
    """A render that did not finish (or a staging directory changed afterwards) is not published."""
    staging = good_site(tmp_path / "staging")
    manifest.write(staging)
    (staging / "assets" / "style.css").unlink()
    with pytest.raises(BuildError) as caught:
        publish.publish(staging, tmp_path / "site")
    assert caught.value.lines[0] == f"{staging}/assets/style.css: missing"
    assert not (tmp_path / "site").exists()
