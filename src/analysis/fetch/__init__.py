"""`innomaal fetch`: everything public about some bodies (or the whole country) into a dataset directory.

  notices/doffin/<doffinId>.xml   Doffin notices of the bodies (every notice of the period with `national`)
  suppliers/<orgnr>.json          Enhetsregisteret units of the buyers, their parent units and the winners
  accounts/<orgnr>.json           Regnskapsregisteret filings of the winners
  organisations.csv               the buyers, typed (fetch.orgtypes); written when absent, else rows added
  params.yaml                     written when absent: `innomaal build --params DIR/params.yaml` is next
  .fetch/                         the fetch's own record: each closed search window's hits, the units
                                  and winners that had nothing to fetch, the last run's summary

Resumable: every file is written atomically after its check, a closed window is searched once, a file already
there is not fetched again (`refresh` asks the registers again), and files a killed run left half-written
(`.*.tmp`) are removed when the next one starts. The window of the current month, and the two weeks before
(a notice may be published up to a week after its issue date), are always searched again.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .. import lock
from ..errors import InputError
from ..io import write_bytes, write_text
from . import brreg, dataset, doffin, ondisk, orgtypes
from .http import AccessDenied, Client, Policy

SOURCES = ("doffin", "brreg", "accounts")
STATE = ".fetch"
OPEN_DAYS = 14  # a window ending less than this many days ago is searched again


class KeyRefused(Exception):
    """The API refused the key (401/403); the message says where a key is had, never the key."""


@dataclass
class Tally:
    """One source's line of the summary."""
    name: str
    asked: int = 0
    found: int = 0
    already: int = 0
    fetched: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"asked": self.asked, "found": self.found, "already there": self.already, "fetched": self.fetched,
                "refused": [{"what": w, "why": r} for w, r in self.refused], "notes": self.notes}


@dataclass
class Summary:
    tallies: list[Tally]
    types: Counter  # org_type rule → count
    untyped: list[str]  # "org_nr name" of the buyers no rule could type
    added: int  # rows added to organisations.csv
    params_written: bool
    requests: dict[str, int]


@dataclass(frozen=True)
class Request:
    data: Path
    orgs: tuple[str, ...]
    first: int
    last: int
    sources: tuple[str, ...] = SOURCES
    national: bool = False
    refresh: bool = False
    key: str | None = None
    policy: Policy = Policy()
    today: date = field(default_factory=date.today)
    doffin_url: str = doffin.DEFAULT_URL
    brreg_url: str = brreg.DEFAULT_URL


def urls() -> tuple[str, str]:
    """The APIs' base URLs: INNOMAAL_DOFFIN_URL and INNOMAAL_BRREG_URL (a replay server in the tests), else the
    real hosts."""
    return (os.environ.get("INNOMAAL_DOFFIN_URL") or doffin.DEFAULT_URL,
            os.environ.get("INNOMAAL_BRREG_URL") or brreg.DEFAULT_URL)


def read_key(key_file: Path | None) -> str | None:
    """The Doffin key: from `key_file` (its first line) or DOFFIN_API_KEY; None when neither gives one."""
    if key_file is not None:
        try:
            text = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InputError.one(key_file, "file", "--api-key-file", f"cannot be read ({exc.strerror})") from None
        return text.splitlines()[0].strip() if text else None
    return os.environ.get(doffin.KEY_ENV, "").strip() or None


def _clean(folders: list[Path]) -> None:
    """Removes the temporary files of writes a killed run did not finish (atomic_write's `.<name>.*.tmp`)."""
    for folder in folders:
        if folder.is_dir():
            for tmp in folder.rglob(".*.tmp"):
                tmp.unlink(missing_ok=True)


