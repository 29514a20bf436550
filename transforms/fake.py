"""Fake: a realistic surrogate picked from a pool by the keyed hash of the value.

The ``fake`` sub-key's HMAC of the entity-normalised value indexes a per-entity pool
(``fake_pools``), so the same input and key always give the same fake, in every
partition, and nothing is computed per row in Python. If the pick happens to equal the
input, the next pool entry is taken, so a fake never reveals its input.

| entity | fake |
|---|---|
| PERSON | a name from the locale; ``part`` = first / last / full |
| EMAIL_ADDRESS | ``user.1a2b3c@example.invalid`` (a reserved domain) |
| PHONE_NUMBER | E.164 in a range reserved for drama (Ofcom; NANP 555-01xx for US/CA) |
| STREET_ADDRESS, LOCATION (city), POSTCODE | from the locale |
| DATE_OF_BIRTH | ISO date in 1930..2005, or within the input's ``year_band`` years |
| IP_ADDRESS | an address in the RFC 5737 documentation networks |
| anything else | a word and 6 hex chars, like ``odit-3fa9c2`` |
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Final, Literal

import polars as pl
import pydantic

from anonymise.keys import derive_key
from transforms.dates import format_date, parse_date
from transforms.fake_pools import FAKE_EMAIL_DOMAIN, pool
from transforms.keyed_hash import digest_to_index, hmac_sha256_hex
from transforms.normalise import normaliser_for
from transforms.registry import ActionContext, register

PURPOSE: Final = "fake"
NamePart = Literal["first", "last", "full"]
Locale = Annotated[str, pydantic.Field(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
YearBand = Annotated[int, pydantic.Field(ge=0, le=100)]
# A candidate from the digest; the int shifts the pick to the next pool entry.
Pick = Callable[[pl.Expr, int], pl.Expr]

_DOB_FIRST: Final = date(1930, 1, 1)
_DOB_DAYS: Final = (date(2005, 12, 31) - _DOB_FIRST).days + 1
_KIND_BY_ENTITY: Final = {
    "PERSON": "person",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone_number",
    "STREET_ADDRESS": "street_address",
    "ADDRESS": "street_address",
    "LOCATION": "city",
    "CITY": "city",
    "POSTCODE": "postcode",
    "UK_POSTCODE": "postcode",
    "ZIP_CODE": "postcode",
    "DATE_OF_BIRTH": "date_of_birth",
    "IP_ADDRESS": "ip_address",
}


def fake(
    expr: pl.Expr,
    *,
    key: bytes,
    entity: str | None = None,
    locale: str = "en_GB",
    part: NamePart = "full",
    year_band: int = 0,
) -> pl.Expr:
    """A deterministic surrogate for each value; null stays null, blank stays ``""``."""
    normalise = normaliser_for(entity)
    normalised = normalise(expr)
    digest = hmac_sha256_hex(normalised, sub_key=derive_key(key, PURPOSE))
    kind = _KIND_BY_ENTITY.get((entity or "").upper(), "word")
    pick = _picker(kind, locale=locale, part=part, year_band=year_band, original=expr)
    first_pick, next_pick = pick(digest, 0), pick(digest, 1)
    if kind == "date_of_birth":
        same_as_input = first_pick == format_date(parse_date(expr))
    else:
        same_as_input = normalise(first_pick) == normalised
    return (
        pl.when(normalised == "")
        .then(normalised)
        .when(same_as_input)
        .then(next_pick)
        .otherwise(first_pick)
    )


def _picker(kind: str, *, locale: str, part: NamePart, year_band: int, original: pl.Expr) -> Pick:
    if kind == "person":
        return _person_picker(locale, part)
    if kind == "email":
        users = pool(locale, "user_name")
        return lambda digest, shift: pl.concat_str(
            _from_pool(users, digest, shift),
            pl.lit("."),
            digest.str.slice(48, 6),
            pl.lit("@" + FAKE_EMAIL_DOMAIN),
        )
    if kind == "date_of_birth":
        return _date_of_birth_picker(original, year_band)
    if kind == "word":
        words = pool(locale, "word")
        return lambda digest, shift: pl.concat_str(
            _from_pool(words, digest, shift), pl.lit("-"), digest.str.slice(48, 6)
        )
    values = pool(locale, kind)
    return lambda digest, shift: _from_pool(values, digest, shift)


def _person_picker(locale: str, part: NamePart) -> Pick:
    firsts, lasts = pool(locale, "first_name"), pool(locale, "last_name")
    if part == "first":
        return lambda digest, shift: _from_pool(firsts, digest, shift)
    if part == "last":
        return lambda digest, shift: _from_pool(lasts, digest, shift)

    def full_name(digest: pl.Expr, shift: int) -> pl.Expr:
        index = digest_to_index(digest, size=len(firsts) * len(lasts), shift=shift)
        first = _gather(firsts, index % len(firsts))
        last = _gather(lasts, index // len(firsts))
        return pl.concat_str(first, pl.lit(" "), last)

    return full_name


def _date_of_birth_picker(original: pl.Expr, year_band: int) -> Pick:
    def date_of_birth(digest: pl.Expr, shift: int) -> pl.Expr:
        index = digest_to_index(digest, size=_DOB_DAYS * max(year_band, 1), shift=shift)
        anywhere = pl.lit(_DOB_FIRST) + pl.duration(days=index % _DOB_DAYS)
        if year_band == 0:
            return format_date(anywhere)
        band_start = parse_date(original).dt.year() // year_band * year_band
        year = band_start + index % year_band
        in_band = pl.date(year, 1, 1) + pl.duration(days=index // year_band % 365)
        return format_date(pl.coalesce(in_band, anywhere))

    return date_of_birth


def _from_pool(values: tuple[str, ...], digest: pl.Expr, shift: int) -> pl.Expr:
    return _gather(values, digest_to_index(digest, size=len(values), shift=shift))


def _gather(values: tuple[str, ...], index: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(values, dtype=pl.String)).gather(index)


@register("fake")
def fake_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    locale: Locale = "en_GB",
    part: NamePart = "full",
    year_band: YearBand = 0,
) -> pl.Expr:
    return fake(expr, key=ctx.key, entity=ctx.entity, locale=locale, part=part, year_band=year_band)
