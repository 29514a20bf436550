"""Parquet into a frame; columns keep their types."""

from __future__ import annotations

import io

import polars as pl

from anonymise.errors import InputError
from anonymise.io.read_result import ParsedTable

_MAGIC = b"PAR1"


def read_parquet(source: str, data: bytes) -> ParsedTable:
    if len(data) < 2 * len(_MAGIC) or not (data.startswith(_MAGIC) and data.endswith(_MAGIC)):
        raise InputError(
            f"input '{source}': is not a Parquet file (corrupt or truncated); "
            "export or download it again"
        )
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError, ValueError):
        # Decoding errors may quote statistics or values, so the cause is not chained.
        raise InputError(
            f"input '{source}': is not a valid Parquet file (corrupt or truncated); "
            "export or download it again"
        ) from None
    return ParsedTable(format="parquet", frame=frame)
