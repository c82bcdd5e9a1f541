"""The demo's eForms notices: planning, competition, change and result notices for each body's procurements,
above and below the EEA threshold, written as the Doffin export writes them."""

from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape

from .bodies import YEARS, Body, Procedure, Supplier

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


class Notices:
    """The notices of the dataset, mixed into `Demo` (which holds the random stream, the bodies, suppliers,
    procedures and files these methods read and add to)."""

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


