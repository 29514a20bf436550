from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.spans import running_sum_within


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9)), max_size=40))
def test_running_sum_within_contiguous_groups_is_the_windowed_sum(
    rows: list[tuple[int, int]],
) -> None:
    frame = pl.DataFrame(rows, schema={"group": pl.Int64, "value": pl.Int64}, orient="row")
    # groups must be contiguous: sort by group, keeping the values' order inside each
    frame = frame.with_row_index("i").sort("group", "i")
    got = frame.select(running_sum_within(pl.col("value"), "group")).to_series()
    want = frame.select(pl.col("value").cum_sum().over("group")).to_series()
    assert got.to_list() == want.to_list()


def test_a_group_restarts_even_when_it_comes_back() -> None:
    frame = pl.DataFrame({"group": ["a", "a", "b", "a"], "value": [1, 2, 3, 4]})
    got = frame.select(running_sum_within(pl.col("value"), "group")).to_series()
    assert got.to_list() == [1, 3, 3, 4]  # a run of a group is a group of its own
