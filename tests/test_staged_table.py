"""A staged table draws a column's sample without converting the column: the sample
must be the one a whole run draws from the same column, or plans would differ."""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymise.staged_table import StagedTable
from detectors.sampling import draw_cells, sample_column, sample_of


def _table(values: list[str | None], batch_rows: int) -> StagedTable:
    column = pa.array(values, type=pa.string())
    table = pa.table({"v": column, "other": column})
    return StagedTable(table.schema, table.to_batches(max_chunksize=batch_rows))


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.text(max_size=4)), max_size=300),
    batch_rows=st.integers(1, 64),
    size=st.integers(1, 120),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_staged_table_draws_the_sample_a_whole_column_gives(
    values: list[str | None], batch_rows: int, size: int, seed: int
) -> None:
    table = _table(values, batch_rows)
    whole = table.get_column("v")
    expected, expected_count = draw_cells(whole, size=size, seed=seed)
    drawn, count = table.draw_cells("v", size=size, seed=seed)
    assert count == expected_count
    assert drawn.to_list() == expected.to_list()
    assert sample_of(table, "v", size=size, seed=seed) == sample_column(whole, size=size, seed=seed)
