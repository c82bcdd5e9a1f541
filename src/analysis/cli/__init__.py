"""The `innomaal` command: one subcommand per pipeline stage, and `build` to run them all.

Bad input ends with one line per problem (file, row or element, field) and exit code 2, never a
traceback; a report that fails to execute ends the build with exit code 1 after the rest is published.
Commands that write to the output directory hold its lock (`analysis.lock`): a second build waits, or
with --no-wait exits with code 75. A rendered site with a broken link is not published (exit 3); a file
that cannot be written (disk full, no permission) is named on one line (exit 74).
"""

from __future__ import annotations

import typer

from . import authoring, datasets, readonly, stages

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Innomål: indicators and reports on innovative public procurement (DFØ's framework).\n\n"
                       "Stages: ingest -> compute -> execute -> render -> publish; `build` runs them all.\n\n"
                       "Example: innomaal build --params params/demo.yaml")

# The commands, in the order `innomaal --help` lists them.
for command in (datasets.demo, stages.ingest, stages.compute, stages.execute, stages.render, stages.publish,
                stages.build, datasets.fetch):
    app.command()(command)
app.command("new-analysis")(authoring.new_analysis)
app.command("new-commentary")(authoring.new_commentary)
for command in (datasets.templates, readonly.indicators, readonly.verify, readonly.serve):
    app.command()(command)
