"""What detection reads from an input: its column names and one whole column at a time.

A ``pl.DataFrame`` is one; so is a staged table kept as Arrow batches, which hands out
each column as a Series only when asked.
"""

from __future__ import annotations

from typing import Protocol

import polars as pl


class Columns(Protocol):
    """Named columns of equal length."""

    @property
    def columns(self) -> list[str]: ...

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...

    def get_column(self, name: str) -> pl.Series: ...
