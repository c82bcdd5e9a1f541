"""The analyst's tooling: the pre-commit configuration strips notebook outputs with local hooks only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

from analysis import paths

BIN = Path(sys.executable).parent


def test_pre_commit_uses_local_hooks_only():
    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    assert {"nbstripout", "ruff"} <= {h["id"] for r in config["repos"] for h in r["hooks"]}


def test_pre_commit_strips_outputs_from_a_notebook_with_outputs(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    shutil.copyfile(paths.ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 3
    nb.cells = [cell]
    nbformat.write(nb, repo / "analysis.ipynb")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    done = subprocess.run([str(BIN / "pre-commit"), "run", "nbstripout", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "files were modified by this hook" in done.stdout  # it changed the file
    stripped = json.loads((repo / "analysis.ipynb").read_text(encoding="utf-8"))
    assert stripped["cells"][0]["outputs"] == [] and stripped["cells"][0]["execution_count"] is None
    again = subprocess.run([str(BIN / "pre-commit"), "run", "nbstripout", "--all-files"], cwd=repo, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0  # clean now


def test_ruff_passes_on_the_code_and_the_notebooks():
    done = subprocess.run([str(BIN / "ruff"), "check", "src", "tests", "notebooks", "benchmarks"], cwd=paths.ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
