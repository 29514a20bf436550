"""Replace detected spans inside free text, all cells at once.

Presidio's analyzer keeps overlapping hits of different entities ("Cheryl Hills" is
a name inside "776 Cheryl Hills"); a redaction cannot show half of either, so
overlapping spans merge into one, named after the strongest hit (highest score, then
the longest, then the first).
"""

from __future__ import annotations

import polars as pl

from detectors.text.spans import END, ENTITY, ROW, SCORE, START

REPLACEMENT = "replacement"
VALUE = "value"


def merge_overlaps(spans: pl.DataFrame) -> pl.DataFrame:
    """Non-overlapping spans (row, start, end, entity), in text order.

    Most spans overlap nothing and pass through as they are; only the others are
    grouped. Ties between equally strong hits go to the entity first in sort order.
    """
    if spans.is_empty():
        return spans.select(ROW, START, END, ENTITY)
    ordered = spans.sort(ROW, START, END, descending=[False, False, True])
    # One running maximum of the ends for all rows at once: each row's offsets are
    # lifted above every offset of the rows before it.
    lift = pl.col(ROW).cast(pl.Int64) * (pl.col(END).max() + 1)
    reach = (lift + pl.col(END)).cum_max().shift(1)
    opens = (reach.is_null() | (lift + pl.col(START) >= reach)).alias("opens")
    ordered = ordered.with_columns(opens).with_columns(pl.col("opens").cum_sum().alias("group"))
    alone = pl.col("opens") & pl.col("opens").shift(-1, fill_value=True)
    best = pl.col(ENTITY).sort_by(
        [pl.col(SCORE), pl.col(END) - pl.col(START), pl.col(START), pl.col(ENTITY)],
        descending=[True, True, False, False],
    )
    merged = (
        ordered.filter(~alone)
        .group_by("group")
        .agg(pl.col(ROW).first(), pl.col(START).min(), pl.col(END).max(), best.first())
    )
    single = ordered.filter(alone)
    columns = [ROW, START, END, ENTITY]
    return pl.concat([single.select(columns), merged.select(columns)]).sort(ROW, START)


def with_values(texts: pl.Series, spans: pl.DataFrame) -> pl.DataFrame:
    """``spans`` with the text each covers (column ``value``)."""
    cells = texts.cast(pl.String).gather(spans.get_column(ROW))
    return spans.with_columns(cells.alias(VALUE)).with_columns(
        pl.col(VALUE).str.slice(pl.col(START), pl.col(END) - pl.col(START))
    )


def replace_spans(texts: pl.Series, spans: pl.DataFrame) -> pl.Series:
    """``texts`` with each span (row, start, end, replacement; not overlapping)
    replaced; cells without spans are returned as they are."""
    texts = texts.cast(pl.String)
    if spans.is_empty():
        return texts
    spans = spans.sort(ROW, START)
    cells = texts.gather(spans.get_column(ROW))
    if cells.null_count():  # a null cell has no text to replace in: it stays null
        spans, cells = spans.filter(cells.is_not_null()), cells.drop_nulls()
    # spans are sorted by row: the previous span is the row's own unless the row changes
    same_row = (pl.col(ROW) == pl.col(ROW).shift(1)).fill_null(False)
    last_in_row = (pl.col(ROW) != pl.col(ROW).shift(-1)).fill_null(True)
    previous_end = pl.when(same_row).then(pl.col(END).shift(1)).otherwise(0)
    # each span's piece: the text since the previous span, the replacement, and for a
    # row's last span the rest of the text
    piece = pl.concat_str(
        pl.col("cell").str.slice(previous_end, pl.col(START) - previous_end),
        pl.col(REPLACEMENT),
        pl.when(last_in_row).then(pl.col("cell").str.slice(pl.col(END))).otherwise(pl.lit("")),
    )
    rebuilt = (
        spans.with_columns(cells.alias("cell"))
        .select(ROW, piece.alias("piece"))
        .group_by(ROW, maintain_order=True)
        .agg(pl.col("piece").str.join(""))
    )
    return texts.clone().scatter(rebuilt.get_column(ROW), rebuilt.get_column("piece"))
