from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from transforms.registry import (
    ActionContext,
    action_names,
    apply_action,
    get_action,
    is_column_drop,
    register,
    validate_action_params,
)

from .conftest import KEY


def test_every_documented_action_is_registered() -> None:
    assert action_names() == [
        "date_shift",
        "drop",
        "encrypt",
        "fake",
        "generalise",
        "keep",
        "mask",
        "pseudonymise",
        "redact",
        "redact_text",
    ]


def test_unknown_action_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"^unknown action 'maks'; known actions: date_shift, "):
        get_action("maks")


def test_a_second_action_with_the_same_name_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"^action 'mask' is registered twice"):

        @register("mask")
        def another_mask(expr: pl.Expr, *, ctx: ActionContext) -> pl.Expr:
            return expr


def test_params_must_be_keyword_only() -> None:
    with pytest.raises(TypeError, match="must be keyword-only"):

        @register("positional_for_test")
        def positional(expr: pl.Expr, label: str, *, ctx: ActionContext) -> pl.Expr:
            return expr


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        (
            "mask",
            {"keep_lst": 1},
            r"^action 'mask': unknown param 'keep_lst'; known params: char, ",
        ),
        ("mask", {"keep_last": "3"}, r"^action 'mask': param 'keep_last': Input should be a valid"),
        # a YAML `yes` must not pass for a count
        ("mask", {"keep_last": True}, r"^action 'mask': param 'keep_last': "),
        ("mask", {"keep_last": -1}, r"^action 'mask': param 'keep_last': .*greater than or equal"),
        ("mask", {"char": "**"}, r"^action 'mask': param 'char': "),
        ("mask", {"char": "@"}, r"^action 'mask': param 'char': "),
        ("pseudonymise", {"length": 8}, r"^action 'pseudonymise': param 'length': .*16"),
        ("pseudonymise", {"prefix": "tok "}, r"^action 'pseudonymise': param 'prefix': "),
        ("generalise", {}, r"^action 'generalise': param 'to': Field required"),
        ("generalise", {"to": "month"}, r"^action 'generalise': param 'to': Input should be"),
        ("keep", {"label": "x"}, r"^action 'keep': unknown param 'label'; known params: none$"),
        ("fake", {"locale": "english"}, r"^action 'fake': param 'locale': "),
        ("date_shift", {}, r"^action 'date_shift': param 'by_column': Field required"),
    ],
)
def test_bad_params_name_the_action_and_the_param(
    action: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_action_params(action, params)


def test_valid_params_come_back_with_defaults() -> None:
    assert validate_action_params("mask", {"keep_last": 4}) == {
        "keep_first": 0,
        "keep_last": 4,
        "keep_email_domain": False,
        "char": "*",
    }


def test_apply_action_names_the_output_after_the_column(
    make_ctx: Callable[..., ActionContext],
) -> None:
    frame = pl.DataFrame({"Email": ["a@b.com"]})
    ctx = make_ctx(entity="EMAIL_ADDRESS", column="Email")
    out = frame.select(apply_action("redact", pl.col("Email"), ctx, {}))
    assert_frame_equal(out, pl.DataFrame({"Email": ["<EMAIL_ADDRESS>"]}))


def test_drop_is_a_column_drop_and_nothing_else_is() -> None:
    assert [name for name in action_names() if is_column_drop(name)] == ["drop"]
    with pytest.raises(ConfigError, match=r"^unknown action 'dorp'"):
        is_column_drop("dorp")


def test_context_repr_hides_the_key() -> None:
    ctx = ActionContext(key=KEY, entity=None, column="x")
    assert "key" not in repr(ctx)
    assert KEY.hex() not in repr(ctx)
