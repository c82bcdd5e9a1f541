"""Reading the project's YAML files (the indicator catalogue, code lists, survey items, the analysis
registry). A module of its own, so that the notice parser's cache key (ingest.notice_cache.PARSER_CODE)
covers this and not the writing helpers in `io`."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path):
    """A YAML file as `yaml.safe_load` reads it, through libyaml when PyYAML has it (ten times as fast: the
    indicator catalogue and the code lists are read by every process of a build)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
