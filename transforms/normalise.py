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
from functools import partial
from typing import Final

import phonenumbers
import polars as pl

from detectors.phone_rules import by_rule
from transforms.distinct import map_distinct, map_distinct_series

Normaliser = Callable[[pl.Expr], pl.Expr]

# Keap exports phone numbers with a leading apostrophe so spreadsheets keep them as text.
LEADING_APOSTROPHES: Final = r"^['\u2019`]+"
_ADDRESS_IN_BRACKETS: Final = r"<\s*([^<>@\s]+@[^<>@\s]+)\s*>\s*$"
_NOT_PHONE_DIGIT: Final = re.compile(r"[^\d]")
_KNOWN_KEPT: Final = 100_000  # answers a phone expression remembers
_KNOWN_FOR_AT_MOST: Final = 100_000  # distinct values a call looks up in them


def as_text(expr: pl.Expr) -> pl.Expr:
    """The values as text, a float without a fraction written as an integer: pandas
    writes an integer column with a gap as floats, and ``5001.0`` is id ``5001``,
    ``447700900102.0`` the phone number ``447700900102``, in every other file."""
    return expr.map_batches(_as_text, return_dtype=pl.String)


def _as_text(values: pl.Series) -> pl.Series:
    if not values.dtype.is_float():
        return values.cast(pl.String)
    whole = values.cast(pl.Int64, strict=False)
    integral = (whole.cast(values.dtype) == values).fill_null(False)
    frame = pl.DataFrame({"float": values, "whole": whole, "integral": integral})
    text = pl.when(pl.col("integral")).then(pl.col("whole").cast(pl.String))
    return frame.select(text.otherwise(pl.col("float").cast(pl.String))).to_series()


def normalise_text(expr: pl.Expr) -> pl.Expr:
    """Strip surrounding whitespace."""
    return as_text(expr).str.strip_chars()


def normalise_email(expr: pl.Expr) -> pl.Expr:
    """Strip and lower-case the address (domains are case-insensitive, and so in
    practice are local parts at every mailbox provider a CRM sees); of a cell written
    ``Ann Lee <ann@example.com>``, the address in the brackets, so it joins, blocks
    and erases as ``ann@example.com`` does; so do ``mailto:ann@example.com``,
    ``ann@example.com.`` and an address with accents written decomposed (NFKC)."""
    return normalise_lower(expr).map_batches(_address_of, return_dtype=pl.String)


def normalise_lower(expr: pl.Expr) -> pl.Expr:
    """Strip and lower-case (IP addresses: IPv6 hex digits are case-free)."""
    return normalise_text(expr).str.to_lowercase()


def _address_of(values: pl.Series) -> pl.Series:
    """The address alone where a (lower-cased) cell holds more: angle brackets around
    it, ``mailto:`` before it, dots after it, or characters outside ASCII, which may
    be decomposed. Only those cells are reworked; finding them costs 1M plain addresses
    ~40 ms (the brackets alone: 14 ms)."""
    cell = pl.col(values.name)
    odd = values.to_frame().select(
        cell.str.contains("<", literal=True)
        | cell.str.starts_with("mailto:")
        | cell.str.ends_with(".")
        | (cell.str.len_bytes() != cell.str.len_chars())
    )
    held = odd.to_series().fill_null(False).arg_true()
    if held.is_empty():
        return values
    # twice: NFKC can make what a step takes away ("¨" is a blank and a mark)
    address = _address_alone(_address_alone(values.gather(held)))
    return values.clone().scatter(held, address.alias(values.name))


def _address_alone(cells: pl.Series) -> pl.Series:
    text = cells.str.normalize("NFKC").str.strip_chars().str.to_lowercase()
    return (
        text.str.extract(_ADDRESS_IN_BRACKETS, 1)
        .fill_null(text)
        .str.replace(r"^(?:mailto:\s*)+", "")
        .str.replace(r"[.\s]+$", "")
        .str.strip_chars()
    )


def normalise_name(expr: pl.Expr) -> pl.Expr:
    """Strip, NFKC-normalise and Unicode case-fold (``Straße`` and ``STRASSE`` agree)."""
    return map_distinct(normalise_text(expr), _casefold)


