"""Provenance of a build: what went in (input files with SHA-256), which code (git commit and whether the
working tree was dirty), with which parameters and package versions, and which renderer made the site.

It is written as `provenance.json` at the site root and linked from every report. Nothing in it depends
on the time or the machine's paths outside the project, so the same inputs give the same file.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from . import paths
from .filehash import hashes_below
from .filehash import sha256 as sha256  # re-exported: the hash provenance.json lists
from .params import Params

PACKAGES = ("innomaal", "pandas", "duckdb", "pandera", "pyarrow", "lxml", "papermill", "nbclient", "nbformat",
            "matplotlib", "seaborn", "jinja2", "babel", "typst", "openpyxl", "markdown-it-py")


def inputs(data: Path) -> list[dict]:
    """Every file of the dataset directory, relative to it, with its size and SHA-256."""
    return [{"path": f, "bytes": os.stat(os.path.join(data, f)).st_size, "sha256": digest}
            for f, digest in hashes_below(data).items()]


def code_version(root: Path = paths.ROOT) -> dict:
    """The git commit of the project and whether tracked files had uncommitted changes."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "unknown", "dirty": None if dirty is None else bool(dirty)}


def packages() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def collect(p: Params, renderer: str, reports: list[tuple[str, str]],
            keys: dict[tuple[str, str], str] | None = None) -> dict:
    """The provenance record of a build of `reports` ((year, org_nr) pairs) with params `p`. How the work
    was spread (executor, scheduler, workers) is left out: it does not change a byte of the site."""
    parameters = {k: v for k, v in p.as_dict().items() if k not in ("executor", "scheduler", "workers")}
    return {
        "inputs": {"directory": parameters["data"], "files": inputs(p.data)},
        "code": code_version(),
        "parameters": {"file": p.source or None, **parameters},
        "renderer": renderer,
        "python": platform.python_version(),
        "packages": packages(),
        "reports": [{"year": year, "org_nr": org_nr, **({"key": keys[(year, org_nr)]} if keys else {})}
                    for year, org_nr in reports],
    }
