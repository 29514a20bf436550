from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.mask import mask
from transforms.registry import ActionContext, apply_action

from .conftest import columns, frame, run


@pytest.mark.parametrize(
    ("value", "params", "expected"),
    [
        ("jane@x.com", {"keep_email_domain": True}, "****@x.com"),
        ("jane@x.com", {"keep_email_domain": True, "keep_first": 1}, "j***@x.com"),
        ("a@b@x.com", {"keep_email_domain": True}, "*********"),  # not one address: all masked
        ("not an email", {"keep_email_domain": True}, "************"),
        ("07700900123", {"keep_last": 4}, "*******0123"),
        ("'+44 20 7946 0123   ", {"keep_last": 4}, "************0123"),  # Keap's cell
        ("  jane@x.com ", {"keep_email_domain": True, "keep_first": 1}, "j***@x.com"),
        ("07700900123", {"keep_first": 2, "keep_last": 2, "char": "#"}, "07#######23"),
        ("1234", {"keep_last": 4}, "****"),  # keeping would show it all: mask it all
        ("12", {"keep_first": 1, "keep_last": 1}, "**"),
        ("Zoë Ångström", {"keep_first": 3}, "Zoë*********"),  # counts characters, not bytes
        ("😀😀😀", {"keep_last": 1}, "**😀"),
        ("secret", {}, "******"),
        ("", {"keep_last": 4}, ""),
        (None, {"keep_last": 4}, None),
    ],
)
def test_mask(value: str | None, params: dict[str, object], expected: str | None) -> None:
    assert run(mask(pl.col("x"), **params), [value]) == [expected]  # type: ignore[arg-type]


def test_the_action(make_ctx: Callable[..., ActionContext]) -> None:
    ctx = make_ctx(column="Email")
    out = frame(["jane@x.com", None], "Email").select(
        apply_action("mask", pl.col("Email"), ctx, {"keep_email_domain": True})
    )
    assert_frame_equal(out, frame(["****@x.com", None], "Email"))


def test_bad_mask_char() -> None:
    with pytest.raises(ValueError, match="one character other than '@'"):
        mask(pl.col("x"), char="@")


def test_on_an_empty_frame() -> None:
    assert_frame_equal(frame([]).select(mask(pl.col("x"), keep_last=2)), frame([]))


options = st.fixed_dictionaries(
    {
        "keep_first": st.integers(0, 5),
        "keep_last": st.integers(0, 5),
        "keep_email_domain": st.booleans(),
        "char": st.sampled_from(["*", "#", "x", "•"]),
    }
)


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns, params=options)
def test_masking_is_idempotent_and_keeps_rows_nulls_and_lengths(
    values: list[str | None], params: dict[str, object]
) -> None:
    once = run(mask(pl.col("x"), **params), values)  # type: ignore[arg-type]
    assert run(mask(pl.col("x"), **params), once) == once  # type: ignore[arg-type]
    # lengths are kept, but for the padding and a leading apostrophe, which go
    plain = [
        v is not None and v == v.strip() and not v.startswith(("'", "\u2019", "`")) for v in values
    ]
    assert [len(v) for v, p in zip(once, plain, strict=True) if p and v is not None] == [
        len(v) for v, p in zip(values, plain, strict=True) if p and v is not None
    ]
    assert [v is None for v in once] == [v is None for v in values]
