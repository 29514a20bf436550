"""Dates in free text, kept out of the phone pattern's reach.

The pattern table's phone number is any 9 to 15 digits joined by single spaces, dots or
hyphens (en dashes too), so "2024-03-05 09:15" (10 digits) and "05.03.2024 14:30" read as one. While
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
_MARKS: Final = {"-": "\ue000", ".": "\ue001", "/": "\ue002", " ": "\ue003", "–": "\ue004"}
_MONTH: Final = r"(?:0?[1-9]|1[0-2])"
_DAY: Final = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR: Final = r"(?:19|20)\d{2}"
# what a cell holding either kind of date holds (a year-first date's year and mark, or a
# day-first date's mark and year): the other cells are not searched
_CANDIDATE: Final = r"(?:19|20)\d{2}[-./–]\d|\d[-./–](?:19|20)\d{2}"


def _whole_date(separator: str, *, year_first: bool) -> str:
    """A whole date with ``separator`` twice (the second of a range, after a ``-``, is
    one too), not glued to a digit, a ``+`` or a date shielded before it (in
    "05.03.2024-06-12-34-56-78" the year and a phone number's start are no date);
    groups: before, its three parts, what follows (no digit)."""
    mark = re.escape(separator)
    first, last = (_YEAR, _DAY) if year_first else (_DAY, _YEAR)
    shielded = "".join(_MARKS.values())
    return rf"(^|[^\d+{shielded}])({first}){mark}({_MONTH}){mark}({last})(\D|$)"


def shield_dates(texts: pl.Series) -> pl.Series:
    """``texts`` with the separators of each whole date replaced by their markers, then
    the space between a shielded date and a number on either side, and after a time
    before a number: the phone pattern must see "0044 7700 900123" whole, without a
    date's "05" or a time's "15" before it ("2024-03-05 0044 ...", "09:15 0044 ..."),
    and must not take a date's year after "020 7946 0123". Markers are one character
    each, so offsets do not move; a caller that only needs offsets never puts them back."""
    replacements = []
    # day-first dates first: a year-first "date" may not start inside one
    for year_first in (False, True):
        for separator, own in _MARKS.items():
            if separator == " ":
                continue
            date = _whole_date(separator, year_first=year_first)
            step = (date, "${1}${2}" + own + "${3}" + own + "${4}${5}", False)
            replacements += [step, step]  # twice: a match takes the character after it
    # a date's own marks: the space's is not one, or a number after a date would be
    # taken, group by group, for the date's
    held = "[" + "".join(m for sep, m in _MARKS.items() if sep != " ") + "]"
    space = _MARKS[" "]
    for pattern in (
        rf"({held}\d{{1,4}}) (\d)",  # after a shielded date
        rf"(\d) (\d{{1,4}}{held})",  # before one
        r"(\b\d{1,2}:\d{2}(?::\d{2})?) (\d)",  # after a time
    ):
        step = (pattern, "${1}" + space + "${2}", False)
        replacements += [step, step]
    return _on_cells_holding(texts, _CANDIDATE + r"|\d:\d{2} \d", replacements)


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
