"""Span frames and finding a Rust regex's matches with their character offsets.

Polars gives a regex's matches (``extract_all``) but not where they are. A second
pass replaces every match by a mark and splits the text there, which gives the text
between matches; the running length of text and matches is each match's end, in
characters as Python counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, TypeAlias

import polars as pl

from detectors.text.boundaries import without_boundaries

ROW: Final = "row"
TEXT: Final = "text"
MATCH: Final = "match"
START: Final = "start"
END: Final = "end"
ENTITY: Final = "entity"
SCORE: Final = "score"

SPAN_SCHEMA: Final = pl.Schema(
    {ROW: pl.UInt32, ENTITY: pl.String, START: pl.Int64, END: pl.Int64, SCORE: pl.Float64}
)
MATCH_SCHEMA: Final = pl.Schema({ROW: pl.UInt32, START: pl.Int64, END: pl.Int64, MATCH: pl.String})

_FLAGS: Final = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x"}
_NEUTRAL_FLAGS: Final = re.UNICODE
_MARK: Final = "\x00"  # stands for a match in ``locate``


def empty_spans() -> pl.DataFrame:
    return pl.DataFrame(schema=SPAN_SCHEMA)


CELLS: Final = "cells"


def distinct_texts(texts: pl.Series) -> pl.DataFrame:
    """Each distinct value of ``texts`` once, null and empty text included: row (its
    number here), text, and ``CELLS``, the row numbers of the cells that hold it (each
    cell in one list).

    The distinct texts are then copied end to end into buffers of their own
    (``compact``). Left as views into the column they came from, they lay scattered
    over its hundreds of megabytes, and every later pass over them ran 2-7x slower
    (157k distinct notes of 1M: finding "@" 49 -> 6 ms, the e-mail pattern 75 -> 31
    ms); the copy takes ~20 ms."""
    groups = texts.cast(pl.String).to_frame(TEXT).with_row_index(CELLS).group_by(TEXT).agg(CELLS)
    return groups.with_columns(compact(groups.get_column(TEXT))).with_row_index(ROW)


def compact(texts: pl.Series) -> pl.Series:
    """``texts`` copied end to end into buffers of their own, in order."""
    return pl.Series(texts.name, texts.to_arrow(compat_level=pl.CompatLevel.oldest()))


def searchable(distinct: pl.DataFrame) -> pl.DataFrame:
    """Row and text of the distinct texts (``distinct_texts``) that are not null or empty."""
    return distinct.select(ROW, TEXT).filter(pl.col(TEXT).is_not_null() & (pl.col(TEXT) != ""))


def in_their_cells(values: pl.Series, cells: pl.Series) -> pl.Series:
    """A column with each of ``values`` in its ``cells`` (lists of row numbers that
    together number every row once, as ``distinct_texts`` gives them)."""
    spread = pl.DataFrame({"value": values, CELLS: cells}).explode(CELLS)
    return spread.get_column("value").gather(spread.get_column(CELLS).arg_sort())


def texts_at(texts: pl.DataFrame, rows: pl.Series) -> pl.Series:
    """The text of each of ``rows`` (row numbers of ``texts``, whose rows ascend)."""
    return texts.get_column(TEXT).gather(texts.get_column(ROW).search_sorted(rows))


def rust_regex(regex: str, flags: int) -> str | None:
    """``regex`` with Python ``flags`` as Rust inline flags, or None when it does not
    compile in Rust (look-around, back-references) or uses a flag Rust lacks."""
    letters = "".join(letter for flag, letter in _FLAGS.items() if flags & flag)
    if flags & ~(sum(_FLAGS) | _NEUTRAL_FLAGS):
        return None
    converted = f"(?{letters}:{regex})" if letters else f"(?:{regex})"
    return converted if compiles_in_rust(converted) else None


@cache
def compiles_in_rust(regex: str) -> bool:
    try:
        pl.Series([""], dtype=pl.String).str.contains(regex)
    except pl.exceptions.PolarsError:
        return False
    return True


def running_sum_within(values: pl.Expr, group: str) -> pl.Expr:
    """The running sum of ``values`` restarting at each group, for a frame whose groups
    (column ``group``) are contiguous: one running sum over all rows, less its value
    before each group's first row (several times cheaper than ``cum_sum().over(group)``)."""
    total = values.cum_sum()
    starts = (pl.col(group) != pl.col(group).shift(1)).fill_null(True)
    return total - pl.when(starts).then(total - values).forward_fill()


