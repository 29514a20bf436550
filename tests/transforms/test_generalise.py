from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from transforms.generalise import (
    age_band,
    bucket,
    generalise_date,
    outward_code,
    round_coordinates,
)
from transforms.registry import ActionContext, apply_action

from .conftest import columns, frame, run

ON = date(2024, 7, 3)


@pytest.mark.parametrize(
    ("value", "year", "year_month"),
    [
        ("1984-07-03", "1984", "1984-07"),
        ("03/07/1984", "1984", "1984-07"),
        ("1984-07-03 10:11:12", "1984", "1984-07"),
        ("07/21/1970", None, None),  # month first is not read
        ("July 4, 1971", "1971", "1971-07"),
        ("1980", "1980", None),  # a year alone is its own year, and no month
        (" 1980 ", "1980", None),
        ("0042", None, None),
        ("someday", None, None),
        ("", "", ""),  # blank stays blank
        (None, None, None),
    ],
)
def test_year_and_year_month(value: str | None, year: str | None, year_month: str | None) -> None:
    assert run(generalise_date(pl.col("x"), to="year"), [value]) == [year]
    assert run(generalise_date(pl.col("x"), to="year_month"), [value]) == [year_month]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        ("1984-07-03", "40-49"),  # 40 on the day
        ("1984-07-04", "30-39"),  # 40 tomorrow
        ("1994-08-01", "20-29"),
        ("2024-07-03", "0-9"),
        ("2025-01-01", None),  # not born yet
        ("1850-01-01", None),  # no one is 174
        ("1930-01-01", "90-99"),
        ("29/02/2000", "20-29"),
        ("garbage", None),
        ("", ""),
        (None, None),
    ],
)
def test_age_band(born: str | None, band: str | None) -> None:
    assert run(age_band(pl.col("x"), reference_date=ON), [born]) == [band]


def test_age_band_width_and_top() -> None:
    births = ["1984-07-03", "1930-01-01", "2010-01-01"]
    out = run(age_band(pl.col("x"), reference_date=ON, width=5, top=80), births)
    assert out == ["40-44", "80+", "10-14"]


@pytest.mark.parametrize(
    ("postcode", "outward"),
    [
        ("SW1A 1AA", "SW1A"),
        ("sw1a1aa", "SW1A"),
        ("M1 1AE", "M1"),
        ("  B33  8TH ", "B33"),
        ("EC1A", "EC1A"),  # already an outward code: idempotent
        ("GIR 0AA", "GIR"),
        ("75001", "75"),  # France
        ("1010", "10"),  # Austria
        ("90210-1234", "90"),  # ZIP+4
        ("1012 AB", "10"),  # the Netherlands
        ("1012ab", "10"),
        ("00-950", "00"),  # Poland
        ("1000-001", "10"),  # Portugal
        ("K1A 0B1", "K1A"),  # Canada
        ("D02 X285", "D02"),  # Ireland
        ("d6w1234", "D6W"),
        ("123", None),
        ("12-34", None),
        ("ABC", None),
        ("", ""),
        (None, None),
    ],
)
def test_outward_code(postcode: str | None, outward: str | None) -> None:
    assert run(outward_code(pl.col("x")), [postcode]) == [outward]


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("51.5074", 2, "51.51"),
        ("51.5074, -0.1278", 2, "51.51, -0.13"),
        ("51.5074,-0.1278", 1, "51.5, -0.1"),
        ("12", 2, "12.00"),
        ("51.5074", 0, "52"),
        ("north", 2, None),
        ("51.5, west", 2, None),  # one unreadable half spoils the pair
        ("", 2, ""),
        (None, 2, None),
    ],
)
def test_round_coordinates(value: str | None, decimals: int, expected: str | None) -> None:
    assert run(round_coordinates(pl.col("x"), decimals=decimals), [value]) == [expected]


