"""The other sources' tables kept between ingests (ingest.source_cache): byte-identical tables, files read again
only when they changed, errors in the organisation's own files raised every time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import accounts, csvfiles, registers, run, sources
from tests.conftest import copy_dataset

READERS = [(sources, "organisations"), (sources, "suppliers"), (sources, "spend"), (sources, "surveys"),
           (sources, "gains"), (registers, "contracts"), (registers, "evaluations"), (registers, "training"),
           (accounts, "read")]


def outputs(out: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(out.iterdir())}


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How often each source's reader ran."""
    calls: Counter = Counter()
    for module, name in READERS:
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, _real=real, _name=name, **k: calls.update([_name]) or _real(*a, **k))
    return calls


def test_kept_sources_give_the_same_bytes_and_only_changed_ones_are_read_again(demo_data, tmp_path, reads):
    data = copy_dataset(demo_data, tmp_path / "data")
    kept = tmp_path / "cache" / "sources"
    run(data, tmp_path / "first", source_cache=kept)
    assert reads == Counter({name: 1 for _, name in READERS})
    reads.clear()
    second = run(data, tmp_path / "second", source_cache=kept)
    assert reads == Counter()  # nothing changed: every table kept, with its quality counts and refusals
    run(data, tmp_path / "plain")  # no cache
    plain = outputs(tmp_path / "plain")
    assert outputs(tmp_path / "first") == plain and outputs(tmp_path / "second") == plain
    entries = sorted(f.name for f in kept.iterdir())

    ledger = sorted((data / "spend").glob("**/*.csv"))[0]
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    ledger.write_text("".join(lines[:-1]), encoding="utf-8")  # one ledger line fewer
    contracts = sorted((data / "contracts").glob("*.csv"))[0]
    contracts.write_bytes(contracts.read_bytes())  # the same content written again: still kept
    reads.clear()
    third = run(data, tmp_path / "third", source_cache=kept)
    assert reads == Counter({"spend": 1})
    run(data, tmp_path / "plain2")
    assert outputs(tmp_path / "third") == outputs(tmp_path / "plain2")
    assert third.quality["rows"]["spend"] == second.quality["rows"]["spend"] - 1
    now = sorted(f.name for f in kept.iterdir())
    assert len(now) == len(entries) and len(set(now) - set(entries)) == 1  # the old spend entry is gone


def test_a_damaged_entry_is_read_around(demo_data, tmp_path, reads):
    data = copy_dataset(demo_data, tmp_path / "data")
    kept = tmp_path / "sources"
    run(data, tmp_path / "first", source_cache=kept)
    for entry in kept.iterdir():
        entry.write_bytes(b"a disk that filled up")
    reads.clear()
    run(data, tmp_path / "second", source_cache=kept)
    assert reads == Counter({name: 1 for _, name in READERS})
    assert outputs(tmp_path / "second") == outputs(tmp_path / "first")


def test_an_error_in_the_organisations_own_file_is_raised_every_time(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "organisations.csv").write_text("org_nr,name,org_type\n974760673,Testetaten,state\n123,Nei,state\n",
                                            encoding="utf-8")
    kept = tmp_path / "sources"
    for _ in range(2):
        with pytest.raises(InputError) as raised:
            run(data, tmp_path / "out", source_cache=kept)
        assert [(p.where, p.field) for p in raised.value.problems] == [("row 3", "org_nr")]
    assert not any(f.name.startswith("organisations-") for f in kept.iterdir())


def test_evaluations_are_read_again_when_the_contracts_change(demo_data, tmp_path, reads):
    """Evaluations are checked against the contracts' IDs: their entry is keyed by both."""
    data = copy_dataset(demo_data, tmp_path / "data")
    kept = tmp_path / "sources"
    run(data, tmp_path / "first", source_cache=kept)
    contracts = sorted((data / "contracts").glob("*.csv"))[0]
    contracts.write_text(contracts.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # an empty line more
    reads.clear()
    run(data, tmp_path / "second", source_cache=kept)
    assert reads == Counter({"contracts": 1, "evaluations": 1})


def test_gain_files_in_subfolders_are_part_of_the_key(demo_data, tmp_path, reads):
    data = copy_dataset(demo_data, tmp_path / "data")
    (data / "gains" / "2025").mkdir()
    (data / "gains" / "effects.csv").rename(data / "gains" / "2025" / "effects.csv")
    kept = tmp_path / "sources"
    run(data, tmp_path / "first", source_cache=kept)
    effects = data / "gains" / "2025" / "effects.csv"
    lines = effects.read_text(encoding="utf-8").splitlines(keepends=True)
    effects.write_text(lines[0] + lines[1].replace(lines[1].split(",")[2], "nonsense", 1), encoding="utf-8")
    reads.clear()
    with pytest.raises(InputError) as raised:  # the organisation's error, not last time's tables
        run(data, tmp_path / "second", source_cache=kept)
    assert reads["gains"] == 1 and [p.field for p in raised.value.problems] == ["gain_type"]


def test_a_file_that_could_not_be_read_is_read_again_next_time(demo_data, tmp_path, monkeypatch):
    data = copy_dataset(demo_data, tmp_path / "data")
    kept = tmp_path / "sources"
    real = csvfiles.read_text

    def fails_for_suppliers(path, *args, **kwargs):
        if "suppliers" in path.parts:
            raise InputError.one(path, "file", "content",
                                 f"{csvfiles.UNREADABLE_REASON} ([Errno 5] Input/output error)")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(csvfiles, "read_text", fails_for_suppliers)
    first = run(data, tmp_path / "first", source_cache=kept)
    assert any(r["reason"].startswith(csvfiles.UNREADABLE_REASON) for r in first.quality["refused"])
    assert not any(f.name.startswith("suppliers-") for f in kept.iterdir())  # not kept
    monkeypatch.setattr(csvfiles, "read_text", real)
    second = run(data, tmp_path / "second", source_cache=kept)
    assert not any(r["reason"].startswith(csvfiles.UNREADABLE_REASON) for r in second.quality["refused"])
