"""The commands that make a dataset: the demo's, one fetched from the public registers, and the workbooks an
organisation fills in with what it supplies itself."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import paths
from ..errors import InputError, Problem
from .common import clean_errors, err, error, out, progress_bars, progress_callback


@clean_errors
def demo(out_dir: Annotated[Path, typer.Option("--out", help="Where to write the dataset.")] = paths.DEMO_DATA,
         seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 20261129):
    """Write the demo dataset (12 fictional public bodies, 2019-2025) in the input layout.

    Example: innomaal demo --out data/demo
    """
    from .. import demo as demo_mod

    demo_mod.generate(out_dir, seed)
    out.print(f"demo dataset written to {out_dir}")


@clean_errors
def fetch(data: Annotated[Path, typer.Option("--data", help="The dataset directory to fetch into (made when absent).")],
          org: Annotated[list[str] | None, typer.Option("--org", help="A body's organisation number (repeat for "
                                                                      "more).")] = None,
          national: Annotated[bool, typer.Option("--national", help="Every notice of the period, of every buyer "
                                                                    "(the national picture).")] = False,
          year_from: Annotated[int | None, typer.Option("--from", help="First year (default: last year).")] = None,
          year_to: Annotated[int | None, typer.Option("--to", help="Last year (default: this year).")] = None,
          sources: Annotated[str, typer.Option(help="What to fetch, comma-separated: doffin (notices), brreg "
                                                    "(Enhetsregisteret units), accounts (Regnskapsregisteret).")]
          = "doffin,brreg,accounts",
          api_key_file: Annotated[Path | None, typer.Option(help="A file holding the Doffin API key (else "
                                                                 "DOFFIN_API_KEY).")] = None,
          rate: Annotated[float, typer.Option(help="Requests a second to each API, at most.")] = 2.0,
          concurrency: Annotated[int, typer.Option(help="Downloads under way at once.")] = 2,
          refresh: Annotated[bool, typer.Option("--refresh", help="Ask the registers again for units and "
                                                                  "accounts already fetched.")] = False):
    """Fetch the public data about bodies into a dataset directory, and make its organisation list.

    Doffin notices (DIR/notices/doffin/<doffinId>.xml), the Enhetsregisteret units of their buyers and
    winners (DIR/suppliers/), the winners' accounts (DIR/accounts/); DIR/organisations.csv is written, or the
    missing bodies are added to it, each typed from the register (docs/real-data.md), and DIR/params.yaml is
    written when absent. Interrupted, it continues where it stopped when run again; a run with nothing new
    fetches nothing. Needs a Doffin API key (free): DOFFIN_API_KEY or --api-key-file.

    Examples: innomaal fetch --data data/nav --org 889640782 --from 2023
              innomaal fetch --data data/norge --national --from 2024 --to 2024
    """
    import datetime

    from .. import fetch as fetch_mod
    from ..fetch.http import Policy
    from ..orgnr import normalise

    today = datetime.date.today()
    chosen = tuple(s.strip() for s in sources.split(",") if s.strip())
    problems = []
    if bad := [s for s in chosen if s not in fetch_mod.SOURCES]:
        problems.append(("--sources", f"{', '.join(bad)}: not a source (choose from {', '.join(fetch_mod.SOURCES)})"))
    orgs = []
    for raw in org or []:
        if (number := normalise(raw)) is None:
            problems.append(("--org", f"{raw!r} is not a valid organisation number (9 digits, MOD11)"))
        else:
            orgs.append(number)
    if not orgs and not national:
        problems.append(("--org", "name a body with --org ORG_NR (or use --national)"))
    first, last = year_from or today.year - 1, year_to or today.year
    if not 2017 <= first <= last <= today.year:
        problems.append(("--from/--to", f"{first}–{last}: the years must run from 2017 (Doffin's first) to "
                                        f"{today.year}, first before last"))
    if rate <= 0 or concurrency < 1:
        problems.append(("--rate/--concurrency", "the rate must be above 0 and the concurrency at least 1"))
    if problems:
        raise InputError([Problem("innomaal fetch", "option", o, m) for o, m in problems])
    doffin_url, brreg_url = fetch_mod.urls()
    key = fetch_mod.read_key(api_key_file) if "doffin" in chosen else None
    request = fetch_mod.Request(data=data, orgs=tuple(sorted(set(orgs))), first=first, last=last, sources=chosen,
                                national=national, refresh=refresh, key=key, today=today,
                                policy=Policy(rate=rate, concurrency=concurrency),
                                doffin_url=doffin_url, brreg_url=brreg_url)
    try:
        with progress_bars() as bar:
            summary = fetch_mod.run(request, lambda what, total: progress_callback(bar, what, total))
    except fetch_mod.KeyRefused as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    except fetch_mod.doffin.SearchFailed as exc:
        error(f"{exc}; what was fetched so far is kept, run the same command again to continue")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted: what was fetched is kept; run the same command again to continue")
        raise typer.Exit(130) from None
    _fetch_summary(summary, data)


def _fetch_summary(summary, data: Path) -> None:
    table = Table(title="Fetched", show_header=True)
    for col in ("source", "asked", "found", "already there", "fetched", "refused"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for t in summary.tallies:
        table.add_row(t.name, str(t.asked), str(t.found), str(t.already), str(t.fetched), str(len(t.refused)))
    out.print(table)
    say = functools.partial(out.print, markup=False, highlight=False, soft_wrap=True)
    for t in summary.tallies:
        for what, why in t.refused:
            say(f"refused: {t.name}: {what}: {why}")
        for note in t.notes:
            say(f"note: {t.name}: {note}")
    if summary.types:
        from ..fetch.orgtypes import RULES

        rules = ", ".join(f"{summary.types[r]} by {r}" for r in RULES if summary.types[r])
        say(f"organisations.csv: {summary.added} added; types: {rules} (rules: docs/real-data.md)")
    for body in summary.untyped:
        say(f"not typed (org_type 'other'; correct it in organisations.csv): {body}")
    if summary.params_written:
        say(f"written: {data / 'params.yaml'}")
    say(f"next: innomaal build --params {data / 'params.yaml'}")


@clean_errors
def templates(out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the workbooks to.")],
              lang: Annotated[str, typer.Option(help="Language of the workbooks: nb, nn or en.")] = "nb"):
    """Write one Excel workbook per source an organisation supplies itself, to fill in: self-evaluation,
    survey answers, gain register, contract register, post-contract evaluations and competence (training).

    Each has an instructions sheet, headers in the chosen language with each column's key in brackets, lists
    of the allowed values and example rows (never read). Put a filled-in workbook in the dataset's folder its
    instructions name (surveys/, gains/, contracts/, evaluations/, training/) and build again.

    Example: innomaal templates --out maler --lang nn
    """
    from .. import i18n, workbooks

    if lang not in i18n.LANGS:
        raise InputError.one("--lang", "option", "lang", f"{lang!r} is not one of {', '.join(i18n.LANGS)}")
    for path in workbooks.write(out_dir, lang):
        out.print(str(path), markup=False, highlight=False)
