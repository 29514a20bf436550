"""Block: find and drop the rows of people on the suppression list, vectorised.

Each identity column is normalised and hashed with the list's sub-key in Polars (the
same expression that made the list), then looked up with ``is_in``. A row goes if any
identity column matches, or if an e-mail column's domain is blocked. It is counted
once, under the first reason in ``REASON_ORDER`` it matched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from anonymise.errors import ConfigError, KeyConfigError
from anonymise.keys import SecretKey
from anonymise.suppression.hashes import SuppressionHashes
from anonymise.suppression.identifiers import (
    DOMAIN_REASON,
    REASON_ORDER,
    IdentifierKind,
    identifier_digest,
    suppression_sub_key,
)
from anonymise.suppression.settings import normalise_domain
from transforms.normalise import normalise_email


def suppression_reasons(
    frame: pl.DataFrame,
    *,
    identity_columns: Mapping[str, str],
    source: str | None,
    hashes: SuppressionHashes,
    key: SecretKey,
    blocked_domains: Sequence[str] = (),
    phone_region: str = "GB",
) -> pl.Series:
    """Per row, the reason it is suppressed (``erasure`` ... ``domain``) or null."""
    if hashes.key_id != key.key_id:
        raise KeyConfigError(
            f"the suppression hashes were made with key {hashes.key_id} but the current key "
            f"is {key.key_id}; load the list with the key it was made with"
        )
    kinds = _checked_kinds(frame, identity_columns, source)
    sub_key = suppression_sub_key(key)
    domains = pl.Series("domains", sorted({normalise_domain(d) for d in blocked_domains}))
    lookups: list[pl.Expr] = []
    hits: dict[str, list[pl.Expr]] = {}
    for position, (column, kind) in enumerate(kinds.items()):
        name = f"__suppression_{position}"
        by_reason = hashes.by_reason(kind, source if kind is IdentifierKind.CRM_ID else None)
        if by_reason:
            lookups.append(
                identifier_digest(
                    pl.col(column), kind, sub_key=sub_key, phone_region=phone_region
                ).alias(name)
            )
            for reason, digests in by_reason.items():
                hits.setdefault(reason, []).append(
                    pl.col(name).is_in(pl.Series(digests, dtype=pl.String))
                )
        if kind is IdentifierKind.EMAIL and len(domains):
            domain = normalise_email(pl.col(column)).str.extract(r"@([^@]+)$", 1)
            lookups.append(domain.str.strip_chars_end(".").alias(name + "_domain"))
            hits.setdefault(DOMAIN_REASON, []).append(pl.col(name + "_domain").is_in(domains))
    if not hits:
        return pl.Series("suppression_reason", [None] * frame.height, dtype=pl.String)
    chain = pl.lit(None, dtype=pl.String)
    for label in reversed(REASON_ORDER):
        if label in hits:
            matched = pl.any_horizontal(hits[label]).fill_null(False)
            chain = pl.when(matched).then(pl.lit(label, dtype=pl.String)).otherwise(chain)
    staged = frame.select(lookups)
    return staged.select(chain.alias("suppression_reason")).to_series()


def suppressed_mask(
    frame: pl.DataFrame,
    *,
    identity_columns: Mapping[str, str],
    source: str | None,
    hashes: SuppressionHashes,
    key: SecretKey,
    blocked_domains: Sequence[str] = (),
    phone_region: str = "GB",
) -> pl.Series:
    """True for each row to drop (never null)."""
    return suppression_reasons(
        frame,
        identity_columns=identity_columns,
        source=source,
        hashes=hashes,
        key=key,
        blocked_domains=blocked_domains,
        phone_region=phone_region,
    ).is_not_null()


def drop_suppressed(
    frame: pl.DataFrame,
    *,
    identity_columns: Mapping[str, str],
    source: str | None,
    hashes: SuppressionHashes,
    key: SecretKey,
    blocked_domains: Sequence[str] = (),
    phone_region: str = "GB",
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows that stay (in their order) and the dropped rows counted per reason;
    every reason of ``REASON_ORDER`` is a key, zero when nothing matched it."""
    reasons = suppression_reasons(
        frame,
        identity_columns=identity_columns,
        source=source,
        hashes=hashes,
        key=key,
        blocked_domains=blocked_domains,
        phone_region=phone_region,
    )
    return frame.filter(reasons.is_null()), count_reasons(reasons)


def count_reasons(reasons: pl.Series) -> dict[str, int]:
    """Rows per reason of ``suppression_reasons``; every reason of ``REASON_ORDER`` is a
    key, zero when nothing matched it."""
    counts = dict.fromkeys(REASON_ORDER, 0)
    for reason, count in reasons.drop_nulls().value_counts().iter_rows():
        counts[reason] = count
    return counts


def _checked_kinds(
    frame: pl.DataFrame, identity_columns: Mapping[str, str], source: str | None
) -> dict[str, IdentifierKind]:
    known = ", ".join(kind.value for kind in IdentifierKind)
    kinds: dict[str, IdentifierKind] = {}
    for column, kind_name in identity_columns.items():
        if kind_name not in {kind.value for kind in IdentifierKind}:
            raise ConfigError(
                f"identity column '{column}': unknown kind '{kind_name}'; known: {known}"
            )
        if column not in frame.columns:
            raise ConfigError(f"identity column '{column}' is not in the input")
        kind = IdentifierKind(kind_name)
        if kind is IdentifierKind.CRM_ID and not (source and source.strip()):
            raise ConfigError(
                f"identity column '{column}' holds CRM ids, which are per CRM; "
                "name the source (sources[].name) so they can be matched"
            )
        kinds[column] = kind
    return kinds
