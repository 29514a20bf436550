"""Decrypt an output's encrypted columns: the key holder's way back (re-identification).

``encrypt`` writes ``enc_...`` values under the pipeline key. Given the same key, this
turns them back into the values they were, once per distinct value. Errors name the
column and the row (1-based, after the header), never a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import polars as pl

from anonymise.errors import AnonymiseError, ConfigError
from transforms.encrypt import PREFIX, decrypt_values

_ITEM: Final = re.compile(r"^item (\d+) (.*)$", re.DOTALL)


def encrypted_columns(frame: pl.DataFrame) -> list[str]:
    """Text columns whose every non-empty value is an ``enc_...`` value (one at least)."""
    found = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        filled = frame.get_column(name).drop_nulls()
        filled = filled.filter(filled != "")
        if filled.len() and bool(filled.str.starts_with(PREFIX).all()):
            found.append(name)
    return found


def decrypt_columns(
    frame: pl.DataFrame, columns: Sequence[str], *, key: bytes, source: str
) -> pl.DataFrame:
    """``frame`` with ``columns`` decrypted; nulls and blanks stay as they are."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"--column '{missing[0]}': no such column in '{source}'; its columns are: "
            f"{', '.join(frame.columns)}"
        )
    decrypted = []
    for name in columns:
        column = frame.get_column(name).cast(pl.String)
        distinct = column.drop_nulls().unique(maintain_order=True)
        try:
            plain = decrypt_values(distinct.to_list(), key)
        except AnonymiseError as problem:
            raise type(problem)(_located(str(problem), column, distinct, name, source)) from None
        lookup = pl.DataFrame({"value": distinct, "plain": pl.Series(plain, dtype=pl.String)})
        decrypted.append(
            column.to_frame("value")
            .join(lookup, on="value", how="left", maintain_order="left")
            .get_column("plain")
            .alias(name)
        )
    return frame.with_columns(decrypted)


def _located(message: str, column: pl.Series, distinct: pl.Series, name: str, source: str) -> str:
    """``decrypt_values``'s "item N ..." (N of the distinct values) as the first row
    holding that value."""
    item = _ITEM.match(message)
    if item is None:
        return f"'{source}', column '{name}': {message}"
    value = distinct[int(item.group(1))]
    row = int((column == value).fill_null(False).arg_true()[0]) + 1
    return f"'{source}', row {row}, column '{name}': the value {item.group(2)}"
