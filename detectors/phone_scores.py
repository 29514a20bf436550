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

# Candidates that are dates, decimals or dotted quads, never phone numbers. The same
# syntax in Python's ``re`` and in Rust's regex (``$``: the candidate is stripped).
NOT_A_NUMBER: Final = (
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"  # dates
    r"|^[+-]?\d+\.\d+$"  # decimals
    r"|^\d{1,3}(?:\.\d{1,3}){3}$"  # dotted quads
)


def _parsed(numbers: pl.Series, region: str | None) -> pl.DataFrame:
    """``value``, ``region``, ``ruled`` and ``parsed`` (``detectors.phone_rules``) of
    distinct numbers read with default ``region`` (None: international numbers, whose
    rules need no region)."""
    return by_rule(numbers, region or "GB").select(
        "value", pl.lit(region, pl.String).alias("region"), "ruled", "parsed"
    )


def _any_valid(parsed: pl.DataFrame, validate: Validate) -> pl.DataFrame:
    """``value`` and ``valid``: whether any of its readings (a row of ``parsed`` each) is
    a valid number. Rules decide what they can in one pass; libphonenumber reads the
    rest, and only for values the rules found valid in no region."""
    validity = pl.Series(valid_e164(parsed.get_column("parsed").to_list()), dtype=pl.Boolean)
    parsed = parsed.with_columns(
        pl.when(pl.col("ruled"))
        .then(pl.when(pl.col("parsed").is_null()).then(False).otherwise(validity))
        .alias("valid")
    )
    settled = parsed.filter(pl.col("valid")).get_column("value").unique()
    left = parsed.filter(pl.col("valid").is_null() & ~pl.col("value").is_in(settled.implode()))
    by_python = [
        value
        for value, region in left.select("value", "region").iter_rows()
        if validate(value, region)
    ]
    valid = pl.concat([settled, pl.Series(by_python, dtype=pl.String)])
    return (
        parsed.select("value")
        .unique()
        .with_columns(pl.col("value").is_in(valid.implode()).alias("valid"))
    )


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
    readings = [_parsed(abroad, None)] if len(abroad) else []
    readings += [_parsed(home, region) for region in regions] if len(home) else []
    if not readings:  # nothing could score (a column of bare numbers, no phone header)
        return pl.Series("score", [0.0] * len(frame), dtype=pl.Float64)
    valid = _any_valid(pl.concat(readings), validate).filter("valid").get_column("value")
    return frame.select(
        pl.when(pl.col("number").is_in(valid.implode()) & pl.col("worth"))
        .then(pl.col("shape_score"))
        .otherwise(0.0)
        .alias("score")
    ).get_column("score")
