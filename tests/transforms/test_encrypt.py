from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.errors import InputError, KeyConfigError
from transforms.encrypt import decrypt_values, encrypt, encrypt_values
from transforms.registry import ActionContext, apply_action

from .conftest import KEY, OTHER_KEY, cells, columns, frame, run

TOKEN = re.compile(r"^enc_[A-Za-z0-9_\-]+$")


@pytest.mark.parametrize(
    "value",
    [
        "jane@x.com",
        " Jane@X.com ",  # kept exactly, spaces and case included
        "Zoë Ångström ✓ 😀",
        "a" * 1000,
    ],
)
def test_round_trip(value: str) -> None:
    (token,) = run(encrypt(pl.col("x"), key=KEY), [value])
    assert token is not None
    assert TOKEN.match(token)
    assert decrypt_values([token], KEY) == [value]


@pytest.mark.parametrize(("value", "expected"), [("", ""), (None, None)])
def test_blank_and_null(value: str | None, expected: str | None) -> None:
    assert run(encrypt(pl.col("x"), key=KEY), [value]) == [expected]
    assert decrypt_values([expected], KEY) == [value]


def test_deterministic_so_joins_survive() -> None:
    out = run(encrypt(pl.col("x"), key=KEY), ["a", "b", "a"])
    assert out[0] == out[2] != out[1]


def test_normalise_option_joins_spellings(make_ctx: Callable[..., ActionContext]) -> None:
    ctx = make_ctx(entity="EMAIL_ADDRESS")
    out = run(
        apply_action("encrypt", pl.col("x"), ctx, {"normalise": True}), ["A@X.com", "a@x.com"]
    )
    assert out[0] == out[1]
    assert decrypt_values(out, KEY) == ["a@x.com", "a@x.com"]


def test_another_key_cannot_decrypt() -> None:
    tokens = encrypt_values(["jane@x.com"], key=KEY)
    with pytest.raises(KeyConfigError, match=r"^item 0 was encrypted with another key"):
        decrypt_values(tokens, OTHER_KEY)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("jane@x.com", r"^item 1 is not an encrypted value \(no 'enc_' prefix\)$"),
        ("enc_!!!", r"^item 1 is not a well-formed encrypted value$"),
        ("enc_", r"^item 1 "),  # too short for an AES-SIV tag
    ],
)
def test_not_a_token(item: str, message: str) -> None:
    good = encrypt_values(["x"], key=KEY)[0]
    with pytest.raises((InputError, KeyConfigError), match=message) as raised:
        decrypt_values([good, item], KEY)
    assert "jane" not in str(raised.value)


def test_on_an_empty_frame() -> None:
    assert_frame_equal(frame([]).select(encrypt(pl.col("x"), key=KEY)), frame([]))


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_round_trip_keeps_rows_and_nulls(values: list[str | None]) -> None:
    tokens = encrypt_values(values, key=KEY)
    assert len(tokens) == len(values)
    assert decrypt_values(tokens, KEY) == values


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=st.lists(cells, max_size=20))
def test_no_original_value_survives(values: list[str | None]) -> None:
    tokens = encrypt_values(values, key=KEY)
    assert {v for v in values if v}.isdisjoint(tokens)
    assert tokens == run(encrypt(pl.col("x"), key=KEY), values)
