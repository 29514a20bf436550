from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import phonenumbers
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.normalise import (
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_postcode,
    normalise_text,
    normaliser_for,
)

from .conftest import columns, frame, run


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane.Doe@Example.COM", "jane.doe@example.com"),
        ("  jane@x.com\t", "jane@x.com"),
        ("ÉLODIE@Exemple.fr", "élodie@exemple.fr"),
        # the same addresses: a link's, a sentence's end, accents decomposed, brackets
        ("MAILTO:Jane.Doe@Example.com", "jane.doe@example.com"),
        ("jane.doe@example.com.", "jane.doe@example.com"),
        ("E\u0301lodie@exemple.fr", "élodie@exemple.fr"),
        ("Élodie D. <E\u0301LODIE@exemple.fr>", "élodie@exemple.fr"),
        ("mailto:<jane@x.com>", "jane@x.com"),
        ("mailto: jane@x.com", "jane@x.com"),
        ("Jane Doe <jane@x.com>.", "jane@x.com"),
        ("<jane@x.com>.", "jane@x.com"),
        ("jane@x.com. . . .", "jane@x.com"),
        ("jane@x.com.\x0b.\u2028.", "jane@x.com"),
        ("\uff2d\uff21\uff29\uff2c\uff34\uff2f:jane@x.com", "jane@x.com"),  # fullwidth MAILTO
        ("\u00af", "\u0304"),  # NFKC: a blank and a mark; the blank goes
        ("", ""),
        ("   ", ""),  # blank stays blank, not null
        (None, None),
    ],
)
def test_normalise_email(value: str | None, expected: str | None) -> None:
    assert run(normalise_email(pl.col("x")), [value]) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("'07700 900123", "+447700900123"),  # Keap's spreadsheet apostrophe
        (" '+44 (0)20 7946 0123 ", "+442079460123"),
        ("+1 (212) 555-0142", "+12125550142"),
        ("0049 30 123456", "+4930123456"),  # international prefix dialled from the UK
        ("+1 1 212 555 0142", "+12125550142"),  # national prefix after the country code
        ("+7 8 912 345 6789", "+79123456789"),
        ("+39 06 1234 5678", "+390612345678"),  # Italy keeps its leading 0
        ("ext. 12", "12"),  # too short to be a number: digits only
        ("+12", "+12"),  # the plus survives when it does not parse
        ("n/a", ""),
        ("", ""),
        (None, None),
    ],
)
def test_normalise_phone(value: str | None, expected: str | None) -> None:
    assert run(normalise_phone(pl.col("x")), [value]) == [expected]


def test_normalise_phone_default_region() -> None:
    assert run(normalise_phone(pl.col("x"), default_region="US"), ["(212) 555-0142"]) == [
        "+12125550142"
    ]


def test_normalise_phone_parses_each_distinct_value_once() -> None:
    # an extension is left to libphonenumber; two spellings of it clean to one value
    values = ["07700 900123 x5", "'07700 900123 x5  ", "07700 900124 x5", None] * 1000
    with mock.patch("phonenumbers.parse", wraps=phonenumbers.parse) as parse:
        out = run(normalise_phone(pl.col("x")), values)
    assert parse.call_count == 2
    assert out[:4] == ["+447700900123", "+447700900123", "+447700900124", None]


@pytest.mark.parametrize(
    ("region", "values"),
    [
        ("GB", ["07700 900123", "'020 7946 0123   ", "(01632) 960391", "+44 20 7946 0123"]),
        ("US", ["(212) 555-0142", "212.555.0142", "+1-780-563-6083"]),
        ("FR", ["04 33 33 75 03", "+33 6 17 32 16 57"]),
        ("DE", ["(03449) 78690", "030 123456"]),
    ],
)
def test_plainly_written_numbers_do_not_reach_libphonenumber(
    region: str, values: list[str]
) -> None:
    with mock.patch("phonenumbers.parse", wraps=phonenumbers.parse) as parse:
        out = run(normalise_phone(pl.col("x"), default_region=region), values)
    assert parse.call_count == 0
    assert all(value.startswith("+") for value in out if value is not None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Jane DOE ", "jane doe"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # case-folding, not just lower-casing
        ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),  # no final sigma after case-folding
        ("Ｊａｎｅ", "jane"),  # full-width letters (NFKC)
        ("ﬁnn", "finn"),  # ligature (NFKC)
        ("", ""),
        (None, None),
    ],
)
def test_normalise_name(value: str | None, expected: str | None) -> None:
    assert run(normalise_name(pl.col("x")), [value]) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" sw1a 1aa ", "SW1A1AA"),
        ("SW1A1AA", "SW1A1AA"),
        ("75001", "75001"),
        ("", ""),
        (None, None),
    ],
)
def test_normalise_postcode(value: str | None, expected: str | None) -> None:
    assert run(normalise_postcode(pl.col("x")), [value]) == [expected]


