"""HMAC-SHA256 of a string column, the one keyed hash behind every keyed transform.

Three backends give the same digests (tests check they agree):
- ``native``: our C extension (``transforms/hmac_native.py``), where it was built and
  the processor has the SHA extensions; it also writes the tokens themselves;
- ``polars_hash``: the polars-hash plugin's HMAC in Rust for every row (about 7x
  faster than Python's ``hmac`` on the distinct values, ``benchmarks/hmac_bench.py``);
- ``python``: Python's ``hmac`` once per distinct value.
The plugin takes its key as text, so the HMAC key is the hex spelling of the sub-key,
and the other two use those same ASCII bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from collections.abc import Iterable
from typing import Any, Literal

import polars as pl

from transforms import hmac_native
from transforms.distinct import map_distinct_series


def _load_polars_hash() -> Any:
    try:
        return importlib.import_module("polars_hash")
    except ImportError:  # pragma: no cover - depends on the environment
        return None


polars_hash = _load_polars_hash()

Backend = Literal["native", "polars_hash", "python"]
DEFAULT_BACKEND: Backend = (
    "native" if hmac_native.AVAILABLE else "polars_hash" if polars_hash is not None else "python"
)
HEX_CHARS = 64


def hmac_key_text(sub_key: bytes) -> str:
    """The text form of a sub-key that both backends use as the HMAC key."""
    return sub_key.hex()


def hmac_sha256_hex(
    expr: pl.Expr, *, sub_key: bytes, backend: Backend = DEFAULT_BACKEND
) -> pl.Expr:
    """Hex HMAC-SHA256 of each non-null string; null stays null."""
    key_text = hmac_key_text(sub_key)
    if backend == "native":
        return _native_tokens(expr, key_text, prefix="", hex_chars=HEX_CHARS, blank_empty=False)
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


def keyed_tokens(
    expr: pl.Expr, *, sub_key: bytes, prefix: str, hex_chars: int, backend: Backend
) -> pl.Expr:
    """``prefix`` and the first ``hex_chars`` hex characters of each value's HMAC-SHA256;
    null stays null and a blank value stays ``""`` (it keeps no token)."""
    if backend == "native":
        return _native_tokens(
            expr, hmac_key_text(sub_key), prefix=prefix, hex_chars=hex_chars, blank_empty=True
        )
    digest = hmac_sha256_hex(expr, sub_key=sub_key, backend=backend)
    token = pl.lit(prefix) + digest.str.head(hex_chars)
    # Matching the blank value's token (known in advance) keeps this one chain: Polars
    # would compute a reused sub-expression twice.
    blank_token = prefix + hmac_sha256_hex_values([""], sub_key=sub_key)[0][:hex_chars]
    return token.replace(blank_token, "")


def _native_tokens(
    expr: pl.Expr, key_text: str, *, prefix: str, hex_chars: int, blank_empty: bool
) -> pl.Expr:
    key = key_text.encode("ascii")

    def tokens(values: pl.Series) -> pl.Series:
        return hmac_native.hmac_tokens(
            values, key=key, prefix=prefix, hex_chars=hex_chars, blank_empty=blank_empty
        )

    # Once for the whole column: a call costs a conversion to Arrow and back.
    return expr.cast(pl.String).map_batches(tokens, return_dtype=pl.String)


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
