"""Keys, contexts and value strategies shared by the transform tests."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import strategies as st

from transforms.registry import ActionContext

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))

# Text that CRM exports really hold: any unicode, blanks, and nulls.
cells = st.one_of(st.none(), st.text(max_size=24))
columns = st.lists(cells, max_size=25)
non_blank_texts = st.text(min_size=1, max_size=24).filter(lambda s: s.strip() != "")


def frame(values: list[str | None], name: str = "x") -> pl.DataFrame:
    """A one-column String frame (also when every value is null or there are none)."""
    return pl.DataFrame({name: values}, schema={name: pl.String})


def run(expr: pl.Expr, values: list[str | None]) -> list[str | None]:
    """``expr`` over ``values`` in column ``x``."""
    out: list[str | None] = frame(values).select(expr).to_series().to_list()
    return out


@pytest.fixture
def make_ctx() -> Callable[..., ActionContext]:
    def make(entity: str | None = None, column: str = "x", key: bytes = KEY) -> ActionContext:
        return ActionContext(key=key, entity=entity, column=column)

    return make
