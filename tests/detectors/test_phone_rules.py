"""The Polars phone rules give what libphonenumber gives, value for value."""

from __future__ import annotations

import importlib
import importlib.util
import random
import re

import phonenumbers
import polars as pl
import pytest
from faker import Generator
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.phone_rules import by_rule, national_rule
from tests.transforms.conftest import frame
from transforms.normalise import _clean_phone, normalise_phone, normalise_phone_reference

# Each region with the Faker locale whose numbers it should know best (en_IE has no
# phone provider of its own, so IE also gets the hand-written formats below).
REGIONS = {
    "GB": "en_GB",
    "US": "en_US",
    "DE": "de_DE",
    "FR": "fr_FR",
    "IE": "en_IE",
    "ES": "es_ES",
    "IT": "it_IT",
    "NL": "nl_NL",
}
# More regions, for their metadata quirks: CA (shares +1, so US lengths decide), CN and
# AU (a national prefix with a carrier-code group), IN and AT (local-only lengths), RU
# (prefix 8), CH, BE, SE, PL, and regions with a national-prefix transform rule (AR, BR,
# JP, GG), which stay on libphonenumber.
MORE_REGIONS = ("CA", "CN", "AU", "IN", "RU", "CH", "BE", "SE", "PL", "AT", "AR", "BR", "JP", "GG")
OTHER_LOCALES = ("en_AU", "en_IN", "ru_RU", "pt_BR")
# Numbers from the region's own locale, and from each other locale (fewer for MORE_REGIONS).
OWN, OTHERS, OTHERS_MORE = 50, 5, 2
FORMATS = (
    "0## ### ####",
    "01 ### ####",
    "(0##) ### ####",
    "08# ### ####",
    "+353 ## ### ####",
    "00353 ## ### ####",
    "0### ######",
    "### ### ####",
    "###-###-####",
    "1 (###) ###-####",
    "##########",
    "0##########",
    "180020 ### ####",
    "0 ## ## ## ## ##",
    "+44 (0) #### ######",
    "+1 1 ### ### ####",
    "+7 8 ### ### ####",
    "+39 (0)# #### ####",
)
AWKWARD = (
    None,
    "",
    "   ",
    "-",
    "() - . /",
    "n/a",
    "ext. 12",
    "12",
    "1-2",
    "123",
    "00",
    "0",
    "+",
    "+0 20 7946 0123",
    "(0)20 7946 0123",
    "+44 (0)20 7946 0123",
    "0044 20 7946 0123",
    "011 44 20 7946 0123",
    "44 20 7946 0123",
    "020 7946 0123 x123",
    "020 7946 0123 ext. 9",
    "020 7946 0123 #9",
    "020 7946 0123;ext=9",
    "0800 FLOWERS",
    "tel: 020 7946 0123",
    "020.7946.0123",
    "020/7946/0123",
    "(020) 7946-0123",
    "[020] 7946 0123",
    "020 7946 0123 / 020 7946 0124",
    "١٢٣٤٥٦٧٨٩٠١",  # Arabic-Indic digits
    "０２０ ７９４６ ０１２３",  # full-width digits
    "0" * 30,
    "9" * 251,
    "020" + " " * 250 + "7946 0123",  # over 250 characters: parse refuses it
)


def _phone_faker(locale: str) -> Generator:
    """A Faker with only the locale's phone provider (a whole ``Faker(locale)`` takes
    ~0.3 s to build)."""
    module = f"faker.providers.phone_number.{locale}"
    if importlib.util.find_spec(module) is None:  # en_IE: Faker's default provider
        module = "faker.providers.phone_number"
    fake = Generator()
    fake.add_provider(importlib.import_module(module).Provider)
    return fake


@pytest.fixture(scope="module")
def by_locale() -> dict[str, list[str]]:
    """Faker numbers of each locale, and the hand-written formats under ``""``."""
    numbers = {}
    for locale in (*REGIONS.values(), *OTHER_LOCALES):
        fake = _phone_faker(locale)
        fake.seed_instance(5)
        numbers[locale] = [fake.phone_number() for _ in range(OWN)]
    fake.seed_instance(11)
    rng = random.Random(11)
    numbers[""] = [fake.numerify(f) for f in FORMATS for _ in range(2)]
    numbers[""] += [rng.choice("0123456789") * rng.randint(1, 20) for _ in range(20)]
    return numbers


def _base_numbers(by_locale: dict[str, list[str]], region: str) -> list[str]:
    """The region's own numbers, a few of every other locale's, and the formats."""
    own = REGIONS.get(region)
    others = OTHERS if own else OTHERS_MORE
    numbers = list(by_locale[""])
    for locale, generated in by_locale.items():
        if locale:
            numbers += generated if locale == own else generated[:others]
    return numbers


