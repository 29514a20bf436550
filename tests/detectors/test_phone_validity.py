"""Validity and scores without libphonenumber's parse give what libphonenumber gives."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from detectors.phone_validity import valid_e164
from detectors.recognizers.phone import _CANDIDATE, CrmPhoneRecognizer

from .test_phone_rules import AWKWARD, FORMATS, REGIONS, _phone_faker

TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)


def _e164_numbers() -> list[str]:
    """Every region's example number of every type, each changed a little (a digit
    replaced, added, dropped), and random national numbers under every country code."""
    rng = random.Random(7)
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            digits = e164[1:]
            at = rng.randrange(len(digits))
            numbers += [
                e164,
                f"+{digits[:at]}{rng.randrange(10)}{digits[at + 1 :]}",
                e164 + str(rng.randrange(10)),
                e164[:-1],
            ]
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        for _ in range(5):
            national = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(2, 14)))
            numbers.append(f"+{code}{national}")
    return sorted(set(numbers))


def _libphonenumber_valid(e164: str) -> bool | None:
    """is_valid_number of the number, or None where parse reads another number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.format_number(number, PhoneNumberFormat.E164) != e164:
        return None  # e.g. a national prefix after the country code, stripped by parse
    return bool(phonenumbers.is_valid_number(number))


def test_valid_e164_is_is_valid_number() -> None:
    numbers = _e164_numbers()
    got = valid_e164(numbers)
    compared = 0
    differing = []
    for number, verdict in zip(numbers, got, strict=True):
        want = _libphonenumber_valid(number)
        if want is None:
            continue
        compared += 1
        if verdict != want:
            differing.append((number, verdict, want))
    assert differing == []
    assert compared > 4_000
    assert sum(v is True for v in got) > 1_500  # valid ones are in there


@pytest.mark.parametrize(
    "value", ["", "+", "+0123456789", "447700900123", "+44", "+٤٤7700900123", "x", None]
)
def test_anything_but_e164_is_left_undecided(value: str | None) -> None:
    assert valid_e164([value]) == [None]


def _candidates() -> list[str]:
    """Phone candidates as the recognizer finds them in text: Faker numbers of many
    locales and the hand-written formats, as written and as CRMs mangle them, and
    digit runs of every length with and without separators."""
    rng = random.Random(3)
    texts: list[str] = [v for v in AWKWARD if v]
    for locale in (*REGIONS.values(), "en_AU", "en_IN", "ru_RU", "pt_BR", "ja_JP", "en_CA"):
        fake = _phone_faker(locale)
        fake.seed_instance(2)
        for _ in range(60):
            number = fake.phone_number()
            texts += [number, number.replace("+", "00", 1), f"call {number}, or 0{number}"]
    fake = _phone_faker("en_GB")
    fake.seed_instance(4)
    texts += [fake.numerify(f) for f in FORMATS for _ in range(5)]
    for _ in range(1500):
        digits = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(5, 17)))
        separator = rng.choice(["", " ", "-", ".", "/", "  "])
        groups = (digits[i : i + rng.randint(2, 4)] for i in range(0, len(digits), 3))
        grouped = separator.join(groups)
        prefix = rng.choice(["", "+", "00", "0", "(0", "+44 ", "+1 ", "+49 (0)", "2024-", "1.5"])
        texts.append(prefix + grouped)
    found = (m.group().strip() for text in texts for m in _CANDIDATE.finditer(text))
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("regions", [("GB", "US", "DE", "FR"), ("IT", "CA", "AR", "XX")])
@pytest.mark.parametrize("floor", [0.0, 0.1, 0.5, 0.8])
def test_scores_in_polars_are_the_scores_one_by_one(regions: tuple[str, ...], floor: float) -> None:
    recognizer = CrmPhoneRecognizer(regions=regions)
    candidates = _candidates()
    assert len(candidates) > 2_000
    one_by_one = [recognizer.score(c, floor) for c in candidates]
    at_once = recognizer.scores(candidates, floor)
    differing = [
        (c, want, got)
        for c, want, got in zip(candidates, one_by_one, at_once, strict=True)
        if want != got
    ]
    assert differing == []
    assert sum(1 for s in one_by_one if s) > 500  # plenty of them are phone numbers
