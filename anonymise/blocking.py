"""The block step: drop suppressed people right after pull, before detection sees them.

Identity columns are the source's declared ones, else those the header names as an
e-mail, phone or CRM id, plus any column whose values are mostly e-mail addresses or
phone numbers (``content_kind``; erasure finds a raw file's the same way).
CRM ids only count for a named source (ids are per CRM).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import polars as pl

from anonymise.config import PipelineConfig
from anonymise.errors import ConfigError
from anonymise.io.read_result import QuarantinedRow
from anonymise.keys import SecretKey
from anonymise.staged_table import StagedTable
from anonymise.suppression import (
    REASON_ORDER,
    IdentifierKind,
    SuppressionList,
    count_reasons,
    suppression_reasons,
)
from anonymise.suppression.hashes import SuppressionHashes
from detectors import entities as e
from detectors.columns import Columns
from detectors.contact_shapes import is_email_shaped, is_phone_shaped
from detectors.header_hints import hint_for
from transforms.text_redaction import DEFAULT_PATTERNS

logger = logging.getLogger("anonymise.blocking")
# What a raw row is searched for: the free-text table's e-mail pattern, and any run of
# digits with the marks phone numbers are written with (030/1847-0055, 20 12 34 57),
# which the list's normalisation then reads or drops; a field's delimiter ends one.
_EMAIL_IN_TEXT = DEFAULT_PATTERNS["EMAIL_ADDRESS"]
_PHONES_IN_TEXT = (  # each found alone, so two numbers in one field are two candidates
    DEFAULT_PATTERNS["PHONE_NUMBER"],
    r"\+?\(?\d[\d ().\-/]{5,22}\d",
)
_KIND_BY_ENTITY = {e.EMAIL_ADDRESS: "email", e.PHONE_NUMBER: "phone", e.CRM_ID: "crm_id"}
_COLUMN_SHARE = 0.5
_SAMPLE = 1000  # the first non-empty cells tell an e-mail or phone column


def content_kind(column: pl.Series) -> str | None:
    """``email`` or ``phone`` when most of the column's first non-empty cells are one
    (``detectors.contact_shapes``), whatever its header says ("Contact Number",
    "WhatsApp", "Login"), else ``None``."""
    values = column.cast(pl.String).drop_nulls().head(_SAMPLE).to_frame("v")
    if values.height == 0:
        return None
    shares = values.select(
        email=is_email_shaped(pl.col("v")).mean(), phone=is_phone_shaped(pl.col("v")).mean()
    ).row(0, named=True)
    if shares["email"] >= _COLUMN_SHARE:
        return "email"
    if shares["phone"] >= _COLUMN_SHARE:
        return "phone"
    return None


def identity_columns(
    frame: Columns, *, declared: Sequence[str] | None, source_name: str | None
) -> dict[str, str]:
    """Column -> identifier kind (email, phone, crm_id) used to match the list."""
    found: dict[str, str] = {}
    names = list(declared) if declared is not None else frame.columns
    for name in names:
        if name not in frame.columns:
            raise ConfigError(f"identity_columns: no column '{name}' in the input")
        hint = hint_for(name)
        kind = _KIND_BY_ENTITY.get(hint.entity) if hint and hint.entity else None
        if kind is None:
            kind = content_kind(frame.get_column(name))
        if kind == "crm_id" and not source_name:
            continue
        if kind is not None:
            found[name] = kind
        elif declared is not None:
            raise ConfigError(
                f"identity_columns: cannot tell whether '{name}' holds e-mails, phones "
                "or CRM ids; name it so (for example 'Email')"
            )
    return found


Staged = TypeVar("Staged", pl.DataFrame, StagedTable)


def _warn_of_unmatched_crm_ids(
    frame: Columns, hashes: SuppressionHashes, declared: Sequence[str] | None
) -> None:
    """Say that the list's CRM ids are not matched in an input that no named source
    gives (``run --input``): the person blocked by CRM id alone would be published."""
    crm_entries = sum(
        len(found) for (kind, _), found in hashes.reasons.items() if kind is IdentifierKind.CRM_ID
    )
    names = list(declared) if declared is not None else frame.columns
    id_columns = [n for n in names if (hint := hint_for(n)) and hint.entity == e.CRM_ID]
    if crm_entries and id_columns:
        logger.warning(
            "%d CRM id(s) on the suppression list are not matched in column(s) %s: the "
            "input is none of the config's named sources (given with --input?), and an id "
            "means something only in its own CRM; list the file under 'sources:' with its "
            "name",
            crm_entries,
            ", ".join(f"'{n}'" for n in id_columns),
        )


def block(
    frame: Staged,
    *,
    config: PipelineConfig,
    key: SecretKey,
    source_name: str | None,
    declared: Sequence[str] | None,
) -> tuple[Staged, dict[str, int]]:
    """The rows that stay, and the rows dropped counted per reason."""
    settings = config.suppression
    listing = _listing(config, key)
    if not listing.path.exists():
        logger.warning(
            "suppression list '%s' does not exist: nobody is blocked by it (its path "
            "mistyped? it is made by the first 'blocklist add' or erasure)",
            listing.path,
        )
    hashes = listing.hashes()
    if not hashes.reasons and not settings.blocked_domains:
        return frame, {}  # nothing to match: skip looking for identity columns
    columns = identity_columns(frame, declared=declared, source_name=source_name)
    if not source_name:
        _warn_of_unmatched_crm_ids(frame, hashes, declared)
    if not columns:
        return frame, {}
    # Only the identity columns are read: a staged table hands them out as one frame.
    identities = frame.select(list(columns))
    reasons = suppression_reasons(
        identities,
        identity_columns=columns,
        source=source_name,
        hashes=hashes,
        key=key,
        blocked_domains=settings.blocked_domains,
        phone_region=settings.phone_region,
    )
    counts = count_reasons(reasons)
    return frame.filter(reasons.is_null()), {reason: n for reason, n in counts.items() if n}


def _listing(config: PipelineConfig, key: SecretKey) -> SuppressionList:
    settings = config.suppression
    return SuppressionList(
        Path(config.resolve(settings.path)), key, phone_region=settings.phone_region
    )


def block_quarantined(
    quarantined: Sequence[QuarantinedRow], *, config: PipelineConfig, key: SecretKey
) -> tuple[tuple[QuarantinedRow, ...], dict[str, int]]:
    """The malformed rows to quarantine, less those of people on the list, and those
    counted per reason: a blocked person's row must not reach the quarantine file
    either. A raw row is not split into fields, so its text is searched for e-mail
    addresses and phone numbers (a CRM id in it may be any field, or another CRM's)."""
    settings = config.suppression
    hashes = _listing(config, key).hashes() if quarantined else None
    if hashes is None or (not hashes.reasons and not settings.blocked_domains):
        return tuple(quarantined), {}
    raw = pl.DataFrame({"raw": [row.raw for row in quarantined]}, schema={"raw": pl.String})
    searches = [("email", _EMAIL_IN_TEXT)] + [("phone", p) for p in _PHONES_IN_TEXT]
    found = [
        raw.with_row_index("row")
        .select("row", pl.col("raw").str.extract_all(pattern).alias(kind))
        .explode(kind)
        .drop_nulls(kind)
        for kind, pattern in searches
    ]
    candidates = pl.concat(found, how="diagonal")
    if candidates.is_empty():
        return tuple(quarantined), {}
    reasons = suppression_reasons(
        candidates.select("email", "phone"),
        identity_columns={"email": "email", "phone": "phone"},
        source=None,
        hashes=hashes,
        key=key,
        blocked_domains=settings.blocked_domains,
        phone_region=settings.phone_region,
    )
    order = {reason: rank for rank, reason in enumerate(REASON_ORDER)}
    first: dict[int, str] = {}
    for row, reason in zip(candidates.get_column("row").to_list(), reasons.to_list(), strict=True):
        if reason is not None and (row not in first or order[reason] < order[first[row]]):
            first[row] = reason
    kept = tuple(row for position, row in enumerate(quarantined) if position not in first)
    counts: dict[str, int] = {}
    for reason in first.values():
        counts[reason] = counts.get(reason, 0) + 1
    return kept, counts
