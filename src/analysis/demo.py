"""A deterministic, realistic demo dataset in the input layout (`innomaal demo --out data/demo`).

Twelve fictional public bodies (state agencies, municipalities, a county, health trusts) for 2019-2025:
eForms notices (planning, competition, change and result notices, above and below the EEA threshold),
Enhetsregisteret units for their suppliers, ledger lines, survey answers, a gain register, a contract register
with post-contract evaluations, training records, and Regnskapsregisteret responses for the suppliers. Each body
has its own trajectory, so the reports have something to tell: some take up innovation partnerships,
some stall, some buy more from SMEs. Everything follows from the seed.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from .ingest import survey_items
from .io import write_text
from .orgnr import with_check_digit

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
LEGAL_TYPE = {"state": "body-pl-cga", "municipality": "la", "county": "ra", "health": "body-pl-ra",
              "enterprise": "pub-undert", "other": "body-pl"}
CPVS = [("72000000", "IT-tjenester"), ("48000000", "Programvare"), ("45000000", "Bygg og anlegg"),
        ("33100000", "Medisinsk utstyr"), ("90500000", "Avfallstjenester"), ("60100000", "Transport"),
        ("79400000", "Rådgivning"), ("73100000", "Forskning og utvikling"), ("34100000", "Kjøretøy"),
        ("71000000", "Arkitekttjenester"), ("85000000", "Helse- og sosialtjenester"), ("09300000", "Energi")]
NS = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
      'xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1" '
      'xmlns:efbc="http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1" '
      'xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1" '
      'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"')
DOC_NS = {"ContractNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
          "ContractAwardNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
          "PriorInformationNotice": "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"}


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


class Demo:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.registers_rng = random.Random(seed + 1)  # its own stream: the notices stay as they were
        self.bodies = [Body(self.org_nr("9"), *spec) for spec in BODIES]
        self.suppliers = [self.supplier(i) for i in range(160)]
        self.files: dict[str, str] = {}
        self.procedures: list[Procedure] = []

    # ------------------------------------------------------------------ identities
    def org_nr(self, first: str) -> str:
        while True:
            digits = with_check_digit(first + "".join(str(self.rng.randint(0, 9)) for _ in range(7)))
            if digits:
                return digits

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def supplier(self, i: int) -> Supplier:
        rng = self.rng
        employees = rng.choice([rng.randint(1, 9), rng.randint(10, 49), rng.randint(50, 249),
                                rng.randint(250, 4000), None])
        if rng.random() < 0.25:
            founded = date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        else:
            founded = date(rng.randint(1950, 2014), rng.randint(1, 12), rng.randint(1, 28))
        stem = rng.choice(["Nord", "Fjord", "Lys", "Grønn", "Data", "Bygg", "Helse", "Kyst", "Smart", "Berg"])
        tail = rng.choice(["tek", "løsninger", "partner", "systemer", "innovasjon", "drift", "konsult"])
        return Supplier(self.org_nr(rng.choice("89")), f"{stem}{tail} {i:03d}", employees, founded,
                        rng.choice(["AS", "AS", "AS", "ASA", "ENK", "NUF"]))

    # ------------------------------------------------------------------ the dataset
    def write(self, out: Path) -> Path:
        rows = [("org_nr", "name", "org_type", "lang")] + [(b.org_nr, b.name, b.org_type, b.lang)
                                                           for b in self.bodies]
        self.files["organisations.csv"] = _csv(rows)
        for body in self.bodies:
            for year in YEARS:
                self.procurements(body, year)
        self.registry()
        self.spend()
        self.surveys()
        self.gains()
        self.contracts()
        self.satisfaction_goals()
        self.training()
        self.accounts()
        self.commentary()
        for rel, text in sorted(self.files.items()):
            write_text(out / rel, text)
        return out

    def procurements(self, body: Body, year: int) -> None:
        rng = self.rng
        for k in range(max(2, int(rng.gauss(body.size, body.size / 4)))):
            issued = date(year, 1, 1) + timedelta(days=rng.randint(20, 330))
            folder = self.uuid()
            cpv, title = rng.choice(CPVS)
            innovative = rng.random() < body.share(year)
            procedure = (rng.choice(["innovation", "comp-dial", "comp-dial", "neg-w-call"]) if innovative
                         else rng.choice(["open", "open", "open", "restricted", "neg-w-call"]))
            above = rng.random() < (0.55 if body.org_type in ("state", "health") else 0.35)
            buyers = [body] + ([rng.choice([b for b in self.bodies if b is not body])]
                               if rng.random() < 0.06 else [])
            lots = []
            for lot in range(rng.choice([1, 1, 1, 2, 3])):
                codes = []
                if innovative or rng.random() < 0.08:
                    pool = ["mar-nov", "org-nov", "fp-requ", "buy-eff", "proc-innov", "prod-innov"]
                    codes = sorted(set(rng.sample(pool, rng.choice([1, 1, 2]))))
                    if cpv == "73100000" or rng.random() < 0.1:
                        codes.append("rd-act")
                strategic = (["inn-pur"] if codes else []) + (["env-imp"] if rng.random() < 0.3 else [])
                lots.append({"id": f"LOT-{lot + 1:04d}", "cpv": cpv, "innovative": codes, "strategic": strategic,
                             "sme": rng.random() < body.sme + 0.02 * (year - YEARS[0]) if rng.random() < 0.9
                             else None, "variants": rng.choice(["allowed", "not-allowed", "not-allowed"])})
            base = dict(folder=folder, buyers=buyers, cpv=cpv, title=f"{title} {year}-{k + 1:02d}", above=above,
                        procedure=procedure, lots=lots)
            if rng.random() < body.dialogue:
                self.notice("planning", issued - timedelta(days=rng.randint(60, 200)), **base)
            notice_id = self.notice("competition", issued, **base)
            self.procedures.append(Procedure(body, year, folder, issued,
                                             innovative or any(lot["innovative"] for lot in lots)
                                             or procedure in ("innovation", "comp-dial")))
            if rng.random() < 0.08:  # a corrected competition notice: the later version counts
                self.notice("competition", issued + timedelta(days=rng.randint(3, 20)), changes=notice_id, **base)
            if rng.random() < 0.8 and (issued.year < 2025 or issued.month < 8):
                self.notice("result", issued + timedelta(days=rng.randint(40, 120)), body=body, **base)

    def notice(self, kind: str, issued: date, *, folder, buyers, cpv, title, above, procedure, lots,
               changes: str | None = None, body: Body | None = None) -> str:
        rng = self.rng
        notice_id = self.uuid()
        root = {"planning": "PriorInformationNotice", "competition": "ContractNotice",
                "result": "ContractAwardNotice"}[kind]
        if above:
            custom, subtype = "eforms-sdk-1.13#extended#urn:fdc:anskaffelser.no:2023:eforms:eu", \
                {"planning": "4", "competition": "16", "result": "29"}[kind]
        else:
            custom, subtype = "eforms-sdk-1.13#extended#urn:fdc:anskaffelser.no:2026:eforms:national-e", \
                {"planning": "E2", "competition": "E3", "result": "E4"}[kind]
        notice_type = {"planning": "pin-only", "competition": "cn-standard", "result": "can-standard"}[kind]
        orgs, parties = [], []
        for i, buyer in enumerate(buyers):
            ref = f"ORG-{i + 1:04d}"
            written = rng.choice([buyer.org_nr] * 6 + [f"{buyer.org_nr[:3]} {buyer.org_nr[3:6]} {buyer.org_nr[6:]}",
                                                      f"NO{buyer.org_nr}MVA", f"Org.nr. {buyer.org_nr}"])
            orgs.append(_organisation(ref, buyer.name, written))
            parties.append(
                f"<cac:ContractingParty><cac:ContractingPartyType><cbc:PartyTypeCode listName=\"buyer-legal-type\">"
                f"{LEGAL_TYPE[buyer.org_type]}</cbc:PartyTypeCode></cac:ContractingPartyType><cac:Party>"
                f"<cac:PartyIdentification><cbc:ID schemeName=\"organization\">{ref}</cbc:ID>"
                f"</cac:PartyIdentification></cac:Party></cac:ContractingParty>")
        result = ""
        if kind == "result":
            result, winners = self.results(lots, len(orgs))
            orgs += winners
        change = (f"<efac:Changes><efbc:ChangedNoticeIdentifier>{changes}-01</efbc:ChangedNoticeIdentifier>"
                  "<efac:ChangeReason><cbc:ReasonCode listName=\"change-corrig-justification\">update-add"
                  "</cbc:ReasonCode></efac:ChangeReason></efac:Changes>") if changes else ""
        lot_xml = "".join(_lot(lot, kind) for lot in lots)
        procedure_xml = ("" if kind == "planning" else
                         f"<cac:TenderingProcess><cbc:ProcedureCode listName=\"procurement-procedure-type\">"
                         f"{procedure}</cbc:ProcedureCode></cac:TenderingProcess>")
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{DOC_NS[root]}" {NS}>'
            f"<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension>{change}{result}"
            f"<efac:NoticeSubType><cbc:SubTypeCode listName=\"notice-subtype\">{subtype}</cbc:SubTypeCode>"
            f"</efac:NoticeSubType><efac:Organizations>{''.join(orgs)}</efac:Organizations>"
            f"</efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>"
            f"<cbc:UBLVersionID>2.3</cbc:UBLVersionID><cbc:CustomizationID>{custom}</cbc:CustomizationID>"
            f"<cbc:ID schemeName=\"notice-id\">{notice_id}</cbc:ID>"
            f"<cbc:ContractFolderID>{folder}</cbc:ContractFolderID>"
            f"<cbc:IssueDate>{issued.isoformat()}+01:00</cbc:IssueDate><cbc:IssueTime>10:00:00+01:00</cbc:IssueTime>"
            f"<cbc:VersionID>01</cbc:VersionID>"
            f"<cbc:RegulatoryDomain>{'32014L0024' if above else 'other'}</cbc:RegulatoryDomain>"
            f"<cbc:NoticeTypeCode listName=\"{kind}\">{notice_type}</cbc:NoticeTypeCode>"
            f"<cbc:NoticeLanguageCode>NOR</cbc:NoticeLanguageCode>{''.join(parties)}{procedure_xml}"
            f"<cac:ProcurementProject><cbc:Name languageID=\"NOR\">{escape(title)}</cbc:Name>"
            f"<cbc:ProcurementTypeCode listName=\"contract-nature\">services</cbc:ProcurementTypeCode>"
            f"<cac:MainCommodityClassification><cbc:ItemClassificationCode listName=\"cpv\">{cpv}"
            f"</cbc:ItemClassificationCode></cac:MainCommodityClassification></cac:ProcurementProject>"
            f"{lot_xml}</{root}>\n")
        self.files[f"notices/{issued.year}/{issued.isoformat()}-{kind}-{notice_id[:8]}.xml"] = xml
        return notice_id

    def results(self, lots: list[dict], first: int) -> tuple[str, list[str]]:
        rng = self.rng
        parts, tenders, orgs, results = [], [], [], []
        for i, lot in enumerate(lots):
            ref, tpa, ten = f"ORG-{first + i + 1:04d}", f"TPA-{i + 1:04d}", f"TEN-{i + 1:04d}"
            if "winner" in lot:  # pinned by the caller (backtests): (org_nr, size), (tenders, SME tenders)
                (winner, size), (received, sme) = lot["winner"], lot["tenders"]
                supplier = Supplier(winner, f"Leverandør {winner}", None, None, None)
            else:
                supplier = rng.choice(self.suppliers)
                size = None
                if supplier.employees is not None and rng.random() < 0.85:
                    size = ("micro" if supplier.employees < 10 else "small" if supplier.employees < 50
                            else "medium" if supplier.employees < 250 else "large")
                received = rng.randint(1, 9)
                sme = rng.randint(0, received)
            orgs.append(_organisation(ref, supplier.name, supplier.org_nr, size))
            stats = "".join(
                f"<efac:ReceivedSubmissionsStatistics><efbc:StatisticsCode listName=\"received-submission-type\">"
                f"{code}</efbc:StatisticsCode><efbc:StatisticsNumeric>{n}</efbc:StatisticsNumeric>"
                f"</efac:ReceivedSubmissionsStatistics>" for code, n in (("tenders", received), ("t-sme", sme))
                if n is not None)
            results.append(
                f"<efac:LotResult><cbc:ID schemeName=\"result\">RES-{i + 1:04d}</cbc:ID>"
                f"<cbc:TenderResultCode listName=\"winner-selection-status\">selec-w</cbc:TenderResultCode>"
                f"<efac:LotTender><cbc:ID schemeName=\"tender\">{ten}</cbc:ID></efac:LotTender>{stats}"
                f"<efac:TenderLot><cbc:ID schemeName=\"Lot\">{lot['id']}</cbc:ID></efac:TenderLot></efac:LotResult>")
            tenders.append(
                f"<efac:LotTender><cbc:ID schemeName=\"tender\">{ten}</cbc:ID><efac:TenderingParty>"
                f"<cbc:ID schemeName=\"tendering-party\">{tpa}</cbc:ID></efac:TenderingParty><efac:TenderLot>"
                f"<cbc:ID schemeName=\"Lot\">{lot['id']}</cbc:ID></efac:TenderLot></efac:LotTender>")
            parts.append(
                f"<efac:TenderingParty><cbc:ID schemeName=\"tendering-party\">{tpa}</cbc:ID><efac:Tenderer>"
                f"<cbc:ID schemeName=\"organization\">{ref}</cbc:ID></efac:Tenderer></efac:TenderingParty>")
        return f"<efac:NoticeResult>{''.join(results + tenders + parts)}</efac:NoticeResult>", orgs

    def registry(self) -> None:
        units = []
        for s in self.suppliers:
            if self.rng.random() < 0.08:
                continue  # not found in the registry: size and age unknown
            unit = {"organisasjonsnummer": s.org_nr, "navn": s.name.upper(),
                    "organisasjonsform": {"kode": s.org_form, "beskrivelse": s.org_form},
                    "stiftelsesdato": s.founded.isoformat(),
                    "naeringskode1": {"kode": "62.010", "beskrivelse": "Programmeringstjenester"}}
            if s.employees is None:
                unit["harRegistrertAntallAnsatte"] = False
            else:
                unit["antallAnsatte"], unit["harRegistrertAntallAnsatte"] = s.employees, True
            units.append(unit)
        half = len(units) // 2
        self.files["suppliers/enheter-bulk.json"] = json.dumps(units[:half], ensure_ascii=False, indent=1) + "\n"
        page = {"_embedded": {"enheter": units[half:]},
                "page": {"size": len(units) - half, "totalElements": len(units) - half, "totalPages": 1, "number": 0}}
        self.files["suppliers/enheter-search-page1.json"] = json.dumps(page, ensure_ascii=False, indent=1) + "\n"

    def spend(self) -> None:
        rng = self.rng
        for body in self.bodies:
            rows = [("org_nr", "supplier_org_nr", "amount_nok", "invoice_date")]
            for year in YEARS:
                tilt = body.sme + 0.01 * (year - YEARS[0])
                for _ in range(body.size * 12):
                    small = [s for s in self.suppliers if s.employees is not None and s.employees < 250]
                    supplier = rng.choice(small if rng.random() < tilt else self.suppliers)
                    amount = round(rng.lognormvariate(10.5, 1.2), 2) * (-1 if rng.random() < 0.03 else 1)
                    day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                    rows.append((body.org_nr, supplier.org_nr, f"{amount:.2f}", day.isoformat()))
            if body.org_type == "municipality":  # a Norwegian finance-system export: ';' and decimal comma
                rows = [(a, b, c.replace(".", ","), d) for a, b, c, d in rows]
                self.files[f"spend/{body.org_nr}.csv"] = _csv(rows, ";")
            else:
                self.files[f"spend/{body.org_nr}.csv"] = _csv(rows)

    def surveys(self) -> None:
        rng, items = self.rng, survey_items()
        rows = [("org_nr", "year", "respondent_id", "item_id", "value")]
        for body in self.bodies:
            for year in YEARS:
                respondents = rng.randint(3, 6) if body.size < 9 else rng.randint(5, 14)
                level = 2.0 + 6 * body.share(year)
                for r in range(respondents):
                    rid = f"R{year}-{body.org_nr[-4:]}-{r:02d}"
                    for item_id, item in items.items():
                        lo, hi = item["scale"]
                        if rng.random() < 0.05 and item["dont_know"]:
                            value = item["dont_know"][0]
                        elif hi == 1:
                            value = str(int(rng.random() < (0.3 + body.share(year) if item_id.startswith("s")
                                                          else 0.5 - body.share(year) / 2)))
                        else:
                            value = str(min(hi, max(lo, round(rng.gauss(level * hi / 5, 0.8)))))
                        rows.append((body.org_nr, str(year), rid, item_id, value))
        self.files["surveys/anskaffelsesundersokelsen.csv"] = _csv(rows)

    def gains(self) -> None:
        rng = self.rng
        goals = [("goal_id", "org_nr", "text", "indicator_ref", "baseline_value", "baseline_date", "target_value",
                  "target_year", "owner", "risk_likelihood", "risk_consequence", "risk_text")]
        measures = [("measure_id", "goal_id", "description", "start", "end", "cost_nok")]
        impls = [("measure_id", "status", "date", "doffin_ids")]
        effects = [("effect_id", "goal_id", "gain_type", "unit", "planned_value", "realised_value", "date",
                    "evidence")]
        for b, body in enumerate(self.bodies):
            for g in range(1 + b % 3):
                goal_id = f"M{b + 1:02d}-{g + 1}"
                kind = rng.choice(["P4", "G3", "G2-NOK", "E2"])
                words = body.words
                start = rng.choice([2019, 2020, 2021])
                baseline = {"P4": 0.02, "G3": 0.03, "G2-NOK": 0.0, "E2": 0.0}[kind]
                target = {"P4": 0.10, "G3": 0.12, "G2-NOK": 5_000_000, "E2": 800}[kind]
                goals.append((goal_id, body.org_nr, words[kind], kind, str(baseline), f"{start}-01-15", str(target),
                              "2026", rng.choice(words["owners"]), str(rng.randint(1, 5)), str(rng.randint(1, 5)),
                              rng.choice(words["risks"])))
                for m in range(2):
                    mid = f"{goal_id}-T{m + 1}"
                    mstart = date(start + m, 3, 1)
                    measures.append((mid, goal_id, rng.choice(words["measures"]),
                                     mstart.isoformat(), date(start + m + 1, 12, 31).isoformat(),
                                     str(rng.randint(2, 20) * 50_000)))
                    status = "done" if start + m + 1 < 2025 else rng.choice(["ongoing", "planned"])
                    impls.append((mid, status, date(start + m, 6, 1).isoformat(), ""))
                gain_type, unit = {"G2-NOK": ("efficiency", "NOK"), "E2": ("co2e", "tCO2e")}.get(
                    kind, ("efficiency", "NOK"))
                for year in range(start + 1, 2026):
                    planned = (target if kind in ("G2-NOK", "E2") else 1_000_000) / (2026 - start)
                    realised = planned * rng.uniform(0.3, 1.2)
                    effects.append((f"{goal_id}-E{year}", goal_id, gain_type, unit, f"{planned:.0f}",
                                    f"{realised:.0f}", f"{year}-12-31", words["evidence"]))
        self.files["gains/goals.csv"] = _csv(goals)
        self.files["gains/measures.csv"] = _csv(measures)
        self.files["gains/implementations.csv"] = _csv(impls)
        self.files["gains/effects.csv"] = _csv(effects)

    def contracts(self) -> None:
        """Contracts of most procedures, with the organisation's own classification (it flags some that the
        notices do not), and evaluations a year after signing for about half of them."""
        rng = self.registers_rng
        contracts = [("org_nr", "contract_id", "procurement_id", "supplier_org_nr", "signed_date", "standard",
                      "development_phases", "ipr", "scaling", "new_to_market", "new_to_org", "innovation_friendly")]
        evaluations = [("contract_id", "evaluation_date", "score", "respondent_id")]
        yes_no = {True: "ja", False: "nei", None: ""}
        for k, proc in enumerate(self.procedures):
            if rng.random() > (0.95 if proc.flagged else 0.6):
                continue
            body, share = proc.body, proc.body.share(proc.year)
            friendly = proc.flagged or rng.random() < 0.15 + share / 2
            fit = friendly and rng.random() < 0.4 + share
            standard = (rng.choice(["innovasjonspartnerskap", "utviklingskontrakt", "PS2000", "SSA-D"]) if fit
                        else rng.choice(["SSA-T", "SSA-L", "SSA-D", "SSA-O", "other"]))
            provisions = [fit or rng.random() < 0.3 for _ in range(3)]
            provisions = [None if rng.random() < 0.08 else p for p in provisions]  # left empty: unknown
            signed = proc.issued + timedelta(days=rng.randint(60, 150))
            contract_id = f"K-{body.org_nr[-4:]}-{k:05d}"
            contracts.append((body.org_nr, contract_id, proc.folder, rng.choice(self.suppliers).org_nr,
                              signed.isoformat(), standard, *(yes_no[p] for p in provisions),
                              yes_no[friendly and rng.random() < 0.2], yes_no[friendly and rng.random() < 0.6],
                              yes_no[friendly]))
            evaluated = signed + timedelta(days=rng.randint(300, 400))
            if friendly and rng.random() < 0.7 and evaluated.year <= YEARS[-1]:
                for r in range(rng.choice([1, 1, 2, 3])):
                    score = min(5, max(1, round(rng.gauss(3.2 + 2 * share + (0.5 if fit else 0), 0.9))))
                    evaluations.append((contract_id, evaluated.isoformat(), str(score), f"E{r + 1}"))
        self.files["contracts/kontraktsregister.csv"] = _csv(contracts, ";")
        self.files["evaluations/etterevaluering.csv"] = _csv(evaluations)

    def satisfaction_goals(self) -> None:
        """A satisfaction goal, measured by G1 (the post-contract evaluations), for the bodies that evaluate
        the most innovative procurements; the effects chain reads its result from G1."""
        for b in (0, 1, 10):
            body = self.bodies[b]
            words = body.words
            self.files["gains/goals.csv"] += _csv([(
                f"M{b + 1:02d}-S", body.org_nr, words["G1"], "G1", "0.4", "2021-01-15", "0.7", "2026",
                words["owners"][0], "2", "3", words["G1 risk"])])

    def training(self) -> None:
        rng = self.registers_rng
        rows = [("org_nr", "year", "procurement_fte", "trained_fte")]
        for body in self.bodies:
            fte = max(2.0, body.size / 2)
            for year in YEARS:
                trained = min(fte, round(fte * (0.05 + body.share(year) * rng.uniform(0.8, 1.6)) * 2) / 2)
                rows.append((body.org_nr, str(year), f"{fte:.1f}".replace(".", ","),
                             f"{trained:.1f}".replace(".", ",")))
        self.files["training/kompetanse.csv"] = _csv(rows, ";")

    def accounts(self) -> None:
        """One Regnskapsregisteret response per supplier, as the API gives them: filings oldest first, some
        without revenue, one in USD, one financial year ending in May; an empty array; an HTTP 500 body."""
        rng = self.registers_rng
        for k, s in enumerate(self.suppliers):
            path = f"accounts/{s.org_nr}.json"
            if k == 7:
                self.files[path] = json.dumps({"timestamp": "2026-01-05T09:00:00.000+0000", "status": "500",
                                               "error": "Internal Server Error", "message": "An error occurred "
                                               "while processing the request.", "path": f"/regnskapsregisteret/"
                                               f"regnskap/{s.org_nr}", "trace": self.uuid_from(rng)}, indent=2)
                continue
            filings, revenue = [], rng.lognormvariate(16, 1.2)
            for year in range(max(YEARS[0] - 1, s.founded.year + 1), YEARS[-1] + 1):
                revenue *= rng.uniform(0.8, 1.35)
                start, end = (f"{year - 1}-06-01", f"{year}-05-31") if k == 11 else (f"{year}-01-01", f"{year}-12-31")
                income = {} if rng.random() < 0.05 else {"sumDriftsinntekter": float(round(revenue))}
                filings.append({"id": 4_000_000 + 1000 * k + year - 2000, "journalnr": f"{year + 1}{k:06d}",
                                "regnskapstype": "SELSKAP",
                                "virksomhet": {"organisasjonsnummer": s.org_nr, "organisasjonsform": s.org_form,
                                               "morselskap": False},
                                "regnskapsperiode": {"fraDato": start, "tilDato": end},
                                "valuta": "USD" if k == 3 else "NOK", "avviklingsregnskap": False,
                                "resultatregnskapResultat": {"driftsresultat": {"driftsinntekter": income}}})
            self.files[path] = json.dumps(filings if k != 5 else [], ensure_ascii=False, indent=2) + "\n"

    def commentary(self) -> None:
        """The first body's own words in its reports for 2024 and 2025 (commentary/<year>/<org_nr>.md): an
        assessment, notes on two indicators and next steps, which the 2025 report shows again as follow-up."""
        org = self.bodies[0].org_nr
        for year, text in COMMENTARY.items():
            self.files[f"commentary/{year}/{org}.md"] = text

    @staticmethod
    def uuid_from(rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))


COMMENTARY = {
    2024: """---
