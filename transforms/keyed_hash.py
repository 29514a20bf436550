"""HMAC-SHA256 of a string column, the one keyed hash behind every keyed transform.

With the ``polars-hash`` plugin the HMAC runs in Rust for every row (it benchmarked
about 7x faster than Python's ``hmac`` on the distinct values, see
``benchmarks/hmac_bench.py``). Without it, Python's ``hmac`` runs once per
distinct value. Both give the same digest, because the plugin takes its key as text:
the HMAC key is the hex spelling of the sub-key, and the Python path uses those same
ASCII bytes. Tests check the two paths agree.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from collections.abc import Iterable
from typing import Any, Literal

import polars as pl

from transforms.distinct import map_distinct_series


def _load_polars_hash() -> Any:
    try:
        return importlib.import_module("polars_hash")
    except ImportError:  # pragma: no cover - depends on the environment
        return None


polars_hash = _load_polars_hash()

Backend = Literal["polars_hash", "python"]
DEFAULT_BACKEND: Backend = "polars_hash" if polars_hash is not None else "python"


def hmac_key_text(sub_key: bytes) -> str:
    """The text form of a sub-key that both backends use as the HMAC key."""
    return sub_key.hex()


def hmac_sha256_hex(
    expr: pl.Expr, *, sub_key: bytes, backend: Backend = DEFAULT_BACKEND
) -> pl.Expr:
    """Hex HMAC-SHA256 of each non-null string; null stays null."""
    key_text = hmac_key_text(sub_key)
    if backend == "polars_hash":
        if polars_hash is None:
            raise RuntimeError("the polars-hash backend needs the polars-hash package")
        namespace = polars_hash.CryptographicHashingNameSpace(expr.cast(pl.String))
        hashed: pl.Expr = namespace.hmac_sha256(key=key_text)
        return hashed
    keyed = hmac.new(key_text.encode("ascii"), digestmod=hashlib.sha256)

    def digest(values: pl.Series) -> pl.Series:
        return pl.Series(values.name, _digests(keyed, values.to_list()), dtype=pl.String)

    return map_distinct_series(expr.cast(pl.String), digest)


def hmac_sha256_hex_values(values: Iterable[str], *, sub_key: bytes) -> list[str]:
    """The same digests as ``hmac_sha256_hex`` for plain Python strings."""
    keyed = hmac.new(hmac_key_text(sub_key).encode("ascii"), digestmod=hashlib.sha256)
    return _digests(keyed, values)


def _digests(keyed: hmac.HMAC, values: Iterable[str]) -> list[str]:
    # Copying a keyed HMAC skips hashing the padded key again for every value.
    digests = []
    for value in values:
        one = keyed.copy()
        one.update(value.encode("utf-8"))
        digests.append(one.hexdigest())
    return digests


def digest_to_index(digest: pl.Expr, *, size: int, shift: int = 0) -> pl.Expr:
    """An index in ``[0, size)`` from the first 60 bits of a hex digest, plus ``shift``."""
    chunk = digest.str.head(15).str.to_integer(base=16, dtype=pl.UInt64)
    return ((chunk + shift) % size).cast(pl.Int64)
