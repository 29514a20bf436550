"""apply_plan on free text: the input's own names and deny terms, and their order."""

from __future__ import annotations

from typing import Any

import polars as pl

from anonymise.plan import PlannedInput
from anonymise.transforming import apply_plan
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
