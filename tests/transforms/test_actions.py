"""What every action promises, whichever it is: same answer streamed, lazy or in
partitions, rows and nulls kept, an empty frame stays empty."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal

from transforms.registry import ActionContext, apply_action

from .conftest import KEY, columns

ACTIONS = [
    ("keep", {}, None),
    ("redact", {}, "PERSON"),
    ("drop", {}, None),
    ("pseudonymise", {}, "EMAIL_ADDRESS"),
    ("pseudonymise", {}, "PHONE_NUMBER"),
    ("pseudonymise", {}, "PERSON"),
    ("fake", {}, "PERSON"),
    ("fake", {}, "EMAIL_ADDRESS"),
    ("fake", {"year_band": 10}, "DATE_OF_BIRTH"),
    ("fake", {}, None),
    ("encrypt", {}, None),
    ("mask", {"keep_last": 2, "keep_email_domain": True}, None),
    ("generalise", {"to": "year"}, None),
    ("generalise", {"to": "age_band", "reference_date": "2024-01-01"}, None),
    ("generalise", {"to": "outward_code"}, None),
    ("generalise", {"to": "decimals"}, None),
    ("generalise", {"to": "bucket", "width": 100}, None),
    ("date_shift", {"by_column": "who"}, None),
    ("redact_text", {}, None),
    ("redact_text", {"mode": "pseudonymise"}, None),
]
IDS = [
    f"{name}-{entity or ''}-{'-'.join(map(str, params.values()))}"
    for name, params, entity in ACTIONS
]

VALUES = ["Jane@X.com", None, "", "07700 900123", "1984-07-03", "SW1A 1AA", "51.5,-0.1", "1234"]


def sample(values: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"x": values, "who": [f"person{i % 7}" for i in range(len(values))]},
        schema={"x": pl.String, "who": pl.String},
    )


def action_expr(name: str, params: dict[str, object], entity: str | None) -> pl.Expr:
    ctx = ActionContext(key=KEY, entity=entity, column="x")
    return apply_action(name, pl.col("x"), ctx, params)


@pytest.mark.parametrize(("name", "params", "entity"), ACTIONS, ids=IDS)
def test_streaming_and_partitions_give_the_same_frame(
    name: str, params: dict[str, object], entity: str | None
) -> None:
    frame = sample(VALUES * 200)
    expr = action_expr(name, params, entity)
    whole = frame.select(expr)
    streamed = frame.lazy().select(expr).collect(engine="streaming")
    by_part = pl.concat([frame.slice(0, 333).select(expr), frame.slice(333).select(expr)])
    assert_frame_equal(streamed, whole)
    assert_frame_equal(by_part, whole)


@pytest.mark.parametrize(("name", "params", "entity"), ACTIONS, ids=IDS)
def test_an_empty_frame_stays_empty(
    name: str, params: dict[str, object], entity: str | None
) -> None:
    out = sample([]).select(action_expr(name, params, entity))
    assert out.columns == ["x"]
    assert out.height == 0


@pytest.mark.parametrize(("name", "params", "entity"), ACTIONS, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(values=columns)
def test_rows_and_nulls_are_kept(
    name: str, params: dict[str, object], entity: str | None, values: list[str | None]
) -> None:
    out = sample(values).select(action_expr(name, params, entity)).to_series().to_list()
    assert len(out) == len(values)
    if name in ("drop", "date_shift", "generalise"):  # these may also null what they cannot read
        assert all(o is None for o, v in zip(out, values, strict=True) if v is None)
    else:
        assert [o is None for o in out] == [v is None for v in values]
