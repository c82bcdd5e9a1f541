"""The per-file notice cache: the same tables byte for byte, and only new or changed files parsed again."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from analysis import filehash, ingest, params, paths, pipeline
from analysis.errors import InputError
from analysis.ingest import eforms, notice_cache, run

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "eforms" / "doffin"
X01 = b'<BusinessRegistrationInformationNotice xmlns="urn:x"><ID>1</ID></BusinessRegistrationInformationNotice>'


@pytest.fixture
def data(tmp_path) -> Path:
    """Six real notices, one malformed file and one business registration notice (skipped)."""
    root = tmp_path / "data"
    (root / "notices").mkdir(parents=True)
    (root / "organisations.csv").write_text("org_nr,name,org_type\n974760673,Testetaten,state\n")
    for f in sorted(REAL.glob("*.xml"))[:6]:
        shutil.copyfile(f, root / "notices" / f.name)
    (root / "notices" / "broken.xml").write_bytes(b"<ContractNotice><cbc:ID")
    (root / "notices" / "x01.xml").write_bytes(X01)
    return root


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files the parser actually reads, by name."""
    names = []
    real = eforms.parse_bytes
    monkeypatch.setattr(eforms, "parse_bytes", lambda data, source: names.append(Path(source).name)
                        or real(data, source))
    return names


def outputs(out: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(out.iterdir())}


def test_tables_are_byte_identical_with_and_without_the_cache(data, tmp_path, parsed):
    cache = tmp_path / "cache" / "notices"
    run(data, tmp_path / "plain")
    run(data, tmp_path / "cold", cache=cache)
    parsed.clear()
    run(data, tmp_path / "warm", cache=cache)
    assert parsed == []  # every file, refused and skipped ones too, came from the cache
    plain = outputs(tmp_path / "plain")
    assert outputs(tmp_path / "cold") == plain
    assert outputs(tmp_path / "warm") == plain
    assert b"broken.xml" in plain["quality.json"] and b"x01.xml" in plain["quality.json"]


def test_only_new_and_changed_files_are_parsed_again(data, tmp_path, parsed):
    cache = tmp_path / "notices"
    run(data, tmp_path / "first", cache=cache)
    notices = sorted((data / "notices").glob("2*.xml"))
    shutil.copyfile(notices[0], data / "notices" / "copy.xml")  # same content under another name: a hit
    shutil.copyfile(sorted(REAL.glob("*.xml"))[6], data / "notices" / "new.xml")
    notices[1].write_bytes(re.sub(rb"<cbc:IssueDate>\d{4}", b"<cbc:IssueDate>2019", notices[1].read_bytes()))
    notices[2].unlink()
    parsed.clear()
    warm = run(data, tmp_path / "second", cache=cache)
    assert sorted(parsed) == sorted(["new.xml", notices[1].name])
    assert outputs(tmp_path / "second") == outputs(run_plain(data, tmp_path / "plain"))
    assert warm.quality["counts"]["notices: copies of a notice version already read (counted once)"] == 1
    # 8 + the changed and the new; the old content of the changed and deleted files is 2 of 10 (kept a while)
    assert len(notice_cache.NoticeCache(cache)) == 10


def test_content_no_longer_in_the_dataset_is_dropped_from_the_cache(data, tmp_path):
    cache = tmp_path / "notices"
    run(data, tmp_path / "first", cache=cache)
    for f in sorted((data / "notices").glob("2*.xml"))[:3]:
        f.unlink()
    run(data, tmp_path / "second", cache=cache)
    store = notice_cache.NoticeCache(cache)
    assert len(store) == 5 and len(store.segments) == 1  # 3 of 8 stale: the live rows written anew
    live = {notice_cache.parse(str(f))[0] for f in (data / "notices").iterdir()}
    assert store.shas == live


def test_identical_files_are_one_notice_stored_once_and_counted_as_copies(data, tmp_path):
    first = sorted((data / "notices").glob("2*.xml"))[0]
    for name in ("a-copy.xml", "b-copy.xml"):  # parsed in the same batch as their original
        shutil.copyfile(first, data / "notices" / name)
    got = run(data, tmp_path / "out", cache=tmp_path / "notices")
    assert got.quality["counts"]["notices: copies of a notice version already read (counted once)"] == 2
    assert got.quality["rows"]["notices"] == 6  # the six real notices, each once
    assert len(notice_cache.NoticeCache(tmp_path / "notices")) == 8  # ten files, eight contents


def test_a_file_that_changed_after_it_was_hashed_is_read_as_it_is(data, tmp_path, parsed, monkeypatch):
    """Two files hashed alike are parsed once; when the parse finds other content (the file changed in
    between), the other file is parsed too, so that neither is read under a hash it does not have."""
    cache = tmp_path / "notices"
    run(data, tmp_path / "first", cache=cache)
    a, b = sorted((data / "notices").glob("2*.xml"))[:2]
    real = filehash.sha256_many
    stale = {str(a), str(b)}
    monkeypatch.setattr(filehash, "sha256_many", lambda files, **kw: [
        "0" * 64 if str(f) in stale else h for f, h in zip(files, real(files, **kw), strict=True)])
    parsed.clear()
    run(data, tmp_path / "second", cache=cache)
    assert sorted(parsed) == sorted([a.name, b.name])
    assert outputs(tmp_path / "second") == outputs(run_plain(data, tmp_path / "plain"))


