"""The allow-list mask and the deny-terms pattern."""

from __future__ import annotations

import polars as pl
import pytest

from anonymise.suppression import allowed_mask, deny_terms_pattern


def redact(pattern: str, text: str | None) -> str | None:
    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.String})
    out: str | None = frame.select(pl.col("t").str.replace_all(pattern, "[DENIED]")).item()
    return out


@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        (["Project X"], "see project   x today", "see [DENIED] today"),  # any case, spacing
        (["a.b"], "axb and a.b", "axb and [DENIED]"),  # '.' is literal
        (["C++"], "likes C++ and C#", "likes [DENIED] and C#"),  # non-word end
        (["(secret)"], "a (secret) b", "a [DENIED] b"),
        (["ann"], "Ann, Annabel, joanne", "[DENIED], Annabel, joanne"),  # whole words
        (["x|y", "$1"], "x|y costs $1", "[DENIED] costs [DENIED]"),
        (["Acme", "Acme Corp"], "Acme Corp", "[DENIED]"),  # longest first
        (["Müller"], "Frau MÜLLER", "Frau [DENIED]"),  # unicode case folding
        (["~tilde-&#"], "a ~tilde-&# b", "a [DENIED] b"),
        (["ann"], "", ""),
        (["ann"], None, None),
    ],
)
def test_deny_terms_are_redacted_literally(
    terms: list[str], text: str | None, expected: str | None
) -> None:
    pattern = deny_terms_pattern(terms)
    assert pattern is not None
    assert redact(pattern, text) == expected


@pytest.mark.parametrize("terms", [[], ["", "   "]])
def test_no_terms_no_pattern(terms: list[str]) -> None:
    assert deny_terms_pattern(terms) is None


def test_allowed_mask() -> None:
    frame = pl.DataFrame(
        {"e": [" Support@OurCo.com", "jane@example.com", None, ""]}, schema={"e": pl.String}
    )
    mask = frame.select(allowed_mask(pl.col("e"), ["support@ourco.com "])).to_series()
    assert mask.to_list() == [True, False, False, False]
    none = frame.select(allowed_mask(pl.col("e"), [])).to_series()
    assert none.to_list() == [False] * 4
