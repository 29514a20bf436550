"""Lists and records in JSON or Parquet inputs are refused, naming their columns.

Detection, the suppression list and every action read a value as text, as a CSV's
values are. A list or a record is not one value: read as its JSON text, a record of a
person's first and last name is no longer recognised as a name and would be kept, and
a list of e-mail addresses would never match the suppression list. So such a column
stops the read with the columns named; the export is to give one column per field.
Erasure reads raw sources itself and does not go through this.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from anonymise.errors import InputError

_LISTS: Final = (pl.List, pl.Array)
_NESTED: Final = (*_LISTS, pl.Struct, pl.Object)
_NAMED_AT_MOST: Final = 5


def refuse_nested(source: str, frame: pl.DataFrame) -> None:
    """``InputError`` naming the columns of lists or records, if any."""
    nested = [
        f"'{name}' ({'lists' if dtype.base_type() in _LISTS else 'records'})"
        for name, dtype in frame.schema.items()
        if dtype.base_type() in _NESTED
    ]
    if not nested:
        return
    more = len(nested) - _NAMED_AT_MOST
    raise InputError(
        f"input '{source}': column(s) {', '.join(nested[:_NAMED_AT_MOST])}"
        f"{f' and {more} more' if more > 0 else ''} hold nested values, which are not read: "
        "export it again with one column per field (a record's fields, a list's items)"
    )
