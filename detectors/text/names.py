"""Dictionary names in free text, as PersonNameRecognizer finds them, vectorised.

The recognizer joins capitalised words that are known names into runs when a single
blank or hyphen separates them. A run can only lie inside a chain of capitalised
words joined that way, so Rust finds the chains (of two words or more when a single
name cannot reach the threshold); the chains' words are looked up in the
dictionary once per distinct word, in Python, and the runs are cut by Polars.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from detectors import entities as e
from detectors.recognizers.person_name import (
    PersonNameRecognizer,
    family_name_first,
    is_first_name,
    is_name,
)
from detectors.text.spans import END, ENTITY, MATCH, ROW, SCORE, START, running_sum_within
from detectors.text.stand_ins import locate_on_stand_ins

# PersonNameRecognizer's word, in Rust syntax: the same words in both engines (Rust's word
# class holds combining marks, which the recognizer's Python pattern spells out).
WORD: Final = r"\b[^\W\d_a-z][^\W\d_]*(?:['’][^\W\d_]+|[‐‑‒–-][^\W\d_a-z][^\W\d_]*)*\b"


def chain_regex(min_words: int) -> str:
    more = "+" if min_words >= 2 else "*"
    return rf"{WORD}(?:[ \-]{WORD}){more}"


def known_words(words: pl.Series, recognizer: PersonNameRecognizer) -> tuple[pl.Series, pl.Series]:
    """Per distinct word: is it a name, is it a first name (Python once per word)."""
    if not getattr(recognizer, "is_loaded", False) or not hasattr(recognizer, "first"):
        recognizer.load()
        recognizer.is_loaded = True
    first, last = recognizer.first, recognizer.last
    listed = words.to_list()
    names = [is_name(w, first, last) for w in listed]
    firsts = [is_first_name(w, first) for w in listed]
    return pl.Series(names, dtype=pl.Boolean), pl.Series(firsts, dtype=pl.Boolean)


def chain_runs(chains: pl.Series, recognizer: PersonNameRecognizer) -> pl.DataFrame:
    """Runs of known names in distinct chains: chain, start, end (in the chain), score."""
    words = (
        pl.DataFrame({MATCH: chains})
        .with_columns(pl.col(MATCH).str.extract_all(WORD).alias("word"))
        .explode("word")
        .with_columns(
            # words in a chain are one character apart
            (pl.col("word").str.len_chars().cast(pl.Int64) + 1).alias("step")
        )
        .with_columns(
            # a word starts where the words before it in its chain end
            (running_sum_within(pl.col("step"), MATCH) - pl.col("step")).alias(START),
        )
    )
    distinct = words.get_column("word").unique()
    is_name, is_first = known_words(distinct, recognizer)
    lookup = pl.DataFrame({"word": distinct, "known": is_name, "first": is_first})
    words = words.join(lookup, on="word", how="left", maintain_order="left")
    runs = (
        # a run ends at an unknown word; numbering them across all chains keeps each
        # chain's runs apart, as they are grouped with their chain
        words.with_columns((~pl.col("known")).cum_sum().alias("run"))
        .filter(pl.col("known"))
        .group_by(MATCH, "run")
        .agg(
            pl.col(START).first(),
            (pl.col(START).last() + pl.col("step").last() - 1).alias(END),
            pl.len().alias("words"),
            pl.col("first").first(),
            pl.col("word").first().alias("opening"),
            pl.col("word").last().alias("closing"),
        )
    )
    # names written family name first: Python once per distinct first and last word
    ends = runs.filter((pl.col("words") >= 2) & ~pl.col("first")).select("opening", "closing")
    ends = ends.unique()
    family_first = [
        family_name_first(opening, closing, recognizer.first)
        for opening, closing in ends.iter_rows()
    ]
    runs = runs.join(
        ends.with_columns(pl.Series("family_first", family_first, dtype=pl.Boolean)),
        on=["opening", "closing"],
        how="left",
    )
    full = (pl.col("words") >= 2) & (pl.col("first") | pl.col("family_first").fill_null(False))
    return runs.select(
        MATCH,
        START,
        END,
        pl.when(full)
        .then(pl.lit(recognizer.FULL_NAME_SCORE))
        .otherwise(pl.lit(recognizer.SINGLE_NAME_SCORE))
        .alias(SCORE),
    )


def name_spans(
    texts: pl.DataFrame, recognizer: PersonNameRecognizer, threshold: float
) -> pl.DataFrame:
    """PERSON spans (row, entity, start, end, score) at or above ``threshold``."""
    min_words = 1 if threshold <= recognizer.SINGLE_NAME_SCORE else 2
    chains = locate_on_stand_ins(texts, chain_regex(min_words))
    runs = chain_runs(chains.get_column(MATCH).unique(), recognizer).filter(
        pl.col(SCORE) >= threshold
    )
    return chains.join(runs, on=MATCH, suffix="_run").select(
        ROW,
        pl.lit(e.PERSON).alias(ENTITY),
        (pl.col(START) + pl.col(f"{START}_run")).alias(START),
        (pl.col(START) + pl.col(f"{END}_run")).alias(END),
        SCORE,
    )
