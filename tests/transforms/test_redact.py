from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.redact import all_null, redact
from transforms.registry import ActionContext, apply_action, is_column_drop

from .conftest import cells, columns, frame, run


@pytest.mark.parametrize(
    ("entity", "params", "expected"),
    [
        (None, {}, "<REDACTED>"),
        ("PERSON", {}, "<PERSON>"),
        ("email_address", {}, "<EMAIL_ADDRESS>"),
        ("PERSON", {"label": "[removed]"}, "[removed]"),
        ("PERSON", {"label": ""}, ""),  # an explicit empty label is allowed
    ],
)
def test_redact_labels(
    entity: str | None,
    params: dict[str, object],
    expected: str,
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = apply_action("redact", pl.col("x"), make_ctx(entity=entity), params)
    assert run(expr, ["Jane", None, "", "  "]) == [expected, None, "", ""]


def test_keep_changes_nothing(make_ctx: Callable[..., ActionContext]) -> None:
    values = frame(["Jane", None, "", " ✓ "])
    assert_frame_equal(values.select(apply_action("keep", pl.col("x"), make_ctx(), {})), values)


def test_drop_is_a_column_drop_whose_expression_is_all_null(
    make_ctx: Callable[..., ActionContext],
) -> None:
    assert is_column_drop("drop")
    out = frame(["Jane", None, ""]).select(apply_action("drop", pl.col("x"), make_ctx(), {}))
    assert_frame_equal(out, frame([None, None, None]))


def test_on_an_empty_frame() -> None:
    assert_frame_equal(frame([]).select(redact(pl.col("x"))), frame([]))
    assert_frame_equal(frame([]).select(all_null(pl.col("x"))), frame([]))


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_rows_and_nulls_are_kept(values: list[str | None]) -> None:
    out = run(redact(pl.col("x")), values)
    assert [v is None for v in out] == [v is None for v in values]


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=st.lists(cells, max_size=20))
def test_no_original_value_survives(values: list[str | None]) -> None:
    out = run(redact(pl.col("x")), values)
    assert {v for v in values if v and v.strip() and v != "<REDACTED>"}.isdisjoint(out)