def _awkward_shapes(number: str, region: str, rng: random.Random) -> list[str]:
    """``number`` as CRM exports mangle it: Keap's apostrophe and trailing spaces, the
    region's national form, the ``00`` or ``011`` prefix for ``+``, a ``(0)``, digits
    cut or added, letters, an extension."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert metadata is not None
    code, prefix = str(metadata.country_code), metadata.national_prefix or ""
    national = re.sub(rf"^\+{code}\s*(\(0\)\s*)?", prefix, number)
    digits = re.sub(r"\D", "", number)
    cut = rng.randint(1, max(1, len(digits) - 1))
    return [
        f"'{number}   ",
        national,
        f"'{national}  ",
        number.replace("+", "00", 1),
        number.replace("+", "011 ", 1),
        number.replace("+", "", 1),
        re.sub(r"^(\+\d{1,3}) ?", r"\1 (0)", number),
        prefix + digits,
        digits[:cut],
        national + str(rng.randint(0, 99)),
        national[: len(national) // 2] + "ab" + national[len(national) // 2 :],
        f"{national} x{rng.randint(1, 9999)}",
    ]


def _values(base: list[str], region: str) -> list[str | None]:
    rng = random.Random(region)
    values: list[str | None] = list(AWKWARD)
    for number in base:
        values.append(number)
        values += _awkward_shapes(number, region, rng)
    return values


def _assert_same_as_libphonenumber(values: list[str | None], region: str) -> None:
    data = frame(values)
    got = data.select(normalise_phone(pl.col("x"), default_region=region)).to_series()
    want = data.select(normalise_phone_reference(pl.col("x"), default_region=region))
    differing = [
        (value, new, old)
        for value, new, old in zip(values, got, want.to_series(), strict=True)
        if new != old
    ]
    assert differing == []


@pytest.mark.parametrize("region", [*REGIONS, *MORE_REGIONS])
def test_rules_give_what_libphonenumber_gives(region: str, by_locale: dict[str, list[str]]) -> None:
    _assert_same_as_libphonenumber(_values(_base_numbers(by_locale, region), region), region)


@pytest.mark.parametrize(
    ("region", "value", "expected"),
    [
        # the prefix (BY 8, KR and ID 0) is kept: the number fits the region's pattern
        # only with it, and the length without it would be kept
        ("BY", "8 520 600", "+3758520600"),
        ("KR", "0075 1149 0063", "+82007511490063"),
        ("ID", "0030 3634 7594 3554", "+620030363475943554"),
        ("BY", "8 029 123 45 67", "+375291234567"),
    ],
)
def test_a_prefix_the_number_needs_is_kept(region: str, value: str, expected: str) -> None:
    _assert_same_as_libphonenumber([value], region)
    out = frame([value]).select(normalise_phone(pl.col("x"), default_region=region))
    assert out.to_series().to_list() == [expected]


@pytest.mark.parametrize("region", ["GB", "US", "DE", "FR", "IE", "ES", "IT", "NL"])
def test_the_main_regions_have_a_national_rule(region: str) -> None:
    assert national_rule(region) is not None


@pytest.mark.parametrize("region", ["AR", "BR", "JP", "GG", "AG", "XX", "gb"])
def test_regions_without_a_national_rule(region: str) -> None:
    # a national-prefix transform rule, no metadata, or not an upper-case region code
    assert national_rule(region) is None


def test_a_region_without_metadata_falls_back_to_digits() -> None:
    values = ["020 7946 0123", "+44 20 7946 0123", None]
    _assert_same_as_libphonenumber(values, "XX")
    out = frame(values).select(normalise_phone(pl.col("x"), default_region="XX"))
    assert out.to_series().to_list() == ["02079460123", "+442079460123", None]


phone_like = st.from_regex(r"[+' (]?[0-9 ()\-./]{0,20}[ x0-9]{0,4}", fullmatch=True)


@settings(deadline=None, max_examples=25)
@given(
    region=st.sampled_from([*REGIONS, *MORE_REGIONS]),
    values=st.lists(st.one_of(st.none(), phone_like), max_size=30),
)
def test_rules_agree_on_phone_like_text(region: str, values: list[str | None]) -> None:
    _assert_same_as_libphonenumber(values, region)


def _parse_reference(value: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    return f"+{number.country_code}{phonenumbers.national_significant_number(number)}"


@pytest.mark.parametrize("region", [*REGIONS, *MORE_REGIONS])
def test_parsed_is_the_number_parse_gives(region: str, by_locale: dict[str, list[str]]) -> None:
    values = frame(_values(_base_numbers(by_locale, region), region))
    cleaned = values.select(_clean_phone(pl.col("x"))).to_series().drop_nulls().unique()
    ruled = by_rule(cleaned, region).filter("ruled")
    assert ruled.height > 0
    differing = [
        (value, parsed)
        for value, parsed in ruled.select("value", "parsed").iter_rows()
        if parsed != _parse_reference(value, region)
    ]
    assert differing == []
