"""Presidio's ``EntityRecognizer.remove_duplicates``, on a span frame.

Presidio drops a result when another of the same entity contains it with an equal or
higher score (identical results count once). Containment is transitive, so "some
other span contains it" is the same as Presidio's "some kept span contains it".
"""

from __future__ import annotations

import polars as pl

from detectors.text.spans import END, ENTITY, ROW, SCORE, SPAN_SCHEMA, START


def remove_duplicates(spans: pl.DataFrame) -> pl.DataFrame:
    spans = spans.unique(maintain_order=True)
    crowded = pl.len().over(ROW, ENTITY) > 1
    alone, shared = spans.filter(~crowded), spans.filter(crowded)
    if shared.is_empty():
        return alone
    pairs = shared.join(shared, on=[ROW, ENTITY], suffix="_o")
    other = pl.col(f"{START}_o"), pl.col(f"{END}_o"), pl.col(f"{SCORE}_o")
    same = (other[0] == pl.col(START)) & (other[1] == pl.col(END)) & (other[2] == pl.col(SCORE))
    contained = (
        (other[0] <= pl.col(START))
        & (pl.col(END) <= other[1])
        & (pl.col(SCORE) <= other[2])
        & ~same
    )
    dropped = pairs.filter(contained).select(ROW, ENTITY, START, END, SCORE).unique()
    kept = shared.join(dropped, on=[ROW, ENTITY, START, END, SCORE], how="anti")
    return pl.concat([alone, kept]).select(SPAN_SCHEMA.names())
