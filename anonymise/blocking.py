"""The block step: drop suppressed people right after pull, before detection sees them.

Identity columns are the source's declared ones, else those the header names as an
e-mail, phone or CRM id, plus any column whose values are mostly e-mail addresses.
CRM ids only count for a named source (ids are per CRM).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import polars as pl

from anonymise.config import PipelineConfig
from anonymise.errors import ConfigError
from anonymise.keys import SecretKey
from anonymise.staged_table import StagedTable
from anonymise.suppression import SuppressionList, count_reasons, suppression_reasons
from detectors import entities as e
from detectors.columns import Columns
from detectors.header_hints import hint_for

_KIND_BY_ENTITY = {e.EMAIL_ADDRESS: "email", e.PHONE_NUMBER: "phone", e.CRM_ID: "crm_id"}
_EMAIL_SHAPE = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
_EMAIL_COLUMN_SHARE = 0.5
_EMAIL_SAMPLE = 1000  # the first non-empty cells tell an e-mail column


def _mostly_emails(column: pl.Series) -> bool:
    values = column.cast(pl.String).drop_nulls().head(_EMAIL_SAMPLE)
    if values.len() == 0:
        return False
    share = values.str.contains(_EMAIL_SHAPE).cast(pl.Float64).mean()
    return isinstance(share, float) and share >= _EMAIL_COLUMN_SHARE


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
        if kind is None and _mostly_emails(frame.get_column(name)):
            kind = "email"
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
    listing = SuppressionList(
        Path(config.resolve(settings.path)), key, phone_region=settings.phone_region
    )
    hashes = listing.hashes()
    if not hashes.reasons and not settings.blocked_domains:
        return frame, {}  # nothing to match: skip looking for identity columns
    columns = identity_columns(frame, declared=declared, source_name=source_name)
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
