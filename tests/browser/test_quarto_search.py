"""Quarto's full-text site search as an intranet user meets it: the Quarto site served over HTTP (search.json
is fetched, which a file:// page cannot), a name typed into the search box, and the organisation's report
offered, with nothing requested outside the server. Skipped, saying so, where Quarto is not installed."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path


def serve(site: Path) -> tuple[subprocess.Popen, int]:
    """A plain HTTP server on a free local port with `site` as its root."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the HTTP server did not start")


def test_search_finds_an_organisations_report_when_served_over_http(quarto_build, browser):
    entries = json.loads((quarto_build / "search.json").read_text(encoding="utf-8"))
    report = next(e for e in entries if e["href"].startswith("reports/") and e["href"].split("/")[-1][0].isdigit())
    name = report["title"].rsplit(" ", 1)[0]  # "<organisation> <year>"
    server, port = serve(quarto_build)
    origin = f"http://127.0.0.1:{port}/"
    context = browser.new_context()
    outside = []

    def guard(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        context.route("**/*", guard)
        page = context.new_page()
        page.goto(origin + "index.html")
        page.locator("#quarto-search button, #quarto-search .aa-DetachedSearchButton").first.click()
        box = page.locator("input.aa-Input")
        box.fill(name)
        found = page.locator(".aa-Item a, a.search-result-link")
        found.first.wait_for(timeout=30_000)
        hrefs = found.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any(report["href"].split("#")[0] in (h or "") for h in hrefs), (name, hrefs)
        assert outside == []
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
