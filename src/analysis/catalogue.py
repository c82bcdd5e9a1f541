"""The indicator catalogue (config/indicators.yaml): the single place where indicators are defined."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import jinja2

from . import paths
from .i18n import LANGS
from .yamlfile import read_yaml

UNITS = ("share", "mean", "count", "nok", "tco2e", "difference")
POLARITIES = ("higher", "lower", "neutral")
COUNTED_UNITS = ("lot", "procedure", "award", "respondent", "goal", "effect", "spend-line", "organisation-year")
ABSENT = ("unknown", "opt-in", "counts-as-no")  # what a unit that does not fill the field means (see indicators.yaml)
PRIVACY = ("persons", "public")  # survey answers are suppressed below min_n; public records never are
SOURCES = ("notices", "surveys", "gains", "contracts", "evaluations", "training", "spend", "suppliers", "accounts")


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str
    title: dict[str, str]
    definition: dict[str, str]
    numerator: dict[str, str]
    denominator: dict[str, str]
    unit: str
    polarity: str
    source: dict[str, str]
    min_n: int | None = None  # privacy: persons only; below it a value is suppressed
    sql: str | None = None
    flags: str | None = None  # one row per unit (org_nr, year, folder_id, lot_id, flag, covered); `sql` counts it
    unavailable: dict[str, str] | None = None
    survey: bool = False
    scale: tuple[int, int] | None = None
    note: dict[str, str] | None = None
    code: str | None = None
    derived_from: str | None = None
    units: str | None = None  # what the indicator counts (COUNTED_UNITS)
    absent: str | None = None  # what a unit that does not fill the field means (ABSENT)
    answered_by: tuple[str, ...] | None = None  # sources that can answer; the SQL then returns `answered_by`
    not_yet: bool = False  # the SQL returns `not_yet`: the units exist, the data answering them cannot yet
    privacy: str | None = None  # persons (suppressed below min_n) or public (never suppressed) (PRIVACY)
    reads: tuple[str, ...] = ()  # the dataset's sources the indicator needs (SOURCES)

    @property
    def persons(self) -> bool:
        """Whether the units are people's answers, whose values are suppressed below the minimum n."""
        return self.privacy == "persons"

    @property
    def computable(self) -> bool:
        return self.sql is not None or self.derived_from is not None

    def public(self) -> dict:
        """The metadata as published (`innomaal indicators --format json`, the method page)."""
        return {k: v for k, v in self.__dict__.items() if v is not None and k not in ("code",)}


@dataclass(frozen=True)
class Catalogue:
    settings: dict
    areas: dict[str, dict[str, str]]
    indicators: tuple[Indicator, ...] = field(default=())

    def __getitem__(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def __contains__(self, indicator_id: object) -> bool:
        return any(ind.id == indicator_id for ind in self.indicators)

    def in_area(self, area: str) -> list[Indicator]:
        return [i for i in self.indicators if i.area == area]

    def render_sql(self, ind: Indicator, sql: str | None = None, **context) -> str:
        """The indicator's SQL (or `sql`, e.g. its flags) with its code and the settings filled in."""
        return sql_env().from_string(sql or ind.sql or "").render(id=ind.id, code=ind.code, settings=self.settings,
                                                                   **context)


def _sqllist(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


@cache
def sql_env() -> jinja2.Environment:
    """Jinja2 for the SQL templates: strict, unescaped, with `sqllist` to quote a list of values."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["sqllist"] = _sqllist
    return env


# A share counted from its units' flags (yes, no, NULL for unknown): yes over yes and no; coverage over all units.
FLAG_SHARE = """SELECT org_nr, year, count(*) FILTER (WHERE flag) AS numerator, count(flag) AS denominator,
       count(flag) AS n, count(*) FILTER (WHERE covered) / count(*) AS coverage
FROM ({flags}) GROUP BY org_nr, year"""


@cache
def load() -> Catalogue:
    raw = read_yaml(paths.CATALOGUE)
    indicators = []
    for entry in raw["indicators"]:
        entry = dict(entry)
        for key in ("scale", "answered_by", "reads"):
            if key in entry:
                entry[key] = tuple(entry[key])
        for key in ("title", "definition", "numerator", "denominator", "unavailable", "source", "note"):
            if key in entry:
                assert set(entry[key]) == set(LANGS), f"{entry['id']}: {key} needs exactly {', '.join(LANGS)}"
                # a setting named in the text ("fewer than {sme_max_employees} employees") is shown as its value
                entry[key] = {lang: text.format_map(raw["settings"]) if "{" in text else text
                              for lang, text in entry[key].items()}
        if "flags" in entry:  # the value is counted from the units' flags: the list and the count are one table
            assert "sql" not in entry, f"{entry['id']}: flags or sql, not both"
            entry["sql"] = FLAG_SHARE.format(flags=entry["flags"].strip())
        ind = Indicator(**entry)
        assert ind.unit in UNITS and ind.polarity in POLARITIES and ind.area in raw["areas"], ind.id
        assert ind.computable or ind.unavailable, f"{ind.id}: needs sql, derived_from or unavailable"
        assert not ind.computable or (ind.units in COUNTED_UNITS and ind.absent in ABSENT), \
            f"{ind.id}: a computable indicator states its units and what absence means"
        assert not ind.computable or (ind.privacy in PRIVACY and ind.reads and set(ind.reads) <= set(SOURCES)), \
            f"{ind.id}: a computable indicator states whether its units are persons and which sources it reads"
        assert (ind.min_n is not None) == ind.persons and (not ind.survey or ind.persons), \
            f"{ind.id}: survey-based indicators are about persons and have a minimum n; public records have none"
        indicators.append(ind)
    assert all(set(titles) == set(LANGS) for titles in raw["areas"].values()), f"areas need {', '.join(LANGS)}"
    ids = [i.id for i in indicators]
    assert len(ids) == len(set(ids)), "duplicate indicator ids"
    return Catalogue(settings=raw["settings"], areas=raw["areas"], indicators=tuple(indicators))
