"""The commands that only read: the indicator catalogue, and a published site's check and preview."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from .common import DEFAULT_PARAMS, ParamsOpt, clean_errors, err, load_params, out


@clean_errors
def indicators(format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
               lang: Annotated[str, typer.Option(help="nb, nn or en.")] = "nb"):
    """Print the indicator catalogue (every indicator with its definition and metadata).

    Examples: innomaal indicators
              innomaal indicators --format json
    """
    from .. import catalogue

    cat = catalogue.load()
    if format == "json":
        sys.stdout.write(json.dumps({"areas": cat.areas, "settings": cat.settings,
                                     "indicators": [i.public() for i in cat.indicators]},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title="Indicator catalogue")
    for col in ("id", "area", "title", "unit", "polarity", "privacy", "min n", "computable"):
        table.add_column(col)
    for i in cat.indicators:
        table.add_row(i.id, i.area, i.title[lang], i.unit, i.polarity, i.privacy or "–",
                      str(i.min_n) if i.persons else "–", "yes" if i.computable else "no")
    out.print(table)


@clean_errors
def verify(params_file: ParamsOpt = DEFAULT_PARAMS,
           site: Annotated[Path | None, typer.Option(help="A published site or a copy of it (default: the "
                                                          "params' output/site).")] = None):
    """Check a published site against its manifest.json: list every file missing, altered or not listed.

    Exit code 0 when the site matches, 1 when anything differs. Read-only: it does not wait for a build.

    Examples: innomaal verify
              innomaal verify --site /var/www/innovasjon
    """
    from .. import manifest, pipeline

    site = site if site is not None else pipeline.build_paths(load_params(params_file)).site
    if not site.is_dir():
        raise InputError.one(site, "directory", "site", "no such directory")
    differences = manifest.verify(site)
    for d in differences:
        out.print(f"{site / d.path}: {d.what}", markup=False, highlight=False, soft_wrap=True)
    if differences:
        err.print(f"{len(differences)} difference(s) from {site / manifest.NAME}", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    files = len(manifest.read(site))
    out.print(f"{site}: all {files} files match {manifest.NAME}", markup=False, highlight=False, soft_wrap=True)


@clean_errors
def serve(params_file: ParamsOpt = DEFAULT_PARAMS,
          port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000):
    """Preview the published site on http://127.0.0.1:PORT (local only).

    Example: innomaal serve --port 8000
    """
    import http.server

    from .. import pipeline

    site = pipeline.build_paths(load_params(params_file)).site
    if not (site / "index.html").is_file():
        raise InputError.one(site, "directory", "index.html", "no published site (run build first)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        out.print(f"serving {site} on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        httpd.serve_forever()
