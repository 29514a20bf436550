from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from anonymise.keys import derive_key
from transforms.fake import _picker, fake
from transforms.fake_pools import pool
from transforms.keyed_hash import hmac_sha256_hex
from transforms.normalise import normaliser_for
from transforms.registry import ActionContext, apply_action

from .conftest import KEY, OTHER_KEY, columns, frame, non_blank_texts, run

GB_DRAMA = r"^\+44(7700900|2079460|1134960|1214960|1614960|1314960|1632960)\d{3}$"


@pytest.mark.parametrize(
    ("entity", "params", "shape"),
    [
        ("PERSON", {}, r"^\S+ \S+"),
        ("PERSON", {"part": "first"}, r"^[^ ]+$"),
        ("EMAIL_ADDRESS", {}, r"^[a-z0-9._]+\.[0-9a-f]{6}@example\.invalid$"),
        ("PHONE_NUMBER", {}, GB_DRAMA),
        ("PHONE_NUMBER", {"locale": "en_US"}, r"^\+1\d{3}55501\d{2}$"),  # NANP fiction range
        ("PHONE_NUMBER", {"locale": "de_DE"}, GB_DRAMA),  # no known fiction range: Ofcom's
        ("POSTCODE", {}, r"^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$"),
        ("DATE_OF_BIRTH", {}, r"^(19[3-9]\d|200[0-5])-\d{2}-\d{2}$"),
        ("IP_ADDRESS", {}, r"^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$"),
        ("CRM_ID", {}, r"^[a-z]+-[0-9a-f]{6}$"),  # any other entity: a token-like word
        (None, {}, r"^[a-z]+-[0-9a-f]{6}$"),
    ],
)
def test_fakes_have_the_entity_shape(
    entity: str | None,
    params: dict[str, object],
    shape: str,
    make_ctx: Callable[..., ActionContext],
) -> None:
    # Each holds a digit: a phone "number" without one normalises to blank, and stays so.
    values = ["Jane Smith 2", "jane@x.com 3", "07700 900123", "1984-07-03", "10.1.2.3"]
    out = run(apply_action("fake", pl.col("x"), make_ctx(entity=entity), params), values)
    assert all(v is not None and re.match(shape, v) for v in out), out


@pytest.mark.parametrize("entity", ["STREET_ADDRESS", "LOCATION", "POSTCODE", "PERSON"])
def test_fakes_come_from_the_locale_pool(entity: str) -> None:
    kind = {"STREET_ADDRESS": "street_address", "LOCATION": "city", "POSTCODE": "postcode"}
    out = run(fake(pl.col("x"), key=KEY, entity=entity, locale="de_DE", part="last"), ["a", "b"])
    assert set(out) <= set(pool("de_DE", kind.get(entity, "last_name")))


def test_spellings_of_one_value_get_one_fake() -> None:
    out = run(fake(pl.col("x"), key=KEY, entity="EMAIL_ADDRESS"), ["Jane@X.com", "jane@x.com "])
    assert out[0] == out[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),  # blank stays blank
        (" ", ""),
        (None, None),
    ],
)
@pytest.mark.parametrize("entity", ["PERSON", "EMAIL_ADDRESS", "DATE_OF_BIRTH", None])
def test_blank_and_null(entity: str | None, value: str | None, expected: str | None) -> None:
    assert run(fake(pl.col("x"), key=KEY, entity=entity), [value]) == [expected]


def test_year_band_keeps_the_decade() -> None:
    births = ["1984-07-03", "03/07/1990", "2001-01-01"]
    out = run(fake(pl.col("x"), key=KEY, entity="DATE_OF_BIRTH", year_band=10), births)
    assert [v[:3] for v in out if v is not None] == ["198", "199", "200"]
    assert all(v is not None and date.fromisoformat(v) for v in out)


def test_year_band_with_an_unreadable_date_still_fakes() -> None:
    out = run(fake(pl.col("x"), key=KEY, entity="DATE_OF_BIRTH", year_band=10), ["unknown"])
    assert out[0] is not None
    assert date.fromisoformat(out[0])


def test_a_fake_that_would_equal_its_input_takes_the_next_pick() -> None:
    # With this key some documentation addresses pick themselves first.
    key = bytes(32)
    ips = list(pool("en_GB", "ip_address"))
    normalised = normaliser_for("IP_ADDRESS")(pl.col("x"))
    digest = hmac_sha256_hex(normalised, sub_key=derive_key(key, "fake"))
    picker = _picker("ip_address", entity="IP_ADDRESS", locale="en_GB", part="full", year_band=0)
    first = run(picker.pick(digest, normalised, 0)[0], ips)
    second = run(picker.pick(digest, normalised, 1)[0], ips)
    self_picks = [i for i, ip in enumerate(ips) if first[i] == ip]
    assert self_picks, "this key no longer has a self-pick; choose another"
    out = run(fake(pl.col("x"), key=key, entity="IP_ADDRESS"), ips)
    assert all(out[i] == second[i] != ips[i] for i in self_picks)
    assert all(o != ip for o, ip in zip(out, ips, strict=True))


def test_unknown_locale_is_a_config_error(make_ctx: Callable[..., ActionContext]) -> None:
    with pytest.raises(ConfigError, match=r"^action 'fake': param 'locale': unknown Faker locale"):
        apply_action("fake", pl.col("x"), make_ctx(entity="PERSON"), {"locale": "xx_YY"})


def test_on_an_empty_frame() -> None:
    out = frame([]).select(fake(pl.col("x"), key=KEY, entity="PERSON"))
    assert_frame_equal(out, frame([]))


@settings(max_examples=30, deadline=None)
@given(values=columns, entity=st.sampled_from(["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", None]))
def test_rows_and_nulls_are_kept(values: list[str | None], entity: str | None) -> None:
    out = run(fake(pl.col("x"), key=KEY, entity=entity), values)
    assert [v is None for v in out] == [v is None for v in values]


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(non_blank_texts, min_size=1, max_size=20),
    entity=st.sampled_from(["PERSON", "EMAIL_ADDRESS", "LOCATION", "DATE_OF_BIRTH", None]),
)
def test_fakes_are_stable_and_never_the_input(values: list[str], entity: str | None) -> None:
    first = run(fake(pl.col("x"), key=KEY, entity=entity), values)
    again = run(fake(pl.col("x"), key=KEY, entity=entity), list(reversed(values)))
    assert again == list(reversed(first))
    assert all(out != value for out, value in zip(first, values, strict=True))


def test_another_key_gives_other_fakes() -> None:
    values = [f"person{i}@example.com" for i in range(50)]
    ours = run(fake(pl.col("x"), key=KEY, entity="EMAIL_ADDRESS"), values)
    theirs = run(fake(pl.col("x"), key=OTHER_KEY, entity="EMAIL_ADDRESS"), values)
    assert sum(a != b for a, b in zip(ours, theirs, strict=True)) == 50


def test_a_phone_value_without_digits_becomes_blank() -> None:
    # Its normalised form is blank: nothing to fake, and nothing of it may survive.
    assert run(fake(pl.col("x"), key=KEY, entity="PHONE_NUMBER"), ["ask reception"]) == [""]
