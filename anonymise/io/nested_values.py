"""Lists and records in JSON or Parquet inputs, read as their JSON text.

Detection and every action read a value as text, as a CSV's values are. A column of
lists (``"tags": ["vip", "newsletter"]``) or records (``"phone": {"home": "..."}``)
becomes a column of each value's JSON text (``["vip","newsletter"]``), so it is
classified and transformed like any other column: an e-mail inside a list is found by
the same recognizers. A null value stays null. Erasure rewrites raw sources in their
own types and does not go through this.
"""

from __future__ import annotations

from typing import Final

import polars as pl

_NESTED: Final = (pl.List, pl.Array, pl.Struct)
# The value is wrapped in a one-field record to be encoded: {"v":VALUE}
_WRAPPED_START, _WRAPPED_END = len('{"v":'), len("}")


def nested_columns(frame: pl.DataFrame) -> list[str]:
    return [name for name, dtype in frame.schema.items() if dtype.base_type() in _NESTED]


def nested_as_json_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with each nested column replaced by its values' JSON text."""
    nested = nested_columns(frame)
    if not nested:
        return frame
    return frame.with_columns(_json_text(pl.col(name)).alias(name) for name in nested)


def _json_text(value: pl.Expr) -> pl.Expr:
    encoded = pl.struct(value.alias("v")).struct.json_encode()
    text = encoded.str.slice(_WRAPPED_START).str.head(-_WRAPPED_END)
    return pl.when(value.is_null()).then(None).otherwise(text)
