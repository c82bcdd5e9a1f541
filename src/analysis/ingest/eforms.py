"""eForms notices (UBL XML): EU subtypes, Norwegian national E1-E4 and cloned N-subtypes.

Each file becomes one `Notice`: its identity and dates, buyers, lots with the innovation and SME
fields, and lot results with winners and received-tender statistics. Natural-person fields (contact
names, e-mails, phones) are never read. Parsing is hardened: no DTD, no entity expansion, no network.

Every value is validated where it is read. A notice that is useless without a value (no notice ID, no
real issue date, no notice type) is refused with an `InputError` naming file, element and field; a bad
optional value (an estimated value that is no amount, a count that is no whole number) becomes unknown and
is listed in `Notice.issues`, which ingest counts. Valid files that are not procurement notices (business
registration notices X01/X02) raise `NotProcurement` and are skipped, not refused. Real variants are read
as what they are: prefixed root elements, a missing SubTypeCode (derived from the notice type and legal
basis), every CustomizationID from `eforms-sdk-0.x` and `eforms-1.0` on, and notices converted from TED XML
by the EU's converter (`converted`), which cannot answer for fields their source forms lacked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path

from lxml import etree

from .. import thresholds
from ..codelists import codelists, codes
from ..errors import InputError
from ..i18n import N_  # the skip reason is shown on the method page, in the site's language
from ..orgnr import normalise
from .csvfiles import UNREADABLE_REASON, parse_number

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
ROOTS = {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"}
NOT_PROCUREMENT = {"BusinessRegistrationInformationNotice": N_("business registration notice (X01/X02)")}
NORWEGIAN = "urn:fdc:anskaffelser.no"
# The EU Publications Office's TED XML → eForms converter opens every notice with this comment.
CONVERTED_MARK = b"TED date elements have no time zone"
_CUSTOMIZATION = re.compile(r"^eforms-(?:sdk-)?(\d+)\.(\d+)(?:\.\d+)?(?:#.*)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_IDENTIFIER = re.compile(r"^[^\x00-\x1f]{1,200}$")
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
# Whitespace between elements is dropped while parsing (no value is whitespace: every value is stripped), and
# xml:id attributes are not indexed: both make the parse, most of a notice's cost, about a tenth faster.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, remove_blank_text=True, collect_ids=False)


class _Fields:
    """Paths below an element found with one XPath evaluation: each path ends in an element of its own, so an
    element's tag says which path found it (evaluated one by one, such paths took most of the reader's time).
    `first(node)` gives each path's first element in document order, as `text()` would read it, and each of
    the `every` paths all its elements, in a list. With `below` (and no `every`), the paths are read below
    each element that path finds, in one evaluation too: `each(node)` gives {element: {path: its first
    element}}, in document order."""

    def __init__(self, *paths: str, every: tuple[str, ...] = (), below: str | None = None):
        self.paths, self.every = frozenset(paths), frozenset(every)
        self.xpath = etree.XPath(" | ".join(f"{below}/{p}" if below else p for p in (*paths, *every)), namespaces=NS)
        self.path_of, self.depth = {}, {}
        for path in (*paths, *every):
            prefix, local = path.rsplit("/", 1)[-1].split("[")[0].split(":")
            tag = f"{{{NS[prefix]}}}{local}"
            self.path_of[tag], self.depth[tag] = path, path.count("/") + 1
        assert len(self.path_of) == len(paths) + len(every), "each path ends in an element of its own"
        assert not (below and every) and all("/" not in p.split("[", 1)[-1] for p in paths if "[" in p), \
            "each() counts the steps of plain paths"

    def first(self, node) -> dict:
        found: dict = {path: [] for path in self.every}
        for element in self.xpath(node):
            path = self.path_of[element.tag]
            if path in self.every:
                found[path].append(element)
            else:
                found.setdefault(path, element)
        return found

    def each(self, node) -> dict[etree._Element, dict[str, etree._Element]]:
        found: dict[etree._Element, dict[str, etree._Element]] = {}
        for element in self.xpath(node):
            tag = element.tag
            owner = element
            for _ in range(self.depth[tag]):
                owner = owner.getparent()
            found.setdefault(owner, {}).setdefault(self.path_of[tag], element)
        return found


def _value(element) -> str | None:
    """An element's text, stripped; None when it is missing or empty."""
    return (element.text or "").strip() or None if element is not None else None


