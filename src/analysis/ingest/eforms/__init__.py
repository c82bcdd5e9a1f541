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

The reading is split by concern: `records` (what a notice is read into), `fields` (where its values are in
the XML), `values` (what a valid value is) and `reader` (reading a notice); this module parses a file safely
and hands its root to the reader.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ...errors import InputError
from ..csvfiles import UNREADABLE_REASON
from .fields import EXT, NS
from .reader import Reader
from .records import Award, Buyer, Lot, Notice, NotProcurement, Submissions
from .values import derive_subtype, subtypes, valid_amount, valid_date, valid_time

__all__ = ["EXT", "NS", "Award", "Buyer", "Lot", "Notice", "NotProcurement", "Submissions", "derive_subtype",
           "parse_bytes", "parse_file", "read", "subtypes", "unreadable", "valid_amount", "valid_date", "valid_time"]

# The EU Publications Office's TED XML → eForms converter opens every notice with this comment.
CONVERTED_MARK = b"TED date elements have no time zone"
# Whitespace between elements is dropped while parsing (no value is whitespace: every value is stripped), and
# xml:id attributes are not indexed: both make the parse, most of a notice's cost, about a tenth faster.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, remove_blank_text=True, collect_ids=False)


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
    return Reader(root, source, CONVERTED_MARK in data[:4096]).notice()
