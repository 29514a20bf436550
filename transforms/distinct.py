"""Compute once per distinct value of a column and map the answers back.

Some transforms need Python (phonenumbers, AES-SIV, ``str.casefold``); running them
once per row would make the hot path a Python loop, so they run once per *distinct*
value and a vectorised lookup puts the answers back. CRM columns repeat a lot
(countries, companies, the same contact in many rows), so this is cheap.

Transforms built from many Polars steps over one value (a fake, an age band) use
``map_distinct_expr``: Polars does not share a sub-expression used several times in
one expression, so these steps run on a materialised column of the distinct values,
each step once.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

ValueFunction = Callable[[str], "str | None"]
SeriesFunction = Callable[[pl.Series], pl.Series]
ExprBuilder = Callable[[pl.Expr], pl.Expr]
_STRING = pl.String()


def map_distinct(
    expr: pl.Expr, function: ValueFunction, *, return_dtype: pl.DataType = _STRING
) -> pl.Expr:
    """Apply ``function`` to each distinct non-null string once; nulls stay null."""

    def per_series(values: pl.Series) -> pl.Series:
        return pl.Series(values.name, [function(v) for v in values.to_list()], dtype=return_dtype)

    return map_distinct_series(expr.cast(pl.String), per_series, return_dtype=return_dtype)


def map_distinct_expr(
    expr: pl.Expr, build: ExprBuilder, *, return_dtype: pl.DataType = _STRING
) -> pl.Expr:
    """``build(pl.col(...))`` evaluated on the distinct non-null values of ``expr`` only."""

    # Built once: what the expression learns of the values stays for its next call.
    built = build(pl.col("value"))

    def per_series(values: pl.Series) -> pl.Series:
        return values.to_frame("value").select(built).to_series()

    return map_distinct_series(expr, per_series, return_dtype=return_dtype)


def map_distinct_series(
    expr: pl.Expr, function: SeriesFunction, *, return_dtype: pl.DataType = _STRING
) -> pl.Expr:
    """Apply a Series -> Series ``function`` to the distinct non-null values only.

    ``function`` gets the distinct values (any order) and must return one value for each,
    in the same order.
    """

    def replace_by_distinct(column: pl.Series) -> pl.Series:
        distinct = column.drop_nulls().unique()
        mapped = function(distinct)
        if len(mapped) != len(distinct):
            raise RuntimeError("a per-distinct function returned the wrong number of values")
        # A left join maps the answers back faster than ``replace_strict`` (1M rows:
        # 0.66 -> 0.42 s all distinct, 0.19 -> 0.13 s with 157k distinct notes).
        lookup = pl.DataFrame({"value": distinct, "mapped": mapped.cast(return_dtype)})
        joined = column.to_frame("value").join(
            lookup, on="value", how="left", maintain_order="left"
        )
        return joined.get_column("mapped").rename(column.name)

    # Not marked elementwise on purpose: Polars would then call it once per chunk (a
    # CSV read can give hundreds), and the Python work would run per chunk's distinct
    # values, nearly once per row. The answer is the same either way.
    return expr.map_batches(replace_by_distinct, return_dtype=return_dtype)
