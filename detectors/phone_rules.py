"""E.164 for plainly written phone numbers, by rules read from libphonenumber's metadata.

``phonenumbers.parse`` on a number written with digits and the usual separators only
(space ``( ) . - /``, no letters, no extension) takes a few steps that depend on the
metadata alone, never on anything else in the text:

1. it reads the digits (separators are ignored; text of over 250 characters is
   refused, and text of fewer than 3 digits is left to libphonenumber here);
2. ``+`` and a country calling code: the rest is the national number. Written without
   ``+``: the region's international prefix (``00``) or a leading country code make it
   international, else all the digits are the national number of the default region;
3. it strips a national prefix (``national_prefix_for_parsing``, GB ``0``), unless the
   number matched the region's general pattern and would not after stripping, and keeps
   the stripped number only at lengths where ``_test_number_length`` says it is possible
   or too long;
4. a national number of 2 to 17 digits parses; ``is_possible_number`` then decides by
   its length alone (the country code's main region's ``possible_length``).

E.164 is then ``+``, the country code and the national number as written, leading zeros
kept. The expressions here restate these steps in Polars for the shapes where they are
the whole story, and say which values they decided (``ruled``); every other value (an
international prefix, a leading country code, a national-prefix transform rule, letters,
an extension...) is left to libphonenumber. Patterns from the metadata run in Polars'
regex engine, which finds the same (leftmost-first) matches as Python's ``re`` for them;
a region whose patterns Polars cannot compile gets no rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import phonenumbers
import polars as pl
from phonenumbers import PhoneMetadata, ValidationResult, phonenumberutil

# What phonenumbers.parse refuses, from its own constants.
_MAX_INPUT_LENGTH: Final = phonenumberutil._MAX_INPUT_STRING_LENGTH
_MIN_NATIONAL_LENGTH: Final = phonenumberutil._MIN_LENGTH_FOR_NSN
_MAX_NATIONAL_LENGTH: Final = phonenumberutil._MAX_LENGTH_FOR_NSN
# Fewer than 3 digits may or may not look like a number to libphonenumber ("12" does,
# "1-2" does not), so such text is never ruled here.
_MIN_RULED_DIGITS: Final = 3

_PLAIN_NATIONAL: Final = r"^[0-9 ().\-/]+$"
_PLAIN_INTERNATIONAL: Final = r"^\+[1-9][0-9 ().\-/]*$"
_COUNTRY_CODES: Final = sorted(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
# The country code parse reads: the shortest known one the digits start with (shorter
# codes first, as leftmost-first alternation tries them in order).
_COUNTRY_CODE: Final = "^(" + "|".join(sorted(_COUNTRY_CODES, key=len)) + ")"

# parse keeps a number with its national prefix stripped unless its length is one of these.
_STRIP_REFUSED: Final = (
    ValidationResult.TOO_SHORT,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ValidationResult.INVALID_LENGTH,
)
_POSSIBLE: Final = (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY)

ResultTest = Callable[[int], bool]


@dataclass(frozen=True)
class NationalRule:
    """How libphonenumber reads a plain national number of one default region.

    ``country_code``: the region's calling code. ``idd_pattern``: its international
    prefix (digits starting so are not ruled). ``prefix_pattern``: the national prefix to
    strip, if any. ``general_pattern``: the region's whole-number pattern, if any.
    ``strip_lengths``: national-number lengths at which parse keeps a stripped number.
    ``possible_lengths``: lengths of a national number that parses and is possible.
    """

    country_code: str
    idd_pattern: str | None
    prefix_pattern: str | None
    general_pattern: str | None
    strip_lengths: tuple[int, ...]
    possible_lengths: tuple[int, ...]


def by_rule(values: pl.Series, region: str) -> pl.DataFrame:
    """``value``, ``ruled``, ``e164`` and ``parsed`` for each of ``values`` (cleaned,
    distinct phone cells, any order): ``ruled`` where a rule here decides the value, and
    then ``e164`` is what libphonenumber gives (``_to_e164``) and ``parsed`` the number
    ``parse`` gives, as ``+`` country code and national number, possible or not (null
    where parse refuses the value); elsewhere the two mean nothing.

    Computed in steps over materialised columns, so that each step runs once (Polars
    would otherwise repeat an expression used twice in one tree, regex and all).
    """
    frame = values.to_frame("value").with_columns(
        pl.col("value").str.replace_all(r"[^0-9]", "").alias("digits")
    )
    code = pl.col("digits").str.extract(_COUNTRY_CODE, 1)
    national_length = pl.col("digits").str.len_chars() - code.str.len_chars()
    frame = frame.with_columns(
        plain_international(pl.col("value"), pl.col("digits")).alias("ruled"),
        pl.concat_str(pl.lit("+"), pl.col("digits")).alias("e164"),
    ).with_columns(
        pl.when(national_length.is_between(_MIN_NATIONAL_LENGTH, _MAX_NATIONAL_LENGTH))
        .then(pl.col("e164"))
        .alias("parsed")
    )
    rule = national_rule(region)
    if rule is None:
        return frame.select("value", "ruled", "e164", "parsed")
    international = frame.filter("ruled").select("value", "ruled", "e164", "parsed")
    return pl.concat([international, _national_e164(frame.filter(~pl.col("ruled")), rule)])


def plain_international(value: pl.Expr, digits: pl.Expr) -> pl.Expr:
    """``+``, digits and separators only, a known country code, and no national prefix
    after it that libphonenumber would strip (``+44 (0)20``, ``+1 1 212``, ``+7 8 912``).

    Such a number gets ``+`` and its ``digits`` from libphonenumber whether it parses or
    not: unparsed, it falls back to exactly that.
    """
    code = digits.str.extract(_COUNTRY_CODE, 1)
    code_and_rest = pl.concat_str(code, pl.lit(":"), digits.str.slice(code.str.len_chars()))
    return (
        value.str.contains(_PLAIN_INTERNATIONAL)
        & code.is_not_null()
        & ~code_and_rest.str.contains(strippable_after_country_code())
    ).fill_null(False)


def plain_national(value: pl.Expr, digits: pl.Expr, rule: NationalRule) -> pl.Expr:
    """Digits and separators only, at least 3 digits, not starting with the region's
    international prefix or its country code: all of parse is the steps above."""
    ruled = (
        value.str.contains(_PLAIN_NATIONAL)
        & (value.str.len_chars() <= _MAX_INPUT_LENGTH)
        & (digits.str.len_chars() >= _MIN_RULED_DIGITS)
        & ~digits.str.starts_with(rule.country_code)
    )
    if rule.idd_pattern is not None:
        ruled = ruled & ~digits.str.contains(f"^(?:{rule.idd_pattern})")
    return ruled.fill_null(False)


def _national_e164(frame: pl.DataFrame, rule: NationalRule) -> pl.DataFrame:
    """``value``, ``ruled`` and ``e164`` for ``value`` and ``digits`` read as national
    numbers: E.164 when the national number parse keeps is possible, else the digits."""
    digits = pl.col("digits")
    frame = frame.with_columns(plain_national(pl.col("value"), digits, rule).alias("ruled"))
    if rule.prefix_pattern is None:
        frame = frame.with_columns(digits.alias("national"))
    else:
        frame = frame.with_columns(
            digits.str.extract(f"^(?:{rule.prefix_pattern})", 0).str.len_chars().alias("cut")
        )
        frame = frame.with_columns(digits.str.slice(pl.col("cut")).alias("stripped"))
        frame = frame.with_columns(_national_number(digits, pl.col("stripped"), rule))
    national = pl.col("national")
    parsed = pl.concat_str(pl.lit("+" + rule.country_code), national)
    return frame.select(
        "value",
        "ruled",
        pl.when(national.str.len_chars().is_in(rule.possible_lengths))
        .then(parsed)
        .otherwise(digits)
        .alias("e164"),
        pl.when(national.str.len_chars().is_between(_MIN_NATIONAL_LENGTH, _MAX_NATIONAL_LENGTH))
        .then(parsed)
        .alias("parsed"),
    )


def _national_number(digits: pl.Expr, stripped: pl.Expr, rule: NationalRule) -> pl.Expr:
    """The national number parse keeps: ``stripped`` (``digits`` without the national
    prefix, null where none matched) unless the general pattern needs the prefix or
    ``_test_number_length`` refuses its length; else ``digits``."""
    needed = _matches_whole(digits, rule.general_pattern) & ~_matches_whole(
        stripped, rule.general_pattern
    )
    kept = stripped.is_not_null() & ~needed & stripped.str.len_chars().is_in(rule.strip_lengths)
    return pl.when(kept).then(stripped).otherwise(digits).alias("national")


def _matches_whole(digits: pl.Expr, pattern: str | None) -> pl.Expr:
    """libphonenumber's ``_match_national_number``: the whole text matches ``pattern``
    (never, without a pattern)."""
    if pattern is None:
        return pl.lit(False)
    return digits.str.contains(f"^(?:{pattern})$")


@functools.cache
def national_rule(region: str) -> NationalRule | None:
    """The rule for national numbers of ``region`` (upper case), or None where parse
    does more than the steps above (a national-prefix transform rule) or the metadata is
    missing, and every number of that region is left to libphonenumber."""
    if region not in phonenumberutil.SUPPORTED_REGIONS:
        return None
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None or metadata.country_code is None:
        return None
    if metadata.country_code not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        return None  # is_possible_number would refuse every number
    prefix = metadata.national_prefix_for_parsing or None
    if prefix is not None and metadata.national_prefix_transform_rule:
        return None
    main = _main_metadata(metadata.country_code)
    if main is None or not _has_lengths(metadata) or not _has_lengths(main):
        return None
    rule = NationalRule(
        country_code=str(metadata.country_code),
        idd_pattern=metadata.international_prefix or None,
        prefix_pattern=prefix,
        general_pattern=metadata.general_desc.national_number_pattern or None,
        strip_lengths=_lengths(metadata, lambda result: result not in _STRIP_REFUSED),
        possible_lengths=tuple(
            length
            for length in _lengths(main, lambda result: result in _POSSIBLE)
            if length >= _MIN_NATIONAL_LENGTH
        ),
    )
    return rule if _compiles(rule) else None


def _main_metadata(country_code: int) -> PhoneMetadata | None:
    """The metadata ``is_possible_number`` uses for ``country_code`` (its main region's,
    or the non-geographic entity's)."""
    region = phonenumbers.region_code_for_country_code(country_code)
    return PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)