def test_a_file_that_cannot_be_read_is_refused_and_never_stored(data, tmp_path, monkeypatch):
    real = notice_cache.parse

    def unreadable(path: str):
        if path.endswith("x01.xml"):
            return notice_cache.UNREADABLE + path, None, InputError.one(path, "file", "xml", "cannot be read (EIO)")
        return real(path)

    monkeypatch.setattr(notice_cache, "parse", unreadable)
    cache = tmp_path / "notices"
    run(data, tmp_path / "first", cache=cache)
    for f in sorted((data / "notices").glob("2*.xml"))[:3]:
        f.unlink()  # 3 of the 7 stored contents are gone: this ingest compacts the cache
    got = run(data, tmp_path / "second", cache=cache)
    assert {"file": "notices/x01.xml", "where": "file", "field": "xml", "reason": "cannot be read (EIO)"} in \
        got.quality["refused"]
    store = notice_cache.NoticeCache(cache)
    assert len(store.segments) == 1 and not any(s.startswith(notice_cache.UNREADABLE) for s in store.shas)


def run_plain(data: Path, out: Path) -> Path:
    run(data, out)
    return out


def test_a_parser_change_misses_every_entry(data, tmp_path, parsed, monkeypatch):
    cache = tmp_path / "notices"
    run(data, tmp_path / "a", cache=cache)
    monkeypatch.setattr(notice_cache, "parser_key", lambda: "another parser")
    parsed.clear()
    run(data, tmp_path / "b", cache=cache)
    assert len(parsed) == 8
    assert all(f.name.startswith("another parser-") for f in cache.iterdir())  # the old parser's rows are gone


def test_a_killed_ingest_leaves_a_cache_that_gives_right_answers(data, tmp_path, monkeypatch, parsed):
    cache = tmp_path / "notices"
    real = notice_cache.parse
    calls = []
    monkeypatch.setattr(ingest, "CACHE_BATCH", 2)  # rows written every two files
    monkeypatch.setattr(ingest, "PARSE_BATCH", 1)

    def dies_on_the_fifth(path):
        calls.append(path)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(notice_cache, "parse", dies_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        run(data, tmp_path / "killed", cache=cache)
    monkeypatch.setattr(notice_cache, "parse", real)
    parsed.clear()
    assert outputs(run_plain(data, tmp_path / "plain")) == outputs(
        run_plain_cached(data, tmp_path / "after", cache))
    assert len(parsed) == 8 + 4  # the plain run, and the cached run: the four files not written before
    for segment in cache.iterdir():
        segment.write_bytes(b"not a segment, e.g. a disk that filled up")
    parsed.clear()
    assert outputs(run_plain_cached(data, tmp_path / "garbage", cache)) == outputs(tmp_path / "plain")
    assert len(parsed) == 8


def test_a_cold_ingest_reads_each_notice_file_once(data, tmp_path, monkeypatch):
    """No notice file is hashed before its worker parses it, and the next build takes the worker's hash."""
    p = params.parse({"data": str(data), "output": str(tmp_path / "out")}, "test")
    hashed = []
    real = filehash._read
    monkeypatch.setattr(filehash, "_read", lambda path: hashed.append(Path(path).name) or real(path))
    pipeline.ingest(p)
    assert hashed == ["organisations.csv"]
    assert pipeline.ingest(p).cached  # the key written from the workers' hashes is the one the next build finds
    assert hashed == ["organisations.csv"]  # and that build read no file (the stamps are the same)
    (data / "notices" / "x01.xml").write_bytes(X01.replace(b"1", b"2"))
    assert not pipeline.ingest(p).cached


def run_plain_cached(data: Path, out: Path, cache: Path) -> Path:
    run(data, out, cache=cache)
    return out


def test_the_parser_key_covers_every_module_the_parser_imports():
    """A module eforms imports (directly or through another) that is missing from PARSER_CODE would let a
    parser change keep stale entries. Module-level imports are followed; an import inside a function (csvfiles
    imports pandera's schemas only to validate CSV files) is not on the parse path."""
    listed = set(notice_cache.PARSER_CODE)
    todo, seen = ["ingest/eforms/__init__.py"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        package = Path(name).parent
        for node in ast.parse((paths.PACKAGE / name).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.parent
                for target in [node.module] if node.module else [a.name for a in node.names]:
                    module = (base / target.replace(".", "/")).as_posix().lstrip("./")
                    if (paths.PACKAGE / f"{module}.py").is_file():
                        todo.append(f"{module}.py")
    assert seen <= listed, seen - listed
