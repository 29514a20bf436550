"""ASCII stand-ins for non-ASCII text, so that a pattern with word boundaries stays on
Rust's fast DFA.

A Unicode word boundary (``\\b``) stops that DFA at a cell's first non-ASCII byte, and
a slower engine searches the rest (``boundaries``): on the bench's notes the 30% that
are not pure ASCII cost as much as the other 70%. Some patterns only ever ask of a
non-ASCII character whether it is a word character (``\\w``, ``\\b``) or a digit
(``\\d``): the name chains and the pattern table's phone numbers. For them each
non-ASCII character can stand in as an ASCII one of the same classes: a digit as
``0``, any other word character as ``A``, the typographic apostrophe as ``'`` and the
typographic hyphens and the en dash as ``-`` (the name pattern spells them all, and a
phone number may be written with them), anything else as ``\\x01``. One character stands for one,
so the offsets are the text's own; the stand-ins are pure ASCII, where ASCII word
boundaries are Unicode's. The matches are found on the stand-ins and read from the
text.

Not for a pattern with a non-ASCII literal, a Unicode property or ``\\s`` (a no-break
space stands in as ``\\x01``): those see more of a character than its classes.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from detectors.text.boundaries import ascii_boundaries, is_ascii
from detectors.text.spans import END, MATCH, ROW, START, TEXT, locate, texts_at

STAND_IN: Final = "stand_in"

_STAND_INS: Final = (
    ("\u2019", "'"),
    ("[\u2010-\u2013]", "-"),
    (r"[\d&&[^\x00-\x7F]]", "0"),
    (r"[\w&&[^\x00-\x7F]]", "A"),
    (r"[^\x00-\x7F]", "\x01"),
)


def stand_ins(texts: pl.Series) -> pl.Series:
    """``texts`` with every non-ASCII character replaced by its ASCII stand-in."""
    text = texts.cast(pl.String)
    non_ascii = (~is_ascii(text)).fill_null(False).arg_true()
    if non_ascii.is_empty():
        return text
    replaced = text.gather(non_ascii)
    for pattern, stand_in in _STAND_INS:
        replaced = replaced.str.replace_all(pattern, stand_in)
    return text.clone().scatter(non_ascii, replaced)


def with_stand_ins(texts: pl.DataFrame) -> pl.DataFrame:
    """``texts`` (row, text) with the column ``STAND_IN``, made once for every pattern
    that searches them (``locate_on_stand_ins``)."""
    return texts.with_columns(stand_ins(texts.get_column(TEXT)).alias(STAND_IN))


def locate_on_stand_ins(
    texts: pl.DataFrame, regex: str, *, as_written: bool = True
) -> pl.DataFrame:
    """``locate(texts, regex)``, found on the texts' stand-ins (``STAND_IN``, made here
    when ``texts`` lacks it), for a ``regex`` that sees non-ASCII characters only as
    members of ``\\w`` and ``\\d`` or not, and ``’`` as ``'`` (see the module).

    ``as_written=False``: a caller that only wants the offsets gets the match column
    as the stand-ins spell it (reading 79k phone numbers back cost more than the
    stand-ins saved them)."""
    if STAND_IN not in texts.columns:
        texts = with_stand_ins(texts)
    found = locate(texts.select(ROW, pl.col(STAND_IN).alias(TEXT)), ascii_boundaries(regex))
    if found.is_empty() or not as_written:
        return found
    # the match as written: the text's characters at the same offsets
    cells = texts_at(texts, found.get_column(ROW))
    return found.with_columns(
        cells.str.slice(
            found.get_column(START), found.get_column(END) - found.get_column(START)
        ).alias(MATCH)
    )
