"""``csv_reader.as_frame``: Arrow's ``string`` columns, cast to ``string_view`` by Arrow,
give the frame Polars' own import gives."""

from __future__ import annotations

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.io.csv_reader import as_frame

# Short values sit inside their view, longer ones in a buffer: both kinds, and nulls.
VALUE = st.one_of(st.none(), st.text(max_size=4), st.text(min_size=12, max_size=40))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(st.lists(VALUE, min_size=width, max_size=width), max_size=30),
            min_size=1,
            max_size=4,
        )
    )
)
def test_the_frame_is_polars_own_import_of_the_table(chunks: list[list[list[str | None]]]) -> None:
    width = max((len(row) for rows in chunks for row in rows), default=1)
    names = [f"c{i}" for i in range(width)]
    schema = pa.schema([(n, pa.string()) for n in names])
    batches = [
        pa.record_batch(
            [pa.array([row[i] for row in rows], pa.string()) for i in range(width)],
            schema=schema,
        )
        for rows in chunks
    ]
    table = pa.Table.from_batches(batches, schema=schema)

    frame = as_frame(table)

    expected = pl.from_arrow(table)
    assert isinstance(expected, pl.DataFrame)
    assert_frame_equal(frame, expected)
    assert frame.schema == dict.fromkeys(names, pl.String)


def test_a_table_without_rows_keeps_its_columns() -> None:
    table = pa.table({"a": pa.array([], pa.string()), "b": pa.array([], pa.string())})

    frame = as_frame(table)

    assert frame.height == 0
    assert frame.schema == {"a": pl.String, "b": pl.String}
