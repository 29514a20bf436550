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
from detectors.text.spans import TEXT, Candidates, holding, mostly_matching
from transforms.text_spans import join_runs

_WORD_OR_NOT = r"\w+|\W+"  # a text's words (maximal runs of \w) and what lies between


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
    candidates: Candidates | None = None,
    ascii_pattern: str | None = None,
    whole_words: pl.Series | None = None,
) -> pl.Series:
    """``texts.str.replace_all(pattern, replacement)`` (nulls stay null).

    ``candidates``: a regex (or ``Words``) found in every cell a match of ``pattern`` can
    lie in (``@`` for e-mails, six digits for phone numbers); cells without it are left as they are
    (unless nearly all cells hold it: ``detectors.text.spans.mostly_matching``).
    ``ascii_pattern``: what pure-ASCII cells are searched with; it must find the same
    matches as ``pattern`` in ASCII text (by default ``pattern`` with ASCII word
    boundaries; a caller may also leave out alternatives that ASCII text cannot hold).
    ``whole_words``: ``pattern`` is ``\\b(?:w1|w2|...)\\b`` of these words, each a
    whole word (``^\\w+$``), and ``replacement`` is plain text: the other cells are then
    rewritten word by word (``replace_words``), with no Unicode word boundary to search.
    """
    texts = texts.cast(pl.String)
    # A candidate test that would keep nearly every cell (the input's names in notes:
    # 96% of the bench's) is not run: it only costs a pass (157k notes: 0.40 -> 0.32 s).
    if candidates is None or mostly_matching(texts.to_frame(TEXT), candidates):
        searched = texts.is_not_null()
    else:
        searched = texts.to_frame(TEXT).select(holding(pl.col(TEXT), candidates)).to_series()
    index = searched.fill_null(False).arg_true()
    if index.is_empty():
        return texts
    subset = texts.gather(index)
    ascii_pattern = ascii_boundaries(pattern) if ascii_pattern is None else ascii_pattern
    if ascii_pattern == pattern and whole_words is None:
        rewritten = subset.str.replace_all(pattern, replacement)
    else:
        ascii_cells = is_ascii(subset)
        rewritten = _rewrite(subset, ascii_cells, ascii_pattern, replacement)
        if whole_words is None:
            rewritten = _rewrite(rewritten, ~ascii_cells, pattern, replacement)
        else:
            others = (~ascii_cells).fill_null(False).arg_true()
            if not others.is_empty():
                words = replace_words(rewritten.gather(others), whole_words, replacement)
                rewritten = rewritten.scatter(others, words)
    return texts.clone().scatter(index, rewritten)


def are_whole_words(words: pl.Series) -> bool:
    """Whether each of ``words`` is one whole word (``^\\w+$`` in Rust's syntax, the
    ``\\w`` of the word boundaries it stands for): what ``replace_words`` needs."""
    return bool(words.str.contains(r"^\w+$").all())


def replace_words(texts: pl.Series, words: pl.Series, replacement: str) -> pl.Series:
    """``texts`` (not null) with every word (a maximal run of ``\\w``) that is one of
    ``words`` replaced by ``replacement``, taken as plain text.

    For words that are whole words themselves this is what ``\\b(?:w1|w2|...)\\b``
    replaces: a match starts and ends at a word boundary and holds only word
    characters, so it is a whole word, and the one alternative equal to it. Without
    the boundaries Rust's fast engine runs on any text; with them it stops at a cell's
    first non-ASCII character (2,389 names in 47k non-ASCII notes: 0.18-0.29 s by the
    regex, 0.09-0.14 s word by word; on ASCII notes the regex is the faster)."""
    if not are_whole_words(words):
        raise ValueError("replace_words: every word must be a whole word (^\\w+$)")
    tokens = (
        texts.to_frame("text")
        .with_row_index("cell")
        .select("cell", pl.col("text").str.extract_all(_WORD_OR_NOT).alias("token"))
        .explode("token", empty_as_null=True)  # "" gives one null token, rebuilt as ""
    )
    token = pl.col("token")
    pieces = tokens.select(
        pl.when(token.is_in(words.implode())).then(pl.lit(replacement)).otherwise(token),
        (pl.col("cell") != pl.col("cell").shift(-1)).fill_null(True).alias("last"),
    )
    return join_runs(pieces.to_series(0), pieces.get_column("last")).rename(texts.name)
