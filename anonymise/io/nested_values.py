"""JSON and Parquet inputs whose columns are not one value a cell, or whose field names
are e-mail addresses, are refused, naming fields by position only.

Detection, the suppression list and every action read a value as text, as a CSV's
values are. A list or a record is not one value: read as its JSON text, a record of a
person's first and last name is no longer recognised as a name and would be kept, and
a list of e-mail addresses would never match the suppression list. Polars reads an
NDJSON field that is a record in one line and a string in another as text, each record
written as JSON; the reader finds those columns in the lines themselves
(``json_reader.nested_as_text``), so a string that is JSON text (``"tags": "[]"``) is
read as a string. A JSON object keyed by person (``{"ann@example.com": {...}}``) has the people as
its field names, which go where values never may (plans, reports, errors): hence
positions only. Erasure refuses such datasets too (``erasure.rewrite.load_dataset``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

import polars as pl

from anonymise.errors import InputError
from anonymise.io.header_values import flagged_cells, values_in_header

_LISTS: Final = (pl.List, pl.Array)
_NESTED: Final = (*_LISTS, pl.Struct, pl.Object)
_NAMED_AT_MOST: Final = 5
_ROWS_COMPARED: Final = 1000  # rows read for the cells under a field named by a number


def refuse_nested(source: str, frame: pl.DataFrame, nested_as_text: Sequence[int] = ()) -> None:
    """``InputError`` for field names that are e-mail addresses, then for columns of
    lists or records, and the NDJSON text columns the reader found holding JSON lists
    or records (``json_reader.nested_as_text``).
    Columns are named by position only: a JSON object keyed by person (by CRM id, by
    name) has the people as its field names."""
    people = [
        position for position, _ in values_in_header(flagged_cells(frame.columns, _rows(frame)))
    ]
    if people:
        raise InputError(
            f"input '{source}': its field names look like data, not names (e-mail "
            f"addresses, phone numbers or postcodes, {_positions(people)}); export one "
            "record per person, with the same named fields in each"
        )
    nested: dict[str, list[int]] = {}
    for position, dtype in enumerate(frame.schema.values(), 1):
        if kind := _nested_kind(dtype):
            nested.setdefault(kind, []).append(position)
    if nested_as_text:
        nested["JSON lists or records written as text"] = list(nested_as_text)
    if nested:
        where = "; ".join(f"{kind}: {_positions(positions)}" for kind, positions in nested.items())
        raise InputError(
            f"input '{source}': some fields hold nested values, which are not read ({where}); "
            "export it again with one column per field (a record's fields, a list's items)"
        )
    opaque = [i for i, c in enumerate(frame.get_columns(), 1) if _opaque_bytes(c)]
    if opaque:
        raise InputError(
            f"input '{source}': {_positions(opaque)} "
            f"{'hold' if len(opaque) > 1 else 'holds'} bytes that are not text (an "
            "image, a file, a hash), which cannot be checked for personal data; export "
            "them as text, or leave them out of the export"
        )


def _opaque_bytes(column: pl.Series) -> bool:
    """A binary column that is not UTF-8 text (which is read as text)."""
    if column.dtype != pl.Binary:
        return False
    try:
        column.cast(pl.String)
    except pl.exceptions.PolarsError:
        return True
    return False


def _rows(frame: pl.DataFrame) -> Iterator[tuple[str, ...]]:
    """The first rows as text, for the cells under a field named as a person's data is
    (``header_values.flagged_cells``): an e-mail address, a number with its + always; a
    national number or a postcode over cells of the same kind (epochs and product codes
    name fields of pivots, over counts). Nested columns, and those with no text form
    (durations, binary that is not UTF-8), give no cells."""
    head = frame.head(_ROWS_COMPARED)
    columns = [_as_text(head.get_column(name)) for name in head.columns]
    for row in zip(*(c.to_list() for c in columns), strict=True) if columns else ():
        yield tuple(cell or "" for cell in row)


def _as_text(column: pl.Series) -> pl.Series:
    if _nested_kind(column.dtype) is None:
        try:
            return column.cast(pl.String, strict=False)
        except pl.exceptions.PolarsError:
            pass
    return pl.Series(column.name, [None] * column.len(), dtype=pl.String)


def _positions(positions: list[int]) -> str:
    more = len(positions) - _NAMED_AT_MOST
    listed = ", ".join(map(str, positions[:_NAMED_AT_MOST]))
    noun = "fields" if len(positions) > 1 else "field"
    return f"{noun} {listed}" + (f" and {more} more" if more > 0 else "")


def _nested_kind(dtype: pl.DataType) -> str | None:
    if dtype.base_type() in _LISTS:
        return "lists"
    if dtype.base_type() in _NESTED:
        return "records"
    return None
