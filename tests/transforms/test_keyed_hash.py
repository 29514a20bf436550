from __future__ import annotations

import hashlib
import hmac

import polars as pl
import pytest
from hypothesis import given, settings

from transforms.keyed_hash import (
    digest_to_index,
    hmac_key_text,
    hmac_sha256_hex,
    hmac_sha256_hex_values,
    polars_hash,
)

from .conftest import KEY, columns, run

needs_polars_hash = pytest.mark.skipif(polars_hash is None, reason="polars-hash not installed")


def reference_hmac(value: str) -> str:
    return hmac.new(KEY.hex().encode(), value.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "backend", [pytest.param("polars_hash", marks=needs_polars_hash), "python"]
)
@pytest.mark.parametrize(
    "value",
    ["jane@x.com", "", "Zoë Ångström ✓", "😀", "a\x00b"],  # last: a NUL inside text
)
def test_hmac_matches_the_standard_library(backend: str, value: str) -> None:
    expr = hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend=backend)  # type: ignore[arg-type]
    assert run(expr, [value, None]) == [reference_hmac(value), None]


@needs_polars_hash
@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_both_backends_agree(values: list[str | None]) -> None:
    rust = run(hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend="polars_hash"), values)
    python = run(hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend="python"), values)
    assert rust == python
    present = [v for v in values if v is not None]
    assert hmac_sha256_hex_values(present, sub_key=KEY) == [r for r in rust if r is not None]


def test_key_text_is_the_hex_of_the_sub_key() -> None:
    assert hmac_key_text(b"\x00\xff") == "00ff"


def test_digest_to_index_stays_in_range() -> None:
    digests = [reference_hmac(str(i)) for i in range(200)] + [None]
    out = run(digest_to_index(pl.col("x"), size=7), digests)
    assert {i for i in out if i is not None} == set(range(7))
    assert out[-1] is None
    shifted = run(digest_to_index(pl.col("x"), size=7, shift=1), digests[:5])
    assert shifted == [(i + 1) % 7 for i in out[:5] if i is not None]
