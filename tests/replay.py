"""A local stand-in for Doffin's Public API v2 and Brønnøysund's APIs, answering as data-apis.md §6 says the real
ones do, so that `innomaal fetch` is tested without the internet (INNOMAAL_DOFFIN_URL, INNOMAAL_BRREG_URL).

Doffin (under /public/v2): GET /search (numHitsPerPage, page, issueDateFrom/To, type; unknown parameters
ignored; at most 1,000 hits, beyond them 400 with the API's reason; page < 1 → 400) and GET /download/{id} (the
XML as application/octet-stream; an unknown id 404 with an empty body). Every request needs the
Ocp-Apim-Subscription-Key header, else APIM's 401 body (which echoes what was sent, so a test sees any leak).
Brønnøysund: /enhetsregisteret/api/enheter/{orgnr} (200, 404, 410, a deleted unit as 200 with slettedato) and
/regnskapsregisteret/regnskap/{orgnr} (200 an array, 404 with no body, 500 with the Spring error body).

Faults are queued per path prefix (`fail`): a status with headers and body, a body cut short with a matching
length (fails the XML check), or a connection dropped mid-body. `raw_control` puts a raw control character into
the search JSON; `repeat` makes a page repeat the last hit of the page before it, as the real API's unstable
order does. Every request is logged.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEY = "replay-key-7f3a9c0e5b1d"
CAP = 1000


@dataclass
class Fault:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    kind: str = "status"  # status | truncate (a short body, its length matching) | drop (the connection cut)


@dataclass
class Replay:
    hits: list[dict] = field(default_factory=list)  # the search index, in the API's order
    notices: dict[str, bytes] = field(default_factory=dict)
    units: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    accounts: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    raw_control: bool = False
    repeat: bool = False
    delay: float = 0.0  # seconds before each download (to kill a fetch halfway)
    log: list[tuple[str, dict]] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, prefix: str, fault: Fault, times: int = 1) -> None:
        self.faults[prefix] += [fault] * times

    def count(self, prefix: str) -> int:
        return sum(1 for path, _ in self.log if path.startswith(prefix))

    def _fault(self, path: str) -> Fault | None:
        with self._lock:
            for prefix, queue in self.faults.items():
                if path.startswith(prefix) and queue:
                    return queue.pop(0)
        return None

    def search(self, query: dict[str, list[str]]) -> tuple[int, dict]:
        def one(name: str, default: str) -> str:
            return query.get(name, [default])[0]

        try:
            size, page = int(one("numHitsPerPage", "15")), int(one("page", "1"))
        except ValueError:
            return 400, {"reason": "Bad number"}
        if page < 1:
            return 400, {"reason": "Parameter page must be >= 1"}
        lo, hi, types = one("issueDateFrom", "0000"), one("issueDateTo", "9999"), query.get("type", [])
        found = [h for h in self.hits if lo <= h["issueDate"][:10] <= hi and (not types or h["type"] in types)]
        if (page - 1) * size >= CAP and found:
            return 400, {"reason": "Unable to access more than the top 1000 hits, please lower either the page "
                                   "or numHitsPerPage parameters."}
        accessible = found[:CAP]
        hits = accessible[(page - 1) * size:page * size]
        if self.repeat and page > 1 and hits:
            hits = [accessible[(page - 1) * size - 1], *hits]
        return 200, {"numHitsTotal": len(found), "numHitsAccessible": len(accessible), "hits": hits}


class _Handler(BaseHTTPRequestHandler):
    replay: Replay

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None, kind: str = "status") -> None:
        self.send_response(status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        if kind == "truncate":
            body = body[:len(body) // 2]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if kind == "drop":
            self.wfile.write(body[:len(body) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def _json(self, status: int, doc) -> None:
        self._send(status, json.dumps(doc, ensure_ascii=False).encode("utf-8"))

    def do_GET(self) -> None:  # noqa: N802
        replay = self.replay
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        replay.log.append((url.path, query))
        fault = replay._fault(url.path)
        if fault is not None and fault.kind == "status":
            return self._send(fault.status, fault.body, fault.headers)
        kind = fault.kind if fault else "status"
        if url.path.startswith("/public/v2/"):
            sent = self.headers.get("Ocp-Apim-Subscription-Key")
            if sent != KEY:
                return self._json(401, {"statusCode": 401, "message": "Access denied due to invalid subscription "
                                        f"key {sent}. Make sure to provide a valid key for an active subscription."})
            if url.path == "/public/v2/search":
                status, doc = replay.search(query)
                text = json.dumps(doc, ensure_ascii=False)
                if replay.raw_control:
                    text = text.replace("\\u0001", "\x01").replace("\\u001f", "\x1f")
                return self._send(status, text.encode("utf-8"), kind=kind)
            if url.path.startswith("/public/v2/download/"):
                notice_id = url.path.rsplit("/", 1)[1]
                if replay.delay:
                    time.sleep(replay.delay)
                if notice_id not in replay.notices:
                    return self._send(404)
                return self._send(200, replay.notices[notice_id], {"Content-Type": "application/octet-stream"},
                                  kind=kind)
            return self._json(404, {"statusCode": 404, "message": "Resource not found"})
        for prefix, table in (("/enhetsregisteret/api/enheter/", replay.units),
                              ("/regnskapsregisteret/regnskap/", replay.accounts)):
            if url.path.startswith(prefix):
                org_nr = url.path[len(prefix):]
                if org_nr in table:
                    status, body = table[org_nr]
                    return self._send(status, body, kind=kind)
                if prefix.startswith("/enhet"):
                    return self._json(404, {"timestamp": "2026-12-07T08:00:00.000+00:00", "status": 404,
                                            "error": "Not Found", "path": url.path})
                return self._send(404)
        return self._send(404)


class Server:
    """The replay on 127.0.0.1 (a free port) in a thread: `doffin` and `brreg` are the base URLs."""

    def __init__(self, replay: Replay):
        handler = type("Handler", (_Handler,), {"replay": replay})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.doffin = f"http://{host}:{port}/public/v2"
        self.brreg = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
