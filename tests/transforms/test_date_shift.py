from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from transforms.date_shift import date_shift
from transforms.registry import ActionContext, apply_action

from .conftest import KEY, OTHER_KEY


def shifted(frame: pl.DataFrame, key: bytes = KEY, max_days: int = 30) -> list[str | None]:
    expr = date_shift(
        pl.col("when"),
        subject=pl.col("who"),
        key=key,
        max_days=max_days,
        subject_entity="EMAIL_ADDRESS",
    )
    out: list[str | None] = frame.select(expr).to_series().to_list()
    return out


def days_moved(before: str, after: str | None) -> int:
    assert after is not None
    return (date.fromisoformat(after) - date.fromisoformat(before)).days


def test_one_subject_moves_by_one_offset() -> None:
    visits = pl.DataFrame(
        {
            "who": ["jane@x.com", "JANE@x.com ", "jane@x.com"],
            "when": ["2024-01-01", "15/02/2024", "2024-03-01 10:00"],
        }
    )
    out = shifted(visits)
    offsets = {
        days_moved(b, a)
        for b, a in zip(["2024-01-01", "2024-02-15", "2024-03-01"], out, strict=True)
    }
    assert len(offsets) == 1
    assert 1 <= abs(offsets.pop()) <= 30


def test_offsets_stay_within_max_days_and_are_never_zero() -> None:
    people = pl.DataFrame(
        {"who": [f"p{i}@x.com" for i in range(400)], "when": ["2024-06-01"] * 400}
    )
    moves = [days_moved("2024-06-01", a) for a in shifted(people, max_days=3)]
    assert set(moves) == {-3, -2, -1, 1, 2, 3}


def test_another_key_moves_differently() -> None:
    people = pl.DataFrame({"who": [f"p{i}@x.com" for i in range(50)], "when": ["2024-06-01"] * 50})
    assert shifted(people) != shifted(people, key=OTHER_KEY)


@pytest.mark.parametrize(
    ("who", "when", "expected"),
    [
        (None, "2024-01-01", None),  # no subject: no consistent offset
        ("", "2024-01-01", None),
        ("jane@x.com", "not a date", None),
        ("jane@x.com", "", ""),  # blank stays blank
        ("jane@x.com", None, None),
    ],
)
def test_missing_parts(who: str | None, when: str | None, expected: str | None) -> None:
    frame = pl.DataFrame(
        {"who": [who], "when": [when]}, schema={"who": pl.String, "when": pl.String}
    )
    assert shifted(frame) == [expected]


def test_the_action_reads_the_subject_column(make_ctx: Callable[..., ActionContext]) -> None:
    frame = pl.DataFrame({"Email": ["jane@x.com"], "Visit": ["2024-01-01"]})
    params = {"by_column": "Email", "by_entity": "EMAIL_ADDRESS", "max_days": 30}
    out = frame.select(
        apply_action("date_shift", pl.col("Visit"), make_ctx(column="Visit"), params)
    )
    expected = shifted(frame.rename({"Email": "who", "Visit": "when"}))
    assert_frame_equal(out, pl.DataFrame({"Visit": expected}))


def test_max_days_must_be_positive(make_ctx: Callable[..., ActionContext]) -> None:
    with pytest.raises(ConfigError, match=r"^action 'date_shift': param 'max_days': "):
        apply_action("date_shift", pl.col("x"), make_ctx(), {"by_column": "y", "max_days": 0})


def test_on_an_empty_frame() -> None:
    empty = pl.DataFrame(schema={"who": pl.String, "when": pl.String})
    assert shifted(empty) == []
