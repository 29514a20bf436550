"""Keep, redact and drop: the actions that need no key.

``drop`` removes the whole column: the caller asks ``is_column_drop(name)`` and drops
it; as an expression it gives nulls, in case a caller applies it as a value action.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from transforms.registry import ActionContext, register

DEFAULT_LABEL: Final = "<REDACTED>"


def redact(expr: pl.Expr, *, label: str = DEFAULT_LABEL) -> pl.Expr:
    """``label`` for every non-blank value; null stays null, blank becomes ``""``."""
    stripped = expr.cast(pl.String).str.strip_chars()
    return pl.when(stripped != "").then(pl.lit(label)).otherwise(stripped).name.keep()


def label_for(entity: str | None) -> str:
    """``<EMAIL_ADDRESS>`` for a known entity, ``<REDACTED>`` otherwise."""
    return f"<{entity.upper()}>" if entity else DEFAULT_LABEL


def all_null(expr: pl.Expr) -> pl.Expr:
    """Null for every row, as text, keeping the row count."""
    return pl.when(pl.lit(False)).then(expr.cast(pl.String))


@register("keep")
def keep_action(expr: pl.Expr, *, ctx: ActionContext) -> pl.Expr:
    return expr


@register("redact")
def redact_action(expr: pl.Expr, *, ctx: ActionContext, label: str | None = None) -> pl.Expr:
    return redact(expr, label=label_for(ctx.entity) if label is None else label)


@register("drop", drops_column=True)
def drop_action(expr: pl.Expr, *, ctx: ActionContext) -> pl.Expr:
    return all_null(expr)