def candidates(texts: pl.DataFrame, regex: str) -> pl.DataFrame:
    """The rows of ``texts`` (row, text) that may hold a match of ``regex``: every row
    that does, and only those unless nearly all do.

    The regex without its word boundaries runs first: it keeps Rust's DFA on non-ASCII
    cells and rules most cells out (notes without a NINO: 0.21 -> 0.04 s on 157k
    notes). A filter that would keep nearly every row is not run (``mostly_matching``):
    the texts without a match then only cost the search that finds none."""
    if mostly_matching(texts, regex):
        return texts
    relaxed = without_boundaries(regex)
    if relaxed != regex and compiles_in_rust(relaxed):
        texts = texts.filter(pl.col(TEXT).str.contains(relaxed))
        if mostly_matching(texts, regex):
            return texts
    return texts.filter(pl.col(TEXT).str.contains(regex))


DENSE_SAMPLE: Final = 1_000
DENSE_SHARE: Final = 0.8


@dataclass(frozen=True)
class Words:
    """Plain words, one of which every match holds, found whatever the case of their
    ASCII letters: one Aho-Corasick pass, where a case-blind regex of the same words
    takes twice as long and one with word boundaries eight times (the date-of-birth
    cues over the bench's 157k distinct notes: 17, 32 and 133 ms)."""

    words: tuple[str, ...]


Candidates: TypeAlias = str | Words
"""What every match of a pattern holds: a regex, or ``Words``."""


def holding(texts: pl.Expr, candidates: Candidates) -> pl.Expr:
    """Whether each of ``texts`` holds ``candidates``."""
    if isinstance(candidates, Words):
        return texts.str.contains_any(list(candidates.words), ascii_case_insensitive=True)
    return texts.str.contains(candidates)


def mostly_matching(texts: pl.DataFrame, regex: Candidates) -> bool:
    """Whether ``regex`` matches nearly every text, judged on a spread sample of a
    large frame (the e-mail pattern on cells holding "@", name chains on notes once
    their capitals are found: ~0.3 s of the bench's 0.55 s of filtering)."""
    if texts.height < DENSE_SAMPLE * 10:
        return False
    sample = texts.get_column(TEXT).gather_every(texts.height // DENSE_SAMPLE)
    held = sample.to_frame(TEXT).select(holding(pl.col(TEXT), regex)).to_series()
    return held.sum() >= DENSE_SHARE * sample.len()


def locate(texts: pl.DataFrame, regex: str) -> pl.DataFrame:
    """Every match of ``regex`` in ``texts`` (row, text): row, start, end, match."""
    # texts without a match give empty lists, which explode drops
    hit = candidates(texts, regex)
    if hit.is_empty():
        return pl.DataFrame(schema=MATCH_SCHEMA)
    match = pl.col(TEXT).str.extract_all(regex).alias(MATCH)
    if hit.get_column(TEXT).str.contains(_MARK, literal=True).any():
        # the text holds the mark itself: each match with the text before it instead
        before = pl.col(TEXT).str.extract_all(f"(?s:.*?)(?:{regex})")
        found = hit.select(ROW, before.alias("chunk"), match).explode(
            ["chunk", MATCH], empty_as_null=False
        )
        step = pl.col("chunk").str.len_chars().cast(pl.Int64)
    else:
        # the text between matches: each match replaced by a mark, then split there;
        # a plain replacement needs no capture groups, so Rust's DFA finds the matches
        # (Presidio's e-mail pattern: 0.30 -> 0.12 s on 157k notes)
        pieces = pl.col(TEXT).str.replace_all(regex, _MARK, literal=False).str.split(_MARK)
        found = (
            hit.select(ROW, pieces.alias("piece"), match)
            .with_columns(pl.col("piece").list.head(pl.col(MATCH).list.len()))
            .explode(["piece", MATCH], empty_as_null=False)
        )
        step = pl.col("piece").str.len_chars().cast(pl.Int64) + pl.col(MATCH).str.len_chars().cast(
            pl.Int64
        )
    found = found.with_columns(running_sum_within(step, ROW).alias(END))
    end = pl.col(END)
    return found.select(
        ROW,
        (end - pl.col(MATCH).str.len_chars().cast(pl.Int64)).alias(START),
        end.alias(END),
        MATCH,
    )
