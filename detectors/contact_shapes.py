"""Whole cells shaped as an e-mail address or a phone number, told apart from ids,
amounts, dates, versions and coordinates by their shape alone.

A phone number here is written as exports write one: international (``+44 20 7946
0123``, ``0044 ...``), national with its trunk 0 and separators (``020 7946 0123``,
``(020) 7946-0123``), or North American (``(415) 555-0132``, ``415.555.0133``), with 9
to 15 digits. A bare run of digits (an id, ``0338948189``), a decimal (``12345678.90``,
``51.5073509``), a version (``10.0.19045``) or a date is not one: matched as phone
numbers, they would drop or erase other people's rows.
"""

from __future__ import annotations

from typing import Final

import polars as pl

EMAIL_SHAPE: Final = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
_INTERNATIONAL: Final = r"(?:\+|00)[1-9][\d\s().\-/]*\d"
_NATIONAL: Final = r"\(?0\d[\d\s()\-/]*[\s()\-/][\d\s()\-/]*\d"  # a separator at least
_NORTH_AMERICAN: Final = r"\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}"
PHONE_SHAPE: Final = rf"^\s*'?\s*(?:{_INTERNATIONAL}|{_NATIONAL}|{_NORTH_AMERICAN})\s*$"
PHONE_DIGITS: Final = (9, 15)


def is_phone_shaped(cells: pl.Expr) -> pl.Expr:
    """Whether each cell is a phone number as written in an export (see above)."""
    low, high = PHONE_DIGITS
    return cells.str.contains(PHONE_SHAPE) & cells.str.count_matches(r"\d").is_between(low, high)


def is_email_shaped(cells: pl.Expr) -> pl.Expr:
    return cells.str.contains(EMAIL_SHAPE)
