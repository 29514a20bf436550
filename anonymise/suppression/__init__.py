"""The suppression list ("blocklist"): people who must never come back.

settings.py     SuppressionConfig, the ``suppression:`` config section
identifiers.py  kinds, reasons, and the one keyed hash of a normalised identifier
entries.py      one line of the list file
list_file.py    SuppressionList: read, add, remove, look up (atomic, locked)
hashes.py       SuppressionHashes: the stored hashes grouped for matching
matching.py     suppressed_mask / drop_suppressed on a data frame
text_lists.py   allowed_mask and deny_terms_pattern for the plain-value lists
display.py      identifiers masked for a terminal
"""

from anonymise.suppression.display import masked_identifier
from anonymise.suppression.entries import SuppressionEntry
from anonymise.suppression.hashes import SuppressionHashes
from anonymise.suppression.identifiers import (
    DOMAIN_REASON,
    REASON_ORDER,
    Identifier,
    IdentifierKind,
    Reason,
    digest_identifiers,
    identifier_digest,
)
from anonymise.suppression.list_file import AddOutcome, RemoveOutcome, SuppressionList
from anonymise.suppression.matching import (
    count_reasons,
    drop_suppressed,
    suppressed_mask,
    suppression_reasons,
)
from anonymise.suppression.settings import SuppressionConfig
from anonymise.suppression.text_lists import allowed_mask, deny_terms_pattern

__all__ = [
    "DOMAIN_REASON",
    "REASON_ORDER",
    "AddOutcome",
    "Identifier",
    "IdentifierKind",
    "Reason",
    "RemoveOutcome",
    "SuppressionConfig",
    "SuppressionEntry",
    "SuppressionHashes",
    "SuppressionList",
    "allowed_mask",
    "count_reasons",
    "deny_terms_pattern",
    "digest_identifiers",
    "drop_suppressed",
    "identifier_digest",
    "masked_identifier",
    "suppressed_mask",
    "suppression_reasons",
]