def test_round_coordinates_from_floats() -> None:
    floats = pl.DataFrame({"x": [51.5074, None, -0.1278]})
    out = floats.select(round_coordinates(pl.col("x"), decimals=2))
    assert_frame_equal(out, frame(["51.51", None, "-0.13"]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "1000-1999"),
        ("£1,999", "1000-1999"),
        ("999", "0-999"),
        ("-5", "-1000--1"),
        ("12 500", "12000-12999"),
        ("1.234,50", "1000-1999"),  # a decimal comma, as German and French exports write
        ("€1.500,00", "1000-1999"),
        ("1,234.50", "1000-1999"),
        ("-12,50", "-1000--1"),
        ("2,5", "0-999"),
        ("1,234,567", "1234000-1234999"),
        ("0.125", "0-999"),  # a zero before the mark: decimals
        ("0,125", "0-999"),
        ("€0.250", "0-999"),
        ("lots", None),
        ("", ""),
        (None, None),
    ],
)
def test_bucket(value: str | None, expected: str | None) -> None:
    assert run(bucket(pl.col("x"), width=1000), [value]) == [expected]


def test_bucket_from_integers() -> None:
    out = pl.DataFrame({"x": [0, 15, None]}).select(bucket(pl.col("x"), width=10))
    assert_frame_equal(out, frame(["0-9", "10-19", None]))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"to": "year"}, "1984"),
        ({"to": "age_band", "reference_date": "2024-07-03"}, "40-49"),  # ISO text is fine
        ({"to": "age_band", "reference_date": ON, "width": 20}, "40-59"),
    ],
)
def test_the_action(
    params: dict[str, object], expected: str, make_ctx: Callable[..., ActionContext]
) -> None:
    out = run(apply_action("generalise", pl.col("x"), make_ctx(), params), ["1984-07-03"])
    assert out == [expected]


def test_age_band_defaults_to_today(make_ctx: Callable[..., ActionContext]) -> None:
    out = run(
        apply_action("generalise", pl.col("x"), make_ctx(), {"to": "age_band"}), ["2000-01-01"]
    )
    age = date.today().year - 2000
    assert out == [f"{age // 10 * 10}-{age // 10 * 10 + 9}"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"to": "year", "width": 10}, r"^action 'generalise': param 'width' does not apply to"),
        ({"to": "bucket"}, r"^action 'generalise': to='bucket' needs the param 'width'$"),
        ({"to": "bucket", "width": 0}, r"^action 'generalise': param 'width': .*greater than 0"),
        ({"to": "decimals", "decimals": 11}, r"^action 'generalise': param 'decimals': "),
        ({"to": "age_band", "reference_date": "soon"}, r"^action 'generalise': param 'reference_"),
    ],
)
def test_bad_params(
    params: dict[str, object], message: str, make_ctx: Callable[..., ActionContext]
) -> None:
    with pytest.raises(ConfigError, match=message):
        apply_action("generalise", pl.col("x"), make_ctx(), params)


@pytest.mark.parametrize(
    "expr",
    [
        generalise_date(pl.col("x"), to="year"),
        age_band(pl.col("x"), reference_date=ON),
        outward_code(pl.col("x")),
        round_coordinates(pl.col("x")),
        bucket(pl.col("x"), width=10),
    ],
)
def test_on_an_empty_frame(expr: pl.Expr) -> None:
    assert_frame_equal(frame([]).select(expr), frame([]))


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_rows_and_nulls_are_kept(values: list[str | None]) -> None:
    for expr in (outward_code(pl.col("x")), bucket(pl.col("x"), width=10)):
        out = run(expr, values)
        assert len(out) == len(values)
        assert all(o is None for o, v in zip(out, values, strict=True) if v is None)


def test_bucket_reads_a_column_of_decimal_commas_alike() -> None:
    # "1.234" beside "1.234,00" is one thousand two hundred and thirty-four: it was
    # read as 1.234 and bucketed a thousand times too low. Value by value: a mark before
    # three digits groups thousands, so a run in batches reads each value alike
    german = ["1.234", "1.234,00", "12.500", "12.500,00", "1.234.567", "-0,5"]
    assert run(bucket(pl.col("x"), width=1000), german) == [
        "1000-1999", "1000-1999", "12000-12999", "12000-12999", "1234000-1234999", "-1000--1",
    ]  # fmt: skip
    english = ["1,234", "1,234.00", "12.5", "1,234,567"]
    assert run(bucket(pl.col("x"), width=1000), english) == [
        "1000-1999", "1000-1999", "0-999", "1234000-1234999",
    ]  # fmt: skip


def test_bucket_reads_a_zero_and_three_decimals_as_decimals() -> None:
    # "0.125" was read as 125: width 1 tells it from a number below one
    cells = ["0.125", "0,125", "€0.250", "1.250"]
    assert run(bucket(pl.col("x"), width=1), cells) == ["0-0", "0-0", "0-0", "1250-1250"]
