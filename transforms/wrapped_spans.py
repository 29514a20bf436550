"""Replacing matches one distinct match at a time: each match is wrapped in two
control characters, the distinct wrapped matches get their replacements (a token, or a
label where a checksum holds), and the texts are rebuilt around them.

The pattern table uses this where a plain regex replacement cannot say what a match
becomes: pseudonymise mode (a match's token) and numbers with a checksum (only the
part of a card or an IBAN that passes is replaced). ``OPEN`` and ``CLOSE`` must not
occur in the texts: callers take them out first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

from detectors.text.spans import TEXT

OPEN: Final = "\x01"
CLOSE: Final = "\x02"
_WRAPPED_MATCH: Final = f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}"

SpansFunction = Callable[[pl.Series], pl.Series]
"""Replacements of distinct matches, one for each, in the same order."""


def checked_part(replace: SpansFunction, valid_end: Callable[[str], int]) -> SpansFunction:
    """``replace`` of the part of each span that passes its check: up to
    ``valid_end(span)`` (0: no part passes, and the span stays as it is)."""

    def checked(spans: pl.Series) -> pl.Series:
        found = spans.to_list()
        ends = [valid_end(span) for span in found]
        valid = pl.Series([span[:end] for span, end in zip(found, ends, strict=True) if end])
        replaced = iter(replace(valid).to_list() if len(valid) else [])
        return pl.Series(
            spans.name,
            [
                next(replaced) + span[end:] if end else span
                for span, end in zip(found, ends, strict=True)
            ],
            dtype=pl.String,
        )

    return checked


def rows_holding(texts: pl.Series, candidates: list[str | None]) -> pl.Series:
    """The rows of ``texts`` holding any of ``candidates`` (``None``: any non-null row;
    ``""``: none), in one pass."""
    wanted = [c for c in candidates if c != ""]
    if not wanted:
        return pl.Series(dtype=pl.UInt32)
    if None in wanted:
        return texts.is_not_null().arg_true()
    either = "|".join(f"(?:{c})" for c in wanted if c is not None)
    held = texts.to_frame(TEXT).select(pl.col(TEXT).str.contains(either).fill_null(False))
    return held.to_series().arg_true()


def replace_in_rows(
    texts: pl.Series, pattern: str, rows: pl.Series, replace: SpansFunction
) -> pl.Series:
    """``texts`` with the matches of ``pattern`` in ``rows`` replaced by ``replace``
    (a card's or an IBAN's shape is rare in notes: the other rows are not searched)."""
    if rows.is_empty():
        return texts
    wrapped = texts.gather(rows).str.replace_all(pattern, f"{OPEN}${{0}}{CLOSE}")
    # a clone: scatter writes in place, and ``texts`` may be the caller's own column
    return texts.clone().scatter(rows, replace_wrapped(wrapped, replace))


def replace_wrapped(texts: pl.Series, replace: SpansFunction) -> pl.Series:
    """``texts`` with each span wrapped in ``OPEN``/``CLOSE`` replaced by what
    ``replace`` gives it (called once, on the distinct spans). Only the texts holding a
    span are rebuilt."""
    holding_span = texts.str.contains(OPEN, literal=True).fill_null(False)
    rows = holding_span.arg_true()
    if rows.is_empty():
        return texts
    wrapped = texts.gather(rows)
    spans = wrapped.str.extract_all(_WRAPPED_MATCH).explode().drop_nulls().unique()
    spans = spans.str.strip_chars(OPEN + CLOSE)
    replacements = replace(spans)
    # Each text splits at the closing marks into pieces "plain text OPEN span"; a piece
    # becomes its plain text and the span's replacement.
    piece = pl.element().str.split_exact(OPEN, 1)
    token = piece.struct.field("field_1").replace_strict(spans, replacements, default=None)
    rebuilt = pl.concat_str(piece.struct.field("field_0"), token.fill_null(""))
    rebuilt_texts = wrapped.str.split(CLOSE).list.eval(rebuilt).list.join("")
    return texts.clone().scatter(rows, rebuilt_texts)
