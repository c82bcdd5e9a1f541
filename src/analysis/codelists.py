"""The eForms codelists the loaders accept (EU and DFØ codes alike), with their labels."""

from __future__ import annotations

from functools import cache

from . import paths
from .yamlfile import read_yaml


@cache
def codelists() -> dict[str, dict[str, dict[str, str]]]:
    return read_yaml(paths.CODELISTS)


def codes(name: str) -> frozenset[str]:
    return frozenset(codelists()[name])


def label(name: str, code: str, lang: str = "nb") -> str:
    """A code's label; the codelists carry nb and en, so nynorsk reads the bokmål label (codelist labels are
    not shown in reports)."""
    entry = codelists().get(name, {}).get(code)
    return entry.get(lang) or entry["nb"] if entry else code
