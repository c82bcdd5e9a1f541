"""Doffin's Public API v2: searches by issue-date window, and each notice's eForms XML.

The API cannot filter by buyer (an unknown parameter is ignored, and the whole database comes back), and no
search gives more than 1,000 hits. So the period is searched in windows of a month at most, a window that
reports more than 1,000 hits is split in halves until each fits, and a body's notices are the hits where one
of `buyer[].organizationId` (normalised: spaces, `NO`, `MVA` …) is the body's number. Pages may repeat a
hit: hits are kept once by id. The search JSON may hold raw control characters and is read leniently.

The Doffin number (`2024-110033`) is not inside the XML: each notice is saved as `<doffinId>.xml`, and the
ingest reads the number from the file name. Facts and sources: docs/real-data.md.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from lxml import etree

from ..ingest.notice_tables import DOFFIN_ID
from ..orgnr import normalise
from .http import Client, save

DEFAULT_URL = "https://api.doffin.no/public/v2"
KEY_ENV = "DOFFIN_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
KEY_PORTAL = "https://dof-notices-prod-api.developer.azure-api.net/"
PAGE_SIZE = 100
CAP = 1000  # numHitsAccessible: no search gives more
UNFILTERED = 100_000  # more hits than this in one window: the date filter was not applied
NOTICE_ID = re.compile(rf"^{DOFFIN_ID}$")  # what ingest reads from `<doffinId>.xml` as the notice's number
_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class SearchFailed(Exception):
    """A search the API did not answer usefully; the fetch stops (what was kept stays)."""


@dataclass(frozen=True, order=True)
class Window:
    start: date
    end: date  # inclusive, as issueDateTo is

    @property
    def name(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def halves(self) -> tuple[Window, Window]:
        middle = self.start + timedelta(days=(self.end - self.start).days // 2)
        return Window(self.start, middle), Window(middle + timedelta(days=1), self.end)


def months(first: date, last: date) -> list[Window]:
    """Calendar-month windows covering first..last (the first and last clipped)."""
    out, start = [], first
    while start <= last:
        end = min(date(start.year, start.month, calendar.monthrange(start.year, start.month)[1]), last)
        out.append(Window(start, end))
        start = end + timedelta(days=1)
    return out


def _json(body: bytes) -> tuple[dict | None, str | None]:
    try:
        doc = json.loads(body.decode("utf-8"), strict=False)  # raw control characters occur in descriptions
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "not JSON (an error page or a cut-off answer)"
    if not isinstance(doc, dict) or not isinstance(doc.get("hits"), list) or not isinstance(
            doc.get("numHitsTotal"), int):
        return None, "not a search answer (no numHitsTotal and hits)"
    return doc, None


def hit_record(hit: dict) -> dict | None:
    """What is kept of a hit: its id, issue date, type, buyers (number as normalised, None where it is not a
    Norwegian organisation number, and name) and winners' numbers; None for a hit without a usable id."""
    if not isinstance(hit, dict) or not isinstance(hit.get("id"), str) or not NOTICE_ID.match(hit["id"]):
        return None

    def parties(items) -> list[dict]:
        return [{"org_nr": normalise(p.get("organizationId")), "name": p.get("name")}
                for p in (items if isinstance(items, list) else []) if isinstance(p, dict)]

    winners = sorted({w["org_nr"] for lot in (hit.get("lots") if isinstance(hit.get("lots"), list) else [])
                      if isinstance(lot, dict) for w in parties(lot.get("winner")) if w["org_nr"]})
    return {"id": hit["id"], "issueDate": str(hit.get("issueDate") or "")[:10], "type": hit.get("type"),
            "buyers": parties(hit.get("buyer")), "winners": winners}


class Search:
    """Searches windows of one client; `pages` counts the search requests answered."""

    def __init__(self, client: Client, types: tuple[str, ...] = ()):
        self.client = client
        self.types = types
        self.pages = 0
        self.capped: list[str] = []  # single days with more than 1,000 hits (only 1,000 could be had)
        self.skipped = 0  # hits without a usable id

    def _page(self, window: Window, page: int) -> dict | None:
        params = [("numHitsPerPage", PAGE_SIZE), ("page", page), ("sortBy", "PUBLICATION_DATE_ASC"),
                  ("issueDateFrom", window.start.isoformat()), ("issueDateTo", window.end.isoformat()),
                  *(("type", t) for t in self.types)]
        found: dict = {}

        def check(body: bytes) -> str | None:
            found["doc"], problem = _json(body)
            return problem

        response = self.client.get("/search", params=params, check=check)
        self.pages += 1
        if response.status_code == 400 and page > 1:  # "Unable to access more than the top 1000 hits"
            return None
        if response.status_code != 200:
            raise SearchFailed(f"search {window.name} page {page}: HTTP {response.status_code}")
        return found["doc"]

    def window(self, window: Window, hits: dict[str, dict]) -> None:
        """Adds the hits of `window` to `hits` (by id), splitting the window while it reports over 1,000."""
        first = self._page(window, 1)
        total = first["numHitsTotal"]
        if total > UNFILTERED and (window.end - window.start).days <= 31:
            raise SearchFailed(f"search {window.name}: {total} hits for one month — the API did not apply the "
                               "date filter; stopped so as not to page through the whole database")
        if total > CAP and window.start < window.end:
            for half in window.halves():
                self.window(half, hits)
            return
        if total > CAP:
            self.capped.append(window.name)
        self._add(first, hits)
        pages = -(-min(total, CAP) // PAGE_SIZE)
        for page in range(2, pages + 1):
            doc = self._page(window, page)
            if doc is None or not doc["hits"]:
                break
            self._add(doc, hits)

    def _add(self, doc: dict, hits: dict[str, dict]) -> None:
        for hit in doc["hits"]:
            record = hit_record(hit)
            if record is None:
                self.skipped += 1
            else:
                hits.setdefault(record["id"], record)


def check_notice(body: bytes) -> str | None:
    """None when `body` is one eForms notice as XML; else what it is instead."""
    if not body.strip():
        return "an empty answer"
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        return f"not well-formed XML ({exc.msg}): cut off or an error page"
    if root.getroottree().docinfo.doctype:
        return "XML with a DOCTYPE (not a notice)"
    if not (etree.QName(root).namespace or "").startswith(_UBL):
        return f"not an eForms notice (root element <{etree.QName(root).localname}>)"
    return None


def download(client: Client, notice_id: str, write: Callable[[bytes], None]) -> str | None:
    """Fetches notice `notice_id` and hands its checked XML to `write`; returns None when written, else why
    not ('not found on Doffin (404)', …)."""
    return save(client, f"/download/{notice_id}", check_notice, write, {404: "not found on Doffin (404)"})
