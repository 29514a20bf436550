"""Normalisers: the canonical spelling of a value before it is hashed or compared.

Two spellings of one identifier (``Jane@X.com `` and ``jane@x.com``) must give one
pseudonym, one suppression-list entry and one erasure match, so every keyed transform
hashes the normalised value. Each normaliser is ``pl.Expr -> pl.Expr``.

Null stays null. ``""`` (or a value that is only whitespace) becomes ``""``: it is kept
as "no value" rather than turned into null, so the null count of a column never changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

import phonenumbers
import polars as pl

from transforms.distinct import map_distinct

Normaliser = Callable[[pl.Expr], pl.Expr]

# Keap exports phone numbers with a leading apostrophe so spreadsheets keep them as text.
_LEADING_APOSTROPHES: Final = r"^['\u2019`]+"
_NOT_PHONE_DIGIT: Final = re.compile(r"[^\d]")


def normalise_text(expr: pl.Expr) -> pl.Expr:
    """Strip surrounding whitespace."""
    return expr.cast(pl.String).str.strip_chars()


def normalise_email(expr: pl.Expr) -> pl.Expr:
    """Strip and lower-case the whole address (domains are case-insensitive, and so in
    practice are local parts at every mailbox provider a CRM sees)."""
    return normalise_text(expr).str.to_lowercase()


def normalise_name(expr: pl.Expr) -> pl.Expr:
    """Strip, NFKC-normalise and Unicode case-fold (``Straße`` and ``STRASSE`` agree)."""
    return map_distinct(normalise_text(expr), _casefold)


def normalise_postcode(expr: pl.Expr) -> pl.Expr:
    """Strip, upper-case and drop inner whitespace (``sw1a 1aa`` -> ``SW1A1AA``)."""
    return normalise_text(expr).str.to_uppercase().str.replace_all(r"\s+", "")


def normalise_phone(expr: pl.Expr, *, default_region: str = "GB") -> pl.Expr:
    """E.164 where the number parses (``07700 900123`` -> ``+447700900123``), else the
    digits only with a leading ``+`` kept. Parsed once per distinct value."""
    region = default_region.upper()
    cleaned = normalise_text(expr).str.replace(_LEADING_APOSTROPHES, "").str.strip_chars()
    return map_distinct(cleaned, lambda value: _to_e164(value, region))


def _casefold(value: str) -> str:
    # NFKC again after folding, as Unicode's NFKC_Casefold does: folding can leave text
    # that is not NFKC (and NFKC can expose whitespace), so one pass is not idempotent.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return folded.strip()


def _to_e164(value: str, region: str) -> str:
    plus = "+" if value.startswith("+") else ""
    digits = plus + _NOT_PHONE_DIGIT.sub("", value)
    # Trying the digits too keeps this idempotent: what falls back to digits must not
    # parse when normalised again.
    return _parse_e164(value, region) or _parse_e164(digits, region) or digits


def _parse_e164(value: str, region: str) -> str | None:
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_BY_ENTITY: Final[dict[str, Normaliser]] = {
    "EMAIL_ADDRESS": normalise_email,
    "PHONE_NUMBER": normalise_phone,
    "PERSON": normalise_name,
    "POSTCODE": normalise_postcode,
    "UK_POSTCODE": normalise_postcode,
    "IP_ADDRESS": normalise_email,  # strip + lower-case: IPv6 hex digits are case-free
}


def normaliser_for(entity: str | None) -> Normaliser:
    """The normaliser for a detected entity; plain stripping for anything else."""
    if entity is None:
        return normalise_text
    return _BY_ENTITY.get(entity.upper(), normalise_text)