def normalise_postcode(expr: pl.Expr) -> pl.Expr:
    """Strip, upper-case and drop inner whitespace (``sw1a 1aa`` -> ``SW1A1AA``)."""
    return normalise_text(expr).str.to_uppercase().str.replace_all(r"\s+", "")


def normalise_phone(expr: pl.Expr, *, default_region: str = "GB") -> pl.Expr:
    """E.164 where the number parses (``07700 900123`` -> ``+447700900123``), else the
    digits only with a leading ``+`` kept. Computed once per distinct value: a plainly
    written number, international (``+44 20 7946 0123``) or national in the default
    region (``020 7946 0123``), by libphonenumber's rules restated in Polars
    (``detectors.phone_rules``), the rest by libphonenumber itself. The answer is the
    same as ``normalise_phone_reference``'s for every value."""
    region = default_region.upper()
    # The answers so far, for the next batch of this expression's values: a run in
    # batches sees the same numbers again in every slice.
    known: dict[str, str] = {}
    return map_distinct_series(as_text(expr), lambda values: _to_e164_series(values, region, known))


def normalise_phone_reference(expr: pl.Expr, *, default_region: str = "GB") -> pl.Expr:
    """``normalise_phone`` by libphonenumber alone, once per distinct value: the reference
    the Polars rules are tested and benchmarked against."""
    region = default_region.upper()
    return map_distinct(_clean_phone(expr), lambda value: _to_e164(value, region))


def _clean_phone(expr: pl.Expr) -> pl.Expr:
    """Stripped, and without Keap's leading apostrophes."""
    return normalise_text(expr).str.replace(LEADING_APOSTROPHES, "").str.strip_chars()


def _to_e164_series(values: pl.Series, region: str, known: dict[str, str]) -> pl.Series:
    """``normalise_phone`` of distinct raw cells: cleaned here rather than per row (the
    cleaning costs more than the rules on a million rows), then each distinct cleaned
    value converted once, or taken from ``known``."""
    frame = values.to_frame("value").select(_clean_phone(pl.col("value")))
    converted = _converted(frame.get_column("value").unique(), region, known)
    return (
        frame.join(converted, on="value", how="left", maintain_order="left")
        .get_column("e164")
        .alias(values.name)
    )


def _converted(values: pl.Series, region: str, known: dict[str, str]) -> pl.DataFrame:
    """``value`` -> ``e164`` for distinct cleaned values. Up to ``_KNOWN_FOR_AT_MOST``
    values (a slice's few thousand, or a small column) are looked up in ``known`` first
    (the rules' fixed cost per call, their big regexes warming up, is most of a slice's
    time) and the new answers kept, up to a bound; more values go straight to the
    rules."""
    if values.len() > _KNOWN_FOR_AT_MOST:
        return _cleaned_to_e164(values, region)
    listed = values.to_list()
    seen = [v for v in listed if v in known]
    fresh = _cleaned_to_e164(
        pl.Series("value", [v for v in listed if v not in known], pl.String), region
    )
    room = _KNOWN_KEPT - len(known)
    if room > 0:
        known.update(fresh.head(room).iter_rows())
    remembered = pl.DataFrame(
        {"value": seen, "e164": [known[v] for v in seen]},
        schema={"value": pl.String, "e164": pl.String},
    )
    return pl.concat([fresh, remembered])


def _cleaned_to_e164(values: pl.Series, region: str) -> pl.DataFrame:
    """``value`` -> ``e164`` for distinct cleaned values: by rule where one applies, by
    libphonenumber for the rest."""
    frame = by_rule(values, region)
    parse = frame.filter(~pl.col("ruled")).get_column("value")
    parsed = pl.Series("e164", [_to_e164(v, region) for v in parse.to_list()], pl.String)
    return pl.concat([frame.filter("ruled").select("value", "e164"), pl.DataFrame([parse, parsed])])


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
    "IP_ADDRESS": normalise_lower,
}


def normaliser_for(entity: str | None, *, phone_region: str = "GB") -> Normaliser:
    """The normaliser for a detected entity; plain stripping for anything else. Phone
    numbers written nationally are read in ``phone_region`` (``suppression.phone_region``:
    the block step, erasure and the tokens read them alike)."""
    if entity is not None and entity.upper() == "PHONE_NUMBER":
        return partial(normalise_phone, default_region=phone_region)
    if entity is None:
        return normalise_text
    return _BY_ENTITY.get(entity.upper(), normalise_text)
