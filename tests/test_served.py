"""The published site works on a real intranet as it is: its files are readable by a web server running as
another user (0644 files and 0755 folders under the usual umask), with no chmod after the build."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from analysis import pipeline
from tests.conftest import report_pages

SERVER_PYTHON = "/usr/bin/python3"  # the system's Python: another user cannot reach the venv's under /root


def _umask() -> int:
    """This process's umask, as the kernel reports it (Linux)."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line.split()[1] for line in status if line.startswith("Umask:")), 8)


def test_published_files_and_folders_get_the_modes_the_umask_allows(rendered_site):
    site = rendered_site
    umask = _umask()
    wrong = [(f.relative_to(site).as_posix(), oct(stat.S_IMODE(f.stat().st_mode)))
             for f in [site, *site.rglob("*")]
             if stat.S_IMODE(f.stat().st_mode) != (0o777 if f.is_dir() else 0o666) & ~umask]
    assert not wrong, wrong[:10]
    assert umask & 0o044 or all(stat.S_IMODE(f.stat().st_mode) & 0o004 for f in site.rglob("*"))  # others read


def test_atomic_write_respects_a_stricter_umask(tmp_path):
    """Under umask 027 a written file is 0640 and a new folder 0750: never wider than the umask allows."""
    code = ("import os, sys; os.umask(0o027); from pathlib import Path; from analysis import io; "
            "io.write_text(Path(sys.argv[1]) / 'sub' / 'page.html', 'x')")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    assert stat.S_IMODE((tmp_path / "sub" / "page.html").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "sub").stat().st_mode) == 0o750


def _nobody_can_serve() -> str | None:
    """Why a web server cannot be run here as another user, or None when it can."""
    if os.geteuid() != 0:
        return "not root: the server cannot be started as another user (CI runs the tests as root)"
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "there is no user 'nobody'"
    if not os.access(SERVER_PYTHON, os.X_OK):
        return f"{SERVER_PYTHON} is not installed"
    return None


def _one(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"no {pattern} in the published site"
    return found[0].relative_to(site).as_posix()


def test_a_web_server_running_as_another_user_serves_a_copy_of_the_site(demo_build):
    why = _nobody_can_serve()
    if why:
        pytest.skip(why)
    p, _ = demo_build
    site = pipeline.build_paths(p).site
    report = report_pages(site, "2025")[0]
    analyses = sorted(f for f in report.parent.glob("*.html") if not f.stem.isdigit())
    assert analyses, "no analysis page beside the reports"
    pages = ["index.html", report.relative_to(site).as_posix(), analyses[0].relative_to(site).as_posix(),
             _one(site, "virksomheter/*.html"), _one(site, "oversikt/*.html"), "metode.html",
             "tilgjengelighet.html", _one(site, "reports/*/*.pdf"), _one(site, "reports/**/*.svg"),
             _one(site, "**/*.css"), "provenance.json"]
    nobody = pwd.getpwnam("nobody")
    root = Path(tempfile.mkdtemp(prefix="innomaal-served-", dir="/tmp"))  # pytest's tmp_path is 0700
    server = None
    try:
        root.chmod(0o755)  # the test's own container; the site inside keeps the modes the build gave it
        subprocess.run(["cp", "-a", str(site), str(root / "site")], check=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups", SERVER_PYTHON,
             "-I", "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root / "site")],
            cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, "the web server stopped"
        uid = next(line.split()[1] for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                   if line.startswith("Uid:"))
        assert int(uid) == nobody.pw_uid != 0
        answers = {}
        for rel in pages:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{rel}", timeout=10) as r:
                    answers[rel] = (r.status, r.read() == (site / rel).read_bytes())
            except urllib.error.HTTPError as e:
                answers[rel] = (e.code, False)
        assert answers == {rel: (200, True) for rel in pages}
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
