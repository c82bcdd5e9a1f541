"""The closed vocabularies of the dataset contract: the values a column of the organisation's own files may
take.

The loaders (`ingest.sources`, `ingest.registers`) convert a cell only to one of these, the pandera schemas
(`ingest.schemas`) check the tables against them, and the workbook writer (`analysis.workbooks`) offers them
as lists. They live here, apart from all three, so that each of them reads the one set without importing the
others (the schemas are imported by the converter the loaders use).
"""

from __future__ import annotations

# organisations.csv: the kind of public body
ORG_TYPES = ("state", "municipality", "county", "health", "enterprise", "other")

# The contract register: the contract standard a contract is based on ("other": another standard or none)
STANDARDS = ("SSA-T", "SSA-L", "SSA-D", "SSA-O", "PS2000", "innovasjonspartnerskap", "utviklingskontrakt",
             "other")

# The gain register: what kind of gain an effect is, and where a measure's implementation stands
GAIN_TYPES = ("efficiency", "quality", "other_actors", "co2e")
STATUSES = ("planned", "ongoing", "done", "stopped")
