"""A national year of Doffin from the replay server: is the fetch client ever what limits a fetch?

The replay (tests/replay.py, in a process of its own so that its CPU is not counted) serves about 17,000 hits
over one year (a real year's count; some months over the 1,000-hit cap, so windows are split) and the notices
of the bodies asked for (a few hundred). `innomaal fetch`'s Doffin part runs against it with no rate limit.
Printed: the requests made against the minimum needed (the pages of each window that fits under the cap, its
halves' where it does not, plus one download per notice), and the client's CPU time per search page and per
download. At the API's polite rate (2 requests a second) a request may take 500 ms; the client's CPU per
request is the ratio that matters: how many times over it could keep up.

Example: .venv/bin/python benchmarks/fetch_bench.py --hits 17000 --downloads 300
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.replay import KEY, Replay, Server  # noqa: E402

from analysis import fetch  # noqa: E402
from analysis.fetch import doffin  # noqa: E402
from analysis.fetch.http import Policy  # noqa: E402

TEMPLATE = Path(__file__).resolve().parents[1] / "tests/fixtures/real/eforms/doffin/2023-610912.xml"
BODIES = ["974760673", "889640782", "916879067", "817920632", "942110464"]


def replay(hits: int, downloads: int, seed: int = 20261207) -> Replay:
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    # More notices in spring and autumn: March and October go over the 1,000-hit cap.
    weights = [0.8, 0.9, 1.45, 1.0, 1.0, 0.9, 0.6, 0.7, 1.0, 1.4, 1.1, 0.9]
    days = [start + timedelta(days=d) for d in range(365)]
    pick = rng.choices(days, [weights[d.month - 1] for d in days], k=hits)
    out = Replay()
    xml = TEMPLATE.read_bytes()
    ours = set(rng.sample(range(hits), downloads))
    for i, day in enumerate(sorted(pick)):
        buyer = rng.choice(BODIES) if i in ours else f"9{rng.randrange(10**7, 10**8)}"
        notice_id = f"2025-{100000 + i}"
        out.hits.append({"id": notice_id, "issueDate": f"{day.isoformat()}T10:00:00Z",
                         "type": "ANNOUNCEMENT_OF_COMPETITION", "heading": "Rammeavtale \x01 om " + "x" * 80,
                         "description": "y" * 600, "buyer": [{"id": "f" * 32, "organizationId": buyer,
                                                              "name": "Oppdragsgiver"}],
                         "lots": [{"heading": "z", "winner": [{"organizationId": "984661185"}]}]})
        if i in ours:
            out.notices[notice_id] = xml
    out.raw_control = True
    return out


def serve(r: Replay, ready) -> None:
    with Server(r) as server:
        ready.send((server.doffin, server.brreg))
        ready.recv()  # until told to stop
        ready.send([path for path, _ in r.log])


def minimum(r: Replay, months: list[doffin.Window]) -> int:
    def pages(window: doffin.Window) -> int:
        n = sum(1 for h in r.hits if window.start.isoformat() <= h["issueDate"][:10] <= window.end.isoformat())
        if n > doffin.CAP and window.start < window.end:
            return sum(pages(half) for half in window.halves())
        return max(1, -(-min(n, doffin.CAP) // doffin.PAGE_SIZE))
    return sum(pages(m) for m in months)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=17_000)
    parser.add_argument("--downloads", type=int, default=300)
    args = parser.parse_args()
    r = replay(args.hits, args.downloads)
    ours = {h["id"] for h in r.hits if h["buyer"][0]["organizationId"] in BODIES}
    months = doffin.months(date(2025, 1, 1), date(2025, 12, 31))
    needed = minimum(r, months) + len(ours)
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(r, there), daemon=True)
    server.start()
    doffin_url, brreg_url = here.recv()
    with tempfile.TemporaryDirectory() as tmp:
        def run(orgs: tuple[str, ...]) -> tuple[fetch.Summary, float, float]:
            request = fetch.Request(data=Path(tmp), orgs=orgs, first=2025, last=2025, sources=("doffin",), key=KEY,
                                    policy=Policy(rate=0, concurrency=2), today=date(2026, 12, 7),
                                    doffin_url=doffin_url, brreg_url=brreg_url)
            cpu, wall = time.process_time(), time.perf_counter()
            summary = fetch.run(request)
            return summary, time.process_time() - cpu, time.perf_counter() - wall

        # The searches alone (a body with no notices), then the downloads alone (the closed months are kept).
        _, search_cpu, search_wall = run(("971526920",))
        summary, download_cpu, download_wall = run(tuple(BODIES))
    here.send("stop")
    log = here.recv()
    server.join()
    searches = sum(1 for p in log if p.endswith("/search"))
    downloads = sum(1 for p in log if "/download/" in p)
    fetched = {t.name: t for t in summary.tallies}["Doffin notices"].fetched
    assert fetched == len(ours) == downloads, (fetched, len(ours), downloads)
    print(f"fetch: {args.hits} hits in a year, {len(ours)} notices of {len(BODIES)} bodies")
    print(f"  requests made {searches + downloads} (search pages {searches}, downloads {downloads}); "
          f"minimum needed {needed}; ratio {(searches + downloads) / needed:.2f}")
    per_page, per_download = search_cpu / searches, download_cpu / downloads
    print(f"  client CPU per search page {1000 * per_page:.1f} ms ({search_cpu:.2f} s, {search_wall:.1f} s wall), "
          f"per download {1000 * per_download:.1f} ms ({download_cpu:.2f} s, {download_wall:.1f} s wall)")
    print(f"  at the API's polite 2 requests a second (500 ms a request) the client keeps up "
          f"{0.5 / per_page:.0f}× over on search pages and {0.5 / per_download:.0f}× over on downloads")


if __name__ == "__main__":
    main()
