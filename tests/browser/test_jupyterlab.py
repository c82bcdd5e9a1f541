"""JupyterLab as an analyst uses it: `make lab` (127.0.0.1, a token) on a temporary copy of the notebooks,
the report notebook opened and run top to bottom in Chromium, its headings shown and no error output.
The server is stopped at the end whatever happens."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import lxml.html
import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from analysis import paths
from tests.conftest import report_pages

pytestmark = pytest.mark.browser
WAIT = 180  # seconds, for each step below


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(demo_build, tmp_path):
    """`make lab` serving a copy of notebooks/ whose report points at the demo build; yields (url, folder)."""
    p, _ = demo_build
    folder = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, folder)
    report = nbformat.read(folder / "report.ipynb", as_version=4)
    params = next(c for c in report.cells if "parameters" in c.metadata.get("tags", []))
    org, year = report_pages(p.output / "site")[0].stem, report_pages(p.output / "site")[0].parent.name
    params.source = f'org_nr = "{org}"\nyear = "{year}"\nlang = "nb"\nbuild_dir = {str(p.output)!r}\n'
    nbformat.write(report, folder / "report.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path / "jupyter"
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    root = " --allow-root" if os.geteuid() == 0 else ""  # as in CI containers
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(["make", "-s", "-C", str(paths.ROOT), "lab", f"LAB_DIR={folder}", f"LAB_PORT={port}",
                               f"LAB_ARGS=--no-browser --ServerApp.port_retries=0{root}"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            assert server.poll() is None, (tmp_path / "lab.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start in time"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", token, p
    finally:
        stop(server)
        log.close()


def stop(server: subprocess.Popen) -> None:
    """Ends make and the server it started (their own process group, by its id)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


def test_report_notebook_runs_in_jupyterlab(browser, lab):
    base, token, p = lab
    context = browser.new_context()
    outside = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.set_default_timeout(WAIT * 1000)
    try:
        page.goto(f"{base}/lab/tree/report.ipynb?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell")
        try:  # JupyterLab may ask which kernel to start; the project's is preselected, as an analyst sees it
            page.locator(".jp-Dialog .jp-mod-accept").click(timeout=15_000)
        except PlaywrightTimeout:
            pass
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        page.wait_for_function("""() => {
            const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""")
        shown = [re.sub(r"\s+", " ", h).strip(" ¶") for h in page.locator(
            ".jp-NotebookPanel .jp-OutputArea h1, .jp-NotebookPanel .jp-OutputArea h2").all_text_contents()]
        errors = page.locator(".jp-NotebookPanel [data-mime-type='application/vnd.jupyter.stderr']").count()
    finally:
        context.close()
    published = report_pages(p.output / "site")[0]
    expected = [re.sub(r"\s+", " ", h.text_content()).strip()
                for h in lxml.html.parse(str(published)).xpath("//article[@class='report']//*[self::h1 or self::h2]")]
    assert len(expected) >= 5 and shown == expected  # the report's headings, as on the published page
    assert errors == 0
    assert outside == []
