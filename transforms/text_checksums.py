"""Numbers in free text that carry their own checksum: payment cards and IBANs.

The pattern table (``transforms/text_redaction.py``) finds their shapes with a Rust
regex; a match is replaced only as far as its checksum holds (Luhn for a card; for an
IBAN, its country's format as Presidio's IBAN recognizer knows it and ISO 7064 mod
97-10), so an order number of sixteen digits stays. A match may
run on into what follows ("DE89 3704 0044 0532 0130 00 AND"), so the longest part of
it that ends between two groups and passes is taken. Checked once per distinct match,
in Python: matches are rare, and a check is a few microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Final

# 13 to 19 digits, single blanks or hyphens between them; issuers' first digits 2-6
# (Mastercard's 2-series and 5, American Express and Diners 3, Visa 4, Discover and
# UnionPay 6). A "+" before it is matched too, and fails the check: "+49 162 79584611"
# is a phone number (Rust's regex has no look-behind to leave it out).
CARD: Final = r"\+?\b[2-6]\d(?:[ \-]?\d){11,17}\b"
CARD_DIGITS: Final = (13, 19)
# A country, two check digits, then 11 to 30 letters or digits, single blanks between
# (printed in groups of four). Upper case, as IBANs are written.
IBAN: Final = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b"
IBAN_LENGTH: Final = (15, 34)

_SEPARATOR = re.compile(r"[ \-]")


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """Whether ``compact`` (no blanks) passes the IBAN check: its first four characters
    moved to the end, letters read as 10-35, the number modulo 97 is 1."""
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def _card_passes(part: str) -> bool:
    if part.startswith("+"):
        return False  # an international phone number
    digits = _SEPARATOR.sub("", part)
    return CARD_DIGITS[0] <= len(digits) <= CARD_DIGITS[1] and luhn_valid(digits)


def _iban_passes(part: str) -> bool:
    compact = part.replace(" ", "")
    if not IBAN_LENGTH[0] <= len(compact) <= IBAN_LENGTH[1]:
        return False
    shape = _iban_formats().get(part[:2])
    return shape is not None and shape.match(part) is not None and iban_valid(compact)


@cache
def _iban_formats() -> dict[str, re.Pattern[str]]:
    """Each country's IBAN format (its length, where letters and digits go), as
    Presidio's IBAN recognizer has them: loaded at the first IBAN-shaped match."""
    from presidio_analyzer.predefined_recognizers.generic.iban_patterns import (
        regex_per_country,
    )

    return {country: re.compile(f"^{shape}$") for country, shape in regex_per_country.items()}


CHECKS: Final[Mapping[str, Callable[[str], bool]]] = {
    "CREDIT_CARD": _card_passes,
    "IBAN_CODE": _iban_passes,
}


def valid_end(entity: str, match: str) -> int:
    """Where the longest part of ``match`` that starts it, ends between two groups (or
    with it) and passes ``entity``'s check ends; 0 if none does."""
    passes = CHECKS[entity]
    ends = [len(match)] + [m.start() for m in reversed(list(_SEPARATOR.finditer(match)))]
    return next((end for end in ends if passes(match[:end])), 0)
