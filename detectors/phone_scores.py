"""The phone recognizer's score of many candidates at once, in Polars.

``CrmPhoneRecognizer.score`` parses each candidate with libphonenumber (about 60 us a
call, up to four calls for a national number). Here the same answer comes from
libphonenumber's own rules restated in Polars: ``detectors.phone_rules`` turns plainly
written numbers into E.164, ``detectors.phone_validity`` says whether they are valid.
A candidate those rules do not decide (non-ASCII text, an unusual shape, an E.164 that
is not possible) is scored by ``fallback``, the recognizer's own Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import polars as pl

from detectors.phone_rules import by_rule
from detectors.phone_validity import valid_e164

Validate = Callable[[str, str | None], bool]  # libphonenumber: text, default region

INTERNATIONAL_SCORE: Final = 0.85
FORMATTED_SCORE: Final = 0.75

# Candidates that are dates, decimals, dotted quads or a year's references, never phone
# numbers. The same syntax in Python's ``re`` and in Rust's regex (``$``: the candidate
# is stripped).
NOT_A_NUMBER: Final = (
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"  # dates
    r"|^[+-]?\d+\.\d+$"  # decimals
    r"|^\d{1,3}(?:\.\d{1,3}){3}$"  # dotted quads
    # a year and a running number, as order and invoice numbers are written
    # ("CMD-2023-56271", "INV/2024/000381"): Germany's numbering takes most 9-digit
    # strings without their trunk 0 as valid, so every such order was a phone number
    r"|^(?:19|20)\d{2}[-/]\d{3,7}$"
)


def _parsed(numbers: pl.Series, region: str | None) -> pl.DataFrame:
    """``value``, ``region``, ``ruled`` and ``parsed`` (``detectors.phone_rules``) of
    distinct numbers read with default ``region`` (None: international numbers, whose
    rules need no region)."""
    return by_rule(numbers, region or "GB").select(
        "value", pl.lit(region, pl.String).alias("region"), "ruled", "parsed"
    )


def _valid_values(readings: list[tuple[pl.Series, str | None]], validate: Validate) -> pl.Series:
    """The values valid in any of their readings (distinct values, each read with a
    default region; None: international numbers). Rules decide what they can, one
    reading after the other, and a value found valid is not read again (a national
    number valid in the first region is not parsed for the other seven); libphonenumber
    reads the rest last, and only for values the rules found valid in no region."""
    settled = pl.Series("value", [], dtype=pl.String)
    undecided = []  # readings the rules leave to libphonenumber
    for numbers, region in readings:
        numbers = numbers.filter(~numbers.is_in(settled.implode()))
        if numbers.is_empty():
            continue
        parsed = _parsed(numbers, region)
        ruled = parsed.filter(pl.col("ruled") & pl.col("parsed").is_not_null())
        validity = valid_e164(ruled.get_column("parsed").to_list())  # None: not decided
        ruled = ruled.with_columns(pl.Series("valid", validity, dtype=pl.Boolean))
        settled = pl.concat([settled, ruled.filter("valid").get_column("value").unique()])
        undecided += [
            parsed.filter(~pl.col("ruled")).select("value", "region"),
            ruled.filter(pl.col("valid").is_null()).select("value", "region"),
        ]
    left = pl.concat(undecided).filter(~pl.col("value").is_in(settled.implode()))
    by_python = [value for value, region in left.iter_rows() if validate(value, region)]
    return pl.concat([settled, pl.Series("value", by_python, dtype=pl.String)])


def score_candidates(
    candidates: pl.Series,
    *,
    regions: Sequence[str],
    floor: float,
    header_backed: float,
    validate: Validate,
) -> pl.Series:
    """The score of each distinct, stripped, ASCII candidate, as ``score`` gives it."""
    candidate = pl.col("candidate")
    international = candidate.str.starts_with("+") | candidate.str.starts_with("00")
    formatted = (
        candidate.str.starts_with("0")
        | candidate.str.starts_with("(")
        | ~candidate.str.contains(r"^[0-9]+$")
    )
    frame = candidates.to_frame("candidate").with_columns(
        pl.when(candidate.str.starts_with("00"))
        .then(pl.concat_str(pl.lit("+"), candidate.str.slice(2)))
        .otherwise(candidate)
        .alias("number"),
        international.alias("international"),
        pl.when(international)
        .then(INTERNATIONAL_SCORE)
        .when(formatted)
        .then(FORMATTED_SCORE)
        .otherwise(header_backed)
        .alias("shape_score"),
    )
    worth = (
        ~candidate.str.contains(NOT_A_NUMBER)
        & candidate.str.count_matches(r"\d").is_between(7, 15)
        & (pl.col("shape_score") >= floor)
    )
    frame = frame.with_columns(worth.alias("worth"))
    checked = frame.filter("worth")
    abroad = checked.filter("international").get_column("number").unique()
    home = checked.filter(~pl.col("international")).get_column("number").unique()
    readings: list[tuple[pl.Series, str | None]] = [(abroad, None)] if len(abroad) else []
    readings += [(home, region) for region in regions] if len(home) else []
    if not readings:  # nothing could score (a column of bare numbers, no phone header)
        return pl.Series("score", [0.0] * len(frame), dtype=pl.Float64)
    valid = _valid_values(readings, validate)
    return frame.select(
        pl.when(pl.col("number").is_in(valid.implode()) & pl.col("worth"))
        .then(pl.col("shape_score"))
        .otherwise(0.0)
        .alias("score")
    ).get_column("score")
