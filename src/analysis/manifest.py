"""The site's manifest, `manifest.json` at its root: the path, size and SHA-256 of every other file.

Render writes it into the staged site, so it travels with the published site and with any copy of it.
A build trusts the published site only as far as it matches its manifest (a missing or altered file is
built again), publish refuses a staged site that does not match it, and `innomaal verify` checks any copy.
It is deterministic (sorted, no times), so two builds of the same inputs stay byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .io import write_text

NAME = "manifest.json"


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _files(site: Path) -> dict[str, Path]:
    """Every file below `site` but the manifest, by its relative POSIX path."""
    found = {f.relative_to(site).as_posix(): f for f in site.rglob("*") if f.is_file()}
    found.pop(NAME, None)
    return dict(sorted(found.items()))


def write(site: Path) -> Path:
    files = [{"path": rel, "size": f.stat().st_size, "sha256": _sha256(f)} for rel, f in _files(site).items()]
    write_text(site / NAME, json.dumps({"files": files}, indent=1) + "\n")
    return site / NAME


@dataclass(frozen=True)
class Difference:
    path: str  # relative to the site root
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def read(site: Path) -> dict[str, dict] | None:
    """The recorded files by path ({path, size, sha256}), or None when the manifest is missing or unreadable."""
    try:
        return {e["path"]: e for e in json.loads((site / NAME).read_text(encoding="utf-8"))["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def verify(site: Path) -> list[Difference]:
    """What differs between `site` and its manifest: files missing, altered or not listed (empty: none)."""
    recorded = read(site)
    if recorded is None:
        return [Difference(NAME, "missing or unreadable: no record of what the site should hold")]
    actual = _files(site) if site.is_dir() else {}
    differences = []
    for rel in sorted(recorded.keys() | actual.keys()):
        entry, f = recorded.get(rel), actual.get(rel)
        if f is None:
            differences.append(Difference(rel, "missing"))
        elif entry is None:
            differences.append(Difference(rel, "not in the manifest"))
        elif (size := f.stat().st_size) != entry["size"]:
            differences.append(Difference(rel, f"altered: {size} bytes, {entry['size']} recorded"))
        elif _sha256(f) != entry["sha256"]:
            differences.append(Difference(rel, "altered: its SHA-256 is not the one recorded"))
    return differences