PROJECT = "cac:ProcurementProject"
NOTICE_FIELDS = _Fields(
    "cbc:ID[@schemeName='notice-id']", "cbc:IssueDate", "cbc:IssueTime", "cbc:NoticeTypeCode", "cbc:CustomizationID",
    "cbc:RegulatoryDomain", "cbc:VersionID", "cbc:ContractFolderID", "cac:TenderingProcess/cbc:ProcedureCode",
    f"{PROJECT}/cac:MainCommodityClassification/cbc:ItemClassificationCode", f"{PROJECT}/cbc:ProcurementTypeCode",
    f"{PROJECT}/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", f"{PROJECT}/cbc:Name",
    f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode", f"{EXT}/efac:Changes/efbc:ChangedNoticeIdentifier",
    f"{EXT}/efac:Publication/efbc:NoticePublicationID", f"{EXT}/efac:NoticeResult")
COMPANY_FIELDS = _Fields("cac:PartyIdentification/cbc:ID", "cac:PartyLegalEntity/cbc:CompanyID", "efbc:CompanySizeCode",
                         "cac:PartyName/cbc:Name", "cac:PostalAddress/cbc:PostalZone",
                         below=f"{EXT}/efac:Organizations/efac:Organization/efac:Company[1]")
LOT_CODES = (f"{PROJECT}/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode[@listName='strategic-procurement' or "
             "@listName='innovative-acquisition']")
LOT_FIELDS = _Fields("cbc:ID", f"{PROJECT}/cbc:SMESuitableIndicator", "cac:TenderingTerms/cbc:VariantConstraintCode",
                     f"{PROJECT}/cac:MainCommodityClassification/cbc:ItemClassificationCode", every=(LOT_CODES,))


@cache
def _xpath(expr: str) -> etree.XPath:
    """The compiled XPath of `expr` (compiling is most of what `.xpath(expr)` costs, and the parser evaluates
    the same few dozen expressions in every notice)."""
    return etree.XPath(expr, namespaces=NS)


class NotProcurement(Exception):
    """A valid file that is not a procurement notice (X01, X02): skipped and counted, not refused."""

    def __init__(self, file: str, reason: str):
        self.file, self.reason = file, reason
        super().__init__(file, reason)  # as args, so that it pickles back from a worker process

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@cache
def subtypes() -> dict[str, dict[str, str]]:
    """Notice subtype → {notice_type, legal_basis, form_type} (config/codelists.yaml, `notice-subtype`)."""
    return codelists()["notice-subtype"]


@cache
def _subtype_by_type() -> dict[tuple[str, str], str]:
    return {(v["notice_type"], v["legal_basis"]): k for k, v in subtypes().items() if not k.startswith("N")}


def derive_subtype(notice_type: str, legal_basis: str | None, national: bool) -> str | None:
    """The subtype of a notice whose SubTypeCode is missing, from its notice type (BT-02) and legal basis
    (BT-01); a Norwegian national notice takes Doffin's N-clone of the EU subtype. None when no subtype fits."""
    basis = legal_basis if legal_basis in {v["legal_basis"] for v in subtypes().values()} else "32014L0024"
    if legal_basis and legal_basis.lower() == "other":
        basis = "other"
    found = _subtype_by_type().get((notice_type, basis)) or _subtype_by_type().get((notice_type, "32014L0024"))
    if found and national and found.isdigit() and f"N{found}" in subtypes():
        return f"N{found}"
    return found


