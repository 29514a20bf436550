"""Whole cells shaped as an e-mail address or a phone number, told apart from ids,
amounts, dates, versions and coordinates by their shape alone.

A phone number here is written as exports write one: international (``+44 20 7946
0123``, ``(+44) 20 ...``, ``0044 20 ...``), national with its trunk 0 (``020 7946
0123``, ``01.23.45.67.89``, ``0612345678``), or North American (``(415) 555-0132``,
``1-415-555-0132``), with 9 to 15 digits and maybe an extension (``x56``). A bare run
of digits not starting with a single 0 (an id), a zero-padded id (``0012345678``), a
decimal (``12345678.90``, ``51.5073509``), a version (``10.0.19045``) or a date is not
one: matched as phone numbers, they would drop or erase other people's rows, and a
column of them would be planned as phone numbers.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers
import polars as pl

# an address, or a name and the address in angle brackets ("Ann Lee <ann@example.com>")
EMAIL_SHAPE: Final = (
    r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$|^[^<>@]*<\s*[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+\s*>\s*$"
)
# 00 with a separator: a zero-padded id (0012345678) has none
# 00 and a country code libphonenumber knows: a zero-padded code with separators
# (009-3136-7061: no country is 9) is no phone number. A code of two or three digits
# may run on into an area or mobile prefix of up to four digits (0049151 12345678), not
# further (0045123456-01 is a reference); one of one digit (1, 7) is followed by a
# separator, or 00123-20250131 would be a North American number.
_LONG_CODES: Final = "|".join(
    sorted((str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE if c > 9), reverse=True)
)
_INTERNATIONAL: Final = (
    r"(?:\(?\+[1-9][\d\s().\-/]*\d"
    rf"|00\s?(?:(?:{_LONG_CODES})\d{{0,4}}|[17])[\s().\-/][\d\s().\-/]*\d)"
)
# one trunk 0 (00 opens an international number)
_NATIONAL: Final = r"(?:\(?0\s?[1-9][\d\s().\-/]*[\s().\-/][\d\s().\-/]*\d|0[1-9]\d{8,9})"
_NORTH_AMERICAN: Final = r"(?:1[\s.\-]?)?\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}"
# An extension as exports write one: x56, ext. 56, extn 56, ext: 56, extension 56, #56,
# ;ext=56 (RFC 3966). The header check and the request-id check use it too.
EXTENSION: Final = r"(?:x|ext(?:ension|n)?[.:\-]*|#|;\s*ext=)\s*\d{1,6}"
# An extension after a phone number in free text, glued on or after one blank
# ("5000x12", "5000 ext. 12"): tighter than a cell's, since "x 2 units" and "#12" in a
# note are not extensions. Free-text redaction and the phone recognizer both use it.
TEXT_EXTENSION: Final = r"(?:[ ]?(?i:x)\d{1,6}|[ ]?(?i:ext\.?|extn\.?)[ ]?\d{1,6})"
PHONE_SHAPE: Final = (
    rf"(?i)^\s*'?\s*(?:{_INTERNATIONAL}|{_NATIONAL}|{_NORTH_AMERICAN})(?:\s*{EXTENSION})?\s*$"
)
_DATE_IN_IT: Final = r"\d{1,2}/\d{1,2}/\d{2,4}"
_EXTENSION_REACH: Final = 40  # an extension's most characters ("extension : 123456")
# an amount or a coordinate (+4992383.85, -0.1277583); 02.12345678, with its trunk 0,
# is a national number
_DECIMAL: Final = r"^\s*[+-]?(?:0|[1-9]\d*)\.\d+\s*$"
PHONE_DIGITS: Final = (9, 15)
_PHONE_SHAPE: Final = re.compile(PHONE_SHAPE)
_DATE_IN_IT_RE: Final = re.compile(_DATE_IN_IT)
_DECIMAL_RE: Final = re.compile(_DECIMAL)
# from the extension's first character: a pattern that opened on blanks was tried from
# each of a long run's positions (223 s on a 140 KB header of blanks)
_EXTENSION_AT_END: Final = re.compile(rf"(?i){EXTENSION}\s*$")


def without_extension(text: str) -> str:
    """``text`` without the extension that ends it, if one does (``+44 20 ... x12``),
    and the blanks before it."""
    bare = text.rstrip()
    found = _EXTENSION_AT_END.search(bare, max(0, len(bare) - _EXTENSION_REACH))
    return bare[: found.start()].rstrip() if found else text


def is_phone_shaped(cells: pl.Expr) -> pl.Expr:
    """Whether each cell is a phone number as written in an export (see above)."""
    low, high = PHONE_DIGITS
    digits = cells.str.count_matches(r"\d").is_between(low, high)
    return (
        cells.str.contains(PHONE_SHAPE)
        & digits
        & ~cells.str.contains(_DATE_IN_IT)
        & ~cells.str.contains(_DECIMAL)
    )


def is_phone_text(text: str) -> bool:
    """``is_phone_shaped`` of one cell, in Python (the same rules, for a single value)."""
    low, high = PHONE_DIGITS
    return (
        low <= sum(c.isdigit() for c in text) <= high
        and _PHONE_SHAPE.search(text) is not None
        and _DATE_IN_IT_RE.search(text) is None
        and _DECIMAL_RE.search(text) is None
    )


def is_email_shaped(cells: pl.Expr) -> pl.Expr:
    return cells.str.contains(EMAIL_SHAPE)