def _has_lengths(metadata: PhoneMetadata) -> bool:
    """``_test_number_length`` needs at least one possible length (else it raises)."""
    return metadata.general_desc is not None and len(metadata.general_desc.possible_length) > 0


def _lengths(metadata: PhoneMetadata, keep: ResultTest) -> tuple[int, ...]:
    """The national-number lengths up to 17 whose ``_test_number_length`` result passes
    ``keep`` (longer numbers never parse, stripped or not).

    For the unknown number type that function looks at the length only, so asking it
    once per length answers for every number of that length."""
    return tuple(
        length
        for length in range(_MAX_NATIONAL_LENGTH + 1)
        if keep(phonenumberutil._test_number_length("1" * length, metadata))
    )


def _compiles(rule: NationalRule) -> bool:
    """Whether Polars' regex engine takes the rule's patterns."""
    try:
        frame = pl.DataFrame({"value": ["0123456789"], "digits": ["0123456789"]})
        _national_e164(frame, rule)
    except pl.exceptions.ComputeError:
        return False
    return True


@functools.cache
def strippable_after_country_code() -> str:
    """A pattern for ``<country code>:<rest>`` that matches when the rest starts with a
    national prefix the code's metadata would strip (``44:020...``, ``1:1212...``).

    A code whose metadata is missing matches whatever follows, so that nothing under it
    is ruled."""
    branches = []
    for code in _COUNTRY_CODES:
        metadata = _main_metadata(int(code))
        if metadata is None:
            branches.append(f"{code}:")
        elif metadata.national_prefix_for_parsing:
            branches.append(f"{code}:(?:{metadata.national_prefix_for_parsing})")
    return "^(?:" + "|".join(branches) + ")"