def valid_date(value: str) -> str | None:
    """The ISO date of an xs:date (`2024-03-14`, with or without an offset), None when not a real date."""
    m = _DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def valid_time(value: str) -> bool:
    m = _TIME.match(value)
    if not m:
        return False
    try:
        time(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


def valid_amount(value: str | None, currency: str | None) -> tuple[Decimal, str] | None:
    """A finite, non-negative amount with an ISO 4217-shaped currency code, or None."""
    if value is None or currency is None or not _CURRENCY.match(currency.strip()):
        return None
    number = parse_number(value)
    if number is None or number < 0 or not math.isfinite(number):
        return None
    return number, currency.strip()


@dataclass
class Lot:
    lot_id: str
    main_cpv: str | None
    sme_suitable: bool | None  # BT-726; None: not filled
    strategic: list[str] | None  # BT-06; None: the notice cannot answer (converted from TED XML)
    innovative: list[str] | None  # BT-776; None: the notice cannot answer (converted from TED XML)
    variants: str | None  # BT-63; None: not filled


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
    name: str | None = None  # BT-500, used to find a buyer without an organisation number
    postal_code: str | None = None  # BT-512


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
    issues: list[str] = field(default_factory=list)  # values read as unknown, each counted by ingest
    converted: bool = False  # converted from TED XML by the EU's converter
    sdk: str | None = None  # the eForms SDK version of the CustomizationID, e.g. "1.7"
    publication_id: str | None = None  # the OJ S publication number TED gave it, e.g. "150049-2018"
    internal_id: str | None = None  # BT-22, the buyer's own reference to the procedure (its case number)
    title: str | None = None  # BT-21, the procedure's title (its first, as the notice gives it)
    estimated_value: float | None = None  # BT-27, the procedure's estimated value, in `currency`
    currency: str | None = None

    @property
    def year(self) -> str:
        return self.issue_date[:4]


def parse_file(path: str | Path) -> Notice:
    return parse_bytes(read(path), str(path))


def read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None


def unreadable(path: str | Path, exc: OSError) -> InputError:
    """The refusal of a notice file that cannot be read."""
    return InputError.one(path, "file", "xml", f"{UNREADABLE_REASON} ({exc.strerror})")


def parse_bytes(data: bytes, source: str) -> Notice:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InputError.one(source, "document", "DOCTYPE", "a DOCTYPE or entity declaration is not allowed")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise InputError.one(source, f"line {line}", "xml", f"malformed XML ({exc.msg})") from None
    return _Reader(root, source, CONVERTED_MARK in data[:4096]).notice()


class _Reader:
    def __init__(self, root: etree._Element, source: str, converted: bool = False):
        self.root, self.source, self.converted = root, source, converted
        self.name = etree.QName(root).localname
        self.unknown: list[tuple[str, str]] = []
        self.issues: list[str] = []
        self.fields = NOTICE_FIELDS.first(root)

    def fail(self, element: str, message: str) -> InputError:
        return InputError.one(self.source, f"element /{self.name}/{element}", element.split("/")[-1],
                              message)

    def text(self, xpath: str, node=None) -> str | None:
        if node is None and xpath in NOTICE_FIELDS.paths:
            found = [self.fields[xpath]] if xpath in self.fields else []
        else:
            found = _xpath(xpath)(self.root if node is None else node)
        if not found:
            return None
        value = found[0] if isinstance(found[0], str) else found[0].text
        value = (value or "").strip()
        return value or None

    def texts(self, xpath: str, node=None) -> list[str]:
        return [(e.text or "").strip() for e in _xpath(xpath)(self.root if node is None else node)
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
        if self.name in NOT_PROCUREMENT:
            raise NotProcurement(self.source, NOT_PROCUREMENT[self.name])
        if self.name not in ROOTS:
            raise InputError.one(self.source, f"element /{self.name}", "root",
                                 f"not an eForms notice (root must be one of {', '.join(sorted(ROOTS))})")
        notice_id = self.identifier("cbc:ID[@schemeName='notice-id']")
        issue = self.required("cbc:IssueDate")
        issue_day = valid_date(issue)
        if issue_day is None:
            raise self.fail("cbc:IssueDate", f"{issue!r} is not a real calendar date (YYYY-MM-DD, offset optional)")
        if (issue_time := self.text("cbc:IssueTime")) and not valid_time(issue_time):
            self.issues.append("IssueTime is not a valid time (ignored)")
        type_el = self.fields.get("cbc:NoticeTypeCode")
        if type_el is None or not (type_el.text or "").strip():
            raise self.fail("cbc:NoticeTypeCode", "required element is missing or empty")
        notice_type = type_el.text.strip()
        customization = self.required("cbc:CustomizationID")
        sdk = _CUSTOMIZATION.match(customization)
        if sdk is None:
            self.issues.append("CustomizationID is not an eForms version (kept)")
        subtype = self.text(f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode")
        if subtype is None:
            subtype = derive_subtype(notice_type, self.text("cbc:RegulatoryDomain"),
                                     NORWEGIAN in customization and ":national" in customization)
            if subtype is None:
                raise self.fail(f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode",
                                f"missing, and no subtype fits notice type {notice_type!r}")
            self.issues.append("SubTypeCode missing (derived from the notice type and legal basis)")
        if subtype not in subtypes():
            self.unknown.append(("notice-subtype", subtype))
        form_type = type_el.get("listName") or subtypes().get(subtype, {}).get("form_type", "")
        procedure = self.text("cac:TenderingProcess/cbc:ProcedureCode")
        if procedure and procedure.upper() == "UNKNOWN":  # the TED converter's word for "not stated"
            self.issues.append("procedure type UNKNOWN (read as not stated)")
            procedure = None
        if procedure:
            self.coded("procurement-procedure-type", [procedure])
        orgs = self._organisations()
        buyers = self._buyers(orgs)
        above = _above_eea(customization, subtype)
        if above is None:
            above = self._above_by_value(issue_day, buyers)
        version = self.text("cbc:VersionID") or "01"
        if not version.isdigit():
            self.issues.append("VersionID is not a number (read as 01)")
            version = "01"
        return Notice(
            source=self.source,
            notice_id=notice_id,
            version=version,
            folder_id=self.text("cbc:ContractFolderID") or notice_id,  # BT-04 is optional in PINs
            subtype=subtype,
            form_type=form_type,
            notice_type=notice_type,
            issue_date=issue_day,
            customization=customization,
            above_eea=above,
            procedure_type=procedure,
            main_cpv=self.cpv(self.text("cac:ProcurementProject/cac:MainCommodityClassification/"
                                        "cbc:ItemClassificationCode")),
            changed_notice=self.text(f"{EXT}/efac:Changes/efbc:ChangedNoticeIdentifier"),
            buyers=buyers,
            lots=self._lots(),
            **self._results(orgs),
            unknown_codes=self.unknown,
            issues=self.issues,
            converted=self.converted,
            sdk=f"{sdk.group(1)}.{sdk.group(2)}" if sdk else None,
            publication_id=self.text(f"{EXT}/efac:Publication/efbc:NoticePublicationID"),
            internal_id=self.optional_identifier(f"{PROJECT}/cbc:ID", "internal reference (BT-22)"),
            title=" ".join((self.text(f"{PROJECT}/cbc:Name") or "").split()) or None,
            **self._estimated_value(),
        )

    def _estimated_value(self) -> dict:
        """BT-27 as an amount and its currency, where it is one (else both unknown)."""
        amount = self.fields.get(f"{PROJECT}/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
        valid = valid_amount((amount.text or "").strip(), amount.get("currencyID")) if amount is not None else None
        return {"estimated_value": float(valid[0]), "currency": valid[1]} if valid else {}

    def identifier(self, xpath: str) -> str:
        value = self.required(xpath)
        if not _IDENTIFIER.match(value):
            raise self.fail(xpath, "not an identifier (control characters, or longer than 200 characters)")
        return value

    def optional_identifier(self, xpath: str, name: str) -> str | None:
        """An identifier the notice may leave out; one that is no identifier is unknown and counted."""
        value = self.text(xpath)
        if value is not None and not _IDENTIFIER.match(value):
            self.issues.append(f"{name} is not an identifier (read as unknown)")
            return None
        return value

    def cpv(self, value: str | None) -> str | None:
        """A CPV code (8 digits, optionally with its check digit); anything else is unknown and counted."""
        if value is None:
            return None
        if not re.fullmatch(r"\d{8}(-\d)?", value):
            self.issues.append("CPV code is not a CPV code (read as unknown)")
            return None
        return value

    def _above_by_value(self, day: str, buyers: list[Buyer]) -> bool | None:
        """Fallback: the estimated value (BT-27) against the dated threshold table."""
        amount = self.fields.get("cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
        if amount is None or not (amount.text or "").strip():
            return None
        valid = valid_amount(amount.text.strip(), amount.get("currencyID"))
        if valid is None:
            self.issues.append("estimated value is not an amount with a currency (read as unknown)")
            return None
        buyer = thresholds.buyer_type(buyers[0].legal_type if buyers else None, self.text("cbc:RegulatoryDomain"))
        return thresholds.above(*valid, day, buyer, self.text("cac:ProcurementProject/cbc:ProcurementTypeCode"))

    def _organisations(self) -> dict[str, dict]:
        orgs = {}
        for fields in COMPANY_FIELDS.each(self.root).values():
            org_id = _value(fields.get("cac:PartyIdentification/cbc:ID"))
            if org_id:
                raw = _value(fields.get("cac:PartyLegalEntity/cbc:CompanyID"))
                size = _value(fields.get("efbc:CompanySizeCode"))
                if size:
                    self.coded("economic-operator-size", [size])
                orgs[org_id] = {"raw": raw, "org_nr": normalise(raw), "size": size,
                                "name": _value(fields.get("cac:PartyName/cbc:Name")),
                                "postal_code": _value(fields.get("cac:PostalAddress/cbc:PostalZone"))}
        return orgs

    def _buyers(self, orgs: dict[str, dict]) -> list[Buyer]:
        buyers = []
        for party in _xpath("cac:ContractingParty")(self.root):
            ref = self.text("cac:Party/cac:PartyIdentification/cbc:ID", party)
            legal = self.text("cac:ContractingPartyType/cbc:PartyTypeCode[@listName='buyer-legal-type']", party)
            if legal:
                self.coded("buyer-legal-type", [legal])
            org = orgs.get(ref or "", {})
            if ref or org:
                buyers.append(Buyer(raw_id=org.get("raw"), org_nr=org.get("org_nr"), legal_type=legal,
                                    name=org.get("name"), postal_code=org.get("postal_code")))
        return buyers

    def _lots(self) -> list[Lot]:
        lots = []
        for lot in _xpath("cac:ProcurementProjectLot")(self.root):
            fields = LOT_FIELDS.first(lot)
            lot_id = _value(fields.get("cbc:ID")) or f"LOT-{len(lots):04d}"
            sme = _value(fields.get(f"{PROJECT}/cbc:SMESuitableIndicator"))
            if sme is not None and sme.lower() not in ("true", "false"):
                self.issues.append("SMESuitableIndicator is not true or false (read as not filled)")
                sme = None
            codes = {"strategic-procurement": [], "innovative-acquisition": []}
            for element in fields[LOT_CODES]:
                if value := _value(element):
                    codes[element.get("listName")].append(value)
            strategic = self.coded("strategic-procurement", codes["strategic-procurement"])
            innovative = self.coded("innovative-acquisition", codes["innovative-acquisition"])
            variants = _value(fields.get("cac:TenderingTerms/cbc:VariantConstraintCode"))
            if self.converted:  # the TED forms had no such fields: unknown, not "none"
                strategic = strategic or None
                innovative = innovative or None
            lots.append(Lot(
                lot_id=lot_id,
                main_cpv=self.cpv(_value(fields.get(f"{PROJECT}/cac:MainCommodityClassification/"
                                                    "cbc:ItemClassificationCode"))),
                sme_suitable=None if sme is None else sme.lower() == "true",
                strategic=strategic,
                innovative=innovative,
                variants=self.coded("permission", [variants])[0] if variants else None,
            ))
        return lots

    def _results(self, orgs: dict[str, dict]) -> dict:
        result = self.fields.get(f"{EXT}/efac:NoticeResult")
        if result is None:
            return {"awards": [], "submissions": []}
        parties = {self.text("cbc:ID", tp): self.texts("efac:Tenderer/cbc:ID", tp)
                   for tp in _xpath("efac:TenderingParty")(result)}
        tenders = {self.text("cbc:ID", t): self.text("efac:TenderingParty/cbc:ID", t)
                   for t in _xpath("efac:LotTender")(result)}
        awards, submissions = [], []
        for lot_result in _xpath("efac:LotResult")(result):
            lot_id = self.text("efac:TenderLot/cbc:ID", lot_result) or "?"
            for tender_id in self.texts("efac:LotTender/cbc:ID", lot_result):
                for org_ref in parties.get(tenders.get(tender_id), [])[:1]:  # the lead tenderer
                    org = orgs.get(org_ref, {})
                    awards.append(Award(lot_id, org.get("raw"), org.get("org_nr"), org.get("size")))
            for stat in _xpath("efac:ReceivedSubmissionsStatistics")(lot_result):
                code, count = self.text("efbc:StatisticsCode", stat), self.text("efbc:StatisticsNumeric", stat)
                if code and count is not None:
                    self.coded("received-submission-type", [code])
                    if not count.isdigit():
                        self.issues.append("received-submissions count is not a whole number (read as unknown)")
                        continue
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
