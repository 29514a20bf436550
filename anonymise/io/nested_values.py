"""JSON and Parquet inputs whose columns are not one value a cell, or whose names are
a person's data, are refused, naming columns by position where the name is data.

Detection, the suppression list and every action read a value as text, as a CSV's
values are. A list or a record is not one value: read as its JSON text, a record of a
person's first and last name is no longer recognised as a name and would be kept, and
a list of e-mail addresses would never match the suppression list. Polars reads an
NDJSON field that is a record in one line and a string in another as text, each record
written as JSON, so the text of a JSON input is checked for them too. And a JSON object
keyed by person (``{"ann@example.com": {...}}``) has the people as its column names,
which go where values never may (plans, reports, errors). Erasure reads raw sources
itself and does not go through this.
"""

from __future__ import annotations

import json
from typing import Final

import polars as pl

from anonymise.errors import InputError
from anonymise.io.header_values import personal_kind

_LISTS: Final = (pl.List, pl.Array)
_NESTED: Final = (*_LISTS, pl.Struct, pl.Object)
_NAMED_AT_MOST: Final = 5
_JSON_TEXTS_TRIED: Final = 200  # distinct texts a column's check parses at most
_OPENS_JSON: Final = r"^\s*[\[{]"


def refuse_nested(source: str, frame: pl.DataFrame, *, from_json: bool) -> None:
    """``InputError`` for column names that are a person's data, then for columns of
    lists or records (``from_json``: also text columns holding JSON lists or records)."""
    if data := [
        (i, kind) for i, name in enumerate(frame.columns, 1) if (kind := personal_kind(name))
    ]:
        where = ", ".join(f"column {position} is {kind}" for position, kind in data[:5])
        raise InputError(
            f"input '{source}': its field names look like data, not names ({where}); "
            "export one record per person, with the same named fields in each"
        )
    nested = [
        f"'{name}' ({kind})"
        for name, dtype in frame.schema.items()
        if (kind := _nested_kind(dtype, frame.get_column(name), from_json=from_json))
    ]
    if not nested:
        return
    more = len(nested) - _NAMED_AT_MOST
    raise InputError(
        f"input '{source}': column(s) {', '.join(nested[:_NAMED_AT_MOST])}"
        f"{f' and {more} more' if more > 0 else ''} hold nested values, which are not read: "
        "export it again with one column per field (a record's fields, a list's items)"
    )


def _nested_kind(dtype: pl.DataType, values: pl.Series, *, from_json: bool) -> str | None:
    if dtype.base_type() in _LISTS:
        return "lists"
    if dtype.base_type() in _NESTED:
        return "records"
    if from_json and dtype == pl.String and _holds_json_values(values):
        return "lists or records, as text"
    return None


def _holds_json_values(texts: pl.Series) -> bool:
    """Whether some of ``texts`` are a JSON list or record, as Polars writes one that
    shares its field with strings."""
    candidates = texts.filter(texts.str.contains(_OPENS_JSON)).unique().head(_JSON_TEXTS_TRIED)
    for text in candidates.to_list():
        try:
            if isinstance(json.loads(text), dict | list):
                return True
        except ValueError:
            continue
    return False
