"""Build parameters from a YAML file, read strictly.

YAML 1.1 turns `0301` into 193 and `NO` into False. Params are therefore read with PyYAML's BaseLoader,
which keeps every scalar a string, and each key is converted and checked here. Unknown keys are errors.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from . import paths
from .errors import InputError, Problem
from .i18n import LANGS
from .orgnr import normalise

RENDERERS = ("auto", "builtin", "quarto")
ENGINES = ("warm", "papermill")
EXECUTORS = ("local", "dask")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Params:
    data: Path
    output: Path
    title: str | dict[str, str] = "Innomål"  # one for every language, or one per language ({nb: …, nn: …})
    years: tuple[str, ...] | None = None  # None: every year in the data
    orgs: tuple[str, ...] | None = None  # None: every organisation in the data
    lang: str = "nb"
    min_n: int = 5
    baseline_year: str | None = None  # None: the first year in the data
    renderer: str = "auto"
    engine: str = "warm"
    executor: str = "local"
    scheduler: str | None = None
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    demo: bool = False  # generate the demo dataset into `data` when it is absent
    strict: bool = False  # any refused third-party file or record, or an image without alt text, is an error
    deck_template: Path | None = None  # a body's own .pptx whose slide layouts the decks use by name (None: ours)
    source: str = ""  # the params file itself, for provenance

    def as_dict(self) -> dict:
        d = asdict(self)
        d["data"], d["output"] = _rel(self.data), _rel(self.output)
        d["deck_template"] = _rel(self.deck_template) if self.deck_template else None
        d.pop("source")
        return d


def title_in(title: str | dict[str, str], lang: str, default: str) -> str:
    """The site's title in a page's language: the params' one title, or its title for `lang`, else for the
    site's language `default`, else the first given."""
    if isinstance(title, str):
        return title
    return title.get(lang) or title.get(default) or next(iter(title.values()))


def _rel(p: Path) -> str:
    try:
        return str(p.relative_to(paths.ROOT))
    except ValueError:
        return str(p)


def load(path: str | Path, **overrides: object) -> Params:
    """Reads and validates a params file; `overrides` (CLI options) win over the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError.one(path, "file", "params", "no such params file")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise InputError.one(path, where, "yaml", str(getattr(exc, "problem", exc))) from None
    if not isinstance(raw, dict):
        raise InputError.one(path, "file", "params", "must be a mapping of keys to values")
    raw.update({k: v for k, v in overrides.items() if v is not None})
    return parse(raw, path)


def parse(raw: dict, path: Path | str = "<params>") -> Params:
    problems: list[Problem] = []
    known = set(Params.__dataclass_fields__) - {"source"}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(str(path), f"key {key}", key, message))

    for key in raw:
        if key not in known:
            bad(key, f"unknown key (known: {', '.join(sorted(known))})")
    values: dict = {"source": str(path)}
    for key in ("data", "output"):
        if key not in raw and key == "data":
            bad(key, "required")
        elif key in raw:
            values[key] = _path(raw[key])
    values.setdefault("output", paths.OUTPUT)
    if "title" in raw:
        title = raw["title"]
        if isinstance(title, dict):
            unknown = [k for k in title if k not in LANGS]
            if unknown or not title or not all(isinstance(v, str) for v in title.values()):
                bad("title", f"one text, or one text per language ({', '.join(LANGS)})")
            else:
                values["title"] = {k: title[k] for k in LANGS if k in title}
        elif isinstance(title, list):
            bad("title", f"one text, or one text per language ({', '.join(LANGS)})")
        else:
            values["title"] = str(title)
    for key, check in (("years", _year), ("orgs", _org)):
        if key in raw and raw[key] != "all":
            items = raw[key] if isinstance(raw[key], list) else [raw[key]]
            cleaned = []
            for item in items:
                ok = check(str(item))
                if ok is None:
                    bad(key, f"{item!r} is not a valid {key[:-1]}")
                else:
                    cleaned.append(ok)
            values[key] = tuple(sorted(set(cleaned)))
    for key, choices in (("lang", LANGS), ("renderer", RENDERERS), ("engine", ENGINES),
                         ("executor", EXECUTORS)):
        if key in raw:
            if raw[key] not in choices:
                bad(key, f"{raw[key]!r} is not one of {', '.join(choices)}")
            else:
                values[key] = raw[key]
    for key in ("min_n", "workers"):
        if key in raw and not (key == "workers" and raw[key] == "auto"):
            if not str(raw[key]).isdigit() or int(raw[key]) < 1:
                bad(key, f"{raw[key]!r} is not a whole number of at least 1")
            else:
                values[key] = int(raw[key])
    if "baseline_year" in raw:
        if _year(str(raw["baseline_year"])) is None:
            bad("baseline_year", f"{raw['baseline_year']!r} is not a year")
        else:
            values["baseline_year"] = str(raw["baseline_year"])
    if "deck_template" in raw:
        template = _path(str(raw["deck_template"]))
        if template.suffix.lower() != ".pptx" or not template.is_file():
            bad("deck_template", f"{raw['deck_template']!r} is not a .pptx file")
        else:
            values["deck_template"] = template
    if "scheduler" in raw:
        values["scheduler"] = str(raw["scheduler"])
    for key in ("demo", "strict"):
        if key in raw:
            if str(raw[key]).lower() not in ("true", "false"):
                bad(key, f"{raw[key]!r} is not true or false")
            else:
                values[key] = str(raw[key]).lower() == "true"
    if problems:
        raise InputError(problems)
    return Params(**values)


def _path(value: str) -> Path:
    p = Path(value)
    return (p if p.is_absolute() else paths.ROOT / p).resolve()


def _year(value: str) -> str | None:
    return value if _YEAR.match(value) else None


def _org(value: str) -> str | None:
    return normalise(value) if value.isdigit() and len(value) == 9 else None
