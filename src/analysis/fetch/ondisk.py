"""What a fetch reads from the dataset folder instead of an API: the hits of the windows searched before, or
the notices on disk read as hits, and the legal types (BT-11) the bodies give themselves in their notices."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import orgtypes


def hits(data: Path, state) -> dict[str, dict]:
    """Without the Doffin source: the hits of the windows searched before, else the notices in
    notices/ read as hits (buyers and winners from the XML)."""
    found: dict[str, dict] = {}
    for path in sorted((state.root / "windows").glob("*.json")):
        for hit in state.read(f"windows/{path.name}", {"hits": []})["hits"]:
            found.setdefault(hit["id"], hit)
    if found:
        return found
    from ..ingest import eforms

    for path in sorted((data / "notices").glob("**/*.xml")):
        try:
            notice = eforms.parse_file(path)
        except (InputError, eforms.NotProcurement):
            continue
        found[str(path)] = {"id": str(path), "buyers": [{"org_nr": b.org_nr, "name": b.name} for b in notice.buyers],
                            "winners": sorted({a.winner_org_nr for a in notice.awards if a.winner_org_nr})}
    return found


def legal_types(data: Path, units: dict, org_nr: str, ids: list[str]) -> list[str]:
    """The BT-11 codes the body gives itself in its notices on disk (read only where a rule needs them)."""
    if settled_by_register(units.get(org_nr)):
        return []
    from ..ingest import eforms

    codes = []
    for notice_id in sorted(ids):
        path = Path(notice_id) if notice_id.endswith(".xml") else data / "notices" / "doffin" / f"{notice_id}.xml"
        try:
            notice = eforms.parse_file(path)
        except (InputError, eforms.NotProcurement, OSError):
            continue
        codes += [b.legal_type for b in notice.buyers if b.org_nr == org_nr and b.legal_type]
    return codes


def settled_by_register(unit: dict | None) -> bool:
    """A unit whose type the register alone settles (its notices need not be read for BT-11)."""
    return unit is not None and orgtypes.org_type(unit, {}, [])[1] in ("form", "health", "state", "enterprise")
