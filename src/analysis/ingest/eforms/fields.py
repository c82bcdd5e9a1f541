"""Where a notice's fields are in the eForms XML: the namespaces, the XPaths the reader evaluates (compiled
once per process) and `Fields`, which finds many paths below an element in one evaluation.

Finding elements is most of a notice's cost after parsing, so the paths the reader needs in every notice are
gathered here, in groups it evaluates at once.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"


class Fields:
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


def text_of(element) -> str | None:
    """An element's text, stripped; None when it is missing or empty."""
    return (element.text or "").strip() or None if element is not None else None


PROJECT = "cac:ProcurementProject"
NOTICE_FIELDS = Fields(
    "cbc:ID[@schemeName='notice-id']", "cbc:IssueDate", "cbc:IssueTime", "cbc:NoticeTypeCode", "cbc:CustomizationID",
    "cbc:RegulatoryDomain", "cbc:VersionID", "cbc:ContractFolderID", "cac:TenderingProcess/cbc:ProcedureCode",
    f"{PROJECT}/cac:MainCommodityClassification/cbc:ItemClassificationCode", f"{PROJECT}/cbc:ProcurementTypeCode",
    f"{PROJECT}/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", f"{PROJECT}/cbc:Name",
    f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode", f"{EXT}/efac:Changes/efbc:ChangedNoticeIdentifier",
    f"{EXT}/efac:Publication/efbc:NoticePublicationID", f"{EXT}/efac:NoticeResult")
COMPANY_FIELDS = Fields("cac:PartyIdentification/cbc:ID", "cac:PartyLegalEntity/cbc:CompanyID", "efbc:CompanySizeCode",
                         "cac:PartyName/cbc:Name", "cac:PostalAddress/cbc:PostalZone",
                         below=f"{EXT}/efac:Organizations/efac:Organization/efac:Company[1]")
LOT_CODES = (f"{PROJECT}/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode[@listName='strategic-procurement' or "
             "@listName='innovative-acquisition']")
LOT_FIELDS = Fields("cbc:ID", f"{PROJECT}/cbc:SMESuitableIndicator", "cac:TenderingTerms/cbc:VariantConstraintCode",
                     f"{PROJECT}/cac:MainCommodityClassification/cbc:ItemClassificationCode", every=(LOT_CODES,))




@cache
def compiled(expr: str) -> etree.XPath:
    """The compiled XPath of `expr` (compiling is most of what `.xpath(expr)` costs, and the parser evaluates
    the same few dozen expressions in every notice)."""
    return etree.XPath(expr, namespaces=NS)

