"""What a notice is read into: one `Notice` with its buyers, lots, awards and received-tender statistics, and
`NotProcurement` for a valid file that is not a procurement notice.

Plain records, apart from the reading, so that what the ingest and the notice cache store is seen in one place
(`ingest.notice_cache` turns these fields into its tables, `ingest.ted` builds them from TED's CSV files).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class NotProcurement(Exception):
    """A valid file that is not a procurement notice (X01, X02): skipped and counted, not refused."""

    def __init__(self, file: str, reason: str):
        self.file, self.reason = file, reason
        super().__init__(file, reason)  # as args, so that it pickles back from a worker process

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"



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
