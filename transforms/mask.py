"""Mask: hide characters behind a mask character, keeping a few at either end.

A value is masked as the other actions read it: without surrounding spaces or the
apostrophe a spreadsheet export puts before a number. Masking keeps the length of what
it hides. When the characters to keep would reveal
the whole value, all of it is masked instead (``keep_last=4`` on ``"1234"`` gives
``"****"``). Masking is idempotent: masking a masked value changes nothing.
"""

from __future__ import annotations

from typing import Annotated

import polars as pl
import pydantic

from transforms.normalise import LEADING_APOSTROPHES as _LEADING_APOSTROPHES
from transforms.normalise import as_text
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
    A value with no or several ``@`` is masked as a whole. Null stays null, ``""`` stays
    ``""``."""
    if len(char) != 1 or char == "@":
        raise ValueError("char must be one character other than '@'")
    if keep_first < 0 or keep_last < 0:
        raise ValueError("keep_first and keep_last must not be negative")
    # what every other action reads: no padding, nor Keap's apostrophe before a phone
    # number ('+44 20 7946 0123   kept its last four as "3   ")
    text = as_text(expr).str.strip_chars().str.replace(_LEADING_APOSTROPHES, "").str.strip_chars()
    if not keep_email_domain:
        return _mask_part(text, keep_first, keep_last, char)
    local_and_domain = text.str.split_exact("@", 1)
    as_email = pl.concat_str(
        _mask_part(local_and_domain.struct.field("field_0"), keep_first, keep_last, char),
        pl.lit("@"),
        local_and_domain.struct.field("field_1"),
    )
    return (
        pl.when(text.str.count_matches("@", literal=True) == 1)
        .then(as_email)
        .otherwise(_mask_part(text, keep_first, keep_last, char))
    )


def _mask_part(text: pl.Expr, keep_first: int, keep_last: int, char: str) -> pl.Expr:
    length = text.str.len_chars().cast(pl.Int64)
    # Keep nothing when keeping would show every character.
    shows_some = length > keep_first + keep_last
    first = pl.when(shows_some).then(pl.lit(keep_first)).otherwise(pl.lit(0))
    last = pl.when(shows_some).then(pl.lit(keep_last)).otherwise(pl.lit(0))
    hidden = pl.lit("").str.pad_start(length - first - last, char)
    return pl.concat_str(text.str.head(first), hidden, text.str.tail(last))


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
