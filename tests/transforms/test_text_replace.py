from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.text.spans import holding
from transforms.text_redaction import _CANDIDATES, DEFAULT_PATTERNS
from transforms.text_replace import replace_all, replace_words

NAMES = ["Zoé", "Anne-Marie", "Anne", "Marie", "O'Neil", "Jo", "Le", "Åsa"]
NAME_PATTERN = r"\b(?:" + "|".join(re.escape(n) for n in NAMES) + r")\b"
# Letters that are word characters only for Unicode, digits of both kinds, and the
# separators names and numbers sit between.
ALPHABET = "aAeJjoOLlnNrMmi_é’'ßÅ٣0123456789 .,-@:+()\n–"


@pytest.mark.parametrize(
    "text",
    [
        "Zoé called Anne-Marie",
        "Zoéa and aZoé are not Zoé",  # Unicode word characters around the name
        "Anne’s note for Jo, Le and Åsa",
        "Annex, Jonas, Lea: none of them",
        "O'Neil rang; réAnne did not",
        "Jo_ Jo9 9Jo Jo",
    ],
)
def test_names_replaced_as_str_replace_all_does(text: str) -> None:
    texts = pl.Series([text, None, text.encode("ascii", "ignore").decode()])
    expected = texts.str.replace_all(NAME_PATTERN, "<PERSON>")
    candidates = "|".join(re.escape(n) for n in NAMES)
    assert replace_all(texts, NAME_PATTERN, "<PERSON>", candidates=candidates).equals(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=40)), max_size=30))
def test_same_result_as_str_replace_all_on_any_text(cells: list[str | None]) -> None:
    texts = pl.Series(cells, dtype=pl.String)
    for entity, pattern in DEFAULT_PATTERNS.items():
        expected = texts.str.replace_all(pattern, f"<{entity}>")
        got = replace_all(texts, pattern, f"<{entity}>", candidates=_CANDIDATES[entity])
        assert got.equals(expected), entity
    expected = texts.str.replace_all(NAME_PATTERN, "<PERSON>")
    assert replace_all(texts, NAME_PATTERN, "<PERSON>").equals(expected)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=ALPHABET + "abcdef", max_size=60)
    # made of what phones, IP addresses and postcodes are made of, so that many match
    | st.lists(
        st.sampled_from(["+44", "(020)", "::", ":", ".", "-", " ", "ſ", "K", "x"])
        # and dates of birth: their cues (any case) and dates
        | st.sampled_from(["DOB", "d.O.b.", "Born on", "GEB.", "NÉE le", "birthday", "Mar"])
        | st.text(alphabet="0123456789", min_size=1, max_size=4)
        | st.text(alphabet="abcdefABCDEF", max_size=3)
        | st.from_regex(r"\A(?:\d{1,3}\.){1,3}\d{1,3}\Z")
        | st.from_regex(r"\A(?:[0-9a-f]{1,4}::?){1,7}[0-9a-f]{0,4}\Z")
        | st.from_regex(r"\A[A-Za-zſK]{1,2}\d[A-Za-z\d]? ?\d[A-Za-zſK]{2}\Z"),
        max_size=20,
    ).map("".join)
)
def test_every_match_of_a_default_pattern_holds_its_candidates(text: str) -> None:
    texts = pl.Series([text])
    for entity, pattern in DEFAULT_PATTERNS.items():
        matches = texts.str.extract_all(pattern).explode().drop_nulls().to_frame("text")
        assert matches.select(holding(pl.col("text"), _CANDIDATES[entity])).to_series().all()


def test_the_input_series_is_left_as_it_was() -> None:
    texts = pl.Series(["mail a@b.co", "Zoé"])
    replace_all(texts, DEFAULT_PATTERNS["EMAIL_ADDRESS"], "<EMAIL_ADDRESS>", candidates="@")
    assert texts.to_list() == ["mail a@b.co", "Zoé"]


# Whole words only (no apostrophe or hyphen), with a decomposed accent, a combining
# mark and a zero-width joiner, all word characters to Rust.
WORDS = ["Zoé", "Zoe\u0301", "Anne", "Marie", "Jo", "Le", "Åsa", "PERSON", "Jo\u200dn"]
WORDS_PATTERN = r"\b(?:" + "|".join(re.escape(w) for w in WORDS) + r")\b"
WORD_PIECES = st.sampled_from([*WORDS, "\u0301", "\u200d", "’", "'", "-", "<", ">"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.lists(WORD_PIECES | st.text(alphabet=ALPHABET, max_size=4), max_size=12).map(
                "".join
            ),
        ),
        max_size=30,
    )
)
def test_whole_words_replaced_word_by_word_as_str_replace_all_does(
    cells: list[str | None],
) -> None:
    texts = pl.Series(cells, dtype=pl.String)
    expected = texts.str.replace_all(WORDS_PATTERN, "<PERSON>")
    got = replace_all(
        texts,
        WORDS_PATTERN,
        "<PERSON>",
        candidates="|".join(re.escape(w) for w in WORDS),
        whole_words=pl.Series(WORDS),
    )
    assert got.equals(expected)
    # and word by word over every cell, ASCII ones included
    present = texts.drop_nulls()
    by_words = replace_words(present, pl.Series(WORDS), "<PERSON>")
    assert by_words.equals(present.str.replace_all(WORDS_PATTERN, "<PERSON>"))


def test_only_whole_words_are_taken_word_by_word() -> None:
    with pytest.raises(ValueError, match="whole word"):
        replace_words(pl.Series(["O'Neil rang"]), pl.Series(["O'Neil"]), "<PERSON>")


@pytest.mark.parametrize("share_with_names", [0.95, 0.05])
def test_many_cells_dense_or_sparse_in_candidates_give_str_replace_alls_result(
    share_with_names: float,
) -> None:
    # 12,000 cells: enough for the candidate test to be judged on a sample and left
    # out when nearly every cell holds a candidate
    plain = ["nothing to see", "Zoéa aZoé", "Jo_ Jo9", None, ""]
    named = ["Zoé called Anne-Marie", "Anne’s note for Jo, Le and Åsa", "O'Neil rang"]
    cells = [
        named[i % len(named)] if (i * 7919 % 100) < share_with_names * 100 else plain[i % 5]
        for i in range(12_000)
    ]
    texts = pl.Series(cells, dtype=pl.String)
    candidates = "|".join(re.escape(n) for n in NAMES)
    got = replace_all(texts, NAME_PATTERN, "<PERSON>", candidates=candidates)
    assert got.equals(texts.str.replace_all(NAME_PATTERN, "<PERSON>"))
