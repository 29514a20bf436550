"""Pseudonymise: a keyed HMAC-SHA256 token of the entity-normalised value.

The token is ``prefix + first length hex chars`` of HMAC-SHA256 under the
``pseudonymise`` sub-key of the master key. The same value with the same key gives the
same token in every file, run, partition and machine, so joins survive; another key
gives other tokens. ``pseudonymise_values`` gives exactly the same tokens to callers
without a data frame (erasure, the suppression list), because it runs the same
expression.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Final

import polars as pl
import pydantic

from anonymise.keys import derive_key
from transforms.distinct import map_distinct_expr
from transforms.keyed_hash import DEFAULT_BACKEND, Backend, keyed_tokens
from transforms.normalise import normaliser_for
from transforms.registry import ActionContext, register

PURPOSE: Final = "pseudonymise"
# Hashed once per distinct value: names and places repeat, and a phone number's
# normalisation already runs per distinct value (libphonenumber's rules), so its token
# costs one lookup per row instead of a second one plus an HMAC (1M rows: 0.9 -> 0.34 s).
_PER_DISTINCT: Final = frozenset({"PERSON", "LOCATION", "PHONE_NUMBER"})
DEFAULT_PREFIX: Final = "tok_"
DEFAULT_LENGTH: Final = 32
MIN_LENGTH: Final = 16
MAX_LENGTH: Final = 64

TokenLength = Annotated[int, pydantic.Field(ge=MIN_LENGTH, le=MAX_LENGTH)]
TokenPrefix = Annotated[str, pydantic.Field(max_length=32, pattern=r"^[A-Za-z0-9_\-:.]*$")]


def pseudonymise(
    expr: pl.Expr,
    *,
    key: bytes,
    entity: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    length: int = DEFAULT_LENGTH,
    backend: Backend = DEFAULT_BACKEND,
    phone_region: str = "GB",
) -> pl.Expr:
    """Token of each value; null stays null and a blank value stays ``""``. Phone
    numbers written nationally are read in ``phone_region``."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"length must be {MIN_LENGTH}..{MAX_LENGTH} hex chars")
    sub_key = derive_key(key, PURPOSE)

    def tokens(values: pl.Expr) -> pl.Expr:
        return _tokens(
            values,
            sub_key=sub_key,
            entity=entity,
            prefix=prefix,
            length=length,
            backend=backend,
            phone_region=phone_region,
        )

    if entity in _PER_DISTINCT:
        return map_distinct_expr(expr, tokens).name.keep()
    return tokens(expr)


def _tokens(
    expr: pl.Expr,
    *,
    sub_key: bytes,
    entity: str | None,
    prefix: str,
    length: int,
    backend: Backend,
    phone_region: str,
) -> pl.Expr:
    normalised = normaliser_for(entity, phone_region=phone_region)(expr)
    tokens = keyed_tokens(
        normalised, sub_key=sub_key, prefix=prefix, hex_chars=length, backend=backend
    )
    return tokens.name.keep()


def pseudonymise_values(
    values: Iterable[str | None],
    *,
    key: bytes,
    entity: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    length: int = DEFAULT_LENGTH,
    phone_region: str = "GB",
) -> list[str | None]:
    """The tokens ``pseudonymise`` gives, for plain Python values, in the same order."""
    series = pl.Series("value", list(values), dtype=pl.String)
    tokens = series.to_frame().select(
        pseudonymise(
            pl.col("value"),
            key=key,
            entity=entity,
            prefix=prefix,
            length=length,
            phone_region=phone_region,
        )
    )
    return tokens.to_series().to_list()


@register("pseudonymise")
def pseudonymise_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    prefix: TokenPrefix = DEFAULT_PREFIX,
    length: TokenLength = DEFAULT_LENGTH,
) -> pl.Expr:
    return pseudonymise(
        expr,
        key=ctx.key,
        entity=ctx.entity,
        prefix=prefix,
        length=length,
        phone_region=ctx.phone_region,
    )
