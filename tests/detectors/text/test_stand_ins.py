"""Patterns run on ASCII stand-ins find what they find on the text itself."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.names import chain_regex
from detectors.text.spans import END, ROW, START, TEXT, locate
from detectors.text.stand_ins import STAND_IN, locate_on_stand_ins, stand_ins, with_stand_ins
from transforms.text_redaction import DEFAULT_PATTERNS

# ASCII that the patterns care about, and non-ASCII of every kind they could meet:
# letters of both cases, a titlecase one, a combining mark, a letter number, a
# non-ASCII digit, a no-break space, punctuation, the typographic apostrophe, an emoji.
ALPHABET = "aZ09 -'+().\n" + "éÜßǅ\u0301Ⅻ٣\u00a0«’😀"
PATTERNS = {
    "name chains": chain_regex(2),
    "single names": chain_regex(1),
    "table phone": DEFAULT_PATTERNS["PHONE_NUMBER"],
}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=ALPHABET, max_size=30)
        | st.sampled_from(
            ["Zoé Åsa-Lind", "Ring +44 20 7946 0000", "O’Brien Smith", "٣٣٣ ٣٣٣ ٣٣٣"]
        ),
        min_size=1,
        max_size=10,
    )
)
def test_stand_ins_find_the_matches_the_text_holds(texts: list[str]) -> None:
    frame = pl.DataFrame({TEXT: texts}).with_row_index(ROW)
    for name, pattern in PATTERNS.items():
        want = locate(frame, pattern).rows()
        assert locate_on_stand_ins(frame, pattern).rows() == want, name
        assert locate_on_stand_ins(with_stand_ins(frame), pattern).rows() == want, name
        offsets = locate_on_stand_ins(frame, pattern, as_written=False).select(ROW, START, END)
        assert offsets.rows() == [match[:3] for match in want], name


def test_a_stand_in_is_one_ascii_character_of_the_same_classes() -> None:
    texts = pl.Series(["Zoé ٣’ «x»\u00a0", "plain ascii", None])
    assert stand_ins(texts).to_list() == ["ZoA 0' \x01x\x01\x01", "plain ascii", None]


@pytest.mark.parametrize("rows", [[0, 1, 2], [3, 7, 20]])
def test_matches_are_read_from_the_text_on_any_rows(rows: list[int]) -> None:
    frame = pl.DataFrame(
        {ROW: rows, TEXT: ["Anne Marie rang", "no name", "ask Zoé Åsa"]},
        schema_overrides={ROW: pl.UInt32},
    )
    found = locate_on_stand_ins(frame, chain_regex(2))
    assert found.rows() == [(rows[0], 0, 10, "Anne Marie"), (rows[2], 4, 11, "Zoé Åsa")]
    assert STAND_IN not in found.columns
