"""Reading dates written as text, shared by generalise, fake and date_shift.

CRM exports write dates as ISO (``2024-03-01``, ``2024-03-01 13:45[:07[.123]]``,
``2024-03-01T13:45:07Z``), day-first (``01/03/2024``, ``01.03.2024``), or with the
month's name (``July 4, 1971``, ``4 Jul 1971``), with or without a time. Month-first
American dates are not read: taken value by value, ``07/21/1970`` would be read and
``03/04/1985`` misread as 3 April; left unread they are counted (``nulled``). Only
the calendar date as written is kept: a time zone offset does not move it. Anything
else, and impossible dates such as ``2024-02-30``, read as null.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from transforms.distinct import map_distinct_expr

_TIME: Final = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_MONTH: Final = r"[A-Za-z]{3,9}\.?"
# (pattern capturing the date part, the strptime format of that part), tried in order;
# a month's name loses its commas and full stops first ("Jul. 4, 1971").
_DATE_SHAPES: Final = (
    (rf"^(\d{{4}}-\d{{1,2}}-\d{{1,2}}){_TIME}$", "%Y-%m-%d"),
    (rf"^(\d{{4}}/\d{{1,2}}/\d{{1,2}}){_TIME}$", "%Y/%m/%d"),
    (rf"^(\d{{1,2}}/\d{{1,2}}/\d{{4}}){_TIME}$", "%d/%m/%Y"),
    (rf"^(\d{{1,2}}\.\d{{1,2}}\.\d{{4}}){_TIME}$", "%d.%m.%Y"),
    (rf"^({_MONTH} \d{{1,2}},? \d{{4}}){_TIME}$", "%B %d %Y"),
    (rf"^(\d{{1,2}} {_MONTH},? \d{{4}}){_TIME}$", "%d %B %Y"),
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
            _without_punctuation(text.str.extract(pattern, 1), date_format).str.to_date(
                date_format, strict=False
            )
            for pattern, date_format in _DATE_SHAPES
        ]
    )


def _without_punctuation(date_part: pl.Expr, date_format: str) -> pl.Expr:
    if "%B" not in date_format:
        return date_part
    return date_part.str.replace_all(r"[,.]", "").str.replace(r"(?i)\bsept\b", "Sep")


def format_date(expr: pl.Expr) -> pl.Expr:
    """ISO ``YYYY-MM-DD`` text of a Date expression."""
    return expr.dt.strftime("%Y-%m-%d")
