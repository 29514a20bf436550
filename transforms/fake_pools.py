"""Pools of surrogate values that ``fake`` picks from by keyed hash.

A pool is built once per (locale, kind) from a Faker instance with a fixed seed, so it
is the same on every machine with the same Faker version (pin Faker to keep fakes
stable across upgrades). Phone numbers and e-mail domains come from ranges reserved
for fiction, never from Faker, so a fake can never reach a real person.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final

from faker import Faker

from anonymise.errors import ConfigError

_POOL_SEED: Final = 20_240_601
_DRAWS: Final = 3_000

# Ofcom's numbers for TV and radio drama (E.164): 1,000 numbers behind each prefix.
_GB_DRAMA_PREFIXES: Final = (
    "+447700900",  # mobile 07700 900000-900999
    "+442079460",  # London 020 7946 0000-0999
    "+441134960",  # Leeds 0113 496 0000-0999
    "+441214960",  # Birmingham 0121 496 0000-0999
    "+441614960",  # Manchester 0161 496 0000-0999
    "+441314960",  # Edinburgh 0131 496 0000-0999
    "+441632960",  # no area 01632 960000-960999
)
# NANP reserves 555-0100..555-0199 for fiction in every area code.
_NANP_AREA_CODES: Final = ("201", "212", "213", "312", "415", "503", "617", "702", "718", "905")
_NANP_COUNTRIES: Final = frozenset({"US", "CA"})
# RFC 5737 documentation networks.
_TEST_NETS: Final = ("192.0.2.", "198.51.100.", "203.0.113.")

FAKE_EMAIL_DOMAIN: Final = "example.invalid"

_FAKER_KINDS: Final[dict[str, Callable[[Faker], str]]] = {
    "first_name": lambda f: str(f.first_name()),
    "last_name": lambda f: str(f.last_name()),
    "user_name": lambda f: str(f.user_name()).lower(),
    "street_address": lambda f: " ".join(str(f.street_address()).split()),
    "city": lambda f: str(f.city()),
    "postcode": lambda f: str(f.postcode()),
    "word": lambda f: str(f.word()).lower(),
}


def pool(locale: str, kind: str) -> tuple[str, ...]:
    """Distinct surrogate values of one kind, in a fixed order; ``ConfigError`` for an
    unknown locale."""
    if kind == "phone_number":
        return phone_pool(locale)
    if kind == "ip_address":
        return tuple(f"{net}{host}" for net in _TEST_NETS for host in range(1, 255))
    return _faker_pool(_checked_locale(locale), kind)


def phone_pool(locale: str) -> tuple[str, ...]:
    """Fictional-range numbers in E.164: NANP 555-01xx for US/CA locales, else Ofcom's."""
    country = _checked_locale(locale).rpartition("_")[2].upper()
    if country in _NANP_COUNTRIES:
        return tuple(f"+1{area}55501{n:02d}" for area in _NANP_AREA_CODES for n in range(100))
    return tuple(f"{prefix}{n:03d}" for prefix in _GB_DRAMA_PREFIXES for n in range(1000))


@lru_cache(maxsize=128)
def _faker_pool(locale: str, kind: str) -> tuple[str, ...]:
    draw = _FAKER_KINDS[kind]
    faker = Faker(locale)
    faker.seed_instance(_POOL_SEED)
    values = (draw(faker) for _ in range(_DRAWS))
    return tuple(dict.fromkeys(v for v in values if v))


@lru_cache(maxsize=64)
def _checked_locale(locale: str) -> str:
    try:
        Faker(locale)
    except AttributeError:
        raise ConfigError(
            f"action 'fake': param 'locale': unknown Faker locale '{locale}' "
            "(use one like en_GB, en_US, de_DE, fr_FR)"
        ) from None
    return locale
