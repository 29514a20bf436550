from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.dates import format_date, parse_date

from .conftest import frame, run


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-3-1", date(2024, 3, 1)),
        ("2024/03/01", date(2024, 3, 1)),
        ("01/03/2024", date(2024, 3, 1)),  # day first, as UK exports write it
        ("1/3/2024", date(2024, 3, 1)),
        ("01.03.2024", date(2024, 3, 1)),
        ("2024-03-01 13:45", date(2024, 3, 1)),
        ("2024-03-01 13:45:07", date(2024, 3, 1)),
        ("2024-03-01T13:45:07.123456", date(2024, 3, 1)),
        ("2024-03-01T23:45:07+05:00", date(2024, 3, 1)),  # the date as written, not UTC
        ("2024-03-01T13:45:07Z", date(2024, 3, 1)),
        ("01/03/2024 09:00", date(2024, 3, 1)),
        (" 2024-03-01 ", date(2024, 3, 1)),
        ("07/21/1970", None),  # month first: not read, rather than half misread
        ("05/06/2001", date(2001, 6, 5)),  # day first
        ("July 4, 1971", date(1971, 7, 4)),
        ("Jul. 4 1971", date(1971, 7, 4)),
        ("4 July 1971", date(1971, 7, 4)),
        ("4 jul, 1971 10:00", date(1971, 7, 4)),
        ("Sept 4, 1971", date(1971, 9, 4)),
        ("Juli 4, 1971", None),  # English month names only
        ("1980", None),  # a year is no date
        ("2024-02-30", None),  # no such day
        ("13/13/2024", None),
        ("March 1st", None),
        ("x2024-03-01", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: date | None) -> None:
    assert run(parse_date(pl.col("x")), [value]) == [expected]


def test_parse_date_reads_date_and_datetime_columns() -> None:
    typed = pl.DataFrame({"d": [date(1990, 7, 3)], "t": [datetime(1990, 7, 3, 23, 59)]})
    out = typed.select(parse_date(pl.col("d")), parse_date(pl.col("t")))
    assert_frame_equal(out, pl.DataFrame({"d": [date(1990, 7, 3)], "t": [date(1990, 7, 3)]}))


def test_parse_and_format_an_empty_frame() -> None:
    out = frame([]).select(format_date(parse_date(pl.col("x"))))
    assert_frame_equal(out, frame([]))
