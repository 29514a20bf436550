"""apply_plan on free text: the input's own names and deny terms, and their order."""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymise.plan import PlannedInput
from anonymise.transforming import apply_plan, name_passes, redact_names
from tests.planned import planned_column, planned_input

KEY = b"k" * 32


def _plan(notes_action: str, params: dict[str, Any] | None = None) -> PlannedInput:
    return planned_input(
        planned_column("First Name", "PERSON", "redact"),
        planned_column("Last Name", "PERSON", "redact"),
        planned_column("Notes", "FREE_TEXT", notes_action, params),
        rows=2,
    )


FRAME = pl.DataFrame(
    {
        "First Name": ["Jane", "Omar"],
        "Last Name": ["Doe", "Haddad"],
        "Notes": ["Write to Jane.Doe@Example.com re Project Falcon", "Omar called"],
    }
)


def test_an_email_made_of_input_names_goes_whole_and_names_and_terms_go_too() -> None:
    out = apply_plan(FRAME, _plan("redact_text"), key=KEY, deny_terms=["Project Falcon"])
    assert out["Notes"].to_list() == [
        "Write to <EMAIL_ADDRESS> re <REDACTED>",
        "<PERSON> called",
    ]


def test_other_actions_get_the_scrubbed_text() -> None:
    out = apply_plan(FRAME, _plan("mask", {"keep_first": 9}), key=KEY)
    assert out["Notes"][1].startswith("<PERSON> ")  # masked after the names went


# Names as names_in_frame keeps them: a capital, then letters, apostrophes and hyphens;
# plain and joined ones, ASCII and not, some the start of others.
NAME = st.sampled_from(
    ["Ann", "Anne", "Anne-Marie", "Marie", "O'Neil", "O’Neil", "Neil", "Jo", "Jose\u0301"]
)
NAME |= st.from_regex(r"\A[AÅOZ][nueé]{0,3}(?:['’-][AMZ]?[nae]{0,2})?\Z")
# Letters and joiners names are made of, word characters of either kind, separators.
# A combining mark, a zero-width joiner and an Arabic-Indic digit: word characters to
# Rust's Unicode \b that are not letters.
FILLER = st.text(alphabet="anAeéMOZ'’-_9 .,\n\u0301\u200d٣", max_size=6)


def _one_alternation(texts: pl.Series, names: list[str]) -> pl.Series:
    alternation = "|".join(re.escape(n) for n in names)
    return texts.str.replace_all(rf"\b(?:{alternation})\b", "<PERSON>")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(NAME, min_size=1, max_size=8, unique=True),
    st.lists(st.lists(st.one_of(NAME, FILLER), max_size=10).map("".join), max_size=12),
)
def test_names_go_as_one_alternation_of_them_all_would_take_them(
    names: list[str], cells: list[str]
) -> None:
    names = sorted(names, key=lambda w: (-len(w), w))  # as names_in_frame orders them
    texts = pl.Series("t", [*cells, None], dtype=pl.String)
    got = texts.to_frame().select(redact_names(pl.col("t"), names)).to_series()
    assert got.to_list() == _one_alternation(texts, names).to_list()


def test_joined_names_go_first_and_the_label_word_keeps_one_pass() -> None:
    assert name_passes(["Anne-Marie", "O'Neil", "Marie"]) == [["Anne-Marie", "O'Neil"], ["Marie"]]
    assert name_passes(["Anne-Marie", "PERSON"]) == [["Anne-Marie", "PERSON"]]
    texts = pl.Series("t", ["Anne-Marie PERSON"])
    got = texts.to_frame().select(redact_names(pl.col("t"), ["Anne-Marie", "PERSON"]))
    assert got.item() == "<PERSON> <PERSON>"


@pytest.mark.parametrize(
    ("names", "text"),
    [
        (["Anne", "Marie", "Anne-Marie"], "Anne-Marie"),  # not longest first
        (["Mary Ann", "Ann-Lee"], "Mary Ann-Lee"),  # not one word
    ],
)
def test_names_not_shaped_as_names_in_frame_keep_one_pass(names: list[str], text: str) -> None:
    assert name_passes(names) == [names]
    texts = pl.Series("t", [text])
    got = texts.to_frame().select(redact_names(pl.col("t"), names)).to_series()
    assert got.to_list() == _one_alternation(texts, names).to_list()


def test_a_name_is_redacted_in_its_composed_and_decomposed_forms() -> None:
    frame = pl.DataFrame(
        {
            "First Name": ["Jose\u0301", "Zoë"],  # decomposed in the column, then composed
            "Last Name": ["Doe", "Haddad"],
            "Notes": ["José and Jose\u0301 called", "Zoe\u0308 or Zoë?"],
        }
    )
    out = apply_plan(frame, _plan("redact_text"), key=KEY)
    assert out["Notes"].to_list() == ["<PERSON> and <PERSON> called", "<PERSON> or <PERSON>?"]
