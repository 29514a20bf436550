from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from transforms.distinct import map_distinct, map_distinct_series

from .conftest import frame, run


def test_map_distinct_calls_python_once_per_distinct_value() -> None:
    seen: list[str] = []

    def shout(value: str) -> str:
        seen.append(value)
        return value.upper()

    out = run(map_distinct(pl.col("x"), shout), ["a", "b", None, "a", "", "b"] * 500)
    assert sorted(seen) == ["", "a", "b"]
    assert out[:6] == ["A", "B", None, "A", "", "B"]


def test_map_distinct_on_an_empty_frame() -> None:
    out = frame([]).select(map_distinct(pl.col("x"), str.upper))
    assert_frame_equal(out, frame([]))


def test_map_distinct_on_only_nulls() -> None:
    assert run(map_distinct(pl.col("x"), str.upper), [None, None]) == [None, None]


def test_map_distinct_keeps_the_column_name_and_row_order() -> None:
    values = [str(i % 7) for i in range(100)]
    out = frame(values, "Phone").select(map_distinct(pl.col("Phone"), lambda v: v + "!"))
    assert_frame_equal(out, frame([v + "!" for v in values], "Phone"))


def test_map_distinct_series_gets_distinct_values_only() -> None:
    sizes: list[int] = []

    def lengths(values: pl.Series) -> pl.Series:
        sizes.append(len(values))
        return values.str.len_chars().cast(pl.String)

    assert run(map_distinct_series(pl.col("x"), lengths), ["ab", "ab", "c", None]) == [
        "2",
        "2",
        "1",
        None,
    ]
    assert sizes == [2]
