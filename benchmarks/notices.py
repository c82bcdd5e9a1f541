"""A national-scale folder of eForms notice files, made by varying the real Doffin notices in
tests/fixtures/real/eforms/doffin: new notice and folder IDs (UUIDs from the seed), buyers (valid
organisation numbers from a pool of 600), issue dates across 2019–2025, estimated values and lot counts.
The same seed and count give the same files, byte for byte.

Templates: the real notices of at most 64 KB (all but the few very large multi-lot notices, so that 150,000
files take about 4 GB rather than 6.6 GB), each picked equally often. Lot counts: 60 % one lot, 20 % two,
10 % three, 10 % five (a template's lots are dropped or copied with new lot IDs). 0.5 % of the files are cut
short (malformed XML, refused by ingest) and 0.5 % are byte copies of another file (a notice delivered
twice), as in a real bulk download.

    python benchmarks/notices.py --out benchmarks/out/notices --count 150000
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from generate import TYPES, org_numbers
from lxml import etree

from analysis.ingest.eforms import EXT, NS

VERSION = "1"  # bump when the files this makes change
TEMPLATES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real" / "eforms" / "doffin"
MAX_TEMPLATE = 64 * 1024
LOT_COUNTS = [1] * 6 + [2] * 2 + [3, 5]
MARK = b"@@%s@@"


def _mark(element, name: str, keep_suffix: str = "") -> None:
    element.text = f"@@{name}@@{keep_suffix}"


def templates() -> list[dict[int, tuple[bytes, int]]]:
    """Each real notice of at most MAX_TEMPLATE bytes, by lot count, with markers where values vary:
    {lot count: (template, number of buyers)}."""
    out = []
    for path in sorted(TEMPLATES.glob("*.xml")):
        if path.stat().st_size <= MAX_TEMPLATE:
            root = etree.fromstring(path.read_bytes())
            out.append({lots: _template(copy.deepcopy(root), lots) for lots in sorted(set(LOT_COUNTS))})
    return out


def _template(root, lots: int) -> tuple[bytes, int]:
    _mark(root.find("cbc:ID[@schemeName='notice-id']", NS), "NOTICE")
    if (folder := root.find("cbc:ContractFolderID", NS)) is not None:
        _mark(folder, "FOLDER")
    issue = root.find("cbc:IssueDate", NS)
    _mark(issue, "DATE", re.sub(r"^\d{4}-\d{2}-\d{2}", "", issue.text.strip()))
    if (amount := root.find("cac:ProcurementProject/cac:RequestedTenderTotal/"
                            "cbc:EstimatedOverallContractAmount", NS)) is not None:
        _mark(amount, "VALUE")
    refs = [e.text.strip() for e in root.findall("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID", NS)]
    buyers = 0
    for org in root.iterfind(f"{EXT}/efac:Organizations/efac:Organization/efac:Company", NS):
        org_id = org.find("cac:PartyIdentification/cbc:ID", NS)
        company = org.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
        if org_id is not None and org_id.text.strip() in refs and company is not None:
            _mark(company, f"BUYER{buyers}")
            buyers += 1
    found = root.findall("cac:ProcurementProjectLot", NS)
    if found:
        parent = found[0].getparent()
        for extra in found[lots:]:
            parent.remove(extra)
        last = found[min(lots, len(found)) - 1]
        for i in range(len(found), lots):
            lot = copy.deepcopy(found[0])
            if (lot_id := lot.find("cbc:ID", NS)) is not None:
                lot_id.text = f"LOT-{i + 1:04d}"
            last.addnext(lot)
            last = lot
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), buyers


def generate(out: Path, count: int, seed: int = 2026) -> dict:
    """Writes `count` notice files below out/notices/ (by year and month) and out/organisations.csv."""
    rng = random.Random(seed)
    pool = org_numbers(600, 90_000_000)  # generate.py's organisations
    base = templates()
    notices = out / "notices"
    out.mkdir(parents=True, exist_ok=True)
    (out / "organisations.csv").write_text(
        "org_nr,name,org_type\n" + "".join(f"{nr},Virksomhet {i:03d},{t}\n" for i, (nr, t) in enumerate(
            zip(pool, TYPES, strict=True))), encoding="utf-8")
    first_day = date(2019, 1, 1).toordinal()
    days = date(2025, 12, 31).toordinal() - first_day + 1
    written, size, previous = 0, 0, b""
    for i in range(count):
        template, n_buyers = base[rng.randrange(len(base))][rng.choice(LOT_COUNTS)]
        day = date.fromordinal(first_day + rng.randrange(days))
        data = template.replace(MARK % b"NOTICE", str(uuid.UUID(int=rng.getrandbits(128), version=4)).encode())
        data = data.replace(MARK % b"FOLDER", str(uuid.UUID(int=rng.getrandbits(128), version=4)).encode())
        data = data.replace(MARK % b"DATE", day.isoformat().encode())
        data = data.replace(MARK % b"VALUE", str(round(rng.lognormvariate(13.5, 1.5))).encode())
        for b in range(n_buyers):
            data = data.replace(MARK % f"BUYER{b}".encode(), pool[rng.randrange(len(pool))].encode())
        roll = rng.random()
        if roll < 0.005:
            data = data[: len(data) // 2]  # cut short: malformed
        elif roll < 0.01 and previous:
            data = previous  # the same notice delivered twice
        folder = notices / f"{day.year}" / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"notice-{i:06d}.xml").write_bytes(data)
        written, size, previous = written + 1, size + len(data), data
    return {"files": written, "bytes": size, "templates": len(base)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=150_000)
    args = parser.parse_args()
    started = time.perf_counter()
    made = generate(args.out, args.count)
    print(f"notices: {made['files']:,} files, {made['bytes'] / 1e9:.2f} GB from {made['templates']} templates "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
