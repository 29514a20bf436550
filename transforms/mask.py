"""Mask: hide characters behind a mask character, keeping a few at either end.

Masking keeps the length of what it hides. When the characters to keep would reveal
the whole value, all of it is masked instead (``keep_last=4`` on ``"1234"`` gives
``"****"``). Masking is idempotent: masking a masked value changes nothing.
"""

from __future__ import annotations

from typing import Annotated

import polars as pl
import pydantic

from transforms.registry import ActionContext, register

KeepCount = Annotated[int, pydantic.Field(ge=0, le=1000)]
MaskChar = Annotated[str, pydantic.Field(min_length=1, max_length=1, pattern=r"^[^@\s]$")]


def mask(
    expr: pl.Expr,
    *,
    keep_first: int = 0,
    keep_last: int = 0,
    keep_email_domain: bool = False,
    char: str = "*",
) -> pl.Expr:
    """Mask each value; with ``keep_email_domain`` an address keeps ``@domain`` and
    ``keep_first``/``keep_last`` apply to its local part (``jane@x.com`` -> ``****@x.com``).
    Null stays null, ``""`` stays ``""``."""
    if len(char) != 1 or char == "@":
        raise ValueError("char must be one character other than '@'")
    if keep_first < 0 or keep_last < 0:
        raise ValueError("keep_first and keep_last must not be negative")
    text = expr.cast(pl.String)
    if not keep_email_domain:
        return _mask_part(text, keep_first, keep_last, char)
    local = text.str.extract(r"^(.*)@[^@]*$", 1)
    domain = text.str.extract(r"@([^@]*)$", 1)
    as_email = pl.concat_str(_mask_part(local, keep_first, keep_last, char), pl.lit("@"), domain)
    return (
        pl.when(text.str.contains("@", literal=True))
        .then(as_email)
        .otherwise(_mask_part(text, keep_first, keep_last, char))
    )


def _mask_part(text: pl.Expr, keep_first: int, keep_last: int, char: str) -> pl.Expr:
    length = text.str.len_chars().cast(pl.Int64)
    kept = keep_first + keep_last
    all_masked = pl.lit("").str.pad_start(length, char)
    hidden_middle = pl.lit("").str.pad_start((length - kept).clip(lower_bound=0), char)
    partly_masked = pl.concat_str(
        text.str.head(keep_first), hidden_middle, text.str.tail(keep_last)
    )
    return pl.when(length > kept).then(partly_masked).otherwise(all_masked)


@register("mask")
def mask_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    keep_first: KeepCount = 0,
    keep_last: KeepCount = 0,
    keep_email_domain: bool = False,
    char: MaskChar = "*",
) -> pl.Expr:
    return mask(
        expr,
        keep_first=keep_first,
        keep_last=keep_last,
        keep_email_domain=keep_email_domain,
        char=char,
    )
