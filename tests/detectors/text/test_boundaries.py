from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.boundaries import ascii_boundaries, without_boundaries
from detectors.text.names import chain_regex
from detectors.text.presidio_forms import REWRITES
from detectors.text.spans import ROW, TEXT, candidates, locate
from transforms.text_redaction import DEFAULT_PATTERNS


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bx\b", r"(?-u:\b)x(?-u:\b)"),
        (r"\Bx", r"(?-u:\B)x"),
        (r"\\b", r"\\b"),  # an escaped backslash, then the letter b
        (r"\\\b", r"\\(?-u:\b)"),
        (r"[\d]\d+", r"[\d]\d+"),
        (r"x\b{end}", r"x\b{end}"),  # Rust's half boundaries are left alone
    ],
)
def test_ascii_boundaries_rewrites_only_boundary_assertions(pattern: str, expected: str) -> None:
    assert ascii_boundaries(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bx\b", r"x"),
        (r"\Bx\d", r"x\d"),
        (r"\\b", r"\\b"),
        (r"\\\bb", r"\\b"),
        (r"x\b{start}", r"x\b{start}"),
        (r"(?x)a\b {2}", r"(?x)a\b {2}"),  # verbose: dropping \b would make a{2}
        (r"(?i-x:a\b)", r"(?i-x:a)"),
    ],
)
def test_without_boundaries_drops_only_boundary_assertions(pattern: str, expected: str) -> None:
    assert without_boundaries(pattern) == expected


# Patterns with boundaries the scanner runs: the table's, the NINO rewrite, name chains.
PATTERNS = [*DEFAULT_PATTERNS.values(), *REWRITES.values(), chain_regex(1), chain_regex(2)]
ALPHABET = "aAeJjoOLlnNrMmiéÅßſ_’'0123456789 .,-@:+()\n"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=ALPHABET, max_size=30)
        | st.sampled_from(["AB 12 34 56 C", "Anne Marie", "Zoé Åsa", "SW1A 1AA", "a@b.co"]),
        min_size=1,
        max_size=12,
    ).map(" ".join)
)
def test_the_pattern_without_boundaries_matches_wherever_the_pattern_does(text: str) -> None:
    texts = pl.DataFrame({TEXT: [text]}).with_row_index(ROW)
    for pattern in PATTERNS:
        held = texts.select(pl.col(TEXT).str.contains(pattern)).item()
        relaxed = texts.select(pl.col(TEXT).str.contains(without_boundaries(pattern))).item()
        assert relaxed or not held
        # so filtering by it first loses nothing
        assert candidates(texts, pattern).height >= int(held)


def test_locate_finds_the_same_matches_with_the_prefilter() -> None:
    texts = pl.DataFrame(
        {TEXT: ["Zoé Åsa rang, NI AB 12 34 56 C", "no number here", "réAnne Marie", "x AB123456C"]}
    ).with_row_index(ROW)
    nino = REWRITES[("UkNinoRecognizer", "NINO (medium)")]
    found = locate(texts, nino)
    assert found.select(ROW, "start", "end").rows() == [(0, 17, 30), (3, 2, 11)]
    # "Anne" in "réAnne" has no boundary before it (é is a word character)
    names = locate(texts, chain_regex(2))
    assert names.select(ROW, "match").rows() == [(0, "Zoé Åsa"), (0, "NI AB")]
