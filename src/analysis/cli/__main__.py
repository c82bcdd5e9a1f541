"""`python -m analysis.cli`: the `innomaal` command."""

from . import app

app()
