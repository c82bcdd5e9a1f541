"""The site's manifest and `innomaal verify`: every file recorded with its size and SHA-256, the manifest
itself deterministic and not listed, and any missing, altered or unlisted file reported."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from analysis import manifest
from analysis.cli import app


def small_site(root: Path) -> Path:
    (root / "reports" / "2025").mkdir(parents=True)
    (root / "index.html").write_text('<a href="reports/2025/123456785.html">r</a>', encoding="utf-8")
    (root / "reports" / "2025" / "123456785.html").write_text("<p>rapport</p>", encoding="utf-8")
    (root / "reports" / "2025" / "123456785.pdf").write_bytes(b"%PDF-1.7 fake")
    return root


def test_the_manifest_lists_every_other_file_sorted_with_size_and_sha256(tmp_path):
    site = small_site(tmp_path / "site")
    written = manifest.write(site)
    record = json.loads(written.read_text(encoding="utf-8"))
    assert [e["path"] for e in record["files"]] == ["index.html", "reports/2025/123456785.html",
                                                    "reports/2025/123456785.pdf"]
    pdf = record["files"][2]
    assert pdf["size"] == 13 and pdf["sha256"] == hashlib.sha256(b"%PDF-1.7 fake").hexdigest()
    first = written.read_bytes()
    manifest.write(site)  # written again: the same bytes, and it still does not list itself
    assert written.read_bytes() == first and b"manifest.json" not in first
    assert manifest.verify(site) == []


def test_verify_reports_missing_altered_and_unlisted_files(tmp_path):
    site = small_site(tmp_path / "site")
    manifest.write(site)
    (site / "reports" / "2025" / "123456785.html").unlink()
    (site / "index.html").write_text('<a href="reports/2025/123456785.html">R</a>', encoding="utf-8")  # same size
    (site / "reports" / "2025" / "123456785.pdf").write_bytes(b"%PDF")
    (site / "extra.html").write_text("x", encoding="utf-8")
    found = {d.path: d.what for d in manifest.verify(site)}
    assert found.keys() == {"index.html", "reports/2025/123456785.html", "reports/2025/123456785.pdf",
                            "extra.html"}
    assert found["reports/2025/123456785.html"] == "missing"
    assert "SHA-256" in found["index.html"] and "4 bytes, 13 recorded" in found["reports/2025/123456785.pdf"]
    assert found["extra.html"] == "not in the manifest"
    (site / manifest.NAME).unlink()
    assert [d.path for d in manifest.verify(site)] == [manifest.NAME]


def test_verify_command_checks_a_copied_site_and_exits_1_when_anything_differs(tmp_path):
    site = small_site(tmp_path / "site")
    manifest.write(site)
    copy = shutil.copytree(site, tmp_path / "intranet" / "innovasjon")  # only the copied folder is needed
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--site", str(copy)])
    assert ok.exit_code == 0 and "all 3 files match" in ok.stdout
    (copy / "reports" / "2025" / "123456785.pdf").unlink()
    bad = runner.invoke(app, ["verify", "--site", str(copy)])
    assert bad.exit_code == 1
    assert f"{copy}/reports/2025/123456785.pdf: missing" in bad.stdout
    assert "Traceback" not in bad.output
    missing = runner.invoke(app, ["verify", "--site", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such directory" in missing.stderr
