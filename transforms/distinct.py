"""Compute a Python function once per distinct value of a column and map it back.

Some transforms need Python (phonenumbers, Faker, AES-SIV, ``str.casefold``). Running
them once per row would make the hot path a Python loop; running them once per
*distinct* value and replacing back keeps it a vectorised lookup. CRM columns repeat a
lot (countries, companies, the same contact in many rows), so this is also the cheapest
way to call Python at all.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

ValueFunction = Callable[[str], "str | None"]
SeriesFunction = Callable[[pl.Series], pl.Series]
_STRING = pl.String()


def map_distinct(
    expr: pl.Expr, function: ValueFunction, *, return_dtype: pl.DataType = _STRING
) -> pl.Expr:
    """Apply ``function`` to each distinct non-null string once; nulls stay null."""

    def per_series(values: pl.Series) -> pl.Series:
        return pl.Series(values.name, [function(v) for v in values.to_list()], dtype=return_dtype)

    return map_distinct_series(expr, per_series, return_dtype=return_dtype)


def map_distinct_series(
    expr: pl.Expr, function: SeriesFunction, *, return_dtype: pl.DataType = _STRING
) -> pl.Expr:
    """Apply a Series -> Series ``function`` to the distinct non-null values only.

    ``function`` gets the distinct values (any order) and must return one value for each,
    in the same order.
    """

    def replace_by_distinct(column: pl.Series) -> pl.Series:
        column = column.cast(pl.String)
        distinct = column.drop_nulls().unique()
        mapped = function(distinct)
        if len(mapped) != len(distinct):
            raise RuntimeError("a per-distinct function returned the wrong number of values")
        return column.replace_strict(
            distinct, mapped.cast(return_dtype), default=None, return_dtype=return_dtype
        )

    # Value-wise, so streaming may call it per chunk and the answer stays the same.
    return expr.cast(pl.String).map_batches(
        replace_by_distinct, return_dtype=return_dtype, is_elementwise=True
    )
