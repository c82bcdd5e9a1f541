"""`innomaal fetch` against the replay of the 108 real Doffin notices: a body's data in with one command, the
organisation list made, resumable, the key kept secret, and what cannot be had named with its reason."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis import fetch
from analysis.cli import app
from analysis.fetch.http import Policy
from tests.fetch.helpers import real_replay
from tests.replay import KEY, Fault, Server

runner = CliRunner()
SYKEHUSINNKJOP = "916879067"
FAST = Policy(rate=1000, concurrency=2, retries=2, backoff=0.01, max_wait=2)


@pytest.fixture
def served(monkeypatch):
    replay = real_replay()
    with Server(replay) as server:
        monkeypatch.setenv("INNOMAAL_DOFFIN_URL", server.doffin)
        monkeypatch.setenv("INNOMAAL_BRREG_URL", server.brreg)
        monkeypatch.setenv("DOFFIN_API_KEY", KEY)
        yield replay, server


def cli(*args: str):
    return runner.invoke(app, ["fetch", "--rate", "500", *args])


def ours(replay, org_nr: str) -> set[str]:
    from analysis.orgnr import normalise

    return {h["id"] for h in replay.hits if any(normalise(b["organizationId"]) == org_nr for b in h["buyer"])}


def everything_in(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def test_one_body_in_with_one_command(served, tmp_path):
    replay, _ = served
    data = tmp_path / "sykehusinnkjop"
    result = cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--from", "2022", "--to", "2024")
    assert result.exit_code == 0, result.output
    expected = ours(replay, SYKEHUSINNKJOP)
    assert len(expected) == 11
    files = {p.stem: p for p in (data / "notices" / "doffin").glob("*.xml")}
    assert set(files) == expected  # its notices and no other body's
    assert all(files[i].read_bytes() == replay.notices[i] for i in expected)  # as served, byte for byte
    assert (data / "suppliers" / f"{SYKEHUSINNKJOP}.json").is_file()
    orgs = (data / "organisations.csv").read_text(encoding="utf-8").splitlines()
    assert orgs == ["org_nr,name,org_type,lang", f"{SYKEHUSINNKJOP},SYKEHUSINNKJØP HF,health,nb"]
    params = (data / "params.yaml").read_text(encoding="utf-8")
    assert f"data: {data.resolve()}" in params
    assert "health" in result.output and "1 by health" in result.output
    assert f"next: innomaal build --params {data / 'params.yaml'}" in result.output
    # The summary counts per source: 36 months asked, 11 notices fetched.
    assert "Doffin search (months)" in result.output and "Doffin notices" in result.output
    # The key is in no output and no file written.
    assert KEY not in result.output and KEY not in everything_in(data)
    assert not list(data.rglob("*.tmp"))


def test_a_second_run_with_nothing_new_downloads_nothing(served, tmp_path):
    replay, _ = served
    data = tmp_path / "d"
    assert cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--from", "2022", "--to", "2024").exit_code == 0
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and ".fetch" not in p.parts}
    replay.log.clear()
    result = cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--from", "2022", "--to", "2024")
    assert result.exit_code == 0, result.output
    assert replay.log == []  # closed months kept, notices, units and accounts already there
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and ".fetch" not in p.parts}
    assert after == before


def test_the_current_month_is_always_searched_again(served, tmp_path):
    replay, server = served
    data = tmp_path / "d"
    request = fetch.Request(data=data, orgs=(SYKEHUSINNKJOP,), first=2024, last=2024, sources=("doffin",),
                            key=KEY, policy=FAST, today=date(2024, 3, 10), doffin_url=server.doffin,
                            brreg_url=server.brreg)
    fetch.run(request)
    replay.log.clear()
    fetch.run(request)
    asked = sorted({q["issueDateFrom"][0] for p, q in replay.log if p.endswith("/search")})
    # January (closed) is kept; February ended 10 days ago, inside the publication lag; March is running.
    assert asked == ["2024-02-01", "2024-03-01"]


def test_a_missing_key_is_an_error_before_any_request(served, tmp_path, monkeypatch):
    replay, _ = served
    monkeypatch.delenv("DOFFIN_API_KEY")
    result = cli("--data", str(tmp_path / "d"), "--org", SYKEHUSINNKJOP)
    assert result.exit_code == 2 and "DOFFIN_API_KEY" in result.output and "Traceback" not in result.output
    assert "dof-notices-prod-api.developer.azure-api.net" in result.output
    assert replay.log == []
    # Without Doffin among the sources no key is needed.
    assert cli("--data", str(tmp_path / "d"), "--org", SYKEHUSINNKJOP, "--sources", "brreg").exit_code == 0


def test_a_refused_key_stops_at_once_and_is_never_shown(served, tmp_path):
    replay, _ = served
    secret = tmp_path / "key.txt"
    secret.write_text("not-the-right-key-1234\n", encoding="utf-8")
    data = tmp_path / "d"
    result = cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--api-key-file", str(secret))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "refused the API key (HTTP 401)" in result.output and "Public API" in result.output
    assert "not-the-right-key-1234" not in result.output and "not-the-right-key-1234" not in everything_in(data)
    assert replay.count("/public/v2/search") == 1


def test_bad_options_are_named_each(served, tmp_path):
    result = cli("--data", str(tmp_path / "d"), "--org", "123456789", "--from", "2030", "--sources", "ted")
    assert result.exit_code == 2 and "Traceback" not in result.output
    for words in ("'123456789' is not a valid organisation number", "2030", "ted: not a source"):
        assert words in result.output


def test_what_cannot_be_had_is_listed_by_name_and_the_rest_goes_on(served, tmp_path):
    replay, server = served
    gone = next(iter(sorted(ours(replay, SYKEHUSINNKJOP))))
    del replay.notices[gone]  # in the search, but 404 on download
    del replay.units["916879067"]  # not in Enhetsregisteret (404)
    replay.units["984661185"] = (410, b"")
    replay.fail("/regnskapsregisteret/regnskap/", Fault(500, body=b'{"status": "500", "error": "Internal"}'), 5)
    data = tmp_path / "d"
    summary = fetch.run(fetch.Request(data=data, orgs=(SYKEHUSINNKJOP, "984661185"), first=2022, last=2024,
                                      key=KEY, policy=FAST, doffin_url=server.doffin, brreg_url=server.brreg))
    tallies = {t.name: t for t in summary.tallies}
    notices = tallies["Doffin notices"]
    assert notices.fetched == notices.asked - 1 == len(list((data / "notices" / "doffin").glob("*.xml")))
    assert [(w.split()[0], why) for w, why in notices.refused] == [(gone, "not found on Doffin (404)")]
    units = dict(tallies["Enhetsregisteret (units)"].refused)
    assert units == {SYKEHUSINNKJOP: "not in Enhetsregisteret (404)",
                     "984661185": "removed from Enhetsregisteret (410)"}
    # Without its unit, the body is typed from what its notices declare (BT-11), and the rule is counted.
    rows = (data / "organisations.csv").read_text(encoding="utf-8").splitlines()
    assert f"{SYKEHUSINNKJOP},SYKEHUSINNKJØP HF,enterprise," in rows  # 'pub-undert' is its most frequent BT-11
    assert "984661185,Posten Bring AS,enterprise," in rows
    assert summary.types == {"notices": 2}


def test_accounts_no_filings_and_bank_answers(served, tmp_path):
    replay, server = served
    from analysis.orgnr import normalise

    winners = sorted({n for h in replay.hits for lot in h["lots"] for w in lot["winner"]
                      if (n := normalise(w["organizationId"]))})
    bank, filed = winners[0], set(replay.accounts) & set(winners)
    replay.accounts[bank] = (500, b'{"status": "500", "error": "Internal Server Error"}')  # as banks get
    data = tmp_path / "d"
    summary = fetch.run(fetch.Request(data=data, orgs=(), national=True, first=2022, last=2024,
                                      sources=("doffin", "accounts"), key=KEY, policy=FAST,
                                      doffin_url=server.doffin, brreg_url=server.brreg))
    accounts = {t.name: t for t in summary.tallies}["Regnskapsregisteret (accounts)"]
    assert accounts.asked > 0 and accounts.fetched == len(list((data / "accounts").glob("*.json")))
    assert any("without filings (404" in note for note in accounts.notes)
    assert accounts.refused == [(bank, "the register answers 500 for this unit, as it does for banks and "
                                       "insurers (no accounts)")]
    assert accounts.asked == len(winners) and accounts.fetched == len(filed - {bank})


def test_a_user_s_organisation_list_keeps_every_row_and_gets_the_new_ones(served, tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    mine = "org_nr;name;org_type\r\n916879067;Sykehusinnkjøp (vår egen);other\r\n"
    (data / "organisations.csv").write_bytes(mine.encode("utf-8"))
    result = cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--org", "889640782", "--from", "2023",
                 "--to", "2024")
    assert result.exit_code == 0, result.output
    text = (data / "organisations.csv").read_bytes().decode("utf-8")
    assert text.startswith(mine)  # the user's own lines, byte for byte
    assert text[len(mine):] == "889640782;ARBEIDS- OG VELFERDSETATEN;state\n"


def test_stale_half_writes_of_a_killed_run_are_removed(served, tmp_path):
    data = tmp_path / "d"
    (data / "notices" / "doffin").mkdir(parents=True)
    stale = data / "notices" / "doffin" / ".2023-100679.xml.abc123.tmp"
    stale.write_bytes(b"<ContractNotice")
    assert cli("--data", str(data), "--org", SYKEHUSINNKJOP, "--from", "2023", "--to", "2023").exit_code == 0
    assert not stale.exists()


@pytest.mark.slow
def test_a_killed_fetch_resumes_without_partial_files_or_duplicates(tmp_path):
    replay = real_replay()
    replay.delay = 0.05
    data = tmp_path / "d"
    env = {**os.environ, "DOFFIN_API_KEY": KEY}
    with Server(replay) as server:
        env.update(INNOMAAL_DOFFIN_URL=server.doffin, INNOMAAL_BRREG_URL=server.brreg)
        command = [sys.executable, "-m", "analysis.cli", "fetch", "--data", str(data), "--national", "--from",
                   "2022", "--to", "2024", "--rate", "500", "--sources", "doffin"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        folder = data / "notices" / "doffin"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(folder.glob("*.xml"))) < 20:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        kept = {p.stem: p.read_bytes() for p in folder.glob("*.xml")}
        assert 20 <= len(kept) < 108
        assert all(replay.notices[i] == body for i, body in kept.items())  # no file half-written
        replay.log.clear()
        replay.delay = 0
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    files = sorted(folder.iterdir())
    assert [p.stem for p in files] == sorted(replay.notices) and not list(data.rglob("*.tmp"))
    assert all(replay.notices[p.stem] == p.read_bytes() for p in files)
    downloads = [p for p, _ in replay.log if p.startswith("/public/v2/download/")]
    assert len(downloads) == len(set(downloads)) == 108 - len(kept)  # only what was missing
    assert KEY not in result.stdout + result.stderr
