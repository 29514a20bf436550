"""Regex replacement over a column of free text: the result of ``str.replace_all``, faster.

Two things make Rust's regex engine slow on notes. A Unicode word boundary (``\\b``)
stops its fast DFA at the first non-ASCII byte of a cell, and a slower engine then
finds the match; with a long alternation (a few thousand names) that costs several
times the DFA. And every cell is searched, though most cannot match.

``replace_all`` gives the same result as ``texts.str.replace_all(pattern, replacement)``
and avoids both: only cells that hold ``candidates`` (a cheap regex every match
contains, or ``None``) are searched, and cells that are pure ASCII are searched with
the pattern's word boundaries made ASCII-only. On ASCII text the two kinds of boundary
are the same (Unicode's word characters among ASCII are exactly ``[0-9A-Za-z_]``), so
the matches are the same.
"""

from __future__ import annotations

import polars as pl

from detectors.text.boundaries import ascii_boundaries, is_ascii


def _rewrite(texts: pl.Series, rows: pl.Series, pattern: str, replacement: str) -> pl.Series:
    index = rows.fill_null(False).arg_true()
    if index.is_empty():
        return texts
    rewritten = texts.gather(index).str.replace_all(pattern, replacement)
    return texts.clone().scatter(index, rewritten)


def replace_all(
    texts: pl.Series,
    pattern: str,
    replacement: str,
    *,
    candidates: str | None = None,
    ascii_pattern: str | None = None,
) -> pl.Series:
    """``texts.str.replace_all(pattern, replacement)`` (nulls stay null).

    ``candidates``: a regex found in every cell a match of ``pattern`` can lie in (``@``
    for e-mails, six digits for phone numbers); cells without it are left as they are.
    ``ascii_pattern``: what pure-ASCII cells are searched with; it must find the same
    matches as ``pattern`` in ASCII text (by default ``pattern`` with ASCII word
    boundaries; a caller may also leave out alternatives that ASCII text cannot hold).
    """
    texts = texts.cast(pl.String)
    searched = texts.str.contains(candidates) if candidates is not None else texts.is_not_null()
    index = searched.fill_null(False).arg_true()
    if index.is_empty():
        return texts
    subset = texts.gather(index)
    ascii_pattern = ascii_boundaries(pattern) if ascii_pattern is None else ascii_pattern
    if ascii_pattern == pattern:
        rewritten = subset.str.replace_all(pattern, replacement)
    else:
        ascii_cells = is_ascii(subset)
        rewritten = _rewrite(subset, ascii_cells, ascii_pattern, replacement)
        rewritten = _rewrite(rewritten, ~ascii_cells, pattern, replacement)
    return texts.clone().scatter(index, rewritten)
