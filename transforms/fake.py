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
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Final, Literal

import polars as pl
import pydantic

from anonymise.keys import derive_key
from transforms.dates import format_date, parse_date
from transforms.distinct import map_distinct_series
from transforms.fake_pools import FAKE_EMAIL_DOMAIN, pool
from transforms.keyed_hash import digest_to_index, hmac_sha256_hex
from transforms.normalise import normaliser_for
from transforms.registry import ActionContext, register

PURPOSE: Final = "fake"
NamePart = Literal["first", "last", "full"]


def _known_locale(locale: str) -> str:
    from faker.config import AVAILABLE_LOCALES

    if locale not in AVAILABLE_LOCALES:
        raise ValueError(
            f"unknown Faker locale '{locale}' (use one like en_GB, en_US, de_DE, fr_FR)"
        )
    return locale


Locale = Annotated[
    str, pydantic.Field(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$"), pydantic.AfterValidator(_known_locale)
]
YearBand = Annotated[int, pydantic.Field(ge=0, le=100)]
# (digest, normalised input, shift) -> (fake, the fake as normalised): shift 1 picks
# the next pool entry.
Pick = Callable[[pl.Expr, pl.Expr, int], tuple[pl.Expr, pl.Expr]]

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


@dataclass(frozen=True)
class _Picker:
    pick: Pick
    # The input in the form the normalised fake is compared with.
    comparable_input: Callable[[pl.Expr], pl.Expr] = lambda normalised: normalised


def fake(
    expr: pl.Expr,
    *,
    key: bytes,
    entity: str | None = None,
    locale: str = "en_GB",
    part: NamePart = "full",
    year_band: int = 0,
    phone_region: str = "GB",
) -> pl.Expr:
    """A deterministic surrogate for each value; null stays null, blank stays ``""``."""
    normalise = normaliser_for(entity, phone_region=phone_region)
    kind = _KIND_BY_ENTITY.get((entity or "").upper(), "word")
    picker = _picker(kind, entity=entity, locale=locale, part=part, year_band=year_band)
    sub_key = derive_key(key, PURPOSE)

    def fakes_for(values: pl.Series) -> pl.Series:
        # One step per with_columns, so each runs once over the distinct values.
        steps = values.to_frame("value").with_columns(normalised=normalise(pl.col("value")))
        steps = steps.with_columns(digest=hmac_sha256_hex(pl.col("normalised"), sub_key=sub_key))
        digest, normalised = pl.col("digest"), pl.col("normalised")
        first, first_normalised = picker.pick(digest, normalised, 0)
        second, _ = picker.pick(digest, normalised, 1)
        steps = steps.with_columns(
            first=first,
            second=second,
            same=first_normalised == picker.comparable_input(normalised),
        )
        chosen = (
            pl.when(pl.col("normalised") == "")
            .then(pl.lit(""))
            .when(pl.col("same"))
            .then(pl.col("second"))
            .otherwise(pl.col("first"))
        )
        return steps.select(chosen).to_series()

    return map_distinct_series(expr.cast(pl.String), fakes_for)


def _picker(
    kind: str, *, entity: str | None, locale: str, part: NamePart, year_band: int
) -> _Picker:
    if kind == "person":
        return _person_picker(locale, part)
    if kind == "email":
        users = pool(locale, "user_name")

        def email(digest: pl.Expr, normalised: pl.Expr, shift: int) -> tuple[pl.Expr, pl.Expr]:
            user = _gather(users, digest_to_index(digest, size=len(users), shift=shift))
            address = pl.concat_str(
                user, pl.lit("."), digest.str.slice(48, 6), pl.lit("@" + FAKE_EMAIL_DOMAIN)
            )
            return address, address.str.to_lowercase()

        return _Picker(email)
    if kind == "word":
        words = pool(locale, "word")

        def word(digest: pl.Expr, normalised: pl.Expr, shift: int) -> tuple[pl.Expr, pl.Expr]:
            chosen = _gather(words, digest_to_index(digest, size=len(words), shift=shift))
            token = pl.concat_str(chosen, pl.lit("-"), digest.str.slice(48, 6))
            return token, token

        return _Picker(word)
    if kind == "date_of_birth":
        return _Picker(
            _date_of_birth_pick(year_band), lambda normalised: format_date(parse_date(normalised))
        )
    return _Picker(_pool_pick(locale, kind, entity))


def _pool_pick(locale: str, kind: str, entity: str | None) -> Pick:
    values, normalised_values = pool(locale, kind), _normalised_pool(locale, kind, entity)

    def from_pool(digest: pl.Expr, normalised: pl.Expr, shift: int) -> tuple[pl.Expr, pl.Expr]:
        index = digest_to_index(digest, size=len(values), shift=shift)
        return _gather(values, index), _gather(normalised_values, index)

    return from_pool


def _person_picker(locale: str, part: NamePart) -> _Picker:
    if part != "full":
        return _Picker(_pool_pick(locale, f"{part}_name", "PERSON"))
    firsts, lasts = pool(locale, "first_name"), pool(locale, "last_name")
    folded_firsts = _normalised_pool(locale, "first_name", "PERSON")
    folded_lasts = _normalised_pool(locale, "last_name", "PERSON")

    def full_name(digest: pl.Expr, normalised: pl.Expr, shift: int) -> tuple[pl.Expr, pl.Expr]:
        index = digest_to_index(digest, size=len(firsts) * len(lasts), shift=shift)
        first, last = index % len(firsts), index // len(firsts)
        name = pl.concat_str(_gather(firsts, first), pl.lit(" "), _gather(lasts, last))
        folded = pl.concat_str(
            _gather(folded_firsts, first), pl.lit(" "), _gather(folded_lasts, last)
        )
        return name, folded

    return _Picker(full_name)


def _date_of_birth_pick(year_band: int) -> Pick:
    def date_of_birth(digest: pl.Expr, normalised: pl.Expr, shift: int) -> tuple[pl.Expr, pl.Expr]:
        index = digest_to_index(digest, size=_DOB_DAYS * max(year_band, 1), shift=shift)
        anywhere = pl.lit(_DOB_FIRST) + pl.duration(days=index % _DOB_DAYS)
        if year_band == 0:
            return format_date(anywhere), format_date(anywhere)
        band_start = parse_date(normalised).dt.year() // year_band * year_band
        year = band_start + index % year_band
        in_band = pl.date(year, 1, 1) + pl.duration(days=index // year_band % 365)
        born = format_date(pl.coalesce(in_band, anywhere))
        return born, born

    return date_of_birth


@lru_cache(maxsize=128)
def _normalised_pool(locale: str, kind: str, entity: str | None) -> tuple[str, ...]:
    """The pool as its entity's normaliser writes it, to compare picks with inputs."""
    values = pl.Series("value", pool(locale, kind), dtype=pl.String)
    normalised = values.to_frame().select(normaliser_for(entity)(pl.col("value")))
    return tuple(normalised.to_series().to_list())


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
    return fake(
        expr,
        key=ctx.key,
        entity=ctx.entity,
        locale=locale,
        part=part,
        year_band=year_band,
        phone_region=ctx.phone_region,
    )
