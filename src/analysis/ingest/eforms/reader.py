"""Reading one parsed eForms notice into a `Notice`: every value validated where it is read.

A value the notice cannot do without (its ID, a real issue date, its notice type) is refused with an
`InputError` naming the element; a bad optional value becomes unknown and is listed in `Notice.issues`; a code
outside its codelist is kept and listed in `Notice.unknown_codes`.
"""

from __future__ import annotations

import re

from lxml import etree

from ... import thresholds
from ...codelists import codes
from ...errors import InputError
from ...i18n import N_  # the skip reason is shown on the method page, in the site's language
from ...orgnr import normalise
from .fields import COMPANY_FIELDS, EXT, LOT_CODES, LOT_FIELDS, NOTICE_FIELDS, PROJECT, compiled, text_of
from .records import Award, Buyer, Lot, Notice, NotProcurement, Submissions
from .values import (
    CUSTOMIZATION,
    IDENTIFIER,
    NORWEGIAN,
    above_eea,
    derive_subtype,
    subtypes,
    valid_amount,
    valid_date,
    valid_time,
)

ROOTS = {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"}
NOT_PROCUREMENT = {"BusinessRegistrationInformationNotice": N_("business registration notice (X01/X02)")}


class Reader:
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
            found = compiled(xpath)(self.root if node is None else node)
        if not found:
            return None
        value = found[0] if isinstance(found[0], str) else found[0].text
        value = (value or "").strip()
        return value or None

    def texts(self, xpath: str, node=None) -> list[str]:
        return [(e.text or "").strip() for e in compiled(xpath)(self.root if node is None else node)
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
        sdk = CUSTOMIZATION.match(customization)
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
        above = above_eea(customization, subtype)
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
        if not IDENTIFIER.match(value):
            raise self.fail(xpath, "not an identifier (control characters, or longer than 200 characters)")
        return value

    def optional_identifier(self, xpath: str, name: str) -> str | None:
        """An identifier the notice may leave out; one that is no identifier is unknown and counted."""
        value = self.text(xpath)
        if value is not None and not IDENTIFIER.match(value):
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
            org_id = text_of(fields.get("cac:PartyIdentification/cbc:ID"))
            if org_id:
                raw = text_of(fields.get("cac:PartyLegalEntity/cbc:CompanyID"))
                size = text_of(fields.get("efbc:CompanySizeCode"))
                if size:
                    self.coded("economic-operator-size", [size])
                orgs[org_id] = {"raw": raw, "org_nr": normalise(raw), "size": size,
                                "name": text_of(fields.get("cac:PartyName/cbc:Name")),
                                "postal_code": text_of(fields.get("cac:PostalAddress/cbc:PostalZone"))}
        return orgs

    def _buyers(self, orgs: dict[str, dict]) -> list[Buyer]:
        buyers = []
        for party in compiled("cac:ContractingParty")(self.root):
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
        for lot in compiled("cac:ProcurementProjectLot")(self.root):
            fields = LOT_FIELDS.first(lot)
            lot_id = text_of(fields.get("cbc:ID")) or f"LOT-{len(lots):04d}"
            sme = text_of(fields.get(f"{PROJECT}/cbc:SMESuitableIndicator"))
            if sme is not None and sme.lower() not in ("true", "false"):
                self.issues.append("SMESuitableIndicator is not true or false (read as not filled)")
                sme = None
            codes = {"strategic-procurement": [], "innovative-acquisition": []}
            for element in fields[LOT_CODES]:
                if value := text_of(element):
                    codes[element.get("listName")].append(value)
            strategic = self.coded("strategic-procurement", codes["strategic-procurement"])
            innovative = self.coded("innovative-acquisition", codes["innovative-acquisition"])
            variants = text_of(fields.get("cac:TenderingTerms/cbc:VariantConstraintCode"))
            if self.converted:  # the TED forms had no such fields: unknown, not "none"
                strategic = strategic or None
                innovative = innovative or None
            lots.append(Lot(
                lot_id=lot_id,
                main_cpv=self.cpv(text_of(fields.get(f"{PROJECT}/cac:MainCommodityClassification/"
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
                   for tp in compiled("efac:TenderingParty")(result)}
        tenders = {self.text("cbc:ID", t): self.text("efac:TenderingParty/cbc:ID", t)
                   for t in compiled("efac:LotTender")(result)}
        awards, submissions = [], []
        for lot_result in compiled("efac:LotResult")(result):
            lot_id = self.text("efac:TenderLot/cbc:ID", lot_result) or "?"
            for tender_id in self.texts("efac:LotTender/cbc:ID", lot_result):
                for org_ref in parties.get(tenders.get(tender_id), [])[:1]:  # the lead tenderer
                    org = orgs.get(org_ref, {})
                    awards.append(Award(lot_id, org.get("raw"), org.get("org_nr"), org.get("size")))
            for stat in compiled("efac:ReceivedSubmissionsStatistics")(lot_result):
                code, count = self.text("efbc:StatisticsCode", stat), self.text("efbc:StatisticsNumeric", stat)
                if code and count is not None:
                    self.coded("received-submission-type", [code])
                    if not count.isdigit():
                        self.issues.append("received-submissions count is not a whole number (read as unknown)")
                        continue
                    submissions.append(Submissions(lot_id, code, int(count)))
        return {"awards": awards, "submissions": submissions}
