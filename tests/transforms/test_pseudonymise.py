from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.keys import derive_key
from transforms.normalise import normalise_phone
from transforms.pseudonymise import pseudonymise, pseudonymise_values
from transforms.registry import ActionContext, apply_action

from .conftest import KEY, OTHER_KEY, cells, columns, frame, non_blank_texts, run

TOKEN = re.compile(r"^tok_[0-9a-f]{32}$")


def expected_token(normalised: str, key: bytes = KEY) -> str:
    hmac_key = derive_key(key, "pseudonymise").hex().encode()
    return "tok_" + hmac.new(hmac_key, normalised.encode(), hashlib.sha256).hexdigest()[:32]


@pytest.mark.parametrize(
    ("entity", "spellings", "normalised"),
    [
        ("EMAIL_ADDRESS", ["jane@x.com", " Jane@X.COM "], "jane@x.com"),
        ("PHONE_NUMBER", ["07700 900123", "'+44 7700 900123", "+447700900123"], "+447700900123"),
        ("PERSON", ["Zoë Straße", "ZOË STRASSE", " zoë strasse"], "zoë strasse"),
        (None, ["CRM-123", " CRM-123 "], "CRM-123"),  # no entity: only stripped
    ],
)
def test_spellings_of_one_value_give_one_token(
    entity: str | None, spellings: list[str], normalised: str
) -> None:
    out = run(pseudonymise(pl.col("x"), key=KEY, entity=entity), spellings)
    assert out == [expected_token(normalised)] * len(spellings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),  # blank stays blank
        ("   ", ""),
        (None, None),
    ],
)
def test_blank_and_null(value: str | None, expected: str | None) -> None:
    assert run(pseudonymise(pl.col("x"), key=KEY), [value]) == [expected]


def test_prefix_and_length() -> None:
    out = run(pseudonymise(pl.col("x"), key=KEY, prefix="p_", length=16), ["a"])
    assert out == ["p_" + expected_token("a")[4:20]]


def test_length_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"length must be 16\.\.64"):
        pseudonymise(pl.col("x"), key=KEY, length=65)


def test_on_an_empty_frame() -> None:
    out = frame([]).select(pseudonymise(pl.col("x"), key=KEY, entity="EMAIL_ADDRESS"))
    assert_frame_equal(out, frame([]))


def test_numbers_are_pseudonymised_as_their_text() -> None:
    ids = pl.DataFrame({"x": [123, None]})
    out = ids.select(pseudonymise(pl.col("x"), key=KEY))
    assert_frame_equal(out, frame([expected_token("123"), None]))


def test_action_uses_the_context_entity(make_ctx: Callable[..., ActionContext]) -> None:
    ctx = make_ctx(entity="EMAIL_ADDRESS", column="Email")
    out = frame(["Jane@X.com"], "Email").select(
        apply_action("pseudonymise", pl.col("Email"), ctx, {"length": 64})
    )
    full = (
        expected_token("jane@x.com")[:4]
        + hmac.new(
            derive_key(KEY, "pseudonymise").hex().encode(), b"jane@x.com", hashlib.sha256
        ).hexdigest()
    )
    assert_frame_equal(out, frame([full], "Email"))


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", None])
@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_pseudonymise_values_gives_the_column_tokens(
    entity: str | None, values: list[str | None]
) -> None:
    column = run(pseudonymise(pl.col("x"), key=KEY, entity=entity), values)
    assert pseudonymise_values(values, key=KEY, entity=entity) == column


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_rows_and_nulls_are_kept(values: list[str | None]) -> None:
    out = run(pseudonymise(pl.col("x"), key=KEY), values)
    assert len(out) == len(values)
    assert [v is None for v in out] == [v is None for v in values]


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=st.lists(non_blank_texts, min_size=1, max_size=20))
def test_tokens_are_stable_for_a_key_and_differ_across_keys(values: list[str]) -> None:
    first = run(pseudonymise(pl.col("x"), key=KEY), values)
    again = run(pseudonymise(pl.col("x"), key=KEY), list(reversed(values)))
    other = run(pseudonymise(pl.col("x"), key=OTHER_KEY), values)
    assert again == list(reversed(first))
    assert all(t is not None and TOKEN.match(t) for t in first)
    assert all(a != b for a, b in zip(first, other, strict=True))


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=st.lists(cells, max_size=20))
def test_no_original_value_survives(values: list[str | None]) -> None:
    out = run(pseudonymise(pl.col("x"), key=KEY), values)
    originals = {v for v in values if v is not None and v.strip()}
    assert originals.isdisjoint(out)


PHONE_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "07700 900123", "'+44 7700 900123", "+1 (555) 010-9999", "12"]),
    st.text(alphabet="0123456789 +()'-", max_size=16),
)


@settings(deadline=None)
@given(values=st.lists(PHONE_CELLS, max_size=30))
def test_phone_tokens_hashed_per_distinct_value_are_each_rows_own(
    values: list[str | None],
) -> None:
    normalised = run(normalise_phone(pl.col("x")), values)
    out = run(pseudonymise(pl.col("x"), key=KEY, entity="PHONE_NUMBER"), values)
    expected = [None if n is None else "" if n == "" else expected_token(n) for n in normalised]
    assert out == expected
