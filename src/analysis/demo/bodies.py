"""The demo's cast: twelve fictional public bodies with their trajectories, their own words for the gain
register, and the suppliers and procedures the demo makes for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

YEARS = tuple(range(2019, 2026))
SEED = 20261129

# name, org_type, size (notices a year), innovation start share, yearly change, SME tilt, dialogue share,
# report language ("": the params' language)
BODIES = [
    ("Direktoratet for fornyelse", "state", 14, 0.10, +0.030, 0.55, 0.45, ""),
    ("Statens vegvesen demo", "state", 22, 0.04, +0.010, 0.40, 0.30, ""),
    ("Havforskningsetaten", "state", 9, 0.12, -0.010, 0.50, 0.50, "nn"),
    ("Statens innkjøpssenter demo", "state", 16, 0.02, +0.000, 0.35, 0.20, ""),
    ("Nordvik kommune", "municipality", 12, 0.03, +0.025, 0.65, 0.35, ""),
    ("Fjellstad kommune", "municipality", 8, 0.02, +0.005, 0.70, 0.15, ""),
    ("Havdal kommune", "municipality", 10, 0.06, -0.005, 0.60, 0.25, "nn"),
    ("Solbakken kommune", "municipality", 6, 0.01, +0.015, 0.75, 0.10, ""),
    ("Midtdal fylkeskommune", "county", 13, 0.05, +0.020, 0.50, 0.40, ""),
    ("Vestkyst fylkeskommune", "county", 11, 0.03, +0.000, 0.55, 0.25, ""),
    ("Helse Nordvest HF", "health", 18, 0.06, +0.015, 0.35, 0.35, "en"),
    ("Sykehuset Innlandsfjord HF", "health", 12, 0.04, +0.005, 0.40, 0.20, ""),
]
# The bodies' own words in their gain registers, in each body's language (data, not the program's text):
# goal texts by kind, owners, risks, measures and the evidence of an effect.
WORDS = {
    "nb": {"P4": "Øke bruken av innovasjonsvennlige prosedyrer",
           "G3": "Flere anskaffelser som er nye for markedet",
           "G2-NOK": "Realisere gevinster fra innovative anskaffelser",
           "E2": "Redusere klimagassutslipp gjennom innovative anskaffelser",
           "G1": "Høyere tilfredshet med innovative anskaffelser",
           "owners": ("Innkjøpssjef", "Direktør for digitalisering", ""),
           "risks": ("Umodent marked", "Manglende kapasitet", "Budsjettusikkerhet"),
           "G1 risk": "Løsningene dekker ikke behovet",
           "measures": ("Markedsdialog før konkurranse", "Opplæring i innovasjonspartnerskap",
                        "Ny kontraktsmal for utviklingsfaser", "Behovskartlegging med brukerne"),
           "evidence": "Årsrapport"},
    "nn": {"P4": "Auke bruken av innovasjonsvenlege prosedyrar",
           "G3": "Fleire anskaffingar som er nye for marknaden",
           "G2-NOK": "Realisere gevinstar frå innovative anskaffingar",
           "E2": "Redusere klimagassutslepp gjennom innovative anskaffingar",
           "G1": "Høgare nøgdheit med innovative anskaffingar",
           "owners": ("Innkjøpssjef", "Direktør for digitalisering", ""),
           "risks": ("Umoden marknad", "Manglande kapasitet", "Usikre budsjett"),
           "G1 risk": "Løysingane dekkjer ikkje behovet",
           "measures": ("Marknadsdialog før konkurransen", "Opplæring i innovasjonspartnarskap",
                        "Ny kontraktsmal for utviklingsfasar", "Behovskartlegging saman med brukarane"),
           "evidence": "Årsmelding"},
    "en": {"P4": "Use more innovation-friendly procedures",
           "G3": "More procurements that are new to the market",
           "G2-NOK": "Realise gains from innovative procurement",
           "E2": "Cut greenhouse gas emissions through innovative procurement",
           "G1": "Higher satisfaction with innovative procurement",
           "owners": ("Head of procurement", "Director of digitalisation", ""),
           "risks": ("Immature market", "Lack of capacity", "Budget uncertainty"),
           "G1 risk": "The solutions do not meet the need",
           "measures": ("Market dialogue before the competition", "Training in innovation partnerships",
                        "New contract template for development phases", "Mapping needs with the users"),
           "evidence": "Annual report"},
}


@dataclass
class Body:
    org_nr: str
    name: str
    org_type: str
    size: int
    innovation: float
    trend: float
    sme: float
    dialogue: float
    lang: str = ""  # the report's language, "" for the params' language

    @property
    def words(self) -> dict:
        return WORDS[self.lang or "nb"]

    def share(self, year: int) -> float:
        return max(0.0, min(0.6, self.innovation + self.trend * (year - YEARS[0])))


@dataclass
class Supplier:
    org_nr: str
    name: str
    employees: int | None
    founded: date
    org_form: str


@dataclass
class Procedure:
    body: Body
    year: int
    folder: str
    issued: date
    flagged: bool  # innovation-flagged in its notice
