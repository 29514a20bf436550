from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.io.blank_rows import drop_blank_rows, is_blank_record


@pytest.mark.parametrize(
    ("columns", "kept", "blank"),
    [
        ({"a": ["1", None, "2"], "b": ["x", None, None]}, [0, 2], 1),
        ({"a": [" ", "\t", "\u00a0", ""], "b": [None, " \r\n", None, "x"]}, [3], 3),
        ({"a": [None, None], "b": [None, None]}, [], 2),
        ({"a": ["é", "0"], "b": [" é ", "00"]}, [0, 1], 0),  # unicode and zeros are data
        ({"a": ["\u200b"]}, [0], 0),  # a zero-width space is not whitespace: kept
        ({"a": []}, [], 0),  # an empty frame
    ],
)
def test_drop_blank_rows(columns: dict[str, list[str | None]], kept: list[int], blank: int) -> None:
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    result, count = drop_blank_rows(frame)
    assert count == blank
    assert_frame_equal(result, frame[kept])


def test_blank_check_narrows_from_the_fullest_column() -> None:
    # Column "sparse" is mostly null; a row is blank only if every column agrees.
    frame = pl.DataFrame(
        {"sparse": [None] * 5 + [" "], "full": ["1", "2", " ", "4", "5", None]},
        schema={"sparse": pl.String, "full": pl.String},
    )
    result, count = drop_blank_rows(frame)
    assert count == 2
    assert_frame_equal(result, frame[[0, 1, 3, 4]])


@pytest.mark.parametrize(
    ("fields", "blank"),
    [([], True), ([""], True), (["", " ", "\t"], True), (["", "x"], False), (['"'], False)],
)
def test_is_blank_record(fields: list[str], blank: bool) -> None:
    assert is_blank_record(fields) is blank
