"""libphonenumber's ``is_valid_number`` for numbers already in E.164, without parsing.

For a parsed number, ``is_valid_number`` depends on the metadata alone:

1. the region: the country code's only region, or the first of its regions (in
   libphonenumber's order) whose ``leading_digits`` pattern matches the start of the
   national significant number or, for a region without one, in which the number has
   a type (``+44 1481 ...`` is Guernsey's, not the United Kingdom's);
2. the number has a type in that region: it matches the general description and one
   of the type descriptions (fixed line, mobile, toll free, premium rate, shared cost,
   VoIP, personal number, pager, UAN, voicemail). A description matches when the
   number's length is one of its possible lengths (if it lists any) and its national
   number pattern matches the whole number.

``valid_e164`` takes these steps with the metadata's patterns compiled once per
process: a few microseconds a number, where ``parse`` and ``is_valid_number`` take
about a hundred (they look each pattern up again on every call). E.164 text comes from
``detectors.phone_rules``, which restates ``parse`` for plainly written numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import phonenumbers
from phonenumbers import PhoneMetadata

_REGION_NON_GEO: Final = "001"
# Validity asks whether any type matches, so the order is free.
_TYPE_DESCRIPTIONS: Final = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
_LONGEST_CODE: Final = max(len(str(c)) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
_CODES: Final = {str(c): c for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE}


@dataclass(frozen=True)
class _Description:
    """A number description: its possible lengths (empty: any) and whole-number pattern."""

    lengths: frozenset[int]
    pattern: re.Pattern[str]

    def matches(self, national: str) -> bool:
        if self.lengths and len(national) not in self.lengths:
            return False
        return self.pattern.fullmatch(national) is not None


@dataclass(frozen=True, eq=False)  # one per region (``_region``): hashed by identity
class _Region:
    """What validity needs of one region's metadata."""

    leading_digits: re.Pattern[str] | None
    general: _Description | None
    types: tuple[_Description, ...]

    def has_type(self, national: str) -> bool:
        """``_number_type_helper(...) != UNKNOWN``."""
        if self.general is None or not self.general.matches(national):
            return False
        typed = _types_at(self, len(national))
        return typed is not None and typed.fullmatch(national) is not None


@functools.cache
def _types_at(region: _Region, length: int) -> re.Pattern[str] | None:
    """One pattern for all of ``region``'s types a number of ``length`` digits may
    have (None: none): a whole-number match of it is a match of one of them, so a
    number costs one pattern test instead of one per type."""
    patterns = [d.pattern.pattern for d in region.types if not d.lengths or length in d.lengths]
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _description(description: object) -> _Description | None:
    pattern = getattr(description, "national_number_pattern", None)
    if not pattern:
        return None  # libphonenumber: no pattern matches nothing
    lengths = frozenset(getattr(description, "possible_length", ()) or ())
    return _Description(lengths, re.compile(pattern))


@functools.cache
def _region(code: int, region: str) -> _Region | None:
    """What validity needs of ``region`` under country ``code`` (None: no metadata),
    compiled on first use: a number of +1 mostly needs the United States' patterns
    only, not those of the 24 other regions sharing the code."""
    if region == _REGION_NON_GEO:
        metadata = PhoneMetadata.metadata_for_nongeo_region(code, None)
    else:
        metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None  # region_code_for_number skips it too
    types = (_description(getattr(metadata, name, None)) for name in _TYPE_DESCRIPTIONS)
    return _Region(
        leading_digits=re.compile(metadata.leading_digits)
        if metadata.leading_digits is not None
        else None,
        general=_description(metadata.general_desc),
        types=tuple(d for d in types if d is not None),
    )


def _valid(code: int, national: str) -> bool:
    names = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    if len(names) == 1:
        only = _region(code, names[0])
        return only is not None and only.has_type(national)
    for name in names:
        region = _region(code, name)
        if region is None:
            continue
        if region.leading_digits is not None:
            if region.leading_digits.match(national):
                return region.has_type(national)
        elif region.has_type(national):
            return True
    return False  # no region claims it: region_code_for_number gives None


def compile_regions(regions: Iterable[str]) -> None:
    """Compile what ``valid_e164`` needs for the numbers of ``regions`` (ISO codes), of
    every length they may have: the warm-up's, so that the first classification of a
    process finds the patterns compiled (about 60 ms of Python at the bench's first
    plan)."""
    for name in regions:
        code = phonenumbers.country_code_for_region(name)
        region = _region(code, name) if code else None
        if region is None:
            continue
        lengths = {n for d in region.types for n in d.lengths}
        if region.general is not None:
            lengths |= region.general.lengths
        for length in sorted(lengths):
            _types_at(region, length)


def valid_e164(numbers: Iterable[str | None]) -> list[bool | None]:
    """For each E.164 string (``+``, country code, national significant number): whether
    libphonenumber finds that number valid; None for anything else."""
    out: list[bool | None] = []
    for number in numbers:
        verdict = None
        if number and number[:1] == "+" and number[1:2] != "0" and number[1:].isdigit():
            if not number.isascii():
                out.append(None)
                continue
            for size in range(1, _LONGEST_CODE + 1):
                code = _CODES.get(number[1 : 1 + size])
                if code is not None:
                    verdict = _valid(code, number[1 + size :]) if len(number) > 1 + size else None
                    break
        out.append(verdict)
    return out
