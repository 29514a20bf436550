"""Header cells that are a person's data: the sign of an export without its header line.

A CSV exported without its header row is read with its first person's row as the
column names, and column names go everywhere values never may: the plan, the run
report, the Art. 30 record, Prefect's artifacts and error messages. So a header cell
that is itself an e-mail address, or a phone or card number, refuses the file. The
tests are strict on purpose (a whole cell, nothing else in it), so that real headers
pass: "Email", "Phone (mobile)", "2024", a month such as "2024-01-31" or "31/01/2024".
A first row without such a value (names and a short id only) cannot be told from a
header this way, and is read as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_NUMBER: Final = re.compile(r"\+?[\d\s().\-/]+")
_DATE_OR_TIME: Final = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Phone numbers (E.164 allows 15 digits, national forms start at ~9) and card numbers;
# a date, with its time, is written with fewer digits or in a shape of its own.
_MIN_DIGITS: Final = 9
_LEADING_APOSTROPHES: Final = "'\u2019`"  # spreadsheets keep a number as text so


def values_in_header(names: Sequence[str]) -> list[tuple[int, str]]:
    """(1-based position, what it holds) of each header cell that is a person's data."""
    return [
        (position, kind)
        for position, name in enumerate(names, start=1)
        if (kind := personal_kind(name)) is not None
    ]


def personal_kind(text: str) -> str | None:
    """What ``text`` is, as a whole, if it is an e-mail address or a phone or card
    number; else ``None``."""
    cell = text.strip().lstrip(_LEADING_APOSTROPHES).strip()
    if _EMAIL.fullmatch(cell):
        return "an e-mail address"
    if _is_long_number(cell):
        return "a phone or card number"
    return None


def _is_long_number(cell: str) -> bool:
    if not _NUMBER.fullmatch(cell) or _DATE_OR_TIME.fullmatch(cell):
        return False
    return sum(char.isdigit() for char in cell) >= _MIN_DIGITS


def data_as_header_message(
    found: Sequence[tuple[int, str]], advice: str = "export it again with its header row"
) -> str:
    """What the refusal says: positions and kinds, never the values."""
    where = ", ".join(f"column {position} holds {kind}" for position, kind in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return f"its first line looks like a row of data, not a header ({where}{more}); {advice}"