@pytest.mark.parametrize(
    ("entity", "normaliser"),
    [
        ("EMAIL_ADDRESS", normalise_email),
        ("email_address", normalise_email),  # entity names are not case-sensitive
        ("PERSON", normalise_name),
        ("POSTCODE", normalise_postcode),
        ("LOCATION", normalise_text),
        (None, normalise_text),
    ],
)
def test_normaliser_for(entity: str | None, normaliser: Callable[[pl.Expr], pl.Expr]) -> None:
    assert normaliser_for(entity) is normaliser


@pytest.mark.parametrize(
    ("region", "cell", "e164"),
    [
        ("GB", "020 7946 0123", "+442079460123"),
        ("US", "(415) 555-0101", "+14155550101"),
        ("US", "+44 20 7946 0123", "+442079460123"),  # international: the region aside
        ("FR", "06 12 34 56 78", "+33612345678"),
    ],
)
def test_phone_numbers_are_read_in_the_configured_region(region: str, cell: str, e164: str) -> None:
    normalise = normaliser_for("PHONE_NUMBER", phone_region=region)
    assert pl.select(normalise(pl.lit(cell))).item() == e164


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "POSTCODE", None])
def test_normalisers_on_an_empty_frame(entity: str | None) -> None:
    out = frame([]).select(normaliser_for(entity)(pl.col("x")))
    assert_frame_equal(out, frame([]))


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", None])
@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_normalisers_keep_rows_and_nulls(entity: str | None, values: list[str | None]) -> None:
    out = run(normaliser_for(entity)(pl.col("x")), values)
    assert len(out) == len(values)
    assert [v is None for v in out] == [v is None for v in values]


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", None])
@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_normalisers_are_idempotent(entity: str | None, values: list[str | None]) -> None:
    normalise = normaliser_for(entity)
    once = run(normalise(pl.col("x")), values)
    assert run(normalise(pl.col("x")), once) == once


phone_like = st.lists(
    st.one_of(st.none(), st.from_regex(r"[+' ]?[0-9 ()\-.:+]{0,18}", fullmatch=True))
)


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=phone_like)
def test_phone_normalisation_is_idempotent_on_phone_like_text(values: list[str | None]) -> None:
    once = run(normalise_phone(pl.col("x")), values)
    assert run(normalise_phone(pl.col("x")), once) == once


def test_plain_international_numbers_match_libphonenumber() -> None:
    # the Polars fast path must give what libphonenumber gives, number for number
    from faker import Faker

    from transforms.normalise import _to_e164

    values = []
    for locale in ("en_GB", "en_US", "de_DE", "fr_FR", "it_IT", "nl_NL", "en_IN", "ja_JP"):
        fake = Faker(locale)
        fake.seed_instance(7)
        values += [fake.phone_number() for _ in range(400)]
    values += ["+44 (0)20 7946 0123", "+31 070-200980", "+39 06 1234 5678", "'+44 20 7946 0123   "]
    got = pl.DataFrame({"p": values}).select(normalise_phone(pl.col("p"))).to_series().to_list()
    cleaned = [v.strip().lstrip("'").strip() for v in values]
    assert got == [_to_e164(v, "GB") for v in cleaned]


def test_one_phone_expression_over_slices_answers_as_over_the_whole() -> None:
    # a run in batches evaluates one expression slice after slice; what it remembers of
    # earlier slices must not change an answer, and libphonenumber reads a value once
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(11)
    values = ["07700 900123 x5", None] + [fake.phone_number() for _ in range(600)]
    whole = pl.DataFrame({"p": values}).select(normalise_phone(pl.col("p"))).to_series()
    expression = normalise_phone(pl.col("p"))
    # every slice repeats the first ten values, the extension libphonenumber reads among them
    slices = [values[i : i + 50] + values[:10] for i in range(0, len(values), 50)]
    with mock.patch("phonenumbers.parse", wraps=phonenumbers.parse) as parse:
        got = [pl.DataFrame({"p": s}).select(expression).to_series() for s in slices]
    by_value = dict(zip(values, whole.to_list(), strict=True))
    for part, answers in zip(slices, got, strict=True):
        assert answers.to_list() == [by_value[v] for v in part]
    with mock.patch("phonenumbers.parse", wraps=phonenumbers.parse) as once:
        pl.DataFrame({"p": values}).select(normalise_phone(pl.col("p")))
    assert once.call_count >= 1
    assert parse.call_count == once.call_count
