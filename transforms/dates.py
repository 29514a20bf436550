"""Reading dates written as text, shared by generalise, fake and date_shift.

CRM exports write dates as ISO (``2024-03-01``, ``2024-03-01 13:45[:07[.123]]``,
``2024-03-01T13:45:07Z``) or day-first (``01/03/2024``, ``01.03.2024``), with or without
a time. Only the calendar date as written is kept: a time zone offset does not move
it. Anything else, and impossible dates such as ``2024-02-30``, read as null.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from transforms.distinct import map_distinct_expr

_TIME: Final = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
# (pattern capturing the date part, the strptime format of that part)
_DATE_SHAPES: Final = (
    (rf"^(\d{{4}}-\d{{1,2}}-\d{{1,2}}){_TIME}$", "%Y-%m-%d"),
    (rf"^(\d{{4}}/\d{{1,2}}/\d{{1,2}}){_TIME}$", "%Y/%m/%d"),
    (rf"^(\d{{1,2}}/\d{{1,2}}/\d{{4}}){_TIME}$", "%d/%m/%Y"),
    (rf"^(\d{{1,2}}\.\d{{1,2}}\.\d{{4}}){_TIME}$", "%d.%m.%Y"),
)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """The date in each value as ``pl.Date``; null where there is none.

    Works on text and on Date or Datetime columns (cast to their ISO text first). The
    shapes are tried once per distinct value: a million birthdays hold some 30,000 dates.
    """
    return map_distinct_expr(expr.cast(pl.String), _parse, return_dtype=pl.Date())


def _parse(text: pl.Expr) -> pl.Expr:
    text = text.str.strip_chars()
    return pl.coalesce(
        [
            text.str.extract(pattern, 1).str.to_date(date_format, strict=False)
            for pattern, date_format in _DATE_SHAPES
        ]
    )


def format_date(expr: pl.Expr) -> pl.Expr:
    """ISO ``YYYY-MM-DD`` text of a Date expression."""
    return expr.dt.strftime("%Y-%m-%d")
