"""Link integrity of a rendered site: every internal link and asset of every page resolves to a file of the
site (and a `#fragment` to an element of the page it names). Links with a scheme or host (mailto:,
https:, data:) are not files of the site and are not checked; the site has none but data: images."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


@dataclass(frozen=True)
class Broken:
    page: str  # relative to the site root
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.why}"


def _parse(page: Path):
    return lxml.html.fromstring(page.read_bytes()) if page.stat().st_size else None


def _why(site: Path, page: Path, link: str, ids) -> str | None:
    """Why `link` on `page` does not resolve, or None when it does (or is not a link into the site)."""
    parts = urlsplit(link.strip())
    if parts.scheme or parts.netloc:
        return None
    target = Path(os.path.normpath(page.parent / unquote(parts.path))) if parts.path else page
    if not target.is_relative_to(site):
        return "points outside the site"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file in the site"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in ids(target):
        return f"no element with id {fragment!r} on that page"
    return None


def check(site: Path) -> list[Broken]:
    """Every broken internal link or asset reference in the HTML pages below `site`, in page order."""
    site = site.resolve()
    anchors: dict[Path, set[str]] = {}

    def ids(page: Path) -> set[str]:
        if page not in anchors:
            root = _parse(page)
            anchors[page] = set() if root is None else {str(v) for v in root.xpath("//@id | //a/@name")}
        return anchors[page]

    broken = []
    for page in sorted(site.rglob("*.html")):
        root = _parse(page)
        for _, _, link, _ in root.iterlinks() if root is not None else ():
            why = _why(site, page, link, ids)
            if why:
                broken.append(Broken(page.relative_to(site).as_posix(), link, why))
    return broken