author: Kari Nordmann, innkjøpssjef
date: 2025-02-14
---
Markedsdialog før konkurransen ble vanligere i 2024, og det ser vi i tallene. Andelen innovasjonsvennlige
prosedyrer er likevel lavere enn målet vårt. Ledergruppen har derfor bestemt at dette skal prioriteres i 2025.

## P2
Økningen skyldes først og fremst to store IT-anskaffelser der vi gjennomførte dialogkonferanser.

## Tiltak
- Innføre markedsdialog i alle anskaffelser over 1,3 mill. kr (innkjøpssjef, 2025-06-30)
- Gi alle innkjøpere opplæring i innovasjonspartnerskap (HR-sjef, 2025-12-31)
""",
    2025: """---
author: Kari Nordmann, innkjøpssjef
date: 2026-02-13
---
Opplæringen i innovasjonspartnerskap er gjennomført, og flere anskaffelser er
**innovasjonsvennlige**. Vi er ikke i mål ennå: gevinstene må følges bedre opp.

## P4
Vi har brukt innovasjonspartnerskap i to anskaffelser. Se [metodesiden](../../metode.html) for hvordan andelen
beregnes.

## Tiltak
- Registrere realiserte gevinster for alle mål hvert kvartal (økonomidirektør, 2026-03-31)
- Evaluere markedsdialogen sammen med leverandørene (innkjøpssjef, 2026-09-30)
""",
}


def _organisation(ref: str, name: str, company_id: str, size: str | None = None) -> str:
    size_xml = f"<efbc:CompanySizeCode listName=\"economic-operator-size\">{size}</efbc:CompanySizeCode>" \
        if size else ""
    return (f"<efac:Organization><efac:Company>{size_xml}<cac:PartyIdentification>"
            f"<cbc:ID schemeName=\"organization\">{ref}</cbc:ID></cac:PartyIdentification><cac:PartyName>"
            f"<cbc:Name languageID=\"NOR\">{escape(name)}</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country>"
            f"<cbc:IdentificationCode listName=\"country\">NOR</cbc:IdentificationCode></cac:Country>"
            f"</cac:PostalAddress><cac:PartyLegalEntity><cbc:CompanyID>{escape(company_id)}</cbc:CompanyID>"
            f"</cac:PartyLegalEntity></efac:Company></efac:Organization>")


def _lot(lot: dict, kind: str) -> str:
    extra = "".join(f"<cac:ProcurementAdditionalType><cbc:ProcurementTypeCode listName=\"{lst}\">{code}"
                    f"</cbc:ProcurementTypeCode></cac:ProcurementAdditionalType>"
                    for lst, codes in (("innovative-acquisition", lot["innovative"]),
                                       ("strategic-procurement", lot["strategic"])) for code in codes)
    sme = ("" if lot["sme"] is None else
           f"<cbc:SMESuitableIndicator>{str(lot['sme']).lower()}</cbc:SMESuitableIndicator>")
    variants = ("" if kind == "planning" or lot["variants"] is None else
                f"<cac:TenderingTerms><cbc:VariantConstraintCode listName=\"permission\">{lot['variants']}"
                f"</cbc:VariantConstraintCode></cac:TenderingTerms>")
    return (f"<cac:ProcurementProjectLot><cbc:ID schemeName=\"Lot\">{lot['id']}</cbc:ID>{variants}"
            f"<cac:ProcurementProject><cbc:Name languageID=\"NOR\">Delkontrakt {lot['id'][-1]}</cbc:Name>"
            f"<cbc:ProcurementTypeCode listName=\"contract-nature\">services</cbc:ProcurementTypeCode>{sme}{extra}"
            f"<cac:MainCommodityClassification><cbc:ItemClassificationCode listName=\"cpv\">{lot['cpv']}"
            f"</cbc:ItemClassificationCode></cac:MainCommodityClassification></cac:ProcurementProject>"
            f"</cac:ProcurementProjectLot>")


def _csv(rows: list[tuple], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def generate(out: Path, seed: int = SEED) -> Path:
    """Writes the demo dataset into `out` (replacing files of the same name) and returns `out`."""
    return Demo(seed).write(out)
