"""eForms notices (UBL XML): EU subtypes, Norwegian national E1-E4 and cloned N-subtypes.

Each file becomes one `Notice`: its identity and dates, buyers, lots with the innovation and SME
fields, and lot results with winners and received-tender statistics. Natural-person fields (contact
names, e-mails, phones) are never read. Parsing is hardened: no DTD, no entity expansion, no network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import thresholds
from ..codelists import codes
from ..errors import InputError
from ..orgnr import normalise
from .csvfiles import parse_number

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
ROOTS = {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"}
# Notice subtypes: EU 1–40 and X01–X02, national E1–E6, and Doffin's cloned N-subtypes of EU forms.
SUBTYPES = ({str(i) for i in range(1, 41)} | {"X01", "X02"} | {f"E{i}" for i in range(1, 7)}
            | {f"N{i}" for i in range(1, 41)})
NORWEGIAN = "urn:fdc:anskaffelser.no"
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


@dataclass
class Lot:
    lot_id: str
    main_cpv: str | None
    sme_suitable: bool | None  # BT-726
    strategic: list[str]  # BT-06
    innovative: list[str]  # BT-776
    variants: str | None  # BT-63


@dataclass
class Award:
    lot_id: str
    winner_raw: str | None  # BT-501 of the winner, as written
    winner_org_nr: str | None  # normalised, None when foreign or invalid
    winner_size: str | None  # BT-165


@dataclass
class Submissions:
    lot_id: str
    code: str  # BT-760
    count: int  # BT-759


@dataclass
class Buyer:
    raw_id: str | None
    org_nr: str | None
    legal_type: str | None  # BT-11


@dataclass
class Notice:
    source: str
    notice_id: str
    version: str
    folder_id: str
    subtype: str
    form_type: str  # planning | competition | result | dir-awa-pre | cont-modif | consultation ...
    notice_type: str
    issue_date: str  # ISO date (BT-05), local to the notice's offset
    customization: str
    above_eea: bool | None  # None: the notice does not say, and no threshold could be applied
    procedure_type: str | None  # BT-105
    main_cpv: str | None  # BT-262
    changed_notice: str | None  # a change notice names the notice version it changes
    buyers: list[Buyer] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    submissions: list[Submissions] = field(default_factory=list)
    unknown_codes: list[tuple[str, str]] = field(default_factory=list)  # (codelist, code)

    @property
    def year(self) -> str:
        return self.issue_date[:4]


def parse_file(path: str | Path) -> Notice:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.one(path, "file", "xml", f"cannot be read ({exc.strerror})") from None
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, source: str) -> Notice:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InputError.one(source, "document", "DOCTYPE", "a DOCTYPE or entity declaration is not allowed")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise InputError.one(source, f"line {line}", "xml", f"malformed XML ({exc.msg})") from None
    return _Reader(root, source).notice()


class _Reader:
    def __init__(self, root: etree._Element, source: str):
        self.root, self.source = root, source
        self.name = etree.QName(root).localname
        self.unknown: list[tuple[str, str]] = []

    def fail(self, element: str, message: str) -> InputError:
        return InputError.one(self.source, f"element /{self.name}/{element}", element.split("/")[-1],
                              message)

    def text(self, xpath: str, node=None) -> str | None:
        found = (self.root if node is None else node).xpath(xpath, namespaces=NS)
        if not found:
            return None
        value = found[0] if isinstance(found[0], str) else found[0].text
        value = (value or "").strip()
        return value or None

    def texts(self, xpath: str, node=None) -> list[str]:
        return [(e.text or "").strip() for e in (self.root if node is None else node).xpath(xpath, namespaces=NS)
                if (e.text or "").strip()]

    def required(self, xpath: str) -> str:
        value = self.text(xpath)
        if value is None:
            raise self.fail(xpath, "required element is missing or empty")
        return value

    def coded(self, listname: str, values: list[str]) -> list[str]:
        known = codes(listname)
        for v in values:
            if v not in known:
                self.unknown.append((listname, v))
        return values

    def notice(self) -> Notice:
        if self.name not in ROOTS:
            raise InputError.one(self.source, f"element /{self.name}", "root",
                                 f"not an eForms notice (root must be one of {', '.join(sorted(ROOTS))})")
        subtype = self.required(f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode")
        if subtype not in SUBTYPES:
            self.unknown.append(("notice-subtype", subtype))
        notice_id = self.required("cbc:ID[@schemeName='notice-id']")
        issue = self.required("cbc:IssueDate")
        if len(issue) < 10 or not issue[:4].isdigit():
            raise self.fail("cbc:IssueDate", f"{issue!r} is not a date")
        type_el = self.root.find("cbc:NoticeTypeCode", NS)
        if type_el is None or not (type_el.text or "").strip():
            raise self.fail("cbc:NoticeTypeCode", "required element is missing or empty")
        customization = self.required("cbc:CustomizationID")
        procedure = self.text("cac:TenderingProcess/cbc:ProcedureCode")
        if procedure:
            self.coded("procurement-procedure-type", [procedure])
        orgs = self._organisations()
        buyers = self._buyers(orgs)
        above = _above_eea(customization, subtype)
        if above is None:
            above = self._above_by_value(issue[:10], buyers)
        return Notice(
            source=self.source,
            notice_id=notice_id,
            version=self.text("cbc:VersionID") or "01",
            folder_id=self.text("cbc:ContractFolderID") or notice_id,  # BT-04 is optional in PINs
            subtype=subtype,
            form_type=type_el.get("listName") or "",
            notice_type=type_el.text.strip(),
            issue_date=issue[:10],
            customization=customization,
            above_eea=above,
            procedure_type=procedure,
            main_cpv=self.text("cac:ProcurementProject/cac:MainCommodityClassification/"
                               "cbc:ItemClassificationCode"),
            changed_notice=self.text(f"{EXT}/efac:Changes/efbc:ChangedNoticeIdentifier"),
            buyers=buyers,
            lots=self._lots(),
            **self._results(orgs),
            unknown_codes=self.unknown,
        )

    def _above_by_value(self, day: str, buyers: list[Buyer]) -> bool | None:
        """Fallback: the estimated value (BT-27) against the dated threshold table."""
        amount = self.root.find("cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount",
                                NS)
        if amount is None or not (amount.text or "").strip():
            return None
        buyer = thresholds.buyer_type(buyers[0].legal_type if buyers else None, self.text("cbc:RegulatoryDomain"))
        return thresholds.above(parse_number(amount.text.strip()), amount.get("currencyID"), day, buyer,
                                self.text("cac:ProcurementProject/cbc:ProcurementTypeCode"))

    def _organisations(self) -> dict[str, dict]:
        orgs = {}
        for org in self.root.xpath(f"{EXT}/efac:Organizations/efac:Organization", namespaces=NS):
            company = org.find("efac:Company", NS)
            if company is None:
                continue
            org_id = self.text("cac:PartyIdentification/cbc:ID", company)
            if org_id:
                raw = self.text("cac:PartyLegalEntity/cbc:CompanyID", company)
                size = self.text("efbc:CompanySizeCode", company)
                if size:
                    self.coded("economic-operator-size", [size])
                orgs[org_id] = {"raw": raw, "org_nr": normalise(raw), "size": size}
        return orgs

    def _buyers(self, orgs: dict[str, dict]) -> list[Buyer]:
        buyers = []
        for party in self.root.xpath("cac:ContractingParty", namespaces=NS):
            ref = self.text("cac:Party/cac:PartyIdentification/cbc:ID", party)
            legal = self.text("cac:ContractingPartyType/cbc:PartyTypeCode[@listName='buyer-legal-type']", party)
            if legal:
                self.coded("buyer-legal-type", [legal])
            org = orgs.get(ref or "", {})
            if ref or org:
                buyers.append(Buyer(raw_id=org.get("raw"), org_nr=org.get("org_nr"), legal_type=legal))
        return buyers

    def _lots(self) -> list[Lot]:
        lots = []
        for lot in self.root.xpath("cac:ProcurementProjectLot", namespaces=NS):
            lot_id = self.text("cbc:ID", lot) or f"LOT-{len(lots):04d}"
            project = "cac:ProcurementProject"
            sme = self.text(f"{project}/cbc:SMESuitableIndicator", lot)
            lots.append(Lot(
                lot_id=lot_id,
                main_cpv=self.text(f"{project}/cac:MainCommodityClassification/cbc:ItemClassificationCode", lot),
                sme_suitable=None if sme is None else sme.lower() == "true",
                strategic=self.coded("strategic-procurement", self.texts(
                    f"{project}/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"
                    "[@listName='strategic-procurement']", lot)),
                innovative=self.coded("innovative-acquisition", self.texts(
                    f"{project}/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"
                    "[@listName='innovative-acquisition']", lot)),
                variants=(self.coded("permission", [v])[0]
                          if (v := self.text("cac:TenderingTerms/cbc:VariantConstraintCode", lot)) else None),
            ))
        return lots

    def _results(self, orgs: dict[str, dict]) -> dict:
        result = self.root.find(f"{EXT}/efac:NoticeResult", NS)
        if result is None:
            return {"awards": [], "submissions": []}
        parties = {self.text("cbc:ID", tp): self.texts("efac:Tenderer/cbc:ID", tp)
                   for tp in result.xpath("efac:TenderingParty", namespaces=NS)}
        tenders = {self.text("cbc:ID", t): self.text("efac:TenderingParty/cbc:ID", t)
                   for t in result.xpath("efac:LotTender", namespaces=NS)}
        awards, submissions = [], []
        for lot_result in result.xpath("efac:LotResult", namespaces=NS):
            lot_id = self.text("efac:TenderLot/cbc:ID", lot_result) or "?"
            for tender_id in self.texts("efac:LotTender/cbc:ID", lot_result):
                for org_ref in parties.get(tenders.get(tender_id), [])[:1]:  # the lead tenderer
                    org = orgs.get(org_ref, {})
                    awards.append(Award(lot_id, org.get("raw"), org.get("org_nr"), org.get("size")))
            for stat in lot_result.xpath("efac:ReceivedSubmissionsStatistics", namespaces=NS):
                code, count = self.text("efbc:StatisticsCode", stat), self.text("efbc:StatisticsNumeric", stat)
                if code and count is not None:
                    self.coded("received-submission-type", [code])
                    if not count.isdigit():
                        raise self.fail("efac:NoticeResult/efac:LotResult/efac:ReceivedSubmissionsStatistics/"
                                        "efbc:StatisticsNumeric", f"{count!r} is not a whole number")
                    submissions.append(Submissions(lot_id, code, int(count)))
        return {"awards": awards, "submissions": submissions}


def _above_eea(customization: str, subtype: str) -> bool | None:
    """Above the EEA threshold: a Norwegian notice bound for TED (`:eu`), or an EU numbered subtype
    without the Norwegian extension. E-subtypes and Norwegian national notices are below it. None: a
    Norwegian notice whose CustomizationID has no threshold class."""
    if NORWEGIAN in customization:
        suffix = customization.strip().rsplit(":", 1)[-1]
        return True if suffix == "eu" else False if suffix.startswith("national") else None
    return subtype.isdigit()
