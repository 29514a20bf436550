"""The requests file: one erasure request per row, validated once, before any search.

Columns ``request_id, email, phone, crm_id, received_at`` (any of email / phone /
crm_id may be empty, not all) and an optional ``source`` naming the CRM of a crm_id.
Every problem is an ``InputError`` naming the file, the row and the column; a message
never quotes a value, because a value may be the very identifier being erased.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final

from anonymise.errors import InputError
from anonymise.io.header_values import bare_cell, unknown_columns
from anonymise.suppression import Identifier
from anonymise.suppression.identifiers import IdentifierKind, identifiers_in_row
from detectors.contact_shapes import is_phone_text, without_extension
from transforms.text_checksums import iban_valid

REQUIRED_COLUMNS: Final = ("request_id", "email", "phone", "crm_id", "received_at")
OPTIONAL_COLUMNS: Final = ("source",)
_UNSAFE_FILENAME_CHARS: Final = re.compile(r"[^A-Za-z0-9._-]")
_EMAIL_IN_TEXT: Final = re.compile(r"[^@\s<>()\[\]]+@[^@\s<>()\[\]]+\.\w{2,}")
_INTERNATIONAL_NUMBER: Final = re.compile(r"\(?\+(?:[\s().\-/]*\d){8,}[\s()]*")
_IBAN: Final = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_SPACED_POSTCODE: Final = re.compile(r"(?i)[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}")
_AT_WORD: Final = re.compile(r"(?i)[\[({<]\s*at\s*[\])}>]|\w\s+at\s+\w+\s+dot\s+\w")
# A name's words: two letters or more ("Dr."), joined ("O'Neil-Smith"), or initials ("J.R.")
_NAME_WORD: Final = re.compile(
    r"(?:[^\W\d_]+(?:['\u2019\-][^\W\d_]+)+|[^\W\d_]{2,})\.?|(?:[^\W\d_]\.)+"
)
_NAME_GAPS: Final = re.compile(r"[\s,_]+")
_LOCAL_PART_MIN: Final = 4  # shorter ones ("r1") are ticket ids as often
_MIN_PHONE_DIGITS: Final = 7
_PHONE_DIGITS_COMPARED: Final = 8  # a national number's last digits; short ones have 8


@dataclass(frozen=True)
class ErasureRequest:
    """One request; ``repr`` hides the identifiers."""

    request_id: str
    row: int
    received_at: date | datetime
    identifiers: tuple[Identifier, ...] = field(repr=False)

    @property
    def file_stem(self) -> str:
        """The request id made safe for a file name (``a/b`` -> ``a_b``)."""
        return receipt_stem(self.request_id)

    @property
    def received_at_text(self) -> str:
        return self.received_at.isoformat()


def _is_contact_detail(request_id: str, identifiers: Sequence[Identifier]) -> bool:
    """An id that is the requester's: one of the row's own identifiers (a phone number
    compared by its digits, national or international), or that holds an e-mail address
    or a number written as an international one. Ticket ids are often long numbers
    (HubSpot's have ten digits, others a date and a count, or zeros in front), so other
    numbers pass."""
    cell = unicodedata.normalize("NFKC", bare_cell(request_id))  # fullwidth ＠, ＋, digits
    if _looks_personal(cell):
        return True
    for identifier in identifiers:
        if identifier.value.strip().casefold() == cell.casefold():
            return True
        if identifier.kind is IdentifierKind.EMAIL and _is_local_part(cell, identifier.value):
            return True
        if identifier.kind is IdentifierKind.PHONE and _same_number(cell, identifier.value):
            return True
    return False


def _is_local_part(cell: str, address: str) -> bool:
    """Whether ``cell`` is the part of the requester's address before its ``@``."""
    local = address.strip().split("@", 1)[0]
    return len(local) >= _LOCAL_PART_MIN and local.casefold() == cell.casefold()


def _looks_personal(cell: str) -> bool:
    """An e-mail address however written (no ticket id holds an ``@``, nor an
    ``(at)``), a phone number written with its ``+`` anywhere, or as the whole id
    (``0044 20 ...``, ``020 ...``), a person's name (words of letters alone), an IBAN
    (its check digits right) or a UK postcode (with its space)."""
    if "@" in cell or "%40" in cell.casefold() or _AT_WORD.search(cell):
        return True
    if _INTERNATIONAL_NUMBER.search(cell) or is_phone_text(cell):  # 0044 20 ..., 020 ...
        return True
    if _is_name(cell) or _SPACED_POSTCODE.fullmatch(cell):
        return True
    return _is_iban(cell)


def _is_name(cell: str) -> bool:
    """Two words of a name or more, apart by blanks, commas or underscores: "Ann
    Smith", "Smith, Ann", "Dr. Ann Smith", "A. Smith", "Ann_Smith"."""
    words = [word for word in _NAME_GAPS.split(cell) if word]
    return len(words) >= 2 and all(_NAME_WORD.fullmatch(word) for word in words)


def _is_iban(cell: str) -> bool:
    """An IBAN with a valid check (ISO 13616: mod 97 of the rearranged digits is 1);
    ticket ids of two letters and digits fail it."""
    compact = cell.replace(" ", "").upper()
    return _IBAN.fullmatch(compact) is not None and iban_valid(compact)


def _same_number(text: str, phone: str) -> bool:
    """Whether ``text`` holds ``phone``, however either is written: the last digits of
    the phone's number (an extension, a bracketed ``(0)`` and leading zeros left out)
    occur among the digits of ``text``, or the digits of ``text`` (leading zeros left
    out) end the number: a short national number in the one, with its country code in
    the other."""
    number = re.sub(r"\D", "", without_extension(phone.replace("(0)", ""))).lstrip("0")
    if len(number) < _MIN_PHONE_DIGITS - 1:
        return False
    ours = re.sub(r"\D", "", text)
    short = ours.lstrip("0")
    return number[-_PHONE_DIGITS_COMPARED:] in ours or (
        len(short) >= _MIN_PHONE_DIGITS and number.endswith(short)
    )


def receipt_stem(request_id: str) -> str:
    stem = _UNSAFE_FILENAME_CHARS.sub("_", request_id.strip())
    return "_" + stem if stem.startswith(".") else stem


def parse_received_at(text: str) -> date | datetime:
    """An ISO date (``2025-01-31``) or date-time (``2025-01-31T09:00:00Z``)."""
    text = text.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text)


