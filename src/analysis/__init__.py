"""Innomål: indicators of innovative public procurement, per organisation and year.

The pipeline is a chain of stages, each a module and a CLI subcommand:
ingest -> compute -> execute -> render -> publish.
"""

__version__ = "0.1.0"
