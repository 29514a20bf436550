"""Dates in free text, kept out of the phone pattern's reach.

The pattern table's phone number is any 9 to 15 digits joined by single spaces, dots or
hyphens, so "2024-03-05 09:15" (10 digits) and "Q-2024-000381" read as one. Before the
table runs, the separator after a date's year (1900-2099, opening a date or a
reference) is replaced by a marker of one character, which no phone pattern crosses;
after it, the marker is put back. Offsets do not move. A year written inside a phone
number is left alone: one after a digit, a bracket or a country code ("+44 1923 456789",
"(0)2012 ...").
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

# One private-use character per separator, so that each goes back as it was.
_MARKS: Final = {"-": "\ue000", ".": "\ue001", "/": "\ue002", " ": "\ue003"}
_BEFORE_YEAR: Final = r"(^|[^\d\s)+]\s|[^\d\s)+])"
_CANDIDATE: Final = r"(?:19|20)\d{2}[-./ ]\d"


def _year_then(separator: str) -> str:
    return _BEFORE_YEAR + r"((?:19|20)\d{2})" + re.escape(separator) + r"(\d)"


def shield_dates(texts: pl.Series, *, mark: str | None = None) -> pl.Series:
    """``texts`` with the separator after each date's year replaced by its marker (or by
    ``mark``, one character, for a caller that never puts them back)."""
    return _on_cells_holding(
        texts,
        _CANDIDATE,
        [
            (_year_then(separator), "${1}${2}" + (mark or own) + "${3}", False)
            for separator, own in _MARKS.items()
        ],
    )


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
