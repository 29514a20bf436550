"""HMAC-SHA256 tokens of a whole column in C (``transforms/_hmac_native.c``).

The extension hashes the padded key once per column and two values side by side with
the processor's SHA extensions, and writes each token (prefix and hex) straight into
an Arrow buffer: ~0.11 s of CPU per million short values where polars-hash's HMAC,
``str.head`` and the prefix take ~0.29 (``benchmarks/hmac_bench.py``). It is built
when the package is installed where a C compiler is at hand; ``AVAILABLE`` is false
where it was not, or where the processor lacks the SHA extensions, and the callers
then use polars-hash, which gives the same tokens.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]


def _load() -> ModuleType | None:
    try:
        module = importlib.import_module("transforms._hmac_native")
    except ImportError:  # pragma: no cover - not built where no compiler was at hand
        return None
    return module if module.sha_extensions() else None  # pragma: no branch


_native = _load()
AVAILABLE: Final = _native is not None


def hmac_tokens(
    values: pl.Series, *, key: bytes, prefix: str, hex_chars: int, blank_empty: bool
) -> pl.Series:
    """``prefix`` and the first ``hex_chars`` hex characters of HMAC-SHA256 under
    ``key`` of each value (UTF-8); null stays null, and a blank value's token is ``""``
    when ``blank_empty``."""
    if _native is None:
        raise RuntimeError("the native HMAC backend was not built, or this processor lacks it")
    arrow = values.cast(pl.String).to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    count = len(arrow)
    if count == 0:
        return pl.Series(values.name, [], dtype=pl.String)
    validity, offsets, data = arrow.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64, count=count + 1, offset=arrow.offset * 8)
    prefix_bytes = prefix.encode("utf-8")
    out = np.empty(count * (len(prefix_bytes) + hex_chars), dtype=np.uint8)
    # The result keeps the input's validity bitmap, and so its offset into it.
    out_offsets = np.zeros(arrow.offset + count + 1, dtype=np.int64)
    _native.hmac_tokens(
        key,
        data if data is not None else b"",
        starts,
        count,
        prefix_bytes,
        hex_chars,
        blank_empty,
        out,
        out_offsets[arrow.offset :],
    )
    tokens = pa.LargeStringArray.from_buffers(
        count,
        pa.py_buffer(out_offsets),
        pa.py_buffer(out),
        validity,
        arrow.null_count,
        arrow.offset,
    )
    series = pl.from_arrow(tokens)
    assert isinstance(series, pl.Series)
    return series.rename(values.name)