def read_requests(path: Path) -> tuple[ErasureRequest, ...]:
    """Every request of the file, in order; ``InputError`` on the first problem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"requests file '{path}': cannot read it ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"requests file '{path}': not UTF-8; save it as UTF-8 CSV") from exc
    reader = csv.reader(text.splitlines())
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = unknown_columns(header, REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    if missing:
        raise InputError(
            f"requests file '{path}', row 1: missing column(s) {', '.join(missing)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
            + f"; the header must hold {', '.join(REQUIRED_COLUMNS)} (and optionally source)"
        )
    if unknown:
        raise InputError(
            f"requests file '{path}', row 1: unknown column(s) {', '.join(unknown)}; "
            f"known: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
        )
    requests: list[ErasureRequest] = []
    first_row_of: dict[str, int] = {}
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"requests file '{path}', row {row_number}"
        if len(cells) != len(header):
            raise InputError(
                f"{where}: {len(cells)} fields where the header has {len(header)}; "
                "quote cells that contain commas"
            )
        request = _request(dict(zip(header, cells, strict=True)), row_number, where)
        stem = request.file_stem.lower()
        if stem in first_row_of:
            raise InputError(
                f"{where}, column 'request_id': duplicate request id (also on row "
                f"{first_row_of[stem]}, compared as a file name); give each request its own id"
            )
        first_row_of[stem] = row_number
        requests.append(request)
    if not requests:
        raise InputError(f"requests file '{path}': no requests; add at least one row")
    return tuple(requests)


def _request(row: dict[str, str], row_number: int, where: str) -> ErasureRequest:
    request_id = row["request_id"].strip()
    if not request_id:
        raise InputError(f"{where}, column 'request_id': empty; give each request an id")
    try:
        received_at = parse_received_at(row["received_at"])
    except ValueError as exc:
        raise InputError(
            f"{where}, column 'received_at': not an ISO date or date-time; write it as "
            "2025-01-31 or 2025-01-31T09:30:00Z"
        ) from exc
    received_on = received_at.date() if isinstance(received_at, datetime) else received_at
    aware = isinstance(received_at, datetime) and received_at.tzinfo is not None
    if (
        received_at > datetime.now(UTC) + timedelta(minutes=5)  # an instant: to the minute
        if aware
        else received_on > date.today() + timedelta(days=1)  # a day for time zones
    ):
        raise InputError(
            f"{where}, column 'received_at': in the future; give the date the request was received"
        )
    identifiers = identifiers_in_row(row, where=where)
    if not identifiers:
        raise InputError(
            f"{where}, columns 'email, phone, crm_id': all empty; give at least one identifier"
        )
    if _is_contact_detail(request_id, identifiers):
        raise InputError(
            f"{where}, column 'request_id': the requester's own identifier, or what looks "
            "like a person's data (an e-mail address, an international phone number, a "
            "name, an IBAN, a postcode); give the request an id of its own (a ticket "
            "number), as it names the receipt and is shown in reports"
        )
    return ErasureRequest(request_id, row_number, received_at, tuple(identifiers))
