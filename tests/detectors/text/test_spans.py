from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.spans import (
    CELLS,
    ROW,
    TEXT,
    distinct_texts,
    in_their_cells,
    locate,
    mostly_matching,
    running_sum_within,
    searchable,
)


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


# Patterns whose matches Python's ``re`` and Rust's regex agree on (none matches empty).
LOCATED = [r"\d+", r"[A-Z][a-z]*(?: [A-Z][a-z]*)*", r"ab|a", r"\bé\w*", r"\d(?:[ -]?\d){2}"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="aAbBé1 2-\n\x00xZ", max_size=25), min_size=1, max_size=8),
    st.booleans(),
)
def test_locate_finds_what_python_finds(texts: list[str], marked: bool) -> None:
    if not marked:  # the mark (NUL) in a text takes the other way of finding offsets
        texts = [t.replace("\x00", "") for t in texts]
    frame = pl.DataFrame({TEXT: texts}).with_row_index(ROW)
    for pattern in LOCATED:
        got = sorted(locate(frame, pattern).rows())
        want = sorted(
            (row, m.start(), m.end(), m.group())
            for row, text in enumerate(texts)
            for m in re.finditer(pattern, text)
        )
        assert got == want, pattern


@pytest.mark.parametrize("marked", [False, True])
def test_locate_without_the_filter_on_a_mostly_matching_frame(marked: bool) -> None:
    # 12,000 texts, nine in ten with digits: the filter is skipped, and the texts
    # without a match must give no row
    texts = [f"call {i} or {i * 7}-{i % 13}" if i % 10 != 3 else "no digits" for i in range(12_000)]
    if marked:
        texts[5] = "a \x00 mark 12"
    frame = pl.DataFrame({TEXT: texts}).with_row_index(ROW)
    assert mostly_matching(frame, r"\d+")
    assert not mostly_matching(frame, r"call 1\d")
    got = locate(frame, r"\d+").rows()
    want = [
        (row, m.start(), m.end(), m.group())
        for row, text in enumerate(texts)
        for m in re.finditer(r"\d+", text)
    ]
    assert got == want


_CELL_TEXTS = st.one_of(st.none(), st.sampled_from(["", "a", "Zoë Åsa", "x" * 40]), st.text())


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL_TEXTS, max_size=60))
def test_distinct_texts_put_back_in_their_cells_are_the_column(cells: list[str | None]) -> None:
    column = pl.Series("notes", cells, dtype=pl.String)
    groups = distinct_texts(column)
    texts = groups.get_column(TEXT)
    assert texts.len() == texts.n_unique() == column.n_unique()  # each value once
    assert groups.get_column(ROW).to_list() == list(range(groups.height))
    for text, rows in zip(texts.to_list(), groups.get_column(CELLS).to_list(), strict=True):
        assert rows
        assert all(cells[row] == text for row in rows)
    assert in_their_cells(texts, groups.get_column(CELLS)).to_list() == cells
    # what is searched: the texts with something in them, under their row numbers
    held = searchable(groups)
    assert set(held.get_column(TEXT).to_list()) == {c for c in cells if c}
    assert held.get_column(TEXT).to_list() == texts.gather(held.get_column(ROW)).to_list()
