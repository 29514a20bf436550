"""Processing-activity records (GDPR Art. 30): build, chain, verify, render.

settings   the config's controller:, activity: and records: sections; gaps()
build      record_from_report(): one record per run, never a cell value
chain      append_record(): locked, fsynced, hash-chained JSON Lines
verify     verify_chain(): the first edited, removed or reordered record
ropa       build_ropa(): one entry per activity from configs and records
render_*   Markdown, CSV, HTML and JSON renderings of those entries
"""

from __future__ import annotations

from anonymise.records.build import (
    RecordStatus,
    decryption_record,
    erasure_record,
    error_summary,
    record_from_report,
    suppression_record,
)
from anonymise.records.chain import AppendedRecord, append_record, read_records
from anonymise.records.render import render_ropa
from anonymise.records.ropa import RopaEntry, RopaField, build_ropa
from anonymise.records.settings import (
    ActivityConfig,
    ControllerConfig,
    PartyConfig,
    RecordsConfig,
    TransferConfig,
    gaps,
)
from anonymise.records.verify import BrokenLink, ChainCheck, verify_chain

__all__ = [
    "ActivityConfig",
    "AppendedRecord",
    "BrokenLink",
    "ChainCheck",
    "ControllerConfig",
    "PartyConfig",
    "RecordStatus",
    "RecordsConfig",
    "RopaEntry",
    "RopaField",
    "TransferConfig",
    "append_record",
    "build_ropa",
    "decryption_record",
    "erasure_record",
    "error_summary",
    "gaps",
    "read_records",
    "record_from_report",
    "render_ropa",
    "suppression_record",
    "verify_chain",
]
