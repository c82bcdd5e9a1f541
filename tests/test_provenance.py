"""Provenance helpers (the site's provenance.json is checked in test_render)."""

import hashlib
import os

from analysis import provenance


def test_a_file_is_hashed_once_while_it_is_unchanged_and_again_when_it_changes(tmp_path):
    f = tmp_path / "notices.xml"
    f.write_bytes(b"<a/>")
    provenance._sha256.cache_clear()
    assert provenance.sha256(f) == hashlib.sha256(b"<a/>").hexdigest()
    assert provenance.inputs(tmp_path) == [{"path": "notices.xml", "bytes": 4, "sha256": provenance.sha256(f)}]
    assert provenance._sha256.cache_info().misses == 1  # ingest key and provenance.json share one read
    f.write_bytes(b"<b/>")  # same size: the modification time tells
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 1_000_000))
    assert provenance.sha256(f) == hashlib.sha256(b"<b/>").hexdigest()
