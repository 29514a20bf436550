from __future__ import annotations

import pytest

from transforms.text_checksums import iban_valid, luhn_valid, valid_end


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),  # American Express, 15 digits
        ("4111111111111112", False),
        ("79927398713", True),  # the textbook example
        ("79927398710", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("compact", "valid"),
    [
        ("GB82WEST12345698765432", True),
        ("DE89370400440532013000", True),
        ("FR1420041010050500013M02606", True),  # a letter inside the account number
        ("GB82WEST12345698765433", False),
        ("DE88370400440532013000", False),
    ],
)
def test_iban(compact: str, valid: bool) -> None:
    assert iban_valid(compact) is valid


@pytest.mark.parametrize(
    ("entity", "match", "end"),
    [
        ("CREDIT_CARD", "4111 1111 1111 1111", 19),
        ("CREDIT_CARD", "5555 5555 5555 4444 2027", 19),  # the longest part that passes
        ("CREDIT_CARD", "4111-1111-1111-1112", 0),
        ("CREDIT_CARD", "4111 1111 1111", 0),  # twelve digits pass Luhn but are too few
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00 AND", 27),
        ("IBAN_CODE", "GB82WEST12345698765432", 22),
        # the check digits hold by chance (1 in 97), but no German IBAN holds letters
        ("IBAN_CODE", "DE89ABCDEFGHIJKLMNOP", 0),
        ("IBAN_CODE", "DE89 3704 0044 0532 0130", 0),  # two digits short for Germany
    ],
)
def test_valid_end(entity: str, match: str, end: int) -> None:
    assert valid_end(entity, match) == end