class _State:
    """The fetch's record in DIR/.fetch: JSON files, each written atomically."""

    def __init__(self, root: Path):
        self.root = root

    def read(self, name: str, default):
        path = self.root / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return default

    def write(self, name: str, value) -> None:
        write_text(self.root / name, json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


Progress = Callable[[str, int | None], Callable[[], None]]


def _no_progress(description: str, total: int | None) -> Callable[[], None]:
    return lambda: None


def run(req: Request, progress: Progress = _no_progress) -> Summary:
    """Fetches what `req` asks into `req.data`; `progress(description, total)` gives a callback that advances
    one step. Raises InputError before any request for a missing key, KeyRefused when the API refuses it."""
    if "doffin" in req.sources and not req.key:
        raise InputError.one(doffin.KEY_ENV, "environment", "api key",
                             f"no Doffin API key: set {doffin.KEY_ENV} or give --api-key-file (a free key: sign up "
                             f"at {doffin.KEY_PORTAL} and subscribe to the product 'Public API')")
    data = req.data
    state = _State(data / STATE)
    with lock.hold(data / STATE, what="fetch"):
        _clean([data / "notices" / "doffin", data / "suppliers", data / "accounts", data / STATE])
        return _Fetch(req, state, progress).run()


class _Fetch:
    def __init__(self, req: Request, state: _State, progress: Progress):
        self.req, self.state, self.progress = req, state, progress
        self.data = req.data
        self.units: dict[str, dict] = {}  # Enhetsregisteret units at hand, by number
        self.clients: list[tuple[str, Client]] = []
        self.doffin: Client | None = None

    def _client(self, name: str, base: str, headers: dict | None = None) -> Client:
        client = Client(base, self.req.policy, headers)
        self.clients.append((name, client))
        return client

    def run(self) -> Summary:
        req = self.req
        tallies: list[Tally] = []
        try:
            hits = self._search(tallies) if "doffin" in req.sources else ondisk.hits(self.data, self.state)
            ours = [h for h in hits.values() if req.national or any(b["org_nr"] in req.orgs for b in h["buyers"])]
            if "doffin" in req.sources:
                tallies.append(self._notices(ours))
            buyers = sorted({b["org_nr"] for h in ours for b in h["buyers"] if b["org_nr"]} if req.national
                            else req.orgs)
            winners = sorted({w for h in ours for w in h["winners"]})
            if "brreg" in req.sources:
                tallies.append(self._units(buyers, winners))
            else:
                self._units_on_disk()
            if "accounts" in req.sources:
                tallies.append(self._accounts(winners))
            types, untyped, added = self._organisations(buyers, ours)
            written = dataset.write_params(self.data / "params.yaml", self.data)
        finally:
            requests = {name: c.requests for name, c in self.clients}
            for _, client in self.clients:
                client.close()
        summary = Summary(tallies, types, untyped, added, written, requests)
        self.state.write("last-run.json", {
            "period": [req.first, req.last], "orgs": list(req.orgs), "national": req.national,
            "sources": list(req.sources), "requests": requests,
            "sources_summary": {t.name: t.as_dict() for t in tallies},
            "org_types": dict(sorted(types.items())), "untyped": untyped})
        return summary

    def _each(self, what: str, keys: list[str], folder: Path, suffix: str, get, stop=None, convert=None):
        """(key, get(key, write)) for every key, `concurrency` at a time, with a progress bar; `write` saves a
        body atomically as folder/<key><suffix>."""
        step = self.progress(what, len(keys))

        def one(key: str):
            try:
                return key, get(key, lambda body: write_bytes(folder / f"{key}{suffix}", body))
            finally:
                step()

        return _parallel(one, keys, self.req.policy.concurrency, stop, convert)

    # Doffin -------------------------------------------------------------------------------------------
    def _doffin(self) -> Client:
        if self.doffin is None:
            self.doffin = self._client("doffin", self.req.doffin_url, {doffin.KEY_HEADER: self.req.key or ""})
        return self.doffin

    def _search(self, tallies: list[Tally]) -> dict[str, dict]:
        req = self.req
        first, last = date(req.first, 1, 1), min(date(req.last, 12, 31), req.today)
        windows = doffin.months(first, last) if first <= last else []
        tally = Tally("Doffin search (months)", asked=len(windows))
        search = doffin.Search(self._doffin())
        hits: dict[str, dict] = {}
        step = self.progress("Doffin: search by month", len(windows))
        for window in windows:
            name = f"windows/{window.name}.json"
            closed = window.end < req.today - timedelta(days=OPEN_DAYS)
            kept = self.state.read(name, None) if closed else None
            if kept is not None:
                tally.already += 1
                found = {h["id"]: h for h in kept["hits"]}
            else:
                found = {}
                try:
                    search.window(window, found)
                except AccessDenied as exc:
                    raise KeyRefused(_refused_key(exc.status)) from None
                if closed:
                    self.state.write(name, {"window": window.name, "hits": [found[k] for k in sorted(found)]})
                tally.fetched += 1
            for notice_id, hit in found.items():
                hits.setdefault(notice_id, hit)
            step()
        tally.found = len(hits)
        if search.capped:
            tally.notes.append(f"days with more than {doffin.CAP} notices (only {doffin.CAP} could be had): "
                               + ", ".join(search.capped))
        if search.skipped:
            tally.notes.append(f"{search.skipped} hits without a usable Doffin number (left out)")
        tallies.append(tally)
        return hits

    def _notices(self, ours: list[dict]) -> Tally:
        folder = self.data / "notices" / "doffin"
        tally = Tally("Doffin notices", asked=len(ours))
        todo = []
        for hit in sorted(ours, key=lambda h: h["id"]):
            if (folder / f"{hit['id']}.xml").is_file():
                tally.already += 1
            else:
                todo.append(hit["id"])
        client = self._doffin()
        for notice_id, why in self._each("Doffin: notices", todo, folder, ".xml",
                                         lambda i, write: doffin.download(client, i, write), AccessDenied,
                                         lambda exc: KeyRefused(_refused_key(exc.status))):
            if why is None:
                tally.fetched += 1
            else:
                tally.refused.append((f"{notice_id} ({folder / (notice_id + '.xml')})", why))
        tally.found = tally.already + tally.fetched
        return tally

    # Brønnøysund --------------------------------------------------------------------------------------
    def _units_on_disk(self) -> None:
        for path in sorted((self.data / "suppliers").glob("*.json")):
            doc = brreg.parsed(path.read_bytes())
            if isinstance(doc, dict) and isinstance(doc.get("organisasjonsnummer"), str):
                self.units[doc["organisasjonsnummer"]] = doc

    def _units(self, buyers: list[str], winners: list[str]) -> Tally:
        self._units_on_disk()
        folder = self.data / "suppliers"
        missing = set(self.state.read("brreg-missing.json", []))
        client = self._client("brreg", self.req.brreg_url)
        tally = Tally("Enhetsregisteret (units)")
        wanted = sorted(set(buyers) | set(winners))
        asked: set[str] = set()
        what = "Enhetsregisteret: units"
        while wanted:
            todo = []
            for org_nr in wanted:
                asked.add(org_nr)
                tally.asked += 1
                if org_nr in self.units and not self.req.refresh:
                    tally.already += 1
                elif org_nr in missing and not self.req.refresh:
                    tally.refused.append((org_nr, "not in Enhetsregisteret (asked before)"))
                else:
                    todo.append(org_nr)
            for org_nr, (unit, why) in self._each(what, todo, folder, ".json",
                                                  lambda o, write: brreg.unit(client, o, write)):
                if unit is not None:
                    self.units[org_nr] = unit
                    missing.discard(org_nr)
                    tally.fetched += 1
                else:
                    tally.refused.append((org_nr, why))
                    if "(404)" in why or "(410)" in why:
                        missing.add(org_nr)
            # the parents of the buyers, for their type (an ORGL under a municipality, an HF under its RHF)
            wanted = sorted({p for b in buyers for p in self._chain_ends(b) if p not in asked})
            what = "Enhetsregisteret: parent units"
        tally.found = tally.already + tally.fetched
        self.state.write("brreg-missing.json", sorted(missing))
        return tally

    def _chain_ends(self, org_nr: str) -> list[str]:
        """The parent not yet at hand above the units chain of `org_nr` (up to four levels)."""
        unit, seen = self.units.get(org_nr), {org_nr}
        for _ in range(4):
            up = (unit or {}).get("overordnetEnhet")
            if not isinstance(up, str) or up in seen:
                return []
            if up not in self.units:
                return [up]
            seen.add(up)
            unit = self.units[up]
        return []

    def _accounts(self, winners: list[str]) -> Tally:
        folder = self.data / "accounts"
        none = set(self.state.read("accounts-none.json", []))
        client = self._client("accounts", self.req.brreg_url)
        tally = Tally("Regnskapsregisteret (accounts)", asked=len(winners))
        todo = []
        for org_nr in winners:
            if not self.req.refresh and ((folder / f"{org_nr}.json").is_file() or org_nr in none):
                tally.already += 1
            else:
                todo.append(org_nr)
        nothing = 0
        for org_nr, why in self._each("Regnskapsregisteret: accounts", todo, folder, ".json",
                                      lambda o, write: brreg.accounts(client, o, write)):
            if why is None:
                tally.fetched += 1
                none.discard(org_nr)
            elif why == brreg.NO_FILINGS:
                nothing += 1
                none.add(org_nr)
            else:
                tally.refused.append((org_nr, why))
        tally.found = tally.already + tally.fetched
        if nothing:
            tally.notes.append(f"{nothing} without filings (404: nothing to fetch; not asked again)")
        self.state.write("accounts-none.json", sorted(none))
        return tally

    # The organisation list ------------------------------------------------------------------------------
    def _organisations(self, buyers: list[str], ours: list[dict]) -> tuple[Counter, list[str], int]:
        names: dict[str, Counter] = {}
        notices: dict[str, list[str]] = {}
        for hit in ours:
            for b in hit["buyers"]:
                if b["org_nr"] and isinstance(b.get("name"), str) and b["name"].strip():
                    names.setdefault(b["org_nr"], Counter())[b["name"].strip()] += 1
                notices.setdefault(b["org_nr"], []).append(hit["id"])
        path = self.data / "organisations.csv"
        known = dataset.known_orgs(path)
        rows, types, untyped = [], Counter(), []
        for org_nr in buyers:
            if org_nr in known:
                continue
            unit = self.units.get(org_nr)
            counted = names.get(org_nr)
            name = (sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counted
                    else (unit or {}).get("navn") or org_nr)
            legal = ondisk.legal_types(self.data, self.units, org_nr, notices.get(org_nr, []))
            org_type, rule = orgtypes.org_type(unit, self.units, legal)
            types[rule] += 1
            if rule == "untyped":
                untyped.append(f"{org_nr} {name}")
            rows.append({"org_nr": org_nr, "name": name, "org_type": org_type, "lang": orgtypes.language(unit)})
        added = dataset.add_organisations(path, rows) if rows or not path.exists() else []
        return types, untyped, len(added)

def _refused_key(status: int) -> str:
    return (f"Doffin refused the API key (HTTP {status}): check {doffin.KEY_ENV} or --api-key-file; a free key "
            f"is had at {doffin.KEY_PORTAL} (sign up, then subscribe to the product 'Public API'). "
            "What was fetched so far is kept.")


def _parallel(fn, items: list, workers: int, stop: type[Exception] | None = None, convert=None):
    """Yields fn(item) for every item, `workers` at a time, in the order of `items`. An exception of type
    `stop` cancels what has not started and is raised (after `convert`)."""
    from concurrent.futures import ThreadPoolExecutor

    if not items:
        return
    with ThreadPoolExecutor(max(1, workers)) as pool:
        futures = [pool.submit(fn, item) for item in items]
        try:
            for future in futures:
                yield future.result()
        except BaseException as exc:
            for f in futures:
                f.cancel()
            if stop is not None and isinstance(exc, stop):
                raise convert(exc) from None
            raise
