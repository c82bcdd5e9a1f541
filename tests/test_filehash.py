"""The file-hash index kept between builds: unchanged files are not read again, changed ones always are."""

import hashlib
import json
import os
import pickle

import pytest

from analysis import filehash, params, pipeline, provenance


@pytest.fixture
def reads(monkeypatch):
    """The files read for hashing, in a process that has hashed nothing yet."""
    monkeypatch.setattr(filehash, "_known", {})
    monkeypatch.setattr(filehash, "_used", {})
    found = []
    real = hashlib.file_digest
    monkeypatch.setattr(filehash.hashlib, "file_digest", lambda f, name: found.append(f.name) or real(f, name))
    return found


def next_build(monkeypatch):
    """Forgets what this process hashed, as a new build process would."""
    monkeypatch.setattr(filehash, "_known", {})


def test_the_next_build_reads_only_new_and_changed_files(tmp_path, monkeypatch, reads):
    monkeypatch.setattr(filehash, "RACY_SECONDS", 0)
    a, b, c = (tmp_path / name for name in ("a.xml", "b.xml", "c.xml"))
    a.write_bytes(b"<a/>")
    b.write_bytes(b"<b/>")
    index = tmp_path / "cache" / "files.pickle"
    with filehash.index(index):
        filehash.sha256_many([a, b])
    assert sorted(reads) == [str(a), str(b)]
    next_build(monkeypatch)
    reads.clear()
    mtime = b.stat().st_mtime_ns
    b.write_bytes(b"<c/>")  # same size, modification time put back: the change time still differs
    os.utime(b, ns=(mtime, mtime))
    c.write_bytes(b"<new/>")
    with filehash.index(index):
        digests = filehash.sha256_many([a, b, c])
    assert sorted(reads) == [str(b), str(c)]
    assert digests == [hashlib.sha256(x).hexdigest() for x in (b"<a/>", b"<c/>", b"<new/>")]


def test_deleted_files_drop_out_and_fresh_stamps_are_not_trusted(tmp_path, monkeypatch, reads):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(b"<a/>")
    b.write_bytes(b"<b/>")
    index = tmp_path / "files.pickle"
    monkeypatch.setattr(filehash, "RACY_SECONDS", 3600)  # both files were written "just now"
    with filehash.index(index):
        filehash.sha256_many([a, b])
    assert pickle.loads(index.read_bytes())[1] == {}  # racily clean: hashed again next time
    monkeypatch.setattr(filehash, "RACY_SECONDS", 0)
    with filehash.index(index):
        filehash.sha256_many([a, b])
    b.unlink()
    with filehash.index(index):
        filehash.sha256(a)
    assert list(pickle.loads(index.read_bytes())[1]) == [str(a)]


def test_an_index_this_code_did_not_write_is_ignored(tmp_path, reads, monkeypatch):
    a = tmp_path / "a.xml"
    a.write_bytes(b"<a/>")
    index = tmp_path / "files.pickle"
    index.write_text(json.dumps({"version": filehash.INDEX_VERSION, "files": {str(a): ["x"]}}))  # not a pickle
    with filehash.index(index):
        assert filehash.sha256(a) == hashlib.sha256(b"<a/>").hexdigest()
    index.write_bytes(pickle.dumps((filehash.INDEX_VERSION, {str(a): ["x"]})))  # not an entry this code wrote
    next_build(monkeypatch)
    with filehash.index(index):
        assert filehash.sha256(a) == hashlib.sha256(b"<a/>").hexdigest()
    assert reads == [str(a), str(a)]


def test_a_build_reads_each_input_file_once_and_the_next_build_none(demo_data, tmp_path, monkeypatch, reads):
    """The ingest key, the notice cache and provenance.json share one hash per file (a notice file's is the
    one its parser read it with, so it is not read for hashing at all); the next build's process finds them
    in the index."""
    monkeypatch.setattr(filehash, "RACY_SECONDS", 0)
    p = params.parse({"data": str(demo_data), "output": str(tmp_path / "out"), "workers": "1"}, "test-params")
    pipeline.ingest(p)
    listed = provenance.inputs(p.data)
    notices = [f for f in listed if f["path"].startswith("notices/")]
    assert notices and all(f["sha256"] == hashlib.sha256((demo_data / f["path"]).read_bytes()).hexdigest()
                           for f in notices)
    assert sorted(reads) == sorted(str(demo_data / f["path"]) for f in listed if f not in notices)
    next_build(monkeypatch)
    reads.clear()
    pipeline.ingest(p, force=True)
    provenance.inputs(p.data)
    assert reads == []


def test_files_below_lists_what_pathlib_lists_in_the_same_order(tmp_path):
    for rel in ("a/b.xml", "a-c.xml", "a/.hidden.xml", ".dir/d.xml", "a/b/c.XML", "z.csv", "a/b/e.xml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert filehash.files_below(tmp_path, ".xml") == [
        f.relative_to(tmp_path).as_posix() for f in sorted(tmp_path.glob("**/*.xml"))]
    assert filehash.files_below(tmp_path, skip_hidden=True) == [
        f.relative_to(tmp_path).as_posix() for f in sorted(tmp_path.rglob("*"))
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(tmp_path).parts)]
    assert filehash.files_below(tmp_path / "missing") == []


def test_inside_a_build_a_folder_is_listed_once_and_a_subfolder_taken_from_it(tmp_path, monkeypatch):
    for rel in ("notices/2024/a.xml", "notices/.b.xml", "notices/c.txt", "ted/x.csv", "o.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    outside = filehash.files_below(tmp_path / "notices", ".xml")
    walks = []
    real = filehash._walk
    monkeypatch.setattr(filehash, "_walk", lambda top: walks.append(top) or real(top))
    with filehash.index(tmp_path / "files.pickle"):
        everything = filehash.files_below(tmp_path, skip_hidden=True)
        (tmp_path / "notices" / "late.xml").write_text("x")  # written after the listing: not in this build
        inside = filehash.files_below(tmp_path / "notices", ".xml")
    assert walks == [str(tmp_path)]  # one walk; the notice folder came from the dataset's listing
    assert everything == ["notices/2024/a.xml", "notices/c.txt", "o.csv", "ted/x.csv"]
    assert inside == outside == [".b.xml", "2024/a.xml"]
    assert filehash.files_below(tmp_path / "notices", ".xml")[-1] == "late.xml"  # the next build sees it
