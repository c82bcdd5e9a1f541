"""Provenance helpers (the site's provenance.json is checked in test_render)."""

import hashlib
import os

from analysis import filehash, provenance


def test_a_file_is_hashed_once_while_it_is_unchanged_and_again_when_it_changes(tmp_path, monkeypatch):
    f = tmp_path / "notices.xml"
    f.write_bytes(b"<a/>")
    reads = []
    monkeypatch.setattr(filehash.hashlib, "file_digest", lambda f, name, real=hashlib.file_digest: reads.append(1)
                        or real(f, name))
    assert provenance.sha256(f) == hashlib.sha256(b"<a/>").hexdigest()
    assert provenance.inputs(tmp_path) == [{"path": "notices.xml", "bytes": 4, "sha256": provenance.sha256(f)}]
    assert len(reads) == 1  # ingest key and provenance.json share one read
    mtime = f.stat().st_mtime_ns
    f.write_bytes(b"<b/>")  # same size, and the modification time set back: the change time tells
    os.utime(f, ns=(f.stat().st_atime_ns, mtime))
    assert provenance.sha256(f) == hashlib.sha256(b"<b/>").hexdigest()