"""Dates in free text, kept out of the phone pattern's reach.

The pattern table's phone number is any 9 to 15 digits joined by single spaces, dots or
hyphens, so "2024-03-05 09:15" (10 digits) and "05.03.2024 14:30" read as one. While
that pattern runs, the separator after a whole date's year (``2024-03-05``, the same
mark twice, a real month and day) and the space after a whole day-first date
(``05.03.2024 14:30``) are replaced by a marker of one character, which no phone
pattern crosses; the marker is then put back. Offsets do not move. Only whole dates
are shielded: a group such as ``1923`` or ``2012`` inside a phone number
(``+44-1923-456789``, ``06-2012-3456``) is not one, and a date glued to a digit or a
``+`` is left alone.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

# One private-use character per separator, so that each goes back as it was.
_MARKS: Final = {"-": "\ue000", ".": "\ue001", "/": "\ue002", " ": "\ue003"}
_MONTH: Final = r"(?:0?[1-9]|1[0-2])"
_DAY: Final = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR: Final = r"(?:19|20)\d{2}"
# what a cell holding either kind of date holds (a year-first date's year and mark, or a
# day-first date's mark and year): the other cells are not searched
_CANDIDATE: Final = r"(?:19|20)\d{2}[-./]\d|\d[-./](?:19|20)\d{2}"


def _whole_date(separator: str, *, year_first: bool, then_digit: bool) -> str:
    """A whole date with ``separator`` twice; groups: before, its three parts, and a
    space and the digit after it (``then_digit``) or what follows it (no digit)."""
    mark = re.escape(separator)
    first, last = (_YEAR, _DAY) if year_first else (_DAY, _YEAR)
    after = r" (\d)" if then_digit else r"(\D|$)"
    return rf"(^|[^\d+])({first}){mark}({_MONTH}){mark}({last}){after}"


def shield_dates(texts: pl.Series, *, mark: str | None = None) -> pl.Series:
    """``texts`` with the separators of each whole date, and the space after one before
    a digit (its time, or a number the phone pattern must see whole: in "2024-03-05 0044
    7700 900123" the date must not lend it "05"), replaced by their markers (or by
    ``mark``, one character, for a caller that never puts them back)."""
    replacements = []
    space = mark or _MARKS[" "]
    for separator, own in _MARKS.items():
        if separator == " ":
            continue
        sep = mark or own
        parts = "${1}${2}" + sep + "${3}" + sep + "${4}"
        for year_first in (True, False):
            before_digit = _whole_date(separator, year_first=year_first, then_digit=True)
            alone = _whole_date(separator, year_first=year_first, then_digit=False)
            replacements.append((before_digit, parts + space + "${5}", False))
            replacements.append((alone, parts + "${5}", False))
    return _on_cells_holding(texts, _CANDIDATE, replacements)


def unshield_dates(texts: pl.Series) -> pl.Series:
    """The separators ``shield_dates`` replaced, put back."""
    held = "[" + "".join(_MARKS.values()) + "]"
    return _on_cells_holding(
        texts, held, [(own, separator, True) for separator, own in _MARKS.items()]
    )


def _on_cells_holding(
    texts: pl.Series, candidate: str, replacements: list[tuple[str, str, bool]]
) -> pl.Series:
    """Each (pattern, replacement, literal) applied in turn to the cells holding
    ``candidate`` only, which are found once."""
    index = texts.str.contains(candidate).fill_null(False).arg_true()
    if index.is_empty():
        return texts
    subset = texts.gather(index)
    for pattern, replacement, literal in replacements:
        subset = subset.str.replace_all(pattern, replacement, literal=literal)
    return texts.clone().scatter(index, subset)
