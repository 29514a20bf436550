from __future__ import annotations

import hashlib
import hmac
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import hmac_native
from transforms.keyed_hash import (
    DEFAULT_BACKEND,
    digest_to_index,
    hmac_key_text,
    hmac_sha256_hex,
    hmac_sha256_hex_values,
    keyed_tokens,
    polars_hash,
)

from .conftest import KEY, columns, run

needs_polars_hash = pytest.mark.skipif(polars_hash is None, reason="polars-hash not installed")
needs_native = pytest.mark.skipif(
    not hmac_native.AVAILABLE, reason="the C extension was not built, or no SHA extensions"
)
BACKENDS = [
    pytest.param("native", marks=needs_native),
    pytest.param("polars_hash", marks=needs_polars_hash),
    "python",
]
# Around the block edges of SHA-256: a value of up to 55 bytes fits one block with its
# padding, 56 to 63 need a second, 64 fill one; and values of two-, three- and
# four-byte characters whose bytes cross those edges.
EDGE_VALUES = [
    "x" * n for n in (0, 1, 31, 32, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300)
] + ["é" * 28, "€" * 19, "😀" * 14, "😀" * 16, "é" * 1000]


def reference_hmac(value: str) -> str:
    return hmac.new(KEY.hex().encode(), value.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "value",
    ["jane@x.com", "", "Zoë Ångström ✓", "😀", "a\x00b"],  # last: a NUL inside text
)
def test_hmac_matches_the_standard_library(backend: str, value: str) -> None:
    expr = hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend=backend)  # type: ignore[arg-type]
    assert run(expr, [value, None]) == [reference_hmac(value), None]


@pytest.mark.parametrize("backend", BACKENDS)
def test_hmac_across_the_block_edges(backend: str) -> None:
    values: list[str | None] = [*EDGE_VALUES, None, *reversed(EDGE_VALUES)]
    expr = hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend=backend)  # type: ignore[arg-type]
    assert run(expr, values) == [None if v is None else reference_hmac(v) for v in values]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("prefix", "hex_chars"), [("tok_", 32), ("", 64), ("p:", 16), ("", 17)])
def test_tokens_are_the_prefix_and_the_digests_head(
    backend: str, prefix: str, hex_chars: int
) -> None:
    values: list[str | None] = [*EDGE_VALUES, None, "jane@x.com"]
    expr = keyed_tokens(
        pl.col("x"),
        sub_key=KEY,
        prefix=prefix,
        hex_chars=hex_chars,
        backend=backend,  # type: ignore[arg-type]
    )
    expected = [
        None if v is None else "" if v == "" else prefix + reference_hmac(v)[:hex_chars]
        for v in values
    ]
    assert run(expr, values) == expected


@needs_native
def test_native_tokens_of_a_sliced_and_chunked_column() -> None:
    """A column Polars holds in chunks, or a slice of one (an offset into the Arrow
    buffers and its validity bitmap), gets the tokens of its own values."""
    values: list[str | None] = [f"v{i}" if i % 7 else None for i in range(50)]
    whole = pl.Series("x", values, dtype=pl.String)
    chunked = pl.concat([whole[:20], whole[20:]], rechunk=False)
    assert chunked.n_chunks() == 2
    for series, part in ((chunked, values), (whole[13:41], values[13:41])):
        out = hmac_native.hmac_tokens(
            series, key=KEY.hex().encode(), prefix="t_", hex_chars=20, blank_empty=True
        )
        assert out.name == "x"
        assert out.to_list() == [None if v is None else "t_" + reference_hmac(v)[:20] for v in part]


@needs_native
def test_native_refuses_offsets_outside_its_data() -> None:
    from transforms import _hmac_native  # type: ignore[attr-defined]

    offsets = (0).to_bytes(8, "little") + (10).to_bytes(8, "little")
    with pytest.raises(ValueError, match="offsets do not fit"):
        _hmac_native.hmac_tokens(
            b"k", b"short", offsets, 1, b"", 8, False, bytearray(8), bytearray(16)
        )
    # A count whose buffer sizes overflow when multiplied (read past the offsets before).
    with pytest.raises(ValueError, match="too large"):
        _hmac_native.hmac_tokens(
            b"k", b"", bytearray(4096), 2**61 + 511, b"", 0, False, bytearray(), bytearray(4096)
        )


@needs_native
def test_native_reads_offsets_that_it_also_writes() -> None:
    """The same memory given as offsets and out_offsets (a wild read before: a value's
    end was read after its token's end was written over it)."""
    from transforms import _hmac_native  # type: ignore[attr-defined]

    both = bytearray(b"".join(n.to_bytes(8, "little") for n in (0, 1, 2, 3)))
    out = bytearray(3 * 40)
    _hmac_native.hmac_tokens(KEY.hex().encode(), b"abc", both, 3, b"tok_", 36, False, out, both)
    expected = "".join("tok_" + reference_hmac(v)[:36] for v in "abc")
    assert out.decode() == expected


def test_the_default_backend_is_the_fastest_at_hand() -> None:
    expected = "native" if hmac_native.AVAILABLE else "polars_hash" if polars_hash else "python"
    assert expected == DEFAULT_BACKEND


@needs_polars_hash
@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_both_backends_agree(values: list[str | None]) -> None:
    rust = run(hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend="polars_hash"), values)
    python = run(hmac_sha256_hex(pl.col("x"), sub_key=KEY, backend="python"), values)
    assert rust == python
    present = [v for v in values if v is not None]
    assert hmac_sha256_hex_values(present, sub_key=KEY) == [r for r in rust if r is not None]


@needs_native
@needs_polars_hash
@settings(deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=90)), max_size=40))
def test_native_agrees_with_polars_hash(values: list[str | None]) -> None:
    """Any unicode, of lengths on both sides of one block, short values hashed in pairs
    and long ones alone in any order."""
    for prefix, hex_chars in (("", 64), ("tok_", 32)):
        native, rust = (
            run(
                keyed_tokens(
                    pl.col("x"), sub_key=KEY, prefix=prefix, hex_chars=hex_chars, backend=backend
                ),
                values,
            )
            for backend in ("native", "polars_hash")
        )
        assert native == rust


def test_key_text_is_the_hex_of_the_sub_key() -> None:
    assert hmac_key_text(b"\x00\xff") == "00ff"


def test_digest_to_index_stays_in_range() -> None:
    digests = [reference_hmac(str(i)) for i in range(200)] + [None]
    out = run(digest_to_index(pl.col("x"), size=7), digests)
    assert {i for i in out if i is not None} == set(range(7))
    assert out[-1] is None
    shifted = run(digest_to_index(pl.col("x"), size=7, shift=1), digests[:5])
    assert shifted == [(i + 1) % 7 for i in out[:5] if i is not None]


def test_the_extension_is_built_where_it_can_be() -> None:
    """An optional build fails quietly; on a Linux machine with a C compiler and a
    processor with the SHA extensions, the native backend must be there (a build that
    broke would otherwise only show as a slower run)."""
    cpu = Path("/proc/cpuinfo")
    flags = cpu.read_text() if cpu.exists() else ""
    if not (shutil.which("cc") and re.search(r"\bsha_ni\b", flags)):
        pytest.skip("no C compiler, or no SHA extensions, here")
    assert hmac_native.AVAILABLE
