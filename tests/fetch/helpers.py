"""A replay of the 108 real Doffin notices (tests/fixtures/real/eforms/doffin) as Doffin's API would serve them:
search hits made from each notice (its Doffin number from the file name, issue date, buyers as their
CompanyID is written, winners), the XML as the download, and Enhetsregisteret units for the buyers: the
real-shaped records of tests/fixtures/replay/brreg where there is one, else a record in the same shape
(KOMM for a "kommune", FYLK for a "fylkeskommune", else an ORGL in sector 6100)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.errors import InputError
from analysis.ingest import eforms
from analysis.orgnr import normalise
from tests.conftest import FIXTURES
from tests.replay import Replay

DOFFIN = FIXTURES / "real" / "eforms" / "doffin"
UNITS = FIXTURES / "replay" / "brreg"
ACCOUNTS = FIXTURES / "real" / "accounts"
TYPES = {"competition": "ANNOUNCEMENT_OF_COMPETITION", "result": "ANNOUNCEMENT_OF_CONCLUSION_OF_CONTRACT",
         "planning": "ADVISORY_NOTICE", "dir-awa-pre": "ANNOUNCEMENT_OF_INTENT",
         "cont-modif": "CHANGE_OF_CONCLUSION_OF_CONTRACT"}


def doffin_id(path: Path) -> str:
    return re.search(r"(\d{4}-\d+)\.xml$", path.name).group(1)


def hit(path: Path) -> dict | None:
    try:
        notice = eforms.parse_file(path)
    except (InputError, eforms.NotProcurement):
        return None
    lots = {}
    for award in notice.awards:
        if award.winner_raw:
            lots.setdefault(award.lot_id, []).append({"id": "0" * 32, "organizationId": award.winner_raw,
                                                      "name": "winner"})
    return {"id": doffin_id(path), "buyer": [{"id": "f" * 32, "organizationId": b.raw_id, "name": b.name}
                                             for b in notice.buyers],
            "heading": "…", "description": "…", "locationId": [], "estimatedValue": None,
            "type": TYPES.get(notice.form_type, "ANNOUNCEMENT_OF_COMPETITION"), "allTypes": [], "status": None,
            "issueDate": f"{notice.issue_date}T10:00:00Z", "deadline": None, "publicationDate": notice.issue_date,
            "receivedTenders": None, "allReceivedTenders": [], "cpvCodes": [], "limitedDataFlag": None,
            "doffinClassicUrl": None, "lots": [{"heading": "…", "description": "…", "winner": w}
                                               for w in lots.values()]}


def unit(org_nr: str, name: str) -> dict:
    lower = name.lower()
    form, sector = (("FYLK", "6500") if "fylkeskommune" in lower else ("KOMM", "6500") if "kommune" in lower
                    else ("ORGL", "6100"))
    return {"organisasjonsnummer": org_nr, "navn": name.upper(), "organisasjonsform": {"kode": form},
            "institusjonellSektorkode": {"kode": sector}, "naeringskode1": {"kode": "84.110"},
            "forretningsadresse": {"postnummer": "0150", "kommunenummer": "0301", "landkode": "NO"}}


def real_replay(paths: list[Path] | None = None) -> Replay:
    """The replay of `paths` (default: all 108 real notices)."""
    paths = sorted(DOFFIN.glob("*.xml")) if paths is None else paths
    replay = Replay()
    hits = [h for h in map(hit, paths) if h is not None]
    replay.hits = sorted(hits, key=lambda h: (h["issueDate"], h["id"]))
    replay.notices = {doffin_id(p): p.read_bytes() for p in paths}
    shaped = {p.stem: p.read_bytes() for p in UNITS.glob("*.json")}
    for h in hits:
        for b in h["buyer"]:
            if (org := normalise(b["organizationId"])) and org not in replay.units:
                body = shaped.get(org) or json.dumps(unit(org, b["name"] or org), ensure_ascii=False).encode()
                replay.units[org] = (200, body)
        for lot in h["lots"]:
            for w in lot["winner"]:
                if (org := normalise(w["organizationId"])) and org not in replay.units:
                    company = {**unit(org, f"Leverandør {org} AS"), "organisasjonsform": {"kode": "AS"},
                               "institusjonellSektorkode": {"kode": "2100"}, "antallAnsatte": 12,
                               "naeringskode1": {"kode": "62.010"}}
                    replay.units[org] = (200, json.dumps(company, ensure_ascii=False).encode())
    for org, body in shaped.items():
        replay.units.setdefault(org, (200, body))
    for path in ACCOUNTS.glob("foretak__brreg_regnskap_*.json"):
        org = path.stem.rsplit("_", 1)[1]
        if org.isdigit():
            replay.accounts[org] = (200, path.read_bytes())
    return replay
