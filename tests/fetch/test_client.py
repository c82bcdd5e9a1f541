"""The client against the replay server: every case of data-apis.md §6 that concerns one request or one search."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analysis.fetch import doffin
from analysis.fetch.http import AccessDenied, Client, GaveUp, Policy, retry_after
from tests.replay import KEY, Fault, Replay, Server

FAST = Policy(rate=1000, concurrency=2, retries=3, backoff=0.01, max_wait=5)


def synthetic(n: int, day: str = "2024-03-") -> list[dict]:
    """n hits spread over a month, each with one buyer."""
    return [{"id": f"2024-{100000 + i}", "issueDate": f"{day}{1 + i % 28:02d}T09:00:00+02:00",
             "type": "ANNOUNCEMENT_OF_COMPETITION", "buyer": [{"organizationId": "974760673", "name": "B"}],
             "lots": []} for i in range(n)]


@pytest.fixture
def served():
    replay = Replay()
    with Server(replay) as server:
        yield replay, server


def client(server: Server, key: str = KEY, policy: Policy = FAST) -> Client:
    return Client(server.doffin, policy, {doffin.KEY_HEADER: key})


def search(c: Client, window: doffin.Window) -> tuple[dict, doffin.Search]:
    s, hits = doffin.Search(c), {}
    s.window(window, hits)
    return hits, s


MARCH = doffin.Window(date(2024, 3, 1), date(2024, 3, 31))


def test_a_window_over_the_cap_is_split_until_each_part_fits(served):
    replay, server = served
    replay.hits = synthetic(2500)
    hits, s = search(client(server), MARCH)
    assert len(hits) == 2500
    # No page was asked beyond the 1,000 accessible hits: every search answered 200.
    assert all(int(q["page"][0]) * int(q["numHitsPerPage"][0]) <= 1000 + 99 for p, q in replay.log)
    windows = {(q["issueDateFrom"][0], q["issueDateTo"][0]) for p, q in replay.log}
    assert ("2024-03-01", "2024-03-31") in windows and ("2024-03-01", "2024-03-16") in windows
    assert not s.capped


def test_a_single_day_over_the_cap_takes_the_accessible_hits_and_says_so(served):
    replay, server = served
    replay.hits = [{**h, "issueDate": "2024-03-05T09:00:00Z"} for h in synthetic(1200)]
    hits, s = search(client(server), MARCH)
    assert len(hits) == 1000 and s.capped == ["2024-03-05_2024-03-05"]


def test_the_same_hit_on_two_pages_is_kept_once(served):
    replay, server = served
    replay.hits, replay.repeat = synthetic(250), True
    hits, s = search(client(server), MARCH)
    assert len(hits) == 250 and s.pages == 3


def test_raw_control_characters_in_the_json_are_read(served):
    replay, server = served
    replay.hits = [{**h, "heading": "Vask\x01 og rengjøring", "description": "a\x1fb"} for h in synthetic(3)]
    replay.raw_control = True
    c = client(server)
    body = c.http.get(server.doffin + "/search").content
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)  # the strict reader fails on it, as on the real API's answers
    hits, _ = search(c, MARCH)
    assert len(hits) == 3


def test_two_buyers_and_a_spaced_number_are_both_matched():
    record = doffin.hit_record({"id": "2024-100001", "issueDate": "2024-03-01T10:00:00+02:00", "type": "X",
                                "buyer": [{"organizationId": "999 601 391", "name": "Miljødirektoratet"},
                                          {"organizationId": "NO974760673MVA", "name": "Brreg"},
                                          {"organizationId": "SE556289739601", "name": "Svensk"}],
                                "lots": [{"winner": [{"organizationId": "Org.nr. 984661185"}]}]})
    assert [b["org_nr"] for b in record["buyers"]] == ["999601391", "974760673", None]
    assert record["winners"] == ["984661185"] and record["issueDate"] == "2024-03-01"
    # An id is a file name, and ingest reads a notice's number from it: only YYYY-NNNNNN.
    assert doffin.hit_record({"id": "../../etc/passwd"}) is None and doffin.hit_record({"id": "2024-1"}) is None


def test_429_with_retry_after_is_honoured_and_pauses_every_thread(served, monkeypatch):
    replay, server = served
    replay.hits = synthetic(5)
    replay.fail("/public/v2/search", Fault(429, {"Retry-After": "1"},
                                           b'{"statusCode": 429, "message": "Rate limit is exceeded. Try again in '
                                           b'1 seconds."}'))
    c = client(server)
    paused = []
    original = c.pace.pause
    monkeypatch.setattr(c.pace, "pause", lambda s: (paused.append(s), original(s)))
    hits, _ = search(c, MARCH)
    assert len(hits) == 5 and paused == [1.0] and replay.count("/public/v2/search") == 2


def test_429_without_retry_after_and_with_an_empty_body_backs_off(served):
    replay, server = served
    replay.hits = synthetic(5)
    replay.fail("/public/v2/search", Fault(429), times=2)
    c = client(server)
    hits, _ = search(c, MARCH)
    assert len(hits) == 5 and c.retried == 2


def test_retries_are_bounded(served):
    replay, server = served
    replay.fail("/public/v2/search", Fault(503, body=b"<html>Service Unavailable</html>"), times=10)
    c = client(server)
    with pytest.raises(GaveUp, match="server error"):
        search(c, MARCH)
    assert replay.count("/public/v2/search") == FAST.retries + 1


def test_401_stops_at_once_and_the_key_is_not_in_the_error(served):
    replay, server = served
    c = client(server, key="wrong-secret-key")
    with pytest.raises(AccessDenied) as caught:
        search(c, MARCH)
    assert replay.count("/public/v2/search") == 1
    assert "wrong-secret-key" not in str(caught.value) and "wrong-secret-key" not in repr(caught.value)


def test_a_404_download_is_reported_not_written(served):
    replay, server = served
    written = []
    assert doffin.download(client(server), "2024-999999", written.append) == "not found on Doffin (404)"
    assert written == []


@pytest.mark.parametrize("kind", ["truncate", "drop"])
def test_a_truncated_download_is_asked_again_and_only_the_whole_file_kept(served, kind):
    replay, server = served
    xml = b'<?xml version="1.0"?><ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:' \
          b'ContractNotice-2"><x>' + b"y" * 5000 + b"</x></ContractNotice>"
    replay.notices["2024-1"] = xml
    replay.fail("/public/v2/download/", Fault(kind=kind))
    written = []
    assert doffin.download(client(server), "2024-1", written.append) is None
    assert written == [xml] and replay.count("/public/v2/download/") == 2


def test_an_html_error_page_is_never_kept(served):
    replay, server = served
    replay.notices["2024-1"] = b"<html><body>Service unavailable</body></html>"
    written = []
    why = doffin.download(client(server), "2024-1", written.append)
    assert written == [] and "not an eForms notice (root element <html>)" in why


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after("10") == 10.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after(None) is None and retry_after("soon") is None


def test_requests_are_spaced_by_the_rate(served):
    import time

    replay, server = served
    replay.hits = synthetic(1)
    c = client(server, policy=Policy(rate=20, retries=0))
    start = time.monotonic()
    for _ in range(6):
        c.get("/search")
    assert time.monotonic() - start >= 5 / 20 * 0.9
