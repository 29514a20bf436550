"""Date shift: move every date of one subject by the same secret number of days.

The offset comes from the keyed hash (``date_shift`` sub-key) of the subject's
identifier in another column (``by_column``, normalised as ``by_entity``), so all of a
subject's dates move together and intervals between them survive, while the dates
themselves no longer match any record. The offset is in ``[-max_days, max_days]`` and
never 0. A row without a subject identifier gets null: it has no consistent offset.
Output is ISO ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

from typing import Annotated, Final

import polars as pl
import pydantic

from anonymise.keys import derive_key
from transforms.dates import format_date, parse_date
from transforms.distinct import map_distinct_series
from transforms.keyed_hash import digest_to_index, hmac_sha256_hex
from transforms.normalise import as_text, normaliser_for
from transforms.registry import ActionContext, register

PURPOSE: Final = "date_shift"
MaxDays = Annotated[int, pydantic.Field(ge=1, le=3650)]
ColumnName = Annotated[str, pydantic.Field(min_length=1)]


def date_shift(
    expr: pl.Expr,
    *,
    subject: pl.Expr,
    key: bytes,
    max_days: int = 30,
    subject_entity: str | None = None,
    phone_region: str = "GB",
) -> pl.Expr:
    """Each date moved by its subject's offset; null stays null, blank stays ``""``.
    The subject is normalised as ``subject_entity`` (one person's e-mail written two ways
    gives one offset, as it gives one token)."""
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    normalise = normaliser_for(subject_entity, phone_region=phone_region)
    sub_key = derive_key(key, PURPOSE)

    def offsets_for(subjects: pl.Series) -> pl.Series:
        steps = subjects.to_frame("subject").with_columns(normalised=normalise(pl.col("subject")))
        steps = steps.with_columns(
            choice=digest_to_index(
                hmac_sha256_hex(pl.col("normalised"), sub_key=sub_key), size=2 * max_days
            )
        )
        # 2 * max_days choices: -max_days..-1 and 1..max_days; no offset for a blank id.
        choice = pl.col("choice")
        offset = pl.when(choice < max_days).then(choice - max_days).otherwise(choice - max_days + 1)
        return steps.select(pl.when(pl.col("normalised") != "").then(offset)).to_series()

    offset = map_distinct_series(as_text(subject), offsets_for, return_dtype=pl.Int64())
    shifted = format_date(parse_date(expr) + pl.duration(days=offset))
    stripped = expr.cast(pl.String).str.strip_chars()
    return pl.when(stripped == "").then(stripped).otherwise(shifted)


@register("date_shift")
def date_shift_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    by_column: ColumnName,
    max_days: MaxDays = 30,
    by_entity: str | None = None,
) -> pl.Expr:
    return date_shift(
        expr,
        subject=pl.col(by_column),
        key=ctx.key,
        max_days=max_days,
        # the plan's entity of the subject column unless the params name one
        subject_entity=by_entity or ctx.column_entities.get(by_column),
        phone_region=ctx.phone_region,
    )
