from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.dedupe import remove_duplicates
from detectors.text.spans import SPAN_SCHEMA
from transforms.text_spans import join_runs, merge_overlaps, replace_spans

Span = tuple[int, str, int, int, float]  # row, entity, start, end, score


def merged_one_by_one(spans: list[Span]) -> list[tuple[int, int, int, str]]:
    """The reference: sweep each row's spans in order, growing a group while the next
    span starts before the group's end; the group takes its strongest hit's entity."""
    out: list[tuple[int, int, int, str]] = []
    ordered = sorted(spans, key=lambda s: (s[0], s[2], -s[3]))
    group: list[Span] = []

    def close() -> None:
        if group:
            best = min(group, key=lambda s: (-s[4], -(s[3] - s[2]), s[2], s[1]))
            out.append((group[0][0], min(s[2] for s in group), max(s[3] for s in group), best[1]))

    for span in ordered:
        if group and span[0] == group[0][0] and span[2] < max(s[3] for s in group):
            group.append(span)
            continue
        close()
        group = [span]
    close()
    return out


spans_strategy = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.sampled_from(["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"]),
        st.integers(0, 30),
        st.integers(1, 8),
        st.sampled_from([0.4, 0.6, 0.85, 1.0]),
    ).map(lambda t: (t[0], t[1], t[2], t[2] + t[3], t[4])),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(spans_strategy)
def test_merge_overlaps_is_the_sweep_over_each_row(spans: list[Span]) -> None:
    frame = pl.DataFrame(spans, schema=SPAN_SCHEMA, orient="row")
    merged = merge_overlaps(frame)
    assert list(merged.iter_rows()) == merged_one_by_one(spans)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.sampled_from(["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"]),
            st.integers(0, 30),
            st.integers(0, 8),  # empty spans too
            st.sampled_from([0.4, 0.6, 0.85, 1.0]),
        ).map(lambda t: (t[0], t[1], t[2], t[2] + t[3], t[4])),
        max_size=25,
    )
)
def test_presidios_duplicate_removal_changes_no_merge_of_non_empty_spans(
    spans: list[Span],
) -> None:
    # why a redaction may skip it (scan_distinct(contained=True)), dropping empty spans
    frame = pl.DataFrame(spans, schema=SPAN_SCHEMA, orient="row")
    non_empty = pl.col("end") > pl.col("start")
    deduplicated = remove_duplicates(frame).filter(non_empty)
    assert merge_overlaps(deduplicated).rows() == merge_overlaps(frame.filter(non_empty)).rows()


def test_a_null_cell_stays_null_whatever_its_spans() -> None:
    spans = pl.DataFrame(
        {"row": [0, 1], "start": [0, 0], "end": [1, 1], "replacement": ["<X>", "<X>"]},
        schema_overrides={"row": pl.UInt32, "start": pl.Int64, "end": pl.Int64},
    )
    assert replace_spans(pl.Series([None, "ab"]), spans).to_list() == [None, "<X>b"]


def test_touching_spans_stay_apart_and_nested_ones_merge() -> None:
    frame = pl.DataFrame(
        [
            (0, "PERSON", 0, 5, 0.85),
            (0, "PHONE_NUMBER", 5, 9, 0.6),  # touches, does not overlap
            (1, "STREET_ADDRESS", 0, 16, 0.5),
            (1, "PERSON", 4, 16, 0.85),  # "776 Cheryl Hills": the name wins the group
        ],
        schema=SPAN_SCHEMA,
        orient="row",
    )
    assert list(merge_overlaps(frame).iter_rows()) == [
        (0, 0, 5, "PERSON"),
        (0, 5, 9, "PHONE_NUMBER"),
        (1, 0, 16, "PERSON"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.text(alphabet="aé€😀 <>", max_size=6)), st.booleans()),
        max_size=30,
    )
)
def test_join_runs_is_a_grouped_join_of_consecutive_pieces(
    pieces: list[tuple[str | None, bool]],
) -> None:
    if pieces:
        pieces[-1] = (pieces[-1][0], True)  # the final piece ends a run
    values = pl.Series([p for p, _ in pieces], dtype=pl.String)
    last = pl.Series([end for _, end in pieces], dtype=pl.Boolean)
    run = (~last).shift(1, fill_value=False).not_().cum_sum()  # a new run after each end
    want = (
        pl.DataFrame({"run": run, "piece": values})
        .group_by("run", maintain_order=True)
        .agg(pl.col("piece").str.join(""))
        .get_column("piece")
    )
    assert join_runs(values, last).to_list() == want.to_list()


def test_a_span_found_twice_is_merged_as_its_best_copy() -> None:
    frame = pl.DataFrame(
        [
            (0, "PERSON", 0, 5, 0.4),
            (0, "PERSON", 0, 5, 0.85),  # the same span again, found more surely
            (0, "PHONE_NUMBER", 3, 8, 0.6),
            (1, "EMAIL_ADDRESS", 2, 9, 0.5),
            (1, "EMAIL_ADDRESS", 2, 9, 1.0),  # a repeat that overlaps nothing else
        ],
        schema=SPAN_SCHEMA,
        orient="row",
    )
    assert merge_overlaps(frame).rows() == [(0, 0, 8, "PERSON"), (1, 2, 9, "EMAIL_ADDRESS")]
